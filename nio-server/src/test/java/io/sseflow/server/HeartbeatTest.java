package io.sseflow.server;

import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatTest
{
    @Test
    void shouldSendHeartbeatCommentsOnIdleStreamsOnly() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).heartbeatMs(100).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/idle"))
        {
            assertEquals(SseServerTest.STREAM_HEAD, client.readHead());
            final long start = System.nanoTime();
            assertEquals(": heartbeat\n\n", client.readBytes(13));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs >= 50 && elapsedMs < 2_000, "first heartbeat after " + elapsedMs + " ms");
            assertEquals(": heartbeat\n\n", client.readBytes(13));

            server.topic("idle").publish("live");
            assertEquals("id: 1\ndata: live\n\n", client.readBytes(18));
            assertTrue(server.metrics().get(ServerMetrics.HEARTBEATS) >= 2);
        }
    }

    @Test
    void shouldNotHeartbeatABusyStream() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).heartbeatMs(200).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/busy"))
        {
            client.readHead();
            Servers.awaitSubscribers(server, 1);
            final Topic topic = server.topic("busy");
            for (int i = 1; i <= 10; i++)
            {
                topic.publish("tick " + i);
                assertEquals(new SseEvent(String.valueOf(i), "message", "tick " + i), client.nextEvent());
                Thread.sleep(50);
            }
            assertEquals(0, client.comments());
            assertEquals(0, server.metrics().get(ServerMetrics.HEARTBEATS));
        }
    }
}
