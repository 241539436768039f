package io.sseflow.server.mercure;

import io.sseflow.server.http.LastEventIdField;
import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mercure 1.0's subscribe parameters on the endpoint that reads today's: {@code match} / {@code match_exact}
 * (exact, whatever the braces), {@code last_event_id}, the reserved {@code match} namespace and the draft's
 * value rules; a request with {@code topic} is read as before.
 */
class MercureDraftSubscribeQueryTest
{
    @Test
    void shouldReadMatchAndMatchExactAsExactMatchersEvenWithBraces()
    {
        final MercureSubscribeQuery query = parse(
            "match=https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D&match_exact=bar&match=bar&x=1&matches_are_not_read=");
        assertEquals(MercureSubscribeOutcome.UNKNOWN_MATCHER, query.outcome());

        final MercureSubscribeQuery exact = parse(
            "match=https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D&match_exact=bar&match=bar&x=1");
        assertEquals(MercureSubscribeOutcome.OK, exact.outcome());
        assertEquals(MercureProtocol.DRAFT, exact.protocol());
        final SelectorSet selectors = exact.selectors();
        assertEquals(SelectorSet.ofSelectors(List.of(
            TopicSelector.exact("bar"), TopicSelector.exact("https://example.com/books/{id}"))), selectors);
        assertEquals(2, selectors.count(SelectorKind.EXACT));
        assertEquals(0, selectors.count(SelectorKind.TEMPLATE));
        assertTrue(selectors.matchesAny("https://example.com/books/{id}"));
        assertFalse(selectors.matchesAny("https://example.com/books/42"));
        assertTrue(selectors.matchesAny("bar"));
        assertEquals(MercureResume.LIVE, exact.resume());
        assertEquals(LastEventIdField.NONE, exact.lastEventIdField());
    }

