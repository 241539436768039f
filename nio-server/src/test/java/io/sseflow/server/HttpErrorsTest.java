package io.sseflow.server;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpErrorsTest
{
    private SseServer server;
    private RawSseClient bystander;

    @BeforeEach
    void setUp() throws Exception
    {
        server = SseServer.builder().port(0).publishToken("s3cret").maxEventBytes(1024).publishRingBytes(64 * 1024)
            .maxRequestHeadBytes(2048).maxConnections(3).start();
        bystander = RawSseClient.get(server.port(), "/events/bystander");
        bystander.readHead();
        Servers.awaitSubscribers(server, 1);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        // the server kept serving everyone else through all the errors
        server.topic("bystander").publish("still here");
        assertEquals(new SseEvent("1", "message", "still here"), bystander.nextEvent());
        bystander.close();
        server.close();
    }

    @Test
    void shouldAnswer404WithExactBytesThenClose() throws Exception
    {
        assertEquals(
            "HTTP/1.1 404 Not Found\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 10\r\n" +
            "Connection: close\r\n" +
            "\r\n" +
            "not found\n",
            get("/nope"));
    }

    @Test
    void shouldAnswer401WithoutTheRightBearerToken() throws Exception
    {
        final String missing = post("/events/t", "data");
        assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(missing));
        assertTrue(missing.contains("\r\nWWW-Authenticate: Bearer\r\n"), missing);
        assertEquals("missing or wrong publish token\n", RawHttp.body(missing));

        assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(post("/events/t", "data", "Authorization: Bearer s3cre")));
        assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(post("/events/t", "data", "Authorization: Bearer s3cret2")));
        assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(post("/events/t", "data", "Authorization: Basic s3cret")));
        final String ok = post("/events/t", "data", "Authorization: Bearer s3cret");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(ok));
        assertEquals("1\n", RawHttp.body(ok));
    }

    @Test
    void shouldAnswer400ForBadFieldsAndMalformedRequests() throws Exception
    {
        final String auth = "Authorization: Bearer s3cret";
        assertBadRequest(post("/events/t?event=a%0Db", "x", auth), "event must be UTF-8 without CR, LF or NUL");
        assertBadRequest(post("/events/t?event=a%0Ab", "x", auth), "event must be UTF-8 without CR, LF or NUL");
        assertBadRequest(post("/events/t?id=a%00b", "x", auth), "id must be UTF-8 without CR, LF or NUL");
        assertBadRequest(post("/events/t?id=%E2%28", "x", auth), "id must be UTF-8 without CR, LF or NUL");
        assertBadRequest(post("/events/t?retry=12a", "x", auth), "retry must be ASCII digits");
        assertBadRequest(post("/events/t?retry=-1", "x", auth), "retry must be ASCII digits");
        assertBadRequest(post("/events/bad%20name", "x", auth), "topic name must match");
        assertBadRequest(get("/events/a/b"), "topic name must match");
        assertBadRequest(RawHttp.exchange(server.port(), "GARBAGE\r\n\r\n"), "malformed");
        assertBadRequest(RawHttp.exchange(server.port(), "GET /events/t HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n"), "malformed header name");
        assertBadRequest(RawHttp.exchange(server.port(), "GET /events/t HTTP/1.1\r\nHost: x\r\nX: a\r\n  folded\r\n\r\n"), "obsolete line folding");

        final byte[] invalidUtf8 = "POST /events/t HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nContent-Length: 2\r\n\r\n\u00ff\u00fe"
            .getBytes(StandardCharsets.ISO_8859_1);
        assertBadRequest(RawHttp.exchange(server.port(), invalidUtf8), "body must be UTF-8");
    }

    @Test
    void shouldAnswer405WithAllow() throws Exception
    {
        final String response = RawHttp.exchange(server.port(), RawHttp.request("DELETE", "/events/t", new String[0], ""));
        assertEquals("HTTP/1.1 405 Method Not Allowed", RawHttp.status(response));
        assertTrue(response.contains("\r\nAllow: GET, POST, OPTIONS\r\n"), response);
        assertEquals("HTTP/1.1 405 Method Not Allowed",
            RawHttp.status(RawHttp.exchange(server.port(), RawHttp.request("POST", "/metrics", new String[0], "x"))));
    }

    @Test
    void shouldAnswer413ForTooLargeBodiesBeforeReadingThem() throws Exception
    {
        final String auth = "Authorization: Bearer s3cret";
        final String tooLarge = post("/events/t", "z".repeat(2000), auth);
        assertEquals("HTTP/1.1 413 Content Too Large", RawHttp.status(tooLarge));
        assertEquals("request body too large\n", RawHttp.body(tooLarge));

        final String announced = RawHttp.exchange(server.port(),
            "POST /events/t HTTP/1.1\r\nHost: x\r\n" + auth + "\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n");
        assertEquals("HTTP/1.1 413 Content Too Large", RawHttp.status(announced));

        final String framed = post("/events/t", "\n".repeat(200), auth);
        assertEquals("HTTP/1.1 413 Content Too Large", RawHttp.status(framed));
        assertEquals("event too large\n", RawHttp.body(framed));
    }

    @Test
    void shouldAnswer100ContinueThenPublish() throws Exception
    {
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send("POST /events/t HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nContent-Length: 5\r\n" +
                "Expect: 100-continue\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", client.readHead());
            client.send("hello");
            final String response = client.readToEof();
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(response));
        }
    }

    @Test
    void shouldAnswer431And414ForOversizedHeads() throws Exception
    {
        final String bigHeader = RawHttp.exchange(server.port(),
            "GET /events/t HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(4000) + "\r\n\r\n");
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", RawHttp.status(bigHeader));
        assertEquals("request header fields too large\n", RawHttp.body(bigHeader));

        final String bigTarget = RawHttp.exchange(server.port(), "GET /events/" + "t".repeat(4000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("HTTP/1.1 414 URI Too Long", RawHttp.status(bigTarget));
    }

    @Test
    void shouldAnswer503BeyondMaxConnections() throws Exception
    {
        try (RawSseClient second = RawSseClient.get(server.port(), "/events/x");
            RawSseClient third = RawSseClient.get(server.port(), "/events/x"))
        {
            second.readHead();
            third.readHead();
            Servers.awaitSubscribers(server, 3);
            final String rejected = get("/events/x");
            assertEquals("HTTP/1.1 503 Service Unavailable", RawHttp.status(rejected));
            assertTrue(rejected.contains("\r\nRetry-After: 1\r\n"), rejected);
            assertEquals("too many connections\n", RawHttp.body(rejected));
            assertEquals(1, server.metrics().get(ServerCounter.CONNECTIONS_REJECTED));
        }
        Await.value(() -> server.metrics().connections(), 1, "connections");
        assertEquals("HTTP/1.1 404 Not Found", RawHttp.status(get("/again")));
    }

    @Test
    void shouldAnswerAChunkedPublishWithoutTheTokenWith401BeforeItsBody() throws Exception
    {
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send("POST /events/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            final String response = client.readToEof();
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(response), response);
            assertEquals("missing or wrong publish token\n", RawHttp.body(response));
        }

        final String published = RawHttp.exchange(server.port(),
            "POST /events/t HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nTransfer-Encoding: chunked\r\n" +
            "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(published), published);
        assertEquals("1\n", RawHttp.body(published));
    }

    @Test
    void shouldAnswer401And405BeforeTheBodyAndWithout100Continue() throws Exception
    {
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send("POST /events/t HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
            final String response = client.readToEof();
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(response), response);
            assertTrue(response.contains("\r\nWWW-Authenticate: Bearer\r\n"), response);
        }
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send("PUT /events/t HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 405 Method Not Allowed", RawHttp.status(client.readToEof()));
        }
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 404 Not Found", RawHttp.status(client.readToEof()));
        }
    }

    private static void assertBadRequest(final String response, final String reasonPrefix)
    {
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(response), response);
        assertTrue(RawHttp.body(response).startsWith(reasonPrefix), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
    }

    private String get(final String path) throws Exception
    {
        return RawHttp.exchange(server.port(), RawHttp.request("GET", path, new String[0], ""));
    }

    private String post(final String path, final String body, final String... headers) throws Exception
    {
        final String[] all = new String[headers.length + 1];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Connection: close";
        return RawHttp.exchange(server.port(), RawHttp.request("POST", path, all, body));
    }
}
