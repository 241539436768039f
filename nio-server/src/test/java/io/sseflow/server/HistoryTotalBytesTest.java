package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.agent.AgentInternals;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Memory;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import io.sseflow.server.log.HistoryBudget;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sseflow.server.AbandonedTopicsTest.mb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 3 of issue 8: 64 KB events into many topics must stay within {@code historyTotalBytes} (direct memory at
 * most the budget, plus half of one topic's buffer for a moment while it is copied into a smaller one). Here 200 topics
 * and a hog topic get 45 MB of events against a 16 MiB budget: direct memory stays bounded, the hog (the topic
 * holding the most) gives up its oldest events first, a small topic keeps all of its history, and its subscriber
 * receives every frame.
 */
@Tag("heap")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HistoryTotalBytesTest
{
    private static final long BUDGET = 16L * 1024 * 1024;
    private static final int TOPICS = 200;
    private static final int ROUNDS = 3;
    private static final int HOG_EVENTS = 100;
    private static final int LARGE = 64_000;
    private static final long DIRECT_SLACK = 2L * 1024 * 1024;

    @Test
    void shouldKeepEveryTopicsHistoryWithinOneBudgetEvictingFromTheLargestFirst() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).historyTotalBytes(BUDGET).heartbeatMs(60_000).start())
        {
            final HistoryBudget budget = AgentInternals.historyBudget(server);
            assertEquals(BUDGET, budget.limit());
            final long heapAtStart = Memory.heapUsedAfterGc();
            final long directAtStart = Memory.directUsed();
            long directMax = directAtStart;
            long published = 0;

            final Topic watched = server.topic("watched");
            final RawSseClient watcher = RawSseClient.get(server.port(), "/events/watched");
            watcher.readHead();
            Servers.awaitSubscribers(server, 1);

            final Topic hog = server.topic("hog");
            for (int i = 1; i <= HOG_EVENTS; i++)
            {
                Servers.publish(hog, large(i), SseOptions.NONE);
                published++;
            }
            Await.value(() -> server.metrics().eventsPublished(), published, "published");
            directMax = Math.max(directMax, Memory.directUsed());

            final List<Topic> topics = new ArrayList<>();
            for (int i = 0; i < TOPICS; i++)
            {
                topics.add(server.topic("fill-" + i));
            }
            int watchedEvents = 0;
            for (int i = 0; i < 130; i++)
            {
                Servers.publish(topics.get(i), large(1), SseOptions.NONE);
                published++;
                directMax = Math.max(directMax, Memory.directUsed());
            }
            Await.value(() -> server.metrics().eventsPublished(), published, "published");

            final long missesBefore = server.metrics().get(ServerCounter.REPLAY_MISSES);
            final int hogFirst;
            try (RawSseClient replay = RawSseClient.get(server.port(), "/events/hog", "Last-Event-ID: 1"))
            {
                replay.readHead();
                final SseEvent first = replay.nextEvent();
                hogFirst = Integer.parseInt(first.id());
                assertEquals(large(hogFirst), first.data());
                for (int id = hogFirst + 1; id <= HOG_EVENTS; id++)
                {
                    assertEquals(new SseEvent(String.valueOf(id), "message", large(id)), replay.nextEvent());
                }
            }
            assertTrue(hogFirst > 2, "the hog, holding the most, lost its oldest events: starts at " + hogFirst);
            assertEquals(missesBefore + 1, server.metrics().get(ServerCounter.REPLAY_MISSES), "id 1 was evicted");
            assertRetainsItsEvent(server, "fill-0");
            assertRetainsItsEvent(server, "fill-129");

            for (int round = 1; round <= ROUNDS; round++)
            {
                for (int i = 0; i < TOPICS; i++)
                {
                    Servers.publish(topics.get(i), large(round + 1), SseOptions.NONE);
                    published++;
                    if (i % 20 == 0)
                    {
                        Servers.publish(watched, small(++watchedEvents), SseOptions.NONE);
                        published++;
                    }
                    directMax = Math.max(directMax, Memory.directUsed());
                }
            }
            final long total = published;
            Await.value(() -> server.metrics().eventsPublished(), total, "published");
            for (int i = 1; i <= watchedEvents; i++)
            {
                assertEquals(new SseEvent(String.valueOf(i), "message", small(i)), watcher.nextEvent());
            }
            try (RawSseClient replay = RawSseClient.get(server.port(), "/events/watched", "Last-Event-ID: 1"))
            {
                replay.readHead();
                for (int i = 2; i <= watchedEvents; i++)
                {
                    assertEquals(new SseEvent(String.valueOf(i), "message", small(i)), replay.nextEvent(),
                        "the small topic kept all its history");
                }
            }
            watcher.close();

            final long directAtEnd = Memory.directUsed();
            final long heapAtEnd = Memory.heapUsedAfterGc();
            System.out.printf(
                "HistoryTotalBytesTest: %d events (%.1f MB of frames) into %d topics, budget %.0f MiB: history held " +
                "%.2f MiB in %d logs; direct memory %.2f MB at start, at most %+.2f MB during, %+.2f MB at the end; " +
                "heap used after GC %+.2f MB; hog kept events %d..%d of %d%n",
                total, (HOG_EVENTS + 130 + TOPICS * ROUNDS) * (LARGE + 12) / 1e6, TOPICS + 2, mb(BUDGET),
                mb(budget.used()), budget.logCount(), mb(directAtStart), mb(directMax - directAtStart),
                mb(directAtEnd - directAtStart), mb(heapAtEnd - heapAtStart), hogFirst, HOG_EVENTS, HOG_EVENTS);

            assertTrue(budget.used() <= BUDGET, "history holds " + budget.used());
            // a log shrinking for the budget is copied into its new half before the old buffer is freed
            final long transientBound = BUDGET + server.config().historyBytes() / 2 + DIRECT_SLACK;
            assertTrue(directMax - directAtStart <= transientBound,
                "direct memory grew by " + (directMax - directAtStart) + " B at most, bound " + transientBound);
            assertTrue(directAtEnd - directAtStart <= BUDGET + DIRECT_SLACK,
                "direct memory grew by " + (directAtEnd - directAtStart) + " B at the end");
            assertEquals(0, server.metrics().slowConsumersDropped());
            AbandonedTopicsTest.assertFreshTopicWorks(server, "fresh");
        }
    }

    @Test
    void shouldDropASubscriberLeftInEvictedHistoryAsASlowConsumerAndKeepServingTheOthers() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).maxEventBytes(4096).historyTotalBytes(256 * 1024)
            .socketSendBufferBytes(4096).heartbeatMs(60_000).start();
            SocketChannel stuck = SocketChannel.open())
        {
            final Topic victim = server.topic("victim");
            stuck.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", server.port()));
            stuck.write(ByteBuffer.wrap("GET /events/victim HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            try (RawSseClient reader = RawSseClient.get(server.port(), "/events/victim"))
            {
                reader.readHead();
                Servers.awaitSubscribers(server, 2);
                for (int i = 1; i <= 40; i++)
                {
                    Servers.publish(victim, medium(i), SseOptions.NONE);
                }
                for (int i = 1; i <= 40; i++)
                {
                    assertEquals(new SseEvent(String.valueOf(i), "message", medium(i)), reader.nextEvent());
                }
                assertEquals(0, server.metrics().slowConsumersDropped(), "history still holds what the stuck one lacks");

                for (int i = 0; i < 100; i++)
                {
                    Servers.publish(server.topic("other-" + i), medium(1), SseOptions.NONE);
                }
                Await.value(() -> server.metrics().eventsPublished(), 140, "published");
                Servers.publish(victim, medium(41), SseOptions.NONE);

                assertEquals(new SseEvent("41", "message", medium(41)), reader.nextEvent());
                Await.value(() -> server.metrics().slowConsumersDropped(), 1, "slow consumers dropped");
                Servers.awaitSubscribers(server, 1);
                assertTrue(AgentInternals.historyBudget(server).used() <= 256 * 1024);
                Servers.publish(victim, medium(42), SseOptions.NONE);
                assertEquals(new SseEvent("42", "message", medium(42)), reader.nextEvent(), "the reader stays");
            }
        }
    }

    private static String medium(final int id)
    {
        return id + "-" + "m".repeat(3000);
    }

    private static void assertRetainsItsEvent(final SseServer server, final String topic) throws Exception
    {
        try (RawSseClient replay = RawSseClient.get(server.port(), "/events/" + topic, "Last-Event-ID: 0"))
        {
            replay.readHead();
            assertEquals(new SseEvent("1", "message", large(1)), replay.nextEvent(), topic);
        }
    }

    private static String large(final int id)
    {
        final String head = "event " + id + " ";
        return head + "L".repeat(LARGE - head.length());
    }

    private static String small(final int id)
    {
        return "w" + id + "-" + "s".repeat(1000);
    }
}
