package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code QUERY} (RFC 10008) subscriptions on {@code /.well-known/mercure}, hub in process: the parameters in an
 * {@code application/x-www-form-urlencoded} body give exactly the stream a {@code GET} with them in the URL gives,
 * under the draft's matchers and under today's {@code topic}; the body and the URL's query are one list (a
 * {@code last_event_id} in both is the query's, the {@code Last-Event-ID} header wins over both); a chunked body
 * and a body larger than the head buffer are read like a publish's. Refusals: another media type {@code 415} with
 * {@code Accept-Query}, a body over the limit {@code 413}, {@code QUERY} elsewhere {@code 405} with {@code Allow},
 * an invalid matcher in the body {@code 400} with the reason. Every case asserts exact bytes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MercureQuerySubscribeTest
{
    private static final String FIELDS =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";
    private static final String MERCURE = "/.well-known/mercure";
    private static final String BOOKS = "match=" + encode(book(1)) + "&match_exact=" + encode(book(2)) +
        "&match=" + encode(book(3));
    private static final String B1 = "id: b1\ndata: v1\n\n";
    private static final String B2 = "id: b2\ndata: v2\n\n";
    private static final String B3 = "id: b3\ndata: v3\n\n";

    private SseServer server;

    @AfterEach
    void tearDown()
    {
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldStreamTheDraftsMatchersFromTheBodyAndResumeFromItsLastEventId() throws Exception
    {
        startWithBooks();
        assertHeadAndStream(MERCURE, BOOKS + "&last_event_id=b1", FIELDS + "Mercure-Last-Event-ID: b1\r\n\r\n",
            B2 + B3);
        try (RawSseClient client = query(MERCURE, BOOKS, FORM))
        {
            assertEquals(FIELDS + "\r\n", client.readHead());
            Servers.awaitSubscribers(server, 1);
            publish("topic=" + encode(book(2)) + "&id=b4&data=v4");
            publish("topic=" + encode("https://example.com/authors/1") + "&id=a1&data=no");
            publish("topic=" + encode(book(3)) + "&id=b5&data=v5");
            assertEquals(new SseEvent("b4", "message", "v4"), client.nextEvent());
            assertEquals(new SseEvent("b5", "message", "v5"), client.nextEvent());
        }
    }

    @Test
    void shouldStreamTodaysTopicFromTheBodyAndResumeFromItsLastEventID() throws Exception
    {
        startWithBooks();
        final String topic = "topic=" + encode("https://example.com/books/{id}");
        assertHeadAndStream(MERCURE, topic + "&lastEventID=b2", FIELDS + "Last-Event-ID: b2\r\n\r\n", B3);
        assertHeadAndStream(MERCURE, topic + "&lastEventID=nope", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
            B1 + B2 + B3);
    }

    @Test
    void shouldTakeTheUnionOfQueryAndBodyWithTheQuerysLastEventIdAndTheHeaderFirst() throws Exception
    {
        startWithBooks();
        final String queryPart = MERCURE + "?match=" + encode(book(1)) + "&last_event_id=b1";
        final String bodyPart = "match=" + encode(book(3)) + "&last_event_id=earliest";
        assertHeadAndStream(queryPart, bodyPart, FIELDS + "Mercure-Last-Event-ID: b1\r\n\r\n", B3);
        assertHeadAndStream(MERCURE + "?match=" + encode(book(1)), "match=" + encode(book(3)) +
            "&last_event_id=b1", FIELDS + "Mercure-Last-Event-ID: b1\r\n\r\n", B3);
        assertHeadAndStream(queryPart, bodyPart, FIELDS + "Mercure-Last-Event-ID: earliest\r\n\r\n", B1 + B3,
            "Last-Event-ID: nope");
        // the draft and today's protocol mixed across the two parts are refused as in one
        assertAnswer(request(MERCURE + "?topic=a", "match=b", FORM),
            error("400 Bad Request", "\"topic\" and \"match\" parameters cannot be mixed: use one protocol", ""));
    }

    @Test
    void shouldReadAChunkedBodyAndABodyLargerThanTheHeadBuffer() throws Exception
    {
        startWithBooks();
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            final String body = BOOKS + "&last_event_id=b2";
            client.send("QUERY " + MERCURE + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + FORM +
                "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(10) + "\r\n" + body.substring(0, 10) +
                "\r\n" + Integer.toHexString(body.length() - 10) + "\r\n" + body.substring(10) + "\r\n0\r\n\r\n");
            assertEquals(FIELDS + "Mercure-Last-Event-ID: b2\r\n\r\n", client.readHead());
            assertEquals(B3, client.readBytes(B3.length()));
        }
        final StringBuilder many = new StringBuilder(BOOKS);
        for (int i = 0; i < 99 - 3; i++)
        {
            many.append("&match=").append(encode("https://example.com/unrelated/" + "x".repeat(100) + i));
        }
        many.append("&last_event_id=b1");
        assertEquals(true, many.length() > ServerConfig.DEFAULT_MAX_REQUEST_HEAD_BYTES, "body over the head buffer");
        assertHeadAndStream(MERCURE, many.toString(), FIELDS + "Mercure-Last-Event-ID: b1\r\n\r\n", B2 + B3);
    }

    @Test
    void shouldServeAQuerySubscriptionPipelinedBehindAKeptAliveRequestOrAPublish() throws Exception
    {
        startWithBooks();
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            final String body = BOOKS + "&last_event_id=b1";
            client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
                RawHttp.request("QUERY", MERCURE, new String[]{FORM}, body));
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n" +
                "Content-Length: 3\r\n\r\n", client.readHead());
            assertEquals("ok\n", client.readBytes(3));
            assertEquals(FIELDS + "Mercure-Last-Event-ID: b1\r\n\r\n", client.readHead());
            assertEquals(B2 + B3, client.readBytes(B2.length() + B3.length()));
        }
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            // a QUERY behind a publish in flight waits for the publish's answer, then streams from it
            client.send(RawHttp.request("POST", MERCURE, new String[]{FORM}, "topic=" + encode(book(1)) +
                "&id=b4&data=v4") + RawHttp.request("QUERY", MERCURE, new String[]{FORM}, BOOKS + "&last_event_id=b3"));
            assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n" +
                "Content-Length: 2\r\n\r\n", client.readHead());
            assertEquals("b4", client.readBytes(2));
            assertEquals(FIELDS + "Mercure-Last-Event-ID: b3\r\n\r\n", client.readHead());
            final String b4 = "id: b4\ndata: v4\n\n";
            assertEquals(b4, client.readBytes(b4.length()));
        }
    }

    @Test
    void shouldRefuseAnotherMediaTypeWith415AndTheAcceptQueryItTakes() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final String refused = error("415 Unsupported Media Type",
            "QUERY takes a Content-Type: application/x-www-form-urlencoded body",
            "Accept-Query: application/x-www-form-urlencoded\r\n");
        assertAnswer(request(MERCURE, BOOKS), refused);
        assertAnswer(request(MERCURE, BOOKS, "Content-Type: application/json"), refused);
        assertAnswer(request(MERCURE, BOOKS, FORM, FORM), refused);
        assertAnswer(request(MERCURE, BOOKS, "Content-Type: application/x-www-form-urlencodedX"), refused);
        final String mixedCase = "content-type: Application/X-WWW-Form-URLEncoded ; charset=UTF-8";
        try (RawSseClient client = query(MERCURE, BOOKS, mixedCase))
        {
            assertEquals(FIELDS + "\r\n", client.readHead());
        }
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertAnswer("QUERY " + MERCURE + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + FORM + "\r\nContent-Length: " +
            (ServerConfig.DEFAULT_MAX_EVENT_BYTES + 1) + "\r\n\r\n", error("413 Content Too Large",
            "request body too large", ""));
        final String chunk = "match=" + "a".repeat(1000) + "&";
        final StringBuilder chunked = new StringBuilder("QUERY " + MERCURE + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
            FORM + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        final int over = (ServerConfig.DEFAULT_MAX_REQUEST_HEAD_BYTES + ServerConfig.DEFAULT_MAX_EVENT_BYTES + 1024) /
            chunk.length() + 1;
        for (int i = 0; i < over; i++)
        {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        assertAnswer(chunked.toString(), error("413 Content Too Large", "request body too large", ""));
    }

    @Test
    void shouldRefuseQueryOnOtherPathsWith405AndListItOnTheMercurePath() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertAnswer(request("/events/books", "topic=a", FORM),
            error("405 Method Not Allowed", "method not allowed", "Allow: GET, POST, OPTIONS\r\n"));
        assertAnswer(request("/events?topic=books", "topic=a", FORM),
            error("405 Method Not Allowed", "method not allowed", "Allow: GET, OPTIONS\r\n"));
        assertAnswer(request("/healthz", "topic=a", FORM),
            error("405 Method Not Allowed", "method not allowed", "Allow: GET\r\n"));
        assertAnswer(RawHttp.request("PUT", MERCURE, new String[]{FORM, "Connection: close"}, "topic=a"),
            error("405 Method Not Allowed", "method not allowed", "Allow: GET, POST, QUERY, OPTIONS\r\n"));
    }

    @Test
    void shouldListQueryInTheMercurePathsPreflightOnly() throws Exception
    {
        server = SseServer.builder().port(0).allowOrigin("https://app.example").start();
        final String cors = "Access-Control-Allow-Origin: https://app.example\r\n" +
            "Access-Control-Allow-Credentials: true\r\nVary: Origin\r\n";
        final String rest = "Access-Control-Allow-Headers: last-event-id, authorization, content-type, cache-control, " +
            "idempotency-key\r\nAccess-Control-Max-Age: 600\r\n\r\n";
        final String[] preflight = {"Origin: https://app.example", "Access-Control-Request-Method: QUERY",
            "Access-Control-Request-Headers: content-type", "Connection: close"};
        assertAnswer(RawHttp.request("OPTIONS", MERCURE, preflight, ""), "HTTP/1.1 204 No Content\r\n" + cors +
            "Access-Control-Allow-Methods: GET, POST, QUERY, OPTIONS\r\n" + rest);
        assertAnswer(RawHttp.request("OPTIONS", "/events/books", preflight, ""), "HTTP/1.1 204 No Content\r\n" +
            cors + "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n" + rest);
        try (RawSseClient client = query(MERCURE, BOOKS, FORM, "Origin: https://app.example"))
        {
            assertEquals(FIELDS + cors + "\r\n", client.readHead());
        }
    }

    @Test
    void shouldRefuseAnInvalidMatcherInTheBodyWithTheDraftsReason() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertAnswer(request(MERCURE, "match_regex=a", FORM),
            error("400 Bad Request",
                "unknown topic matcher parameter: use \"match\", \"match_exact\" or \"match_urlpattern\"", ""));
        assertAnswer(request(MERCURE, "match=a%E2%80%8Eb", FORM),
            error("400 Bad Request", "topic matcher contains a control or format character", ""));
        assertAnswer(request(MERCURE, "match=%zz", FORM),
            error("400 Bad Request", "malformed percent-escape in the query", ""));
        assertAnswer(request(MERCURE, "", FORM), error("400 Bad Request", "missing \"topic\" parameter", ""));
    }

    private void startWithBooks() throws Exception
    {
        server = SseServer.builder().port(0).start();
        for (int i = 1; i <= 3; i++)
        {
            publish("topic=" + encode(book(i)) + "&id=b" + i + "&data=v" + i);
        }
    }

    private void publish(final String form) throws Exception
    {
        final String answer = RawHttp.post(server.port(), MERCURE, form, FORM);
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
    }

    private RawSseClient query(final String target, final String body, final String... headers) throws Exception
    {
        final RawSseClient client = RawSseClient.open(server.port(), 0);
        client.send(RawHttp.request("QUERY", target, headers, body));
        return client;
    }

    private void assertHeadAndStream(
        final String target, final String body, final String head, final String stream, final String... headers)
        throws Exception
    {
        final String[] all = new String[headers.length + 1];
        all[0] = FORM;
        System.arraycopy(headers, 0, all, 1, headers.length);
        try (RawSseClient client = query(target, body, all))
        {
            assertEquals(head, client.readHead());
            assertEquals(stream, client.readBytes(stream.length()));
        }
    }

    private void assertAnswer(final String request, final String answer) throws Exception
    {
        assertEquals(answer, RawHttp.exchange(server.port(), request));
    }

    private static String request(final String target, final String body, final String... headers)
    {
        return RawHttp.request("QUERY", target, headers, body);
    }

    private static String error(final String status, final String reason, final String extraHeaders)
    {
        return "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
            (reason.length() + 1) + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" + reason + "\n";
    }

    private static String book(final int id)
    {
        return "https://example.com/books/" + id;
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
