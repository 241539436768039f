package io.sseflow.server.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicSelectorTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // level 1: simple string expansion: unreserved, ',' and triplets; the expression may be empty
        "https://example.com/books/{id}           | https://example.com/books/42                  | true",
        "https://example.com/books/{id}           | https://example.com/books/                    | true",
        "https://example.com/books/{id}           | https://example.com/books                     | false",
        "https://example.com/books/{id}           | https://example.com/books/1/2                 | false",
        "https://example.com/books/{id}           | https://example.com/books/a%2Fb               | true",
        "https://example.com/books/{id}           | https://example.com/books/a,b                 | true",
        "https://example.com/books/{id}           | https://example.com/books/a=b                 | false",
        "https://example.com/books/{id}           | https://example.com/books/a%2                 | false",
        "https://example.com/books/{id}           | https://example.com/books/a%zz                | false",
        "https://example.com/books/{id}           | https://example.com/books/é                   | false",
        "https://example.com/books/{id}           | https://example.com/books/a b                 | false",
        "https://example.com/books/{id}           | HTTPS://example.com/books/1                   | false",
        "https://example.com/books/{id}           | https://example.com/books/{id}                | true",
        // level 2: reserved and fragment expansion
        "https://example.com/{+path}              | https://example.com/a/b/c?x=1&y=[2]           | true",
        "https://example.com/{+path}              | https://example.com/a b                       | false",
        "https://example.com/page{#section}       | https://example.com/page#intro                | true",
        "https://example.com/page{#section}       | https://example.com/page#a/b?c                | true",
        "https://example.com/page{#section}       | https://example.com/page                      | true",
        "https://example.com/page{#section}       | https://example.com/pageintro                 | false",
        // level 3: several variables, label, path segment, path-style and query expansion
        "https://example.com/{a}/{b}              | https://example.com/x/y                       | true",
        "https://example.com/{a,b}                | https://example.com/x,y                       | true",
        "https://example.com/file{.ext}           | https://example.com/file.json                 | true",
        "https://example.com/file{.ext}           | https://example.com/file.tar.gz               | true",
        "https://example.com/file{.ext}           | https://example.com/filejson                  | false",
        "https://example.com{/segment}            | https://example.com/a                         | true",
        "https://example.com{/segment}            | https://example.com/a/b                       | false",
        "https://example.com{/a,b}                | https://example.com/x/y                       | true",
        "https://example.com{/a,b}                | https://example.com/x/y/z                     | false",
        "https://example.com/m{;x,y}              | https://example.com/m;x=1;y=2                 | true",
        "https://example.com/m{;x,y}              | https://example.com/m;x=1;y=2;z=3             | false",
        "https://example.com/search{?q}           | https://example.com/search?q=sse              | true",
        "https://example.com/search{?q}           | https://example.com/search                    | true",
        "https://example.com/search{?q}           | https://example.com/search?q=a&r=b            | false",
        "https://example.com/search{?q,lang}      | https://example.com/search?q=a&lang=fr        | true",
        "https://example.com/search{?q,lang}      | https://example.com/search?q=a&lang=fr&x=1    | false",
        "https://example.com/search{?q}{&lang}    | https://example.com/search?q=a&lang=fr        | true",
        "https://example.com/search?q=x{&lang}    | https://example.com/search?q=x&lang=fr        | true",
        "https://example.com/search?q=x{&lang}    | https://example.com/search?q=x                | true",
        "{?q}                                     | ?q=1                                          | true",
        // level 4: explode and prefix
        "https://example.com{/path*}              | https://example.com/x/y/z                     | true",
        "https://example.com/{list*}              | https://example.com/a,b,c                     | true",
        "https://example.com/{keys*}              | https://example.com/a=1,b=2                   | true",
        "https://example.com/{keys}               | https://example.com/a=1                       | false",
        "https://example.com/search{?list*}       | https://example.com/search?a=1&b=2&c=3        | true",
        "https://example.com/{var:3}              | https://example.com/abc                       | true",
        "https://example.com/{var:3}              | https://example.com/abcdef                    | true",
        // ambiguity a greedy matcher gets wrong
        "https://example.com/{a}-{b}.json         | https://example.com/x-y-z.json                | true",
        "https://example.com/{a}.json             | https://example.com/x.y.json                  | true",
        "https://example.com/{a}.json             | https://example.com/x.y.jsonx                 | false",
        "{a}x{b}x{c}                              | xxxxxxxx                                      | true",
        // percent-encoded triplets in a literal match the same three characters
        "https://example.com/a%20b/{id}           | https://example.com/a%20b/1                   | true",
        "https://example.com/a%20b/{id}           | https://example.com/a b/1                     | false",
        "https://example.com/ü/{id}               | https://example.com/ü/1                       | true",
    })
    void shouldMatchTopicsThatATemplateCouldExpandTo(final String template, final String topic, final boolean expected)
    {
        final TopicSelector selector = TopicSelector.parse(template);
        assertEquals(SelectorKind.TEMPLATE, selector.kind());
        assertEquals(expected, selector.matches(topic), template + " ~ " + topic);
        assertEquals(expected, selector.matches(new StringBuilder(topic)), "as a StringBuilder");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://example.com/{id",
        "https://example.com/id}",
        "https://example.com/{id}}",
        "{}",
        "{a{b}}",
        "{{a}}",
        "https://example.com/{ id}",
        "https://example.com/{id }",
        "https://example.com/a b/{id}",
        "https://example.com/\"{id}",
        "https://example.com/|{id}",
        "%zz{a}",
        "%4{a}",
        "{a%zz}",
        "{=a}",
        "{,a}",
        "{!a}",
        "{@a}",
        "{|a}",
        "{a,}",
        "{+}",
        "{a:0}",
        "{a:01}",
        "{a:10000}",
        "{a:}",
        "{a:x}",
        "{a*:3}",
        "{a:3*}",
        "{.a.}",
        "{a.}",
        "{.}",
        "{a..b}",
        "{a-b}",
        "{ü}",
        "x{a}\uFFFE",
    })
    void shouldTreatAnInvalidTemplateAsAnExactTopic(final String text)
    {
        final TopicSelector selector = TopicSelector.parse(text);
        assertEquals(SelectorKind.EXACT, selector.kind(), text);
        assertTrue(selector.matches(text));
        assertFalse(selector.matches(text.replaceAll("[{}]", "")));
        assertFalse(selector.matches("https://example.com/1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{a.b}", "{a%20b}", "{a:9999}", "{a_1,B2*}", "https://example.com/x{#a:3,b*}", "{%41}"})
    void shouldParseEdgeValidTemplates(final String text)
    {
        assertEquals(SelectorKind.TEMPLATE, TopicSelector.parse(text).kind(), text);
    }

    @Test
    void shouldMatchEveryTopicWithTheWildcardAndOnlyItselfWithAnExactTopic()
    {
        final TopicSelector all = TopicSelector.parse("*");
        assertEquals(SelectorKind.WILDCARD, all.kind());
        assertTrue(all.matches("https://example.com/anything"));
        assertTrue(all.matches("*"));

        final TopicSelector exact = TopicSelector.parse("https://example.com/books/1");
        assertEquals(SelectorKind.EXACT, exact.kind());
        assertTrue(exact.matches("https://example.com/books/1"));
        assertFalse(exact.matches("https://example.com/books/12"));
        assertFalse(exact.matches("https://example.com/books/"));
        assertFalse(TopicSelector.parse("**").matches("a"));
    }

    @Test
    void shouldRefuseSelectorsThatBreakTheTopicRuleNamingTheProblem()
    {
        assertEquals("topic selector is empty", refusal(""));
        assertEquals("topic selector is longer than 2048 bytes", refusal("a".repeat(2049)));
        assertEquals("topic selector is longer than 2048 bytes", refusal("é".repeat(1025)));
        assertEquals(SelectorKind.EXACT, TopicSelector.parse("é".repeat(1024)).kind());
        assertEquals(SelectorKind.EXACT, TopicSelector.parse("a".repeat(2048)).kind());
        assertEquals("topic selector contains a control character", refusal("a\nb"));
        assertEquals("topic selector contains a control character", refusal("a\u0000b"));
        assertEquals("topic selector contains a control character", refusal("a\u007Fb"));
        assertEquals("topic selector is not valid UTF-8", refusal("a\uD800b"));
        assertEquals("topic selector is not valid UTF-8", refusal("a\uDC00"));
        assertEquals(SelectorKind.EXACT, TopicSelector.parse("a\uD83D\uDE00").kind());
    }

    @Test
    void shouldRefuseATemplateOfMoreThanSixteenExpressions()
    {
        assertEquals(SelectorKind.TEMPLATE, TopicSelector.parse("{a}/".repeat(16)).kind());
        assertEquals("topic selector has 17 URI-template expressions; at most 16 are allowed",
            refusal("{a}/".repeat(17)));
        assertEquals(SelectorKind.EXACT, TopicSelector.parse("{a}/".repeat(17) + "{").kind());
    }

    @Test
    void shouldMatchTheLargestTemplatesAgainstTheLongestTopicsExactly()
    {
        final TopicSelector many = TopicSelector.parse("{a}x".repeat(16));
        assertTrue(many.matches("x".repeat(2048)));
        assertFalse(many.matches("x".repeat(2047) + "y"));
        assertFalse(many.matches("x".repeat(15)));

        final String literal = "ab".repeat(500);
        final TopicSelector longLiteral = TopicSelector.parse("{+a}" + literal + "{+b}" + literal + "{c}");
        assertTrue(longLiteral.matches("ab".repeat(1000) + "abc"));
        assertFalse(longLiteral.matches("ab".repeat(999) + "a"));
        assertTrue(TopicSelector.parse("{a}").matches("a".repeat(70_000)), "longer than the first scratch");
    }

    @Test
    void shouldBeEqualByText()
    {
        assertEquals(TopicSelector.parse("https://example.com/{id}"), TopicSelector.parse("https://example.com/{id}"));
        assertEquals(TopicSelector.parse("a").hashCode(), TopicSelector.parse(new StringBuilder("a")).hashCode());
        assertFalse(TopicSelector.parse("a").equals(TopicSelector.parse("b")));
        assertEquals("https://example.com/{id}", TopicSelector.parse("https://example.com/{id}").toString());
    }

    @Test
    void shouldAgreeWithARegularExpressionBuiltAsHubsBuildIt()
    {
        final Random random = new Random(20261201L);
        final String[] templatePieces = {
            "a", "/", "-", ".", "x", "%41", "{a}", "{+a}", "{#a}", "{.a}", "{/a}", "{;a}", "{?a}", "{&a}",
            "{a,b}", "{/a,b,c}", "{?a,b}", "{a*}", "{/a*}", "{;a*}", "{.a,b*}", "{a:2}"};
        final String topicAlphabet = "ax/-.,=;?&#%41+:";
        int matched = 0;
        for (int t = 0; t < 2_000; t++)
        {
            final StringBuilder template = new StringBuilder();
            final StringBuilder regex = new StringBuilder();
            for (int i = 1 + random.nextInt(5); i > 0; i--)
            {
                final String piece = templatePieces[random.nextInt(templatePieces.length)];
                template.append(piece);
                regex.append(ReferenceTemplateRegex.fragment(piece));
            }
            final TopicSelector selector = TopicSelector.parse(template);
            assertEquals(template.indexOf("{") >= 0 ? SelectorKind.TEMPLATE : SelectorKind.EXACT, selector.kind());
            final Pattern reference = Pattern.compile(regex.toString());
            for (int k = 0; k < 50; k++)
            {
                final StringBuilder topic = new StringBuilder();
                for (int i = random.nextInt(9); i > 0; i--)
                {
                    topic.append(topicAlphabet.charAt(random.nextInt(topicAlphabet.length())));
                }
                final boolean expected =
                    template.toString().contentEquals(topic) || reference.matcher(topic).matches();
                assertEquals(expected, selector.matches(topic), template + " ~ " + topic);
                matched += expected ? 1 : 0;
            }
        }
        assertTrue(matched > 1_000, "the random cases matched " + matched + " times: too few to compare");
    }

    @Test
    void shouldNotAllocateWhenMatching()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final TopicSelector[] selectors = {
            TopicSelector.parse("https://example.com/books/{id}"),
            TopicSelector.parse("https://example.com/{+path}{?q,lang}"),
            TopicSelector.parse("https://example.com/{a}-{b}.json"),
            TopicSelector.parse("https://example.com/books/1"),
            TopicSelector.parse("*"),
            TopicSelector.parse("{a}x".repeat(16)),
        };
        final String[] topics = {
            "https://example.com/books/1", "https://example.com/a/b?q=x&lang=fr", "https://example.com/x-y-z.json",
            "https://example.com/books/1/2", "x".repeat(300), "https://example.com/" + "a%20".repeat(100),
        };
        final StringBuilder builder = new StringBuilder("https://example.com/books/7");
        long minimum = Long.MAX_VALUE;
        int matches = 0;
        for (int round = 0; round < 5; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++)
            {
                for (final TopicSelector selector : selectors)
                {
                    matches += selector.matches(topics[i % topics.length]) ? 1 : 0;
                    matches += selector.matches(builder) ? 1 : 0;
                }
            }
            minimum = Math.min(minimum, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, minimum, "bytes allocated by 240,000 matches (" + matches + " matched)");
    }

    private static String refusal(final String text)
    {
        return assertThrows(IllegalArgumentException.class, () -> TopicSelector.parse(text)).getMessage();
    }
}
