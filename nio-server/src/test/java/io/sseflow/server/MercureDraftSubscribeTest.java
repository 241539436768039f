package io.sseflow.server;

import io.sseflow.server.hub.jwt.TestTokens;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mercure 1.0 (the draft) subscriptions on {@code /.well-known/mercure}, hub in process: {@code match} is exact
 * (a template's text matches only itself), several matchers give one stream in hub order, {@code last_event_id} and
 * the {@code Last-Event-ID} header resume it with {@code Mercure-Last-Event-ID} on the response (only when asked;
 * {@code earliest} when the id is unknown, asked for or the history empty), private updates only to a token that
 * allows them, the draft's refusals answered {@code 400}; a {@code topic} request beside them is unchanged. Every
 * case asserts the exact bytes of the response head, then the stream.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MercureDraftSubscribeTest
{
    private static final String FIELDS =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    private static final String BOOKS_TEMPLATE = "https://example.com/books/{id}";
    private static final String MERCURE = "/.well-known/mercure?";
    private static final String BOOKS = MERCURE + "match=" + encode(book(1)) + "&match_exact=" + encode(book(2)) +
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
    void shouldResumeAfterTheRequestedIdAndAnswerItInMercureLastEventId() throws Exception
    {
        startWithBooks(SseServer.builder());
        assertHeadAndStream(BOOKS + "&last_event_id=b1", FIELDS + "Mercure-Last-Event-ID: b1\r\n\r\n", B2 + B3);
        assertHeadAndStream(BOOKS + "&last_event_id=b1", FIELDS + "Mercure-Last-Event-ID: b2\r\n\r\n", B3,
            "Last-Event-ID: b2");
        assertHeadAndStream(BOOKS, FIELDS + "Mercure-Last-Event-ID: b1\r\n\r\n", B2 + B3, "Last-Event-ID: b1");
        assertHeadAndStream(MERCURE + "match=*&last_event_id=b2", FIELDS + "Mercure-Last-Event-ID: b2\r\n\r\n", B3);
        assertEquals(4, server.metrics().replays());
    }

    @Test
    void shouldAnswerEarliestForAnUnknownIdEarliestOrAnEmptyHistory() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertHead(MERCURE + "match=empty&last_event_id=b1", FIELDS + "Mercure-Last-Event-ID: earliest\r\n\r\n");
        publishBooks();
        assertHeadAndStream(BOOKS + "&last_event_id=nope", FIELDS + "Mercure-Last-Event-ID: earliest\r\n\r\n",
            B1 + B2 + B3);
        assertHeadAndStream(BOOKS + "&last_event_id=earliest", FIELDS + "Mercure-Last-Event-ID: earliest\r\n\r\n",
            B1 + B2 + B3);
        // the empty history's and the unknown id's
        assertEquals(2, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldSendNoFieldWhenTheSubscriptionDoesNotResumeAndReadNoPreStandardizationId() throws Exception
    {
        startWithBooks(SseServer.builder());
        try (RawSseClient client = RawSseClient.get(server.port(), BOOKS + "&lastEventID=b1"))
        {
            assertEquals(FIELDS + "\r\n", client.readHead());
            Servers.awaitSubscribers(server, 1);
            publish("topic=" + encode(book(2)) + "&id=b4&data=v4");
            assertEquals(new SseEvent("b4", "message", "v4"), client.nextEvent());
        }
        assertHead(BOOKS + "&last_event_id=", FIELDS + "\r\n");
    }

    @Test
    void shouldMatchExactlyEvenATemplatesTextWhileTopicStillMatchesTheTemplate() throws Exception
    {
        server = SseServer.builder().port(0).start();
        try (RawSseClient exact = RawSseClient.get(server.port(), MERCURE + "match=" + encode(BOOKS_TEMPLATE));
            RawSseClient template = RawSseClient.get(server.port(), MERCURE + "topic=" + encode(BOOKS_TEMPLATE)))
        {
            assertEquals(FIELDS + "\r\n", exact.readHead());
            assertEquals(FIELDS + "\r\n", template.readHead());
            Servers.awaitSubscribers(server, 2);
            publish("topic=" + encode(book(7)) + "&id=t7&data=seven");
            publish("topic=" + encode(BOOKS_TEMPLATE) + "&id=lit&data=literal");
            assertEquals(new SseEvent("t7", "message", "seven"), template.nextEvent());
            assertEquals(new SseEvent("lit", "message", "literal"), template.nextEvent());
            assertEquals(new SseEvent("lit", "message", "literal"), exact.nextEvent());
        }
    }

    @Test
    void shouldDeliverWhatAUrlPatternMatchesInHubOrderBesideAnExactMatcher() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final String path = MERCURE + "match_urlpattern=" + encode("https://example.com/books/:id") +
            "&match=" + encode("https://example.com/authors/1");
        try (RawSseClient client = RawSseClient.get(server.port(), path))
        {
            assertEquals(FIELDS + "\r\n", client.readHead());
            Servers.awaitSubscribers(server, 1);
            publish("topic=" + encode(book(7)) + "&id=b7&data=seven");
            publish("topic=" + encode("https://example.com/books/7/pages") + "&id=pages&data=no");
            publish("topic=" + encode("https://example.com/authors/1") + "&id=a1&data=author");
            publish("topic=" + encode("https://EXAMPLE.com:443/books/8?v=2") + "&id=b8&data=eight");
            assertEquals(new SseEvent("b7", "message", "seven"), client.nextEvent());
            assertEquals(new SseEvent("a1", "message", "author"), client.nextEvent());
            assertEquals(new SseEvent("b8", "message", "eight"), client.nextEvent());
        }
        assertHeadAndStream(path + "&last_event_id=b7", FIELDS + "Mercure-Last-Event-ID: b7\r\n\r\n",
            "id: a1\ndata: author\n\nid: b8\ndata: eight\n\n");
        assertRefused(MERCURE + "match_urlpattern=" + encode("https://example.com/(\\d+)"),
            "invalid URL pattern: regular-expression groups \"(...)\" are not supported");
    }

    @Test
    void shouldExposeMercureLastEventIdToScriptsWhenCorsIsOn() throws Exception
    {
        startWithBooks(SseServer.builder().allowOrigin("*"));
        assertHeadAndStream(BOOKS + "&last_event_id=b2", FIELDS + "Access-Control-Allow-Origin: *\r\n" +
            "Mercure-Last-Event-ID: b2\r\nAccess-Control-Expose-Headers: Mercure-Last-Event-ID\r\n\r\n", B3);
    }

    @Test
    void shouldRefuseTheDraftsInvalidRequestsWithAReason() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertRefused(MERCURE + "match_regex=a", "unknown topic matcher parameter");
        assertRefused(MERCURE + "match=a&Match_exact=b", "unknown topic matcher parameter");
        assertRefused(MERCURE + "topic=a&match=b", "\"topic\" and \"match\" parameters cannot be mixed");
        assertRefused(MERCURE + "match=a%E2%80%8Eb", "topic matcher contains a control or format character");
        assertRefused(MERCURE + "match=a%C2%9Fb", "topic matcher contains a control or format character");
        assertRefused(MERCURE + "match=", "empty topic matcher");
        assertRefused(MERCURE + "match=t&".repeat(101), "more than 100 topic matcher parameters");
        assertRefused(MERCURE + "match=a&last_event_id=a%00b", "last event id must be UTF-8 without CR, LF or NUL");
    }

    @Test
    void shouldDeliverPrivateUpdatesOnlyToATokenThatAllowsThemUnderBothProtocols() throws Exception
    {
        server = Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous");
        final String reader = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + BOOKS_TEMPLATE + "\"]}}");
        final String publisher = TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}");
        final String draft = MERCURE + "match=" + encode(book(1));
        final String preStandard = MERCURE + "topic=" + encode(book(1));
        try (RawSseClient anonymous = RawSseClient.get(server.port(), draft);
            RawSseClient draftReader = RawSseClient.get(server.port(), draft, "Cookie: mercureAuthorization=" + reader);
            RawSseClient topicReader = RawSseClient.get(server.port(), preStandard, "Authorization: Bearer " + reader))
        {
            for (final RawSseClient client : new RawSseClient[]{anonymous, draftReader, topicReader})
            {
                assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            }
            Servers.awaitSubscribers(server, 3);
            final String[] auth = {"Content-Type: application/x-www-form-urlencoded",
                "Authorization: Bearer " + publisher, "Connection: close"};
            final String form = "topic=" + encode(book(1));
            assertEquals("p1", RawHttp.body(RawHttp.post(server.port(), "/.well-known/mercure",
                form + "&id=p1&data=secret&private=on", auth)));
            assertEquals("u1", RawHttp.body(RawHttp.post(server.port(), "/.well-known/mercure",
                form + "&id=u1&data=public", auth)));
            assertEquals(new SseEvent("p1", "message", "secret"), draftReader.nextEvent());
            assertEquals(new SseEvent("u1", "message", "public"), draftReader.nextEvent());
            assertEquals(new SseEvent("p1", "message", "secret"), topicReader.nextEvent());
            assertEquals(new SseEvent("u1", "message", "public"), topicReader.nextEvent());
            assertEquals(new SseEvent("u1", "message", "public"), anonymous.nextEvent());
        }
        // a resuming reader replays only what its token allows: an anonymous one misses p1
        assertHeadAndStream(MERCURE + "match=" + encode(book(1)) + "&last_event_id=earliest",
            FIELDS + "Mercure-Last-Event-ID: earliest\r\n\r\n", "id: u1\ndata: public\n\n");
    }

    private void assertRefused(final String path, final String reason) throws Exception
    {
        final String answer = RawHttp.get(server.port(), path, "Connection: close");
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(answer), answer);
        assertTrue(RawHttp.body(answer).startsWith(reason), answer);
    }

    private void startWithBooks(final SseServer.Builder builder) throws Exception
    {
        server = builder.port(0).start();
        publishBooks();
    }

    private void publishBooks() throws Exception
    {
        for (int i = 1; i <= 3; i++)
        {
            publish("topic=" + encode(book(i)) + "&id=b" + i + "&data=v" + i);
        }
    }

    private void publish(final String form) throws Exception
    {
        final String answer = RawHttp.post(server.port(), "/.well-known/mercure", form,
            "Content-Type: application/x-www-form-urlencoded");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
    }

    private void assertHead(final String path, final String head, final String... headers) throws Exception
    {
        try (RawSseClient client = RawSseClient.get(server.port(), path, headers))
        {
            assertEquals(head, client.readHead());
        }
    }

    private void assertHeadAndStream(
        final String path, final String head, final String stream, final String... headers) throws Exception
    {
        try (RawSseClient client = RawSseClient.get(server.port(), path, headers))
        {
            assertEquals(head, client.readHead());
            assertEquals(stream, client.readBytes(stream.length()));
        }
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
