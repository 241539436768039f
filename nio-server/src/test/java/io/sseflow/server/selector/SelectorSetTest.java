package io.sseflow.server.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorSetTest
{
    private static final String R0 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";
    private static final String R1 = "2c26b46b68ffc68ff99b453c1d30413413422d70";
    private static final String R2 = "fcde2b2edba56bf408601fb721fe9b5c338d10ee";
    private static final String R3 = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f2";
    private static final String R4 = "7d865e959b2466918c9863afca942d0fb89d7c9a";

    /**
     * The public cases of the protocol's conformance suite: the topics of an update, the selectors of a
     * subscription, and whether the subscriber receives it.
     */
    static Stream<Arguments> conformanceCases()
    {
        return Stream.of(
            Arguments.of("raw string", List.of(R0), List.of(R0), true),
            Arguments.of("multiple topics", List.of("e3b0c44298fc1c149afbf4c8996fb92427ae41e4", R1), List.of(R1), true),
            Arguments.of("multiple topic selectors", List.of(R2), List.of("foo", R2), true),
            Arguments.of("URI", List.of("https://example.net/foo/" + R3), List.of("https://example.net/foo/" + R3), true),
            Arguments.of("URI template", List.of("https://example.net/foo/" + R4),
                List.of("https://example.net/foo/{random}"), true),
            Arguments.of("nonmatching raw string", List.of("will-not-match}"), List.of("another-name"), false),
            Arguments.of("nonmatching URI", List.of("https://example.net/foo/will-not-match}"),
                List.of("https://example.net/foo/another-name"), false),
            Arguments.of("nonmatching URI template", List.of("https://example.net/foo/will-not-match}"),
                List.of("https://example.net/bar/{var}"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceCases")
    void shouldDeliverTheConformanceCases(
        final String name, final List<String> updateTopics, final List<String> selectors, final boolean received)
    {
        final SelectorSet set = SelectorSet.of(selectors);
        boolean matched = false;
        for (final String topic : updateTopics)
        {
            matched |= set.matchesAny(topic);
        }
        assertEquals(received, matched, name);
    }

    @Test
    void shouldKeepEachSelectorOnceInTheOrderOfTheirTexts()
    {
        final SelectorSet set = SelectorSet.of("b", "https://example.com/{id}", "a", "b", "*", "a");
        assertEquals(4, set.size());
        assertEquals("[*, a, b, https://example.com/{id}]", set.toString());
        assertEquals(SelectorSet.of("*", "https://example.com/{id}", "b", "a"), set);
        assertEquals(SelectorSet.of("*", "https://example.com/{id}", "b", "a").hashCode(), set.hashCode());
        assertNotEquals(SelectorSet.of("a", "b"), set);
        assertEquals("https://example.com/{id}", set.selector(3).text());
    }

    @Test
    void shouldCountSelectorsByKind()
    {
        final SelectorSet set = SelectorSet.of("a", "b", "a", "https://example.com/{id}", "{x", "https://e/{+p}", "*");
        assertEquals(3, set.count(SelectorKind.EXACT));
        assertEquals(2, set.count(SelectorKind.TEMPLATE));
        assertEquals(1, set.count(SelectorKind.WILDCARD));
        assertEquals(0, SelectorSet.of("a").count(SelectorKind.WILDCARD));
    }

    @Test
    void shouldMatchWhenAnySelectorMatches()
    {
        final SelectorSet set = SelectorSet.of("https://example.com/users/1", "https://example.com/books/{id}");
        assertTrue(set.matchesAny("https://example.com/users/1"));
        assertTrue(set.matchesAny("https://example.com/books/9"));
        assertTrue(set.matchesAny(new StringBuilder("https://example.com/books/9")));
        assertFalse(set.matchesAny("https://example.com/users/2"));
        assertFalse(set.matchesAny("https://example.com/books/9/pages"));
        assertTrue(SelectorSet.of("x", "*").matchesAny("anything"));
    }

    @Test
    void shouldShareEqualSelectorsAndCountTemplateParts()
    {
        final TopicSelector shared = TopicSelector.parse("https://example.com/books/{id}");
        final SelectorSet set = SelectorSet.of("https://example.com/books/{id}", "news", "*");
        final SelectorSet sharing = set.withShared(selector -> selector.equals(shared) ? shared : selector);
        assertEquals(set, sharing);
        assertSame(shared, sharing.selector(1), "sorted: *, https://..., news");
        assertSame(sharing, sharing.withShared(selector -> selector), "nothing to share: the same set");
        assertEquals(2, set.templateParts(), "a literal and an expression; exact and wildcard count none");
        assertEquals(7, SelectorSet.of("a{x}b{y}c", "d{z}").templateParts());
        assertThrows(IllegalArgumentException.class, () -> set.withShared(selector -> shared));
    }

    @Test
    void shouldBoundTheMatchCostByPartsAndTopicLength()
    {
        final TopicSelector template = TopicSelector.parse("https://example.com/books/{id}");
        assertEquals(11 + 3 * 11, template.matchCost(10), "comparison, then (parts + 1) x (length + 1)");
        assertEquals(11, TopicSelector.parse("news").matchCost(10));
        assertEquals(1, TopicSelector.parse("*").matchCost(10));
        assertTrue(template.matches("https://example.com/books/42"));
        assertFalse(template.matches("http://example.com/books/42"), "the leading literal, compared first");
        assertFalse(TopicSelector.parse("{id}.json").matches("42.jso"), "the trailing literal");
        assertFalse(TopicSelector.parse("{a}-{b}-{c}").matches("-"), "shorter than the literals together");
        assertTrue(TopicSelector.parse("{a}-{b}-{c}").matches("--"));
    }

    @Test
    void shouldRefuseNoSelectorTooManySelectorsOrAnInvalidOne()
    {
        assertEquals("no topic selector given",
            assertThrows(IllegalArgumentException.class, () -> SelectorSet.of(List.of())).getMessage());
        assertEquals(100, SelectorSet.of(Collections.nCopies(100, "a")).size() * 100);
        assertEquals("101 topic selectors given; at most 100 are allowed", assertThrows(
            IllegalArgumentException.class, () -> SelectorSet.of(Collections.nCopies(101, "a"))).getMessage());
        assertEquals("topic selector is empty",
            assertThrows(IllegalArgumentException.class, () -> SelectorSet.of("a", "")).getMessage());
    }
}
