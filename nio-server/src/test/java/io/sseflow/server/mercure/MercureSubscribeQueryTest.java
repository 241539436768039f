package io.sseflow.server.mercure;

import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.selector.SelectorSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MercureSubscribeQueryTest
{
    @Test
    void shouldParseRepeatedTopicSelectors()
    {
        final MercureSubscribeQuery query = parse(
            "topic=https%3A%2F%2Fexample.com%2Ffoo&topic=bar&topic=https://example.com/bar/%7Bid%7D&topic=bar&x=1");
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals("ok", query.reason());
        final SelectorSet selectors = query.selectors();
        assertEquals(SelectorSet.of("bar", "https://example.com/foo", "https://example.com/bar/{id}"), selectors);
        assertEquals(2, selectors.count(SelectorKind.EXACT));
        assertEquals(1, selectors.count(SelectorKind.TEMPLATE));
        assertTrue(selectors.matchesAny("https://example.com/bar/42"));
        assertFalse(selectors.matchesAny("https://example.com/baz"));
        assertEquals(MercureResume.LIVE, query.resume());
        assertNull(query.lastEventId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "topic=a&lastEventID=urn%3Auuid%3A1             | <absent>  | AFTER_ID | urn:uuid:1 | LAST_EVENT_ID_PARAMETER",
        "topic=a&lastEventID=earliest                   | <absent>  | EARLIEST | <null>     | LAST_EVENT_ID_PARAMETER",
        "topic=a&lastEventID=earliest                   | 42        | AFTER_ID | 42         | LAST_EVENT_ID_HEADER",
        "topic=a&lastEventID=7                          | earliest  | EARLIEST | <null>     | LAST_EVENT_ID_HEADER",
        "topic=a&lastEventID=7                          | 9         | AFTER_ID | 9          | LAST_EVENT_ID_HEADER",
        "topic=a&lastEventID=7                          | ''        | AFTER_ID | 7          | LAST_EVENT_ID_PARAMETER",
        "topic=a&lastEventID=                           | <absent>  | LIVE     | <null>     | NONE",
        "topic=a&lastEventID=&lastEventID=5             | <absent>  | LIVE     | <null>     | NONE",
        "topic=a                                        | 3         | AFTER_ID | 3          | LAST_EVENT_ID_HEADER",
        "topic=a&lastEventID=Earliest                   | <absent>  | AFTER_ID | Earliest   | LAST_EVENT_ID_PARAMETER",
        "topic=a&lastEventId=5                          | <absent>  | AFTER_ID | 5          | LAST_EVENT_ID_ALIAS_PARAMETER",
        "topic=a&lastEventId=urn%3Auuid%3A1&lastEventId=2 | <absent> | AFTER_ID | urn:uuid:1 | LAST_EVENT_ID_ALIAS_PARAMETER",
        "topic=a&lastEventId=earliest                   | <absent>  | EARLIEST | <null>     | LAST_EVENT_ID_ALIAS_PARAMETER",
        "topic=a&lastEventId=5&lastEventID=6            | <absent>  | AFTER_ID | 6          | LAST_EVENT_ID_PARAMETER",
        "topic=a&lastEventID=&lastEventId=5             | <absent>  | AFTER_ID | 5          | LAST_EVENT_ID_ALIAS_PARAMETER",
        "topic=a&lastEventId=5                          | 9         | AFTER_ID | 9          | LAST_EVENT_ID_HEADER",
        "topic=a&lastEventId=                           | <absent>  | LIVE     | <null>     | NONE",
        "topic=a&lasteventid=5                          | <absent>  | LIVE     | <null>     | NONE",
    })
    void shouldPreferTheHeaderThenLastEventIDThenLastEventId(
        final String queryText,
        final String header,
        final MercureResume resume,
        final String lastEventId,
        final MercureResumeSource source)
    {
        final MercureSubscribeQuery query = "<absent>".equals(header) ? parse(queryText) :
            MercureSubscribeQuery.parse(buffer(queryText), 0, queryText.length(), buffer(header), 0, header.length());
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals(resume, query.resume());
        assertEquals("<null>".equals(lastEventId) ? null : lastEventId, query.lastEventId());
        assertEquals(source, query.resumeSource());
    }

    @Test
    void shouldLeaveLastEventIdToTheNativeStreamWhenParsingTopicNames()
    {
        final String text = "topic=a&topic=b&lastEventId=a%0Ab";
        final MercureSubscribeQuery query = MercureSubscribeQuery.parseTopicNames(buffer(text), 0, text.length());
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals(SelectorSet.of("a", "b"), query.selectors());
        assertEquals(MercureResume.LIVE, query.resume());
        assertEquals(MercureResumeSource.NONE, query.resumeSource());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                         | MISSING_TOPIC              | missing \"topic\" parameter",
        "lastEventID=1              | MISSING_TOPIC              | missing \"topic\" parameter",
        "topics=a                   | MISSING_TOPIC              | missing \"topic\" parameter",
        "topic=                     | EMPTY_SELECTOR             | empty \"topic\" selector",
        "topic=a&topic              | EMPTY_SELECTOR             | empty \"topic\" selector",
        "topic=a%0Ab                | SELECTOR_CONTROL_CHARACTER | \"topic\" selector contains a control character",
        "topic=%C3%28               | SELECTOR_NOT_UTF8          | \"topic\" selector is not valid UTF-8",
        "topic=%zz                  | MALFORMED_ESCAPE           | malformed percent-escape in the query",
        "topic=a&lastEventID=%4     | MALFORMED_ESCAPE           | malformed percent-escape in the query",
        "topic=a&lastEventID=a%00b  | INVALID_LAST_EVENT_ID      | last event id must be UTF-8 without CR, LF or NUL",
        "topic=a&lastEventID=%FF    | INVALID_LAST_EVENT_ID      | last event id must be UTF-8 without CR, LF or NUL",
        "topic=a&lastEventId=a%0Ab  | INVALID_LAST_EVENT_ID      | last event id must be UTF-8 without CR, LF or NUL",
    })
    void shouldRefuseInvalidQueriesWithAReason(
        final String queryText, final MercureSubscribeOutcome expected, final String reason)
    {
        final MercureSubscribeQuery query = parse(queryText);
        assertEquals(expected, query.outcome());
        assertEquals(reason, query.reason());
        assertNull(query.selectors());
    }

    @Test
    void shouldBoundSelectorsTheirLengthTheirExpressionsAndTheLastEventId()
    {
        assertEquals(MercureSubscribeOutcome.OK, parse("topic=t&".repeat(100)).outcome());
        assertEquals(MercureSubscribeOutcome.TOO_MANY_SELECTORS, parse("topic=t&".repeat(101)).outcome());
        assertEquals("more than 100 \"topic\" parameters", parse("topic=t&".repeat(101)).reason());
        assertEquals(MercureSubscribeOutcome.OK, parse("topic=" + "a".repeat(2048)).outcome());
        assertEquals(MercureSubscribeOutcome.SELECTOR_TOO_LONG, parse("topic=" + "a".repeat(2049)).outcome());
        assertEquals("\"topic\" selector longer than 2048 bytes", parse("topic=" + "a".repeat(2049)).reason());

        final MercureSubscribeQuery expressions = parse("topic=" + "%7Ba%7D%2F".repeat(17));
        assertEquals(MercureSubscribeOutcome.SELECTOR_TOO_MANY_EXPRESSIONS, expressions.outcome());
        assertEquals("\"topic\" selector has 17 URI-template expressions; at most 16 are allowed",
            expressions.reason());

        assertEquals(MercureSubscribeOutcome.OK, parse("topic=a&lastEventID=" + "1".repeat(1024)).outcome());
        assertEquals(MercureSubscribeOutcome.LAST_EVENT_ID_TOO_LONG,
            parse("topic=a&lastEventID=" + "1".repeat(1025)).outcome());
        final String header = "2".repeat(1025);
        assertEquals(MercureSubscribeOutcome.LAST_EVENT_ID_TOO_LONG,
            MercureSubscribeQuery.parse(buffer("topic=a"), 0, 7, buffer(header), 0, header.length()).outcome());
    }

    @Test
    void shouldParseFromAnOffset()
    {
        final String text = "GET /.well-known/mercure?topic=%2A&lastEventID=earliest HTTP/1.1";
        final int start = text.indexOf('?') + 1;
        final MercureSubscribeQuery query = MercureSubscribeQuery.parse(buffer(text), start, text.indexOf(' ', start) - start);
        assertEquals(MercureSubscribeOutcome.OK, query.outcome());
        assertEquals(1, query.selectors().count(SelectorKind.WILDCARD));
        assertEquals(MercureResume.EARLIEST, query.resume());
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
