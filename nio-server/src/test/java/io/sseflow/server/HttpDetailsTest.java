package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP details of finding 7 of issue 8: an HTTP/1.0 client asking for keep-alive is told
 * {@code Connection: keep-alive} and kept (what {@code ab -k} waits for); {@code HEAD} is answered like {@code GET}
 * without a body, on every endpoint, and {@code HEAD /events/{topic}} with the stream head and no subscription;
 * empty lines before a request line are ignored (RFC 9112 section 2.2); two {@code Authorization} fields are
 * {@code 400}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpDetailsTest
{
    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Cache-Control: no-store\r\n" +
        "Content-Length: 3\r\n";
    private static final String STREAM_HEAD = "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache\r\n" +
        "X-Accel-Buffering: no\r\n";

    private SseServer server;

    @BeforeEach
    void start()
    {
        server = SseServer.builder().port(0).demoPage(true).start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void shouldAnnounceAndKeepAnHttp10KeepAliveConnection() throws IOException
    {
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send("GET /healthz HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
            assertEquals(OK_HEAD + "Connection: keep-alive\r\n\r\n", client.readHead());
            assertEquals("ok\n", client.readBytes(3));

            client.send("POST /events/old HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi");
            assertEquals(OK_HEAD.replace("Content-Length: 3", "Content-Length: 2") + "Connection: keep-alive\r\n\r\n",
                client.readHead());
            assertEquals("1\n", client.readBytes(2));

            client.send("OPTIONS /events/old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("HTTP/1.1 204 No Content\r\nAllow: GET, POST, OPTIONS\r\nConnection: keep-alive\r\n\r\n",
                client.readHead());

            client.send("HEAD /events/old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(STREAM_HEAD + "Connection: keep-alive\r\n\r\n", client.readHead());

            client.send("GET /healthz HTTP/1.0\r\n\r\n");
            assertEquals(OK_HEAD + "Connection: close\r\n\r\nok\n", client.readToEof());
        }
        assertEquals(0, server.metrics().subscribers());
    }

    @Test
    void shouldAnswerHeadLikeGetWithoutTheBody() throws IOException
    {
        final String response = RawHttp.exchange(server.port(),
            "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n" +
            "HEAD /readyz HTTP/1.1\r\nHost: x\r\n\r\n" +
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(OK_HEAD + "\r\n" + OK_HEAD + "\r\n" + OK_HEAD + "Connection: close\r\n\r\nok\n", response);

        final String page = RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        final String pageHead = RawHttp.exchange(server.port(), "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(page.substring(0, page.indexOf("\r\n\r\n") + 4), pageHead);
        assertTrue(pageHead.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"), pageHead);
        assertTrue(page.length() > pageHead.length() + 1000, "the page has a body");

        final String metrics = RawHttp.exchange(server.port(),
            "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(metrics.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), metrics);
        final int next = metrics.indexOf("\r\n\r\n") + 4;
        assertTrue(metrics.startsWith("HTTP/1.1 404 Not Found\r\n", next), "no body after the HEAD answer: " + metrics);
        assertFalse(metrics.contains("sseflow_"), metrics);
    }

    @Test
    void shouldAnswerHeadOfAStreamWithItsHeadAndNoSubscription() throws IOException
    {
        final String response = RawHttp.exchange(server.port(),
            "HEAD /events/news HTTP/1.1\r\nHost: x\r\n\r\nHEAD /events/news HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(STREAM_HEAD + "\r\n" + STREAM_HEAD + "Connection: close\r\n\r\n", response);
        assertEquals(0, server.metrics().subscribers());
        assertEquals(0, server.metrics().get(ServerCounter.SUBSCRIBERS));
    }

    @Test
    void shouldAnswerHeadErrorsWithoutABody() throws IOException
    {
        assertEquals("HTTP/1.1 404 Not Found\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 10\r\n" +
            "Connection: close\r\n" +
            "\r\n", RawHttp.exchange(server.port(), "HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals("HTTP/1.1 400 Bad Request\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 57\r\n" +
            "Connection: close\r\n" +
            "\r\n", RawHttp.exchange(server.port(), "HEAD /events/a%20b HTTP/1.1\r\nHost: x\r\n\r\n"));

        try (SseServer guarded = SseServer.builder().port(0).subscribeToken("t0ken").start())
        {
            final String refused = RawHttp.exchange(guarded.port(), "HEAD /events/x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(refused), refused);
            assertTrue(refused.endsWith("\r\n\r\n"), "no body: " + refused);
            final String allowed = RawHttp.exchange(guarded.port(),
                "HEAD /events/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0ken\r\nConnection: close\r\n\r\n");
            assertEquals(STREAM_HEAD + "Connection: close\r\n\r\n", allowed);
        }
    }

    @Test
    void shouldIgnoreEmptyLinesBeforeARequestLineOnAKeptConnection() throws IOException
    {
        final String response = RawHttp.exchange(server.port(),
            "\r\n\r\nPOST /events/lines HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na" +
            "\r\n" +
            "\n" +
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(OK_HEAD.replace("Content-Length: 3", "Content-Length: 2") + "\r\n1\n" +
            OK_HEAD + "Connection: close\r\n\r\nok\n", response);
    }

    @Test
    void shouldRefuseTwoAuthorizationFieldsOnAnyRequest() throws IOException
    {
        for (final String request : new String[]{
            "GET /events/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nAuthorization: Bearer a\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: a\r\nAUTHORIZATION: b\r\n\r\n",
            "POST /events/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n" +
                "Content-Length: 1\r\n\r\nx"})
        {
            final String response = RawHttp.exchange(server.port(), request);
            assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(response), response);
            assertEquals("more than one Authorization header\n", RawHttp.body(response));
        }
        assertEquals(0, server.metrics().eventsPublished());
    }
}
