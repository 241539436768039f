package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.SseServer;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Origin rule for open publishing (finding 6 of issue 8): without a publish token, a publish from a web page
 * whose {@code Origin} is neither the hub's own loopback origin nor the {@code --allow-origin} one is refused
 * {@code 403} on its head, so no page on another site (or reached by DNS rebinding) can publish; requests without
 * {@code Origin} are not affected, and with a token the token decides.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PublishOriginTest
{
    private static final String REASON = "publishing from this Origin is not allowed; set --allow-origin or --publish-token\n";

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://127.0.0.1", "http://127.0.0.1:1", "null",
        "http://localhost.evil.example:PORT", "https://127.0.0.1:PORT", "http://127.0.0.1:PORT/", "http://[::1]:PORT0"})
    void shouldRefuseAPublishFromAnotherOriginWith403BeforeItsBody(final String origin) throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            final String value = origin.replace("PORT", Integer.toString(server.port()));
            try (RawSseClient client = RawSseClient.open(server.port(), 0))
            {
                client.send("POST /events/t HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + value + "\r\n" +
                    "Content-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
                final String response = client.readToEof();
                assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(response), response);
                assertEquals(REASON, RawHttp.body(response));
                assertFalse(response.contains("100 Continue"), response);
            }
            assertEquals(0, server.metrics().eventsPublished());
            assertEquals(1, server.metrics().refused(Refusal.FORBIDDEN));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:PORT", "http://localhost:PORT", "http://[::1]:PORT", "HTTP://LocalHost:PORT"})
    void shouldAcceptAPublishFromTheHubsOwnOrigins(final String origin) throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            final String response = publish(server, "Origin: " + origin.replace("PORT", Integer.toString(server.port())));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(response), response);
            assertEquals("1\n", RawHttp.body(response));
        }
    }

    @Test
    void shouldAcceptAPublishWithoutAnOrigin() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(publish(server)));
        }
    }

    @Test
    void shouldAcceptTheAllowedOriginOnlyOrAnyWithAStar() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).allowOrigin("https://app.example").start())
        {
            final String allowed = publish(server, "Origin: https://app.example");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(allowed), allowed);
            assertTrue(allowed.contains("\r\nAccess-Control-Allow-Origin: https://app.example\r\n"), allowed);
            assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(publish(server, "Origin: https://other.example")));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(
                publish(server, "Origin: http://localhost:" + server.port())), "the demo page still publishes");
        }
        try (SseServer server = SseServer.builder().port(0).allowOrigin("*").start())
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(publish(server, "Origin: https://any.example")));
        }
    }

    @Test
    void shouldLeaveTheDecisionToTheTokenWhenOneIsSet() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).publishToken("s3cret").start())
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(
                publish(server, "Origin: https://app.example", "Authorization: Bearer s3cret")));
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(publish(server, "Origin: https://app.example")));
        }
    }

    @Test
    void shouldNotJudgeSubscribesOrPreflightsByOrigin() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/t", "Origin: https://evil.example"))
        {
            assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
        }
    }

    @Test
    void shouldAllowThePortlessOriginOnPort80AndTheConfiguredHost()
    {
        final PublishOrigins port80 = new PublishOrigins(null, "127.0.0.2", 80);
        assertTrue(allows(port80, "http://localhost"));
        assertTrue(allows(port80, "http://127.0.0.1:80"));
        assertTrue(allows(port80, "http://127.0.0.2"));
        assertFalse(allows(port80, "http://127.0.0.3"));
        final PublishOrigins ipv6 = new PublishOrigins(null, "::1", 9000);
        assertTrue(allows(ipv6, "http://[::1]:9000"));
        assertFalse(allows(ipv6, "http://[::1]:900"));
        assertTrue(ipv6.allows(new UnsafeBuffer(new byte[0]), -1, 0), "no Origin");
    }

    private static boolean allows(final PublishOrigins origins, final String origin)
    {
        final byte[] bytes = origin.getBytes(StandardCharsets.US_ASCII);
        return origins.allows(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String publish(final SseServer server, final String... headers) throws Exception
    {
        return RawHttp.post(server.port(), "/events/t", "hello", headers);
    }
}
