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
 * With a sequencer whose log can be behind (as a cluster member's), a stream of several topics or a Mercure stream
 * whose {@code Last-Event-ID} (a hub seq, got from another node) is ahead of the node gets its stream head at once
 * and then nothing until the node has applied that seq, of whatever topic: then it starts right after it, instead of
 * replaying every retained event of its topics. An id behind the node keeps the replay-miss rule.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedStreamCatchUpHoldTest
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
    void shouldHoldMultiTopicAndMercureStreamsWhoseLastEventIdIsAheadUntilTheNodeHasIt() throws Exception
    {
        server = Servers.startCanBeBehind();
        final Topic a = server.topic("a");
        final Topic b = server.topic("b");
        final Topic c = server.topic("c");
        Servers.publish(a, "a1", SseOptions.NONE);
        Servers.publish(b, "b2", SseOptions.NONE);
        Servers.publish(c, "c3", SseOptions.NONE);
        Await.value(() -> server.metrics().eventsPublished(), 3, "published");

        try (RawSseClient topicsAt5 = RawSseClient.get(server.port(), "/events?topic=a&topic=b", "Last-Event-ID: 5");
            RawSseClient topicsAt4 = RawSseClient.get(server.port(), "/events?topic=b&topic=a", "Last-Event-ID: 4");
            RawSseClient mercureAt5 =
                RawSseClient.get(server.port(), "/.well-known/mercure?topic=a&topic=b", "Last-Event-ID: 5"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(topicsAt5.readHead()));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(topicsAt4.readHead()));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(mercureAt5.readHead()));
            Servers.awaitSubscribers(server, 3);

            // seq 4 is of a topic none of them streams: the client at 4 is caught up with it all the same
            Servers.publish(c, "c4", SseOptions.NONE);
            Servers.publish(a, "a5", SseOptions.NONE);
            Servers.publish(b, "b6", SseOptions.NONE);
            final String after5 = frame(6, "b6");
            final String after4 = frame(5, "a5") + frame(6, "b6");
            assertEquals(after5, topicsAt5.readBytes(after5.length()));
            assertEquals(after4, topicsAt4.readBytes(after4.length()));
            assertEquals(after5, mercureAt5.readBytes(after5.length()));

            Servers.publish(a, "a7", SseOptions.NONE);
            assertEquals(frame(7, "a7"), topicsAt5.readBytes(frame(7, "a7").length()));
            assertEquals(frame(7, "a7"), topicsAt4.readBytes(frame(7, "a7").length()));
            assertEquals(frame(7, "a7"), mercureAt5.readBytes(frame(7, "a7").length()));
        }
        assertEquals(0, server.metrics().get(ServerCounter.REPLAY_MISSES));

        // an id the node has passed but that its stream does not hold (seq 3 is c's) is a replay miss, as before
        try (RawSseClient behind = RawSseClient.get(server.port(), "/events?topic=a&topic=b", "Last-Event-ID: 3"))
        {
            behind.readHead();
            final String all = frame(1, "a1") + frame(2, "b2") + frame(5, "a5") + frame(6, "b6") + frame(7, "a7");
            assertEquals(all, behind.readBytes(all.length()));
        }
        assertEquals(1, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldKeepAHeldStreamsLogWhenItsLastSubscriberLeaves() throws Exception
    {
        server = Servers.startCanBeBehind();
        final Topic a = server.topic("a");
        final Topic b = server.topic("b");
        Servers.publish(a, "a1", SseOptions.NONE);
        Await.value(() -> server.metrics().eventsPublished(), 1, "published");
        try (RawSseClient held = RawSseClient.get(server.port(), "/events?topic=a&topic=b", "Last-Event-ID: 3"))
        {
            try (RawSseClient live = RawSseClient.get(server.port(), "/events?topic=a&topic=b"))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(held.readHead()));
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(live.readHead()));
                Servers.awaitSubscribers(server, 2);
                Servers.publish(b, "b2", SseOptions.NONE);
                assertEquals(frame(2, "b2"), live.readBytes(frame(2, "b2").length()));
            }
            // the stream's only subscriber left; the held client still reads its log
            Servers.awaitSubscribers(server, 1);
            Servers.publish(a, "a3", SseOptions.NONE);
            Servers.publish(b, "b4", SseOptions.NONE);
            assertEquals(frame(4, "b4"), held.readBytes(frame(4, "b4").length()));
        }
        assertEquals(0, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    private static String frame(final long id, final String data)
    {
        return "id: " + id + "\ndata: " + data + "\n\n";
    }
}
