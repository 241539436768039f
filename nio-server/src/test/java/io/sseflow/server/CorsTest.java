package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CorsTest
{
    private static final String PREFLIGHT = "OPTIONS /events/t HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Origin: https://app.example\r\nAccess-Control-Request-Method: GET\r\n" +
        "Access-Control-Request-Headers: last-event-id\r\nConnection: close\r\n\r\n";

    @Test
    void shouldAnswerPreflightForAnExactOriginWithCredentials() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).allowOrigin("https://app.example").start())
        {
            assertEquals(
                "HTTP/1.1 204 No Content\r\n" +
                "Access-Control-Allow-Origin: https://app.example\r\n" +
                "Access-Control-Allow-Credentials: true\r\n" +
                "Vary: Origin\r\n" +
                "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n" +
                "Access-Control-Allow-Headers: last-event-id, authorization, content-type, cache-control, idempotency-key\r\n" +
                "Access-Control-Max-Age: 600\r\n" +
                "\r\n",
                RawHttp.exchange(server.port(), PREFLIGHT));

            try (RawSseClient client = RawSseClient.get(server.port(), "/events/t", "Origin: https://app.example"))
            {
                assertEquals(
                    "HTTP/1.1 200 OK\r\n" +
                    "Content-Type: text/event-stream\r\n" +
                    "Cache-Control: no-cache\r\n" +
                    "X-Accel-Buffering: no\r\n" +
                    "Access-Control-Allow-Origin: https://app.example\r\n" +
                    "Access-Control-Allow-Credentials: true\r\n" +
                    "Vary: Origin\r\n" +
                    "\r\n",
                    client.readHead());
            }
        }
    }

    @Test
    void shouldAnswerPreflightForAnyOriginWithoutCredentials() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).allowOrigin("*").start())
        {
            final String response = RawHttp.exchange(server.port(), PREFLIGHT);
            assertEquals("HTTP/1.1 204 No Content", RawHttp.status(response));
            assertTrue(response.contains("\r\nAccess-Control-Allow-Origin: *\r\n"), response);
            assertTrue(response.contains("\r\nAccess-Control-Allow-Headers: last-event-id"), response);
            assertFalse(response.contains("Allow-Credentials"), response);

            final String published = RawHttp.exchange(server.port(), RawHttp.request(
                "POST", "/events/t", new String[]{"Origin: https://x.example", "Connection: close"}, "hi"));
            assertTrue(published.contains("\r\nAccess-Control-Allow-Origin: *\r\n"), published);
        }
    }

    @Test
    void shouldSendNoCorsHeadersWithoutAnOrigin() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            final String response = RawHttp.exchange(server.port(), PREFLIGHT);
            assertEquals("HTTP/1.1 204 No Content\r\nAllow: GET, POST, OPTIONS\r\n\r\n", response);
        }
    }
}
