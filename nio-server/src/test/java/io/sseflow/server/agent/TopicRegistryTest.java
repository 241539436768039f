package io.sseflow.server.agent;

import io.sseflow.server.PublishResult;
import io.sseflow.server.SseServer;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.SequencedEventHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry on its own, driven as the agent would drive it: freeing, index recycling, pins, the agent's
 * open-addressing table with backward-shift deletion, and the sequencer forgetting a freed index's id counter.
 */
class TopicRegistryTest
{
    @Test
    void shouldFreeIdleTopicsSoTheyNoLongerCountAndRecycleTheirIndex()
    {
        final TopicRegistry registry = registry(3);
        final TopicState a = registry.getOrCreate("a");
        final TopicState b = registry.getOrCreate("b");
        final TopicState c = registry.getOrCreate("c");
        assertNull(registry.getOrCreate("d"), "limit of 3 live topics");
        assertEquals(3, registry.count());

        assertTrue(registry.freeIfIdle(b));
        assertTrue(b.isFreed());
        assertFalse(registry.freeIfIdle(b), "freed once");
        assertEquals(2, registry.count());
        assertNull(registry.find("b"));
        assertNull(registry.byIndex(b.index()));

        final TopicState d = registry.getOrCreate("d");
        assertEquals(b.index(), d.index(), "the freed index is given to the next topic");
        assertSame(d, registry.byIndex(d.index()));
        assertSame(a, registry.getOrCreate("a"));
        assertSame(c, registry.byIndex(c.index()));

        final TopicState b2 = registry.pinLive("b");
        assertNull(b2, "b would be a 4th live topic");
        assertTrue(registry.freeIfIdle(a));
        final TopicState b3 = registry.pinLive("b");
        assertNotSame(b, b3, "a freed handle resolves to a new live topic of its name");
        assertEquals("b", b3.name());
        assertFalse(registry.freeIfIdle(b3), "pinned: a record of it is in flight");
        b3.unpin();
        assertTrue(registry.freeIfIdle(b3));
    }

    @Test
    void shouldNotFreeATopicWithASubscriberOrRetainedEventsAndFreeItWhenTheLastSubscriberLeaves()
    {
        final TopicRegistry registry = registry(10);
        final TopicState topic = registry.getOrCreate("t");
        final Connection first = new Connection(1, null, true, null);
        final Connection second = new Connection(2, null, true, null);
        topic.addSubscriber(first);
        topic.addSubscriber(second);
        assertEquals(0, registry.sweep(100));

        topic.removeSubscriber(first);
        assertFalse(topic.isFreed());
        topic.removeSubscriber(second);
        assertTrue(topic.isFreed(), "freed when the last subscriber left, with nothing retained");
        assertEquals(0, registry.count());

        final TopicState kept = registry.getOrCreate("kept");
        final UnsafeBuffer frame = new UnsafeBuffer("id: 1\ndata: x\n\n".getBytes(StandardCharsets.US_ASCII));
        kept.logOrCreate().append(frame, 0, frame.capacity(), 4, 1, 1, 1);
        assertEquals(0, registry.sweep(100), "a topic with a retained event is kept for replay");
        kept.log.close();
        assertEquals(1, registry.sweep(100), "once its events are gone, the sweep frees it");
        assertEquals(0, registry.count());
    }

    @Test
    void shouldKeepFindingEveryOtherTopicInTheAgentTableWhileTopicsAreFreed()
    {
        final TopicRegistry registry = registry(100_000);
        final Random random = new Random(8);
        final Map<String, TopicState> live = new HashMap<>();
        final List<String> names = new ArrayList<>();
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 500; i++)
            {
                final String name = "n" + random.nextInt(3000);
                final TopicState topic = lookup(registry, name);
                final TopicState previous = live.putIfAbsent(name, topic);
                assertSame(null == previous ? topic : previous, topic, name);
                if (null == previous)
                {
                    names.add(name);
                }
            }
            for (int i = 0; i < 250 && !names.isEmpty(); i++)
            {
                final String name = names.remove(random.nextInt(names.size()));
                assertTrue(registry.freeIfIdle(live.remove(name)), name);
            }
            for (final Map.Entry<String, TopicState> entry : live.entrySet())
            {
                assertSame(entry.getValue(), lookup(registry, entry.getKey()), entry.getKey());
            }
            assertEquals(live.size(), registry.agentTableSize());
            assertEquals(live.size(), registry.count());
        }
        for (final String name : new ArrayList<>(live.keySet()))
        {
            assertTrue(registry.freeIfIdle(live.remove(name)));
        }
        assertEquals(0, registry.agentTableSize());
        assertEquals(0, registry.count());
        final TopicState again = lookup(registry, "n1");
        assertSame(again, lookup(registry, "n1"));
    }

    @Test
    void shouldStartARecycledIndexAboveEveryIdItsFreedTopicHad()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 16);
        final List<Long> ids = new ArrayList<>();
        final List<Integer> topicIndexes = new ArrayList<>();
        final PublishRecord record = new PublishRecord();
        final SequencedEventHandler handler = (buffer, offset, length, seq, id) ->
        {
            ids.add(id);
            topicIndexes.add(record.wrap(buffer, offset).topicIndex());
        };
        for (int i = 0; i < 5; i++)
        {
            offer(sequencer, 0);
        }
        offer(sequencer, 1);
        sequencer.poll(handler, 100);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 1L), ids);
        assertEquals(List.of(0, 0, 0, 0, 0, 1), topicIndexes);

        sequencer.onTopicFreed(0);
        ids.clear();
        topicIndexes.clear();
        offer(sequencer, 0);
        offer(sequencer, 1);
        offer(sequencer, 2);
        sequencer.poll(handler, 100);
        assertEquals(List.of(0, 1, 2), topicIndexes);
        assertEquals(List.of(6L, 2L, 6L), ids,
            "index 0's next topic starts above 5, topic 1 goes on counting, a new index starts above 5 too");
    }

    private static void offer(final EventSequencer sequencer, final int topicIndex)
    {
        final PublishEncoder encoder = PublishEncoder.current();
        encoder.prepare("x", SseOptions.NONE);
        assertEquals(PublishResult.OK, encoder.claimAndWrite(sequencer, topicIndex));
    }

    private static TopicState lookup(final TopicRegistry registry, final String name)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(("/events/" + name).getBytes(StandardCharsets.US_ASCII));
        return registry.lookup(bytes, 8, name.length());
    }

    private static TopicRegistry registry(final int maxTopics)
    {
        final SseServer server = SseServer.builder().port(0).maxTopics(maxTopics).build();
        return new TopicRegistry(server.config());
    }
}
