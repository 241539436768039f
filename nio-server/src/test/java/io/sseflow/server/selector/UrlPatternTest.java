package io.sseflow.server.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UrlPatternTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://example.com/books/:id                   | https://example.com/books/1                  | true",
        "https://example.com/books/:id                   | https://EXAMPLE.com/books/1                  | true",
        "https://example.com/books/:id                   | https://example.com:443/books/1              | true",
        "https://example.com/books/:id                   | https://example.com/books/1?x=y#z            | true",
        "https://example.com/books/:id                   | https://example.com/books/1/pages            | false",
        "https://example.com/books/:id                   | https://example.com/Books/1                  | false",
        "https://example.com/books/:id                   | https://example.com/books/                   | false",
        "https://example.com/books/:id                   | http://example.com/books/1                   | false",
        "https://example.com/books/:id                   | https://example.com:8443/books/1             | false",
        "https://example.com/books/:id                   | https://example.com.evil/books/1             | false",
        "https://example.net/foo/:random                 | https://example.net/foo/5eed42               | true",
        "https://example.net/bar/:var                    | https://example.net/foo/will-not-match       | false",
        "/.well-known/mercure/subscriptions/:topic/:sub  | /.well-known/mercure/subscriptions/a/b       | true",
        "/.well-known/mercure/subscriptions/:topic/:sub  | https://localhost/.well-known/mercure/subscriptions/a/b | true",
        "/.well-known/mercure/subscriptions/:topic/:sub  | https://example.com/.well-known/mercure/subscriptions/a/b | false",
        "https://example.com/users/42/*                  | https://example.com/users/42/books/1         | true",
        "https://example.com/users/42/*                  | https://example.com/users/42/                | true",
        "https://example.com/users/42/*                  | https://example.com/users/42                 | false",
        "https://example.com/users/42/*                  | https://example.com/users/420/x              | false",
        "https://example.com/books/:id?                  | https://example.com/books                    | true",
        "https://example.com/books/:id?                  | https://example.com/books/7                  | true",
        "https://example.com/books/:id?                  | https://example.com/books/7/8                | false",
        "https://example.com/books{.json}?               | https://example.com/books.json               | true",
        "https://example.com/books{.json}?               | https://example.com/books                    | true",
        "https://:tenant.example.com/x                   | https://acme.example.com/x                   | true",
        "https://:tenant.example.com/x                   | https://a.b.example.com/x                    | false",
        "https://example.com:8080/x                      | https://example.com:8080/x                   | true",
        "https://example.com:8080/x                      | https://example.com/x                        | false",
        "https://example.com/a?q=:v                      | https://example.com/a?q=1                    | true",
        "https://example.com/a?q=:v                      | https://example.com/a?r=1                    | false",
        "https://example.com/a?q=:v                      | https://example.com/a                        | false",
        "https://example.com/a#:frag                     | https://example.com/a#top                    | true",
        "https://example.com/a\\+b                       | https://example.com/a+b                      | true",
        "https://example.com                             | https://example.com/                         | true",
        "https://example.com                             | https://example.com                          | true",
        "https://example.com/books/:id                   | books/1                                      | false",
        "https://example.com/books/:id                   | urn:uuid:1                                   | false",
        "https://example.com/books/:id                   | ''                                           | false",
    })
    void shouldMatchTopicsAsUrlPatternsDo(final String pattern, final String topic, final boolean matches)
    {
        assertEquals(matches, UrlPattern.compile(pattern).matches(topic), pattern + " ~ " + topic);
        assertEquals(matches, TopicSelector.urlPattern(pattern).matches(topic), pattern + " ~ " + topic);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://example.com/(\\d+)       | regular-expression groups \"(...)\" are not supported",
        "https://example.com/:id(\\d+)    | regular-expression groups \"(...)\" are not supported",
        "https://example.com/:id+         | the \"+\" modifier is not supported",
        "https://example.com/:id*         | the \"*\" modifier is not supported",
        "https://example.com/a+b          | \"+\" follows no group (escape it as \\+)",
        "https://example.com/a/:          | \":\" starts no group name",
        "https://example.com/a{b          | unbalanced \"{\"",
        "https://example.com/a}b          | unbalanced \"}\"",
        "https://example.com/{:id}?       | only fixed text is supported inside \"{...}\"",
        "https://example.com/a\\          | ends with a lone \\",
        "books/:id                        | must be an absolute URL pattern (scheme://host/path) or start with /",
        "http{s}?://example.com/          | must be an absolute URL pattern (scheme://host/path) or start with /",
        "urn:isbn:*                       | a pattern without \"//\" after its scheme is not supported",
        "https://user@example.com/        | a username or password in the pattern is not supported",
        "https:///books                   | has no hostname",
    })
    void shouldRefuseWhatIsMalformedOrUnsupportedWithAReason(final String pattern, final String reason)
    {
        assertEquals(reason, assertThrows(UrlPatternException.class, () -> UrlPattern.compile(pattern)).getMessage());
    }

    @Test
    void shouldBoundPartsAndKeepTheWildcardAndTellAPatternFromATemplateOfTheSameText()
    {
        assertEquals(SelectorKind.WILDCARD, TopicSelector.urlPattern("*").kind());
        // protocol, hostname, search and hash one part each, the port none, the pathname "/" and a group per "/:a"
        assertEquals(8, TopicSelector.urlPattern("https://example.com/:a/:b").templateParts());
        final String many = "https://example.com" + "/:a".repeat(22);
        assertEquals(48, TopicSelector.urlPattern(many).templateParts());
        final UrlPatternException tooMany = assertThrows(UrlPatternException.class,
            () -> TopicSelector.urlPattern(many + "/:b"));
        assertEquals("has 50 parts; at most 48 are allowed", tooMany.getMessage());

        final String text = "https://example.com/{id}";
        final TopicSelector pattern = TopicSelector.urlPattern(text);
        assertEquals(SelectorKind.TEMPLATE, pattern.kind());
        assertNotEquals(TopicSelector.parse(text), pattern);
        assertNotEquals(TopicSelector.parse(text).key(), pattern.key());
        assertEquals(text, pattern.text());
        assertEquals(TopicSelector.urlPattern(text), pattern);
    }

    @Test
    void shouldBoundItsMatchingCostByPartsFixedTextAndTopicLength()
    {
        final UrlPattern pattern = UrlPattern.compile("https://example.com/books/:id");
        final long cost = pattern.matchCost(100);
        assertEquals((pattern.partCount() + "httpsexample.com/books/:id".length() + 2 + 1) * 101L, cost);
    }
}
