package io.sseflow.server.agent;

import io.sseflow.server.SseServer;
import io.sseflow.server.selector.SelectorSet;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The shared streams on their own, driven as the agent drives them: one stream per (selectors, private-update
 * selectors), links made once per (stream, topic) whichever appears first, and which streams one event reaches:
 * each once, a private update only where a private-update selector matches one of its topics (the JWT step fills
 * those selectors; here they are given directly).
 */
class StreamRegistryTest
{
    private final TopicRegistry topics =
        new TopicRegistry(SseServer.builder().port(0).maxTopics(10).build().config());
    private final StreamRegistry streams = topics.streams();

    @Test
    void shouldDeliverEachEventOnceToTheStreamsItsTopicsFeedAndPrivateOnesOnlyWhereAllowed()
    {
        final TopicState a = topics.getOrCreate("a");
        final SharedStream onlyA = streams.getOrCreate(SelectorSet.of("a"), null);
        final SharedStream aPrivateB = streams.getOrCreate(SelectorSet.of("a"), SelectorSet.of("b"));
        final SharedStream bPrivateA = streams.getOrCreate(SelectorSet.of("b"), SelectorSet.of("a"));
        final SharedStream both = streams.getOrCreate(SelectorSet.of("b", "a"), null);
        final TopicState b = topics.getOrCreate("b");
        assertSame(both, streams.getOrCreate(SelectorSet.of("a", "b", "a"), null), "same set, same stream");
        assertSame(aPrivateB, streams.getOrCreate(SelectorSet.of("a"), SelectorSet.of("b")));
        assertEquals(4, streams.count());

        assertEquals(Set.of(onlyA, aPrivateB, both), targets(1, false, a));
        assertEquals(Set.of(bPrivateA, both), targets(2, false, b), "b was linked when the agent first saw it");
        assertEquals(Set.of(onlyA, aPrivateB, bPrivateA, both), targets(3, false, a, b));
        assertEquals(Set.of(aPrivateB, bPrivateA), targets(4, true, a, b),
            "private: subscribed to one topic and allowed one (not necessarily the same)");
        assertEquals(Set.of(), targets(5, true, a));
        assertEquals(Set.of(), targets(6, true, b), "bPrivateA may receive private updates of a only");
    }

    @Test
    void shouldDropLinksWhenATopicOrAStreamIsFreedAndMakeThemAgainWhenTheTopicReturns()
    {
        final TopicState a = topics.getOrCreate("a");
        final SharedStream wildcard = streams.getOrCreate(SelectorSet.of("*"), null);
        final SharedStream exact = streams.getOrCreate(SelectorSet.of("a", "z"), null);
        assertEquals(Set.of(wildcard, exact), targets(1, false, a));
        assertEquals(2, a.feedCount);

        assertEquals(true, topics.freeIfIdle(a));
        assertEquals(0, a.feedCount);
        assertEquals(0, wildcard.topicCount);
        final TopicState again = topics.getOrCreate("a");
        assertEquals(Set.of(wildcard, exact), targets(2, false, again));

        streams.free(exact);
        assertEquals(1, streams.count());
        assertEquals(Set.of(wildcard), targets(3, false, again));
        assertEquals(1, again.feedCount);
        streams.free(wildcard);
        assertEquals(0, again.feedCount);
        assertEquals(Set.of(), targets(4, false, again));
    }

    private Set<SharedStream> targets(final long seq, final boolean isPrivate, final TopicState... eventTopics)
    {
        final int count = streams.collectTargets(eventTopics, eventTopics.length, isPrivate, seq);
        final Set<SharedStream> found = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            found.add(streams.targets()[i]);
        }
        assertEquals(count, found.size(), "each stream once");
        return found;
    }
}
