package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With a sequencer whose log can be behind (as a cluster member's), a subscriber whose {@code Last-Event-ID} is ahead
 * of the topic's log gets its stream head at once and then nothing until the log reaches that id: the events before
 * it are skipped (the client has them) and the stream starts right after it, instead of replaying every retained
 * event. An id behind the log keeps the replay-miss rule.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CatchUpHoldTest
{
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
    void shouldHoldAStreamWhoseLastEventIdIsAheadUntilTheLogHasIt() throws Exception
    {
        server = Servers.startCanBeBehind();
        final Topic topic = server.topic("t");
        for (int i = 1; i <= 3; i++)
        {
            Servers.publish(topic, "event " + i, SseOptions.NONE);
        }
        Await.value(() -> server.metrics().eventsPublished(), 3, "published");

        try (RawSseClient held = RawSseClient.get(server.port(), "/events/t", "Last-Event-ID: 5"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(held.readHead()));
            Servers.awaitSubscribers(server, 1);
            Servers.publish(topic, "event 4", SseOptions.NONE);
            Servers.publish(topic, "event 5", SseOptions.NONE);
            Servers.publish(topic, "event 6", SseOptions.NONE);
            final String frame = "id: 6\ndata: event 6\n\n";
            assertEquals(frame, held.readBytes(frame.length()));
        }
        assertEquals(0, server.metrics().get(ServerCounter.REPLAY_MISSES));

        try (RawSseClient behind = RawSseClient.get(server.port(), "/events/t", "Last-Event-ID: 0"))
        {
            behind.readHead();
            final String all = "id: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\nid: 3\ndata: event 3\n\n" +
                "id: 4\ndata: event 4\n\nid: 5\ndata: event 5\n\nid: 6\ndata: event 6\n\n";
            assertEquals(all, behind.readBytes(all.length()));
        }
        assertEquals(1, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldStartAtTheFirstLargerIdWhenTheHeldIdNeverComes() throws Exception
    {
        server = Servers.startCanBeBehind();
        final Topic topic = server.topic("t");
        Servers.publish(topic, "event 1", SseOptions.NONE);
        Await.value(() -> server.metrics().eventsPublished(), 1, "published");
        try (RawSseClient held = RawSseClient.get(server.port(), "/events/t", "Last-Event-ID: 3"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(held.readHead()));
            Servers.awaitSubscribers(server, 1);
            Servers.publish(topic, "event 2", SseOptions.NONE);
            Servers.publish(topic, "event 7", SseOptions.builder().id(7).build());
            Servers.publish(topic, "event 8", SseOptions.NONE);
            final String frames = "id: 7\ndata: event 7\n\nid: 8\ndata: event 8\n\n";
            assertEquals(frames, held.readBytes(frames.length()));
        }
    }
}
