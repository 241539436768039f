package io.sseflow.server.agent;

import io.sseflow.server.SseServer;
import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
        new TopicRegistry(SseServer.builder().port(0).maxTopics(20).build().config());
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
        linkAll();
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
        linkAll();
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

    @Test
    void shouldLinkANewTemplateStreamInBudgetedSlicesAndGiveItNoEventUntilLinked()
    {
        final TopicState[] live = new TopicState[8];
        for (int i = 0; i < live.length; i++)
        {
            live[i] = topics.getOrCreate("t" + i);
        }
        assertEquals(Set.of(), targets(1, false, live), "linked while no stream exists");
        final SharedStream template = streams.getOrCreate(SelectorSet.of("t{n}"), null);
        assertTrue(template.isLinking());
        final long oneTopic = TopicSelector.parse("t{n}").matchCost(2);

        final List<SharedStream> linked = new ArrayList<>();
        int slices = 0;
        while (streams.linkingCount() > 0)
        {
            final long spent = streams.link(1, linked::add);
            assertTrue(spent <= oneTopic, "a slice of budget 1 takes at most one match: " + spent);
            if (streams.linkingCount() > 0)
            {
                assertEquals(Set.of(), targets(2 + slices, false, live[0]), "no event while linking");
            }
            slices++;
        }
        assertTrue(slices >= 8, "one topic per slice: " + slices);
        assertEquals(List.of(template), linked);
        assertFalse(template.isLinking());
        assertEquals(8, template.topicCount);
        assertEquals(Set.of(template), targets(100, false, live[7]));
        assertEquals(Set.of(template), targets(101, false, topics.getOrCreate("t9")), "a new topic is linked");
    }

    @Test
    void shouldShareOneCompiledTemplateBetweenStreamsAndMatchANewTopicAgainstItOnce()
    {
        final SharedStream first = streams.getOrCreate(SelectorSet.of("https://example.com/u/{id}", "x"), null);
        final SharedStream second = streams.getOrCreate(SelectorSet.of("https://example.com/u/{id}", "y"), null);
        final SharedStream third = streams.getOrCreate(SelectorSet.of("https://example.com/u/{id}"), null);
        linkAll();
        assertSame(template(first), template(second));
        assertSame(template(first), template(third));
        final int parts = TopicSelector.parse("https://example.com/u/{id}").templateParts();
        assertEquals(2, parts);
        assertEquals(parts, streams.templateParts(), "one compiled form for three streams");
        assertEquals(0, streams.newTemplateParts(SelectorSet.of("https://example.com/u/{id}", "z"), null));
        assertEquals(3, streams.newTemplateParts(SelectorSet.of("https://example.com/v/{id}/w"), null));

        final TopicState topic = topics.getOrCreateText("https://example.com/u/7");
        assertEquals(Set.of(first, second, third), targets(1, false, topic));

        streams.free(first);
        streams.free(second);
        assertEquals(parts, streams.templateParts());
        streams.free(third);
        assertEquals(0, streams.templateParts(), "the last stream using it takes it away");
    }

    @Test
    void shouldLinkANewTopicInSlicesWhileItsEventWaitsIncludingStreamsCreatedOrFreedMeanwhile()
    {
        final SharedStream first = streams.getOrCreate(SelectorSet.of("{a}{b}{c}"), null);
        final SharedStream second = streams.getOrCreate(SelectorSet.of("{x}{y}{z}", "u"), null);
        final SharedStream leaving = streams.getOrCreate(SelectorSet.of("{p}{q}{r}"), null);
        final SharedStream other = streams.getOrCreate(SelectorSet.of("nothing{a}"), null);
        linkAll();
        final TopicState topic = topics.getOrCreateText("abcdef");
        final TopicState[] eventTopics = {topic};
        final long oneTopic = TopicSelector.parse("{a}{b}{c}").matchCost(6);
        assertTrue(streams.linkingExceeds(eventTopics, 1, oneTopic));
        assertFalse(streams.linkingExceeds(eventTopics, 1, 100 * oneTopic));

        streams.deferLinking(eventTopics, 1);
        assertFalse(streams.linkDeferred(1), "one template per slice");
        final SharedStream joining = streams.getOrCreate(SelectorSet.of("{j}", "k"), null);
        final SharedStream exact = streams.getOrCreate(SelectorSet.of("abcdef"), null);
        streams.free(leaving);
        int slices = 1;
        while (!streams.linkDeferred(1))
        {
            slices++;
        }
        assertTrue(slices >= 3, "slices: " + slices);
        assertTrue(topic.linked);
        linkAll();
        assertEquals(Set.of(first, second, joining, exact), targets(1, false, topic),
            "every live stream it concerns, those created meanwhile too, each linked once");
        assertFalse(targets(2, false, topic).contains(other));
    }

    private static TopicSelector template(final SharedStream stream)
    {
        for (int i = 0; i < stream.selectors.size(); i++)
        {
            if (stream.selectors.selector(i).templateParts() > 0)
            {
                return stream.selectors.selector(i);
            }
        }
        throw new AssertionError("no template in " + stream);
    }

    private void linkAll()
    {
        while (streams.linkingCount() > 0)
        {
            streams.link(Long.MAX_VALUE, stream -> { });
        }
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
