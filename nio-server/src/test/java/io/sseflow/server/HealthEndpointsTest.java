package io.sseflow.server;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /healthz} and {@code GET /readyz} for load balancers and Kubernetes probes (finding 10 of issue 8):
 * {@code /healthz} is {@code 200 ok} while the server runs; {@code /readyz} is {@code 200 ok} while it takes
 * publishes and {@code 503} with a reason once it is shutting down, while it still finishes its streams.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthEndpointsTest
{
    private static final String OK = "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Cache-Control: no-store\r\n" +
        "Content-Length: 3\r\n" +
        "\r\n" +
        "ok\n";

    @Test
    void shouldAnswerHealthAndReadinessWhileRunning() throws IOException
    {
        try (SseServer server = SseServer.builder().port(0).publishToken("s3cret").subscribeToken("t0ken").start();
            RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(OK, client.readHead() + client.readBytes(3));
            client.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(OK, client.readHead() + client.readBytes(3));
            client.send("GET /healthz?probe=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(OK.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"), client.readToEof());

            final String post = RawHttp.exchange(server.port(), "POST /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertEquals("HTTP/1.1 405 Method Not Allowed", RawHttp.status(post), post);
            assertTrue(post.contains("\r\nAllow: GET\r\n"), post);
        }
    }

    @ParameterizedTest(name = "agents {0}")
    @ValueSource(ints = {1, 2})
    void shouldAnswerReadyz503WhileShuttingDownAndHealthz200(final int agents) throws Exception
    {
        final SseServer server = SseServer.builder().port(0).agents(agents).socketSendBufferBytes(4096)
            .shutdownTimeoutMs(20_000).start();
        final RawSseClient stuck = RawSseClient.open(server.port(), 4096);
        final RawSseClient probe = RawSseClient.open(server.port(), 0);
        final Thread closer = new Thread(server::close, "server-close");
        try
        {
            stuck.send(RawHttp.request("GET", "/events/stuck", new String[0], ""));
            Servers.awaitSubscribers(server, 1);
            probe.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(OK, probe.readHead() + probe.readBytes(3));

            final Topic topic = server.topic("stuck");
            final String event = "s".repeat(8 * 1024);
            for (int i = 0; i < 64; i++)
            {
                Servers.publish(topic, event, io.sseflow.encoder.SseOptions.NONE);
            }
            Await.value(() -> server.metrics().eventsPublished(), 64, "events published");
            closer.start();

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String readiness;
            do
            {
                probe.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
                readiness = probe.readHead();
                readiness += probe.readBytes(Integer.parseInt(readiness.replaceAll("(?s).*Content-Length: (\\d+).*", "$1")));
            }
            while (readiness.startsWith("HTTP/1.1 200") && System.nanoTime() - deadline < 0);

            assertEquals("HTTP/1.1 503 Service Unavailable\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Cache-Control: no-store\r\n" +
                "Content-Length: 25\r\n" +
                "\r\n" +
                "not ready: shutting down\n", readiness);
            probe.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(OK, probe.readHead() + probe.readBytes(3));
            assertTrue(closer.isAlive(), "the server still drains its stuck stream");
        }
        finally
        {
            stuck.reset();
            probe.close();
            closer.join(30_000);
            server.close();
        }
        assertTrue(!closer.isAlive(), "the server closed");
    }
}
