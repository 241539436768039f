package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SwitchableSequencer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose sequencer has had no leader for 10 s ends its streams after their whole frames, so that clients
 * reconnect (to a node that serves) with their {@code Last-Event-ID}; the subscribe itself is answered {@code 200},
 * never a status that makes browsers give up; once a leader is back, streams stay open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaderLossTest
{
    @Test
    void shouldEndStreamsAtAFrameBoundaryOnceTheNodeHasBeenWithoutALeaderForLong() throws Exception
    {
        final AtomicBoolean ready = new AtomicBoolean(true);
        try (SseServer server = SseServer.builder()
            .host("127.0.0.1")
            .port(0)
            .eventSequencer((capacity) -> new SwitchableSequencer(new InMemoryEventSequencer(capacity), ready))
            .start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/news"))
        {
            assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            Servers.awaitSubscribers(server, 1);
            assertEquals(PublishResult.OK, server.topic("news").publish("before", SseOptions.NONE));
            assertEquals("id: 1\ndata: before\n\n", client.readBytes("id: 1\ndata: before\n\n".length()));

            ready.set(false);
            client.timeout(20_000);
            assertEquals("", client.readToEof());
            assertEquals(0, server.metrics().subscribers());
            assertEquals(1, server.metrics().get(ServerCounter.SUBSCRIBERS_DISCONNECTED));

            ready.set(true);
            try (RawSseClient again = RawSseClient.get(server.port(), "/events/news", "Last-Event-ID: 1"))
            {
                assertTrue(again.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                assertEquals(PublishResult.OK, server.topic("news").publish("after", SseOptions.NONE));
                assertEquals("id: 2\ndata: after\n\n", again.readBytes("id: 2\ndata: after\n\n".length()));
                Await.value(() -> server.metrics().subscribers(), 1L, "subscriber still streaming");
            }
        }
    }
}
