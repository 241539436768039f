package io.sseflow.server.agent;

import io.sseflow.server.SseServer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring of ended subscription topics on its own, over a real {@link TopicRegistry}: oldest freed first with what
 * they retain, a topic still in flight stops the freeing, topics freed another way are skipped, and a full ring
 * compacts, frees its oldest, or grows when that one is in flight.
 */
class EndedSubscriptionTopicsTest
{
    private static final byte[] FRAME = "id: 1\ndata: x\n\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldFreeTheOldestEndedTopicsFirstWithWhatTheyRetain()
    {
        final TopicRegistry registry = registry(10);
        final EndedSubscriptionTopics ended = new EndedSubscriptionTopics(registry, 5);
        final TopicState a = retaining(registry, "/.well-known/mercure/subscriptions/a/s1", 1);
        final TopicState b = retaining(registry, "/.well-known/mercure/subscriptions/b/s1", 2);
        final TopicState c = retaining(registry, "/.well-known/mercure/subscriptions/c/s2", 3);
        ended.add(a);
        ended.add(b);
        ended.add(c);
        assertFalse(registry.freeIfIdle(a), "a topic that retains events is not idle");

        assertEquals(2, ended.reclaim(2));
        assertTrue(a.isFreed());
        assertTrue(b.isFreed());
        assertFalse(c.isFreed());
        assertNull(registry.find(a.name()));
        assertEquals(1, registry.count());
        assertEquals(1, ended.size());
        assertEquals(c.log.heldBytes(), registry.historyBudget().used(), "a's and b's history given back");
    }

    @Test
    void shouldStopAtATopicWhoseEndIsInFlightAndSkipTopicsFreedAnotherWay()
    {
        final TopicRegistry registry = registry(10);
        final EndedSubscriptionTopics ended = new EndedSubscriptionTopics(registry, 5);
        final TopicState swept = registry.getOrCreateText("/.well-known/mercure/subscriptions/a/s1");
        final TopicState inFlight = retaining(registry, "/.well-known/mercure/subscriptions/b/s1", 1);
        final TopicState next = retaining(registry, "/.well-known/mercure/subscriptions/c/s1", 2);
        ended.add(swept);
        ended.add(inFlight);
        ended.add(next);
        assertEquals(1, registry.sweep(10), "the topic without events is freed by the sweep");
        assertTrue(inFlight.pin());

        assertEquals(0, ended.reclaim(2), "the freed one is skipped, the pinned one stops the freeing");
        assertFalse(inFlight.isFreed());
        assertEquals(1, inFlight.log.nextOrdinal() - inFlight.log.firstOrdinal(), "its update kept");
        assertEquals(2, ended.size());

        inFlight.unpin();
        assertEquals(2, ended.reclaim(2));
        assertTrue(inFlight.isFreed());
        assertTrue(next.isFreed());
        assertEquals(0, ended.size());
        assertEquals(0, registry.count());
    }

    @Test
    void shouldCompactAFullRingFreeItsOldestOrGrowWhenTheOldestIsInFlight()
    {
        final TopicRegistry registry = registry(10);
        final EndedSubscriptionTopics ended = new EndedSubscriptionTopics(registry, 2);
        final TopicState gone = registry.getOrCreateText("/.well-known/mercure/subscriptions/a/s1");
        final TopicState first = retaining(registry, "/.well-known/mercure/subscriptions/b/s1", 1);
        ended.add(gone);
        ended.add(first);
        assertEquals(1, registry.sweep(10));

        final TopicState second = retaining(registry, "/.well-known/mercure/subscriptions/c/s1", 2);
        ended.add(second);
        assertEquals(2, ended.size(), "the freed entry was dropped to make room");
        assertFalse(first.isFreed());

        final TopicState third = retaining(registry, "/.well-known/mercure/subscriptions/d/s1", 3);
        ended.add(third);
        assertTrue(first.isFreed(), "a ring full of live topics frees its oldest");
        assertEquals(2, ended.size());

        assertTrue(second.pin());
        final TopicState fourth = retaining(registry, "/.well-known/mercure/subscriptions/e/s1", 4);
        ended.add(fourth);
        assertFalse(second.isFreed(), "in flight: kept, the ring grows");
        assertEquals(3, ended.size());
        second.unpin();

        assertEquals(3, ended.reclaim(3));
        assertTrue(second.isFreed() && third.isFreed() && fourth.isFreed());
        assertNull(registry.find(fourth.name()));
    }

    private static TopicState retaining(final TopicRegistry registry, final String name, final long seq)
    {
        final TopicState topic = registry.getOrCreateText(name);
        topic.privateLogOrCreate();
        topic.logOrCreate().append(new UnsafeBuffer(FRAME), 0, FRAME.length, 4, 1, seq, 1);
        return topic;
    }

    private static TopicRegistry registry(final int maxTopics)
    {
        final SseServer server = SseServer.builder().port(0).maxTopics(maxTopics).build();
        return new TopicRegistry(server.config());
    }
}
