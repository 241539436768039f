package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Memory;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import io.sseflow.server.log.TopicLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 2 of issue 8: anonymous clients that subscribe to a new topic and leave at once, 10,000 distinct topics,
 * against a topic limit of 100. Every one must be served (a freed topic does not count), the heap must not keep
 * them, the topics gauge must come back to where it was, and a fresh topic must still work end to end. Topics that
 * never got anything (made by {@link SseServer#topic(String)}) are swept, and their handles keep publishing.
 */
@Tag("heap")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AbandonedTopicsTest
{
    private static final int TOPICS = 10_000;
    private static final int BATCH = 50;
    private static final int MAX_TOPICS = 100;
    private static final long MAX_HEAP_GROWTH = 8L * 1024 * 1024;
    private static final Pattern TOPICS_GAUGE = Pattern.compile("\nsseflow_topics (\\d+)\n");

    @Test
    void shouldFreeTenThousandAbandonedTopicsAndStayWithinTheTopicLimit() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).maxTopics(MAX_TOPICS).heartbeatMs(60_000).start())
        {
            final Topic kept = server.topic("kept");
            Servers.publish(kept, "retained", SseOptions.NONE);
            Await.value(() -> server.metrics().eventsPublished(), 1, "published");
            awaitTopicsGauge(server, 1);
            abandon(server, "warm", 0, 200);
            Servers.awaitSubscribers(server, 0);
            awaitTopicsGauge(server, 1);
            final long heapBefore = Memory.heapUsedAfterGc();
            final long directBefore = Memory.directUsed();

            abandon(server, "t", 0, TOPICS);

            Servers.awaitSubscribers(server, 0);
            awaitTopicsGauge(server, 1);
            final long heapAfter = Memory.heapUsedAfterGc();
            final long directAfter = Memory.directUsed();
            System.out.printf(
                "AbandonedTopicsTest: %d topics subscribed to and abandoned (max topics %d): heap used after GC " +
                "%.2f MB -> %.2f MB (%+.2f MB), direct memory %+.2f MB, topics gauge back to 1, %d refused%n",
                TOPICS, MAX_TOPICS, mb(heapBefore), mb(heapAfter), mb(heapAfter - heapBefore),
                mb(directAfter - directBefore), server.metrics().refused(Refusal.TOPIC_LIMIT));

            assertEquals(0, server.metrics().refused(Refusal.TOPIC_LIMIT), "topic limit never hit");
            assertTrue(heapAfter - heapBefore < MAX_HEAP_GROWTH,
                "heap grew by " + (heapAfter - heapBefore) + " B over " + TOPICS + " abandoned topics");
            assertTrue(directAfter - directBefore < 1024 * 1024, "direct memory grew by " + (directAfter - directBefore));

            try (RawSseClient retained = RawSseClient.get(server.port(), "/events/kept", "Last-Event-ID: 0"))
            {
                retained.readHead();
                assertEquals(new SseEvent("1", "message", "retained"), retained.nextEvent(),
                    "a topic holding events is not freed without subscribers (replay-miss rule: from the oldest)");
            }
            assertFreshTopicWorks(server, "fresh");
        }
    }

    @Test
    void shouldSweepTopicsThatNeverGotAnythingAndKeepTheirHandlesPublishing() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).maxTopics(MAX_TOPICS).heartbeatMs(60_000).start())
        {
            final List<Topic> handles = new ArrayList<>();
            for (int i = 0; i < MAX_TOPICS; i++)
            {
                handles.add(server.topic("app-" + i));
            }
            awaitTopicsGauge(server, 0);

            final String refusedPublish = RawHttp.exchange(server.port(), RawHttp.request(
                "POST", "/events/web?id=bad%0A", new String[]{"Connection: close"}, "x"));
            assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(refusedPublish), refusedPublish);
            final String refusedSubscribe = RawHttp.exchange(server.port(), RawHttp.request(
                "GET", "/events/web2?lastEventId=%ZZ", new String[]{"Connection: close"}, ""));
            assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(refusedSubscribe), refusedSubscribe);
            awaitTopicsGauge(server, 0);

            final Topic handle = handles.get(MAX_TOPICS - 1);
            try (RawSseClient subscriber = RawSseClient.get(server.port(), "/events/app-" + (MAX_TOPICS - 1)))
            {
                subscriber.readHead();
                Servers.awaitSubscribers(server, 1);
                Servers.publish(handle, "through an old handle", SseOptions.NONE);
                assertEquals(new SseEvent("1", "message", "through an old handle"), subscriber.nextEvent());
                assertTrue(handle.disconnectSubscribers());
                assertEquals(null, subscriber.nextEvent(), "the old handle reaches the live topic's streams");
            }
            assertEquals(0, server.metrics().refused(Refusal.TOPIC_LIMIT));
        }
    }

    @Test
    void shouldHoldAFullTopicTableAtAFewKilobytesPerTopic() throws Exception
    {
        final int topics = ServerConfig.DEFAULT_MAX_TOPICS;
        try (SseServer server = SseServer.builder().port(0).heartbeatMs(60_000).start())
        {
            final long heapBefore = Memory.heapUsedAfterGc();
            final long directBefore = Memory.directUsed();
            final List<Topic> handles = new ArrayList<>(topics);
            for (int i = 0; i < topics; i++)
            {
                final Topic topic = server.topic("full-" + i);
                handles.add(topic);
                Servers.publish(topic, "e", SseOptions.NONE);
            }
            Await.value(() -> server.metrics().eventsPublished(), topics, "published");
            awaitTopicsGauge(server, topics);
            final String refused = RawHttp.exchange(server.port(), RawHttp.request(
                "GET", "/events/one-too-many", new String[]{"Connection: close"}, ""));
            assertEquals("HTTP/1.1 503 Service Unavailable", RawHttp.status(refused), refused);
            final long heapPerTopic = (Memory.heapUsedAfterGc() - heapBefore) / topics;
            final long directPerTopic = (Memory.directUsed() - directBefore) / topics;
            System.out.printf("AbandonedTopicsTest: %d topics holding one event each (the default topic limit): " +
                "%d B of heap and %d B of direct memory per topic%n", topics, heapPerTopic, directPerTopic);
            assertTrue(heapPerTopic < 2048, "heap per topic " + heapPerTopic);
            assertEquals(TopicLog.INITIAL_CAPACITY + TopicLog.INITIAL_INDEX_SLOTS * TopicLog.INDEX_SLOT_BYTES,
                directPerTopic, 64, "a 4 KiB buffer and an 8-event index");
            assertEquals(topics, handles.size());
        }
    }

    private static void abandon(final SseServer server, final String prefix, final int from, final int count)
        throws IOException
    {
        final List<RawSseClient> batch = new ArrayList<>(BATCH);
        for (int start = from; start < from + count; start += BATCH)
        {
            for (int i = start; i < Math.min(start + BATCH, from + count); i++)
            {
                batch.add(RawSseClient.get(server.port(), "/events/" + prefix + i));
            }
            for (final RawSseClient client : batch)
            {
                final String head = client.readHead();
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
                client.close();
            }
            batch.clear();
        }
    }

    /**
     * A new topic works end to end: a subscriber gets an event published through the API and one through HTTP,
     * with consecutive ids (1 and 2 on a server that never freed a topic holding events; above every freed topic's
     * ids otherwise).
     */
    static void assertFreshTopicWorks(final SseServer server, final String name) throws Exception
    {
        final long published = server.metrics().eventsPublished();
        try (RawSseClient subscriber = RawSseClient.get(server.port(), "/events/" + name))
        {
            subscriber.readHead();
            Await.value(() -> server.metrics().subscribers(), 1, "subscribers");
            Servers.publish(server.topic(name), "one", SseOptions.NONE);
            final String answer = RawHttp.exchange(server.port(), RawHttp.request(
                "POST", "/events/" + name + "?event=two", new String[]{"Connection: close"}, "second"));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
            final SseEvent first = subscriber.nextEvent();
            final long firstId = Long.parseLong(first.id());
            assertEquals(new SseEvent(String.valueOf(firstId), "message", "one"), first);
            assertEquals((firstId + 1) + "\n", RawHttp.body(answer), "server-assigned ids increase");
            assertEquals(new SseEvent(String.valueOf(firstId + 1), "two", "second"), subscriber.nextEvent());
        }
        Await.value(() -> server.metrics().eventsPublished(), published + 2, "published");
    }

    static void awaitTopicsGauge(final SseServer server, final long expected) throws Exception
    {
        assertEquals(expected, Await.until(() -> topicsGauge(server), (topics) -> topics == expected,
            Await.DEFAULT_TIMEOUT, 10), "sseflow_topics");
    }

    static long topicsGauge(final SseServer server) throws IOException
    {
        final String metrics = RawHttp.metrics(server.port());
        final Matcher matcher = TOPICS_GAUGE.matcher(metrics);
        assertTrue(matcher.find(), metrics);
        return Long.parseLong(matcher.group(1));
    }

    static double mb(final long bytes)
    {
        return bytes / (1024.0 * 1024.0);
    }
}