    @Test
    void shouldReadMatchUrlPatternAsAUrlPatternBesideExactMatchers()
    {
        final MercureSubscribeQuery query = parse(
            "match_urlpattern=https%3A%2F%2Fexample.com%2Fbooks%2F%3Aid&match=https%3A%2F%2Fexample.com%2Fbooks%2F%3Aid");
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        final SelectorSet selectors = query.selectors();
        assertEquals(2, selectors.size());
        assertEquals(1, selectors.count(SelectorKind.TEMPLATE));
        assertEquals(1, selectors.count(SelectorKind.EXACT));
        assertTrue(selectors.matchesAny("https://example.com/books/42"));
        assertTrue(selectors.matchesAny("https://example.com/books/:id"));
        assertFalse(selectors.matchesAny("https://example.com/books/42/pages"));
        assertEquals(1, parse("match_urlpattern=*").selectors().count(SelectorKind.WILDCARD));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "match_urlpattern=https%3A%2F%2Fexample.com%2F%28%5Cd%2B%29 | invalid URL pattern: regular-expression groups \"(...)\" are not supported",
        "match_urlpattern=books%2F%3Aid                             | invalid URL pattern: must be an absolute URL pattern (scheme://host/path) or start with /",
        "match=a&match_urlpattern=%2Fa%2F%3Aid%2B                   | invalid URL pattern: the \"+\" modifier is not supported",
    })
    void shouldRefuseAnInvalidUrlPatternNamingWhy(final String queryText, final String reason)
    {
        final MercureSubscribeQuery query = parse(queryText);
        assertEquals(MercureSubscribeOutcome.INVALID_URL_PATTERN, query.outcome());
        assertEquals(reason, query.reason());
        assertNull(query.selectors());
    }

    @Test
    void shouldKeepTheWildcardAndTellAnExactSelectorFromTheTemplateOfTheSameText()
    {
        final MercureSubscribeQuery query = parse("match=*");
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals(1, query.selectors().count(SelectorKind.WILDCARD));

        final String text = "https://example.com/books/{id}";
        assertNotEquals(TopicSelector.parse(text), TopicSelector.exact(text));
        assertEquals(2, SelectorSet.ofSelectors(List.of(
            TopicSelector.exact(text), TopicSelector.parse(text), TopicSelector.exact(text))).size());
        assertNotEquals(SelectorSet.of(text), SelectorSet.ofSelectors(List.of(TopicSelector.exact(text))));
    }

    @Test
    void shouldReadTopicRequestsExactlyAsBefore()
    {
        final MercureSubscribeQuery query = parse("topic=https://example.com/bar/%7Bid%7D&last_event_id=5&Match=x");
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals(MercureProtocol.PRE_STANDARDIZATION, query.protocol());
        assertEquals(1, query.selectors().count(SelectorKind.TEMPLATE));
        assertEquals(MercureResume.LIVE, query.resume());

        final MercureSubscribeQuery resuming = parse("topic=a&lastEventID=7");
        assertEquals(LastEventIdField.LAST_EVENT_ID, resuming.lastEventIdField());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "match=a&last_event_id=urn%3Auuid%3A1           | <absent>  | AFTER_ID | urn:uuid:1 | LAST_EVENT_ID_DRAFT_PARAMETER",
        "match=a&last_event_id=earliest                 | <absent>  | EARLIEST | <null>     | LAST_EVENT_ID_DRAFT_PARAMETER",
        "match=a&last_event_id=7                        | 9         | AFTER_ID | 9          | LAST_EVENT_ID_HEADER",
        "match=a&last_event_id=7                        | ''        | AFTER_ID | 7          | LAST_EVENT_ID_DRAFT_PARAMETER",
        "match=a&last_event_id=7&last_event_id=8        | <absent>  | AFTER_ID | 7          | LAST_EVENT_ID_DRAFT_PARAMETER",
        "match=a&last_event_id=                         | <absent>  | LIVE     | <null>     | NONE",
        "match=a&lastEventID=7                          | <absent>  | LIVE     | <null>     | NONE",
        "match=a&lastEventId=7                          | <absent>  | LIVE     | <null>     | NONE",
        "match=a                                        | 3         | AFTER_ID | 3          | LAST_EVENT_ID_HEADER",
    })
    void shouldPreferTheHeaderThenLastEventIdUnderscored(
        final String queryText,
        final String header,
        final MercureResume resume,
        final String lastEventId,
        final MercureResumeSource source)
    {
        final MercureSubscribeQuery query = "<absent>".equals(header) ? parse(queryText) :
            MercureSubscribeQuery.parse(buffer(queryText), 0, queryText.length(), buffer(header), 0, header.length());
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals(MercureProtocol.DRAFT, query.protocol());
        assertEquals(resume, query.resume());
        assertEquals("<null>".equals(lastEventId) ? null : lastEventId, query.lastEventId());
        assertEquals(source, query.resumeSource());
        assertEquals(resume == MercureResume.LIVE ? LastEventIdField.NONE : LastEventIdField.MERCURE_LAST_EVENT_ID,
            query.lastEventIdField());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "topic=a&match=b              | MIXED_PROTOCOLS           | \"topic\" and \"match\" parameters cannot be mixed: use one protocol",
        "match=b&topic=a              | MIXED_PROTOCOLS           | \"topic\" and \"match\" parameters cannot be mixed: use one protocol",
        "match_regex=a                | UNKNOWN_MATCHER           | unknown topic matcher parameter: use \"match\", \"match_exact\" or \"match_urlpattern\"",
        "match=a&Match=b              | UNKNOWN_MATCHER           | unknown topic matcher parameter: use \"match\", \"match_exact\" or \"match_urlpattern\"",
        "MATCH_EXACT=a                | UNKNOWN_MATCHER           | unknown topic matcher parameter: use \"match\", \"match_exact\" or \"match_urlpattern\"",
        "matchtopic=a                 | UNKNOWN_MATCHER           | unknown topic matcher parameter: use \"match\", \"match_exact\" or \"match_urlpattern\"",
        "match=                       | EMPTY_MATCHER             | empty topic matcher",
        "match                        | EMPTY_MATCHER             | empty topic matcher",
        "match=a%0Ab                  | MATCHER_CONTROL_CHARACTER | topic matcher contains a control or format character",
        "match=a%7Fb                  | MATCHER_CONTROL_CHARACTER | topic matcher contains a control or format character",
        "match=a%C2%85b               | MATCHER_CONTROL_CHARACTER | topic matcher contains a control or format character",
        "match=a%E2%80%8Bb            | MATCHER_CONTROL_CHARACTER | topic matcher contains a control or format character",
        "match=%EF%BB%BFa             | MATCHER_CONTROL_CHARACTER | topic matcher contains a control or format character",
        "match_exact=%C3%28           | MATCHER_NOT_UTF8          | topic matcher is not valid UTF-8",
        "match=%zz                    | MALFORMED_ESCAPE          | malformed percent-escape in the query",
        "match=a&last_event_id=a%0Ab  | INVALID_LAST_EVENT_ID     | last event id must be UTF-8 without CR, LF or NUL",
    })
    void shouldRefuseInvalidDraftQueriesWithAReason(
        final String queryText, final MercureSubscribeOutcome expected, final String reason)
    {
        final MercureSubscribeQuery query = parse(queryText);
        assertEquals(expected, query.outcome());
        assertEquals(reason, query.reason());
        assertNull(query.selectors());
    }

    @Test
    void shouldBoundMatchersAndTheirLength()
    {
        assertEquals(MercureSubscribeOutcome.OK, parse("match=t&".repeat(100)).outcome());
        assertEquals(MercureSubscribeOutcome.TOO_MANY_MATCHERS, parse("match=t&".repeat(101)).outcome());
        assertEquals("more than 100 topic matcher parameters", parse("match_exact=t&".repeat(101)).reason());
        assertEquals(MercureSubscribeOutcome.OK, parse("match=" + "a".repeat(2048)).outcome());
        assertEquals(MercureSubscribeOutcome.MATCHER_TOO_LONG, parse("match=" + "a".repeat(2049)).outcome());
        assertEquals("topic matcher longer than 2048 bytes", parse("match=" + "a".repeat(2049)).reason());
    }

    @Test
    void shouldLeaveMatchToTheMercureEndpointWhenParsingNativeTopicNames()
    {
        final String text = "topic=a&match=b";
        final MercureSubscribeQuery query = MercureSubscribeQuery.parseTopicNames(buffer(text), 0, text.length());
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals(SelectorSet.of("a"), query.selectors());
        assertEquals(MercureProtocol.PRE_STANDARDIZATION, query.protocol());
    }

    private static MercureSubscribeQuery parse(final String query)
    {
        return MercureSubscribeQuery.parse(buffer(query), 0, query.length());
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
