package io.sseflow.server.mercure;

import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A {@code QUERY} subscription's form body read with the URL's query as one list (the draft's "Subscription"): every
 * matcher of both, the query's {@code last_event_id} over the body's, the header over both, the same refusals as
 * in the query. Query and body sit in one buffer at offsets, as in a request.
 */
class MercureSubscribeBodyTest
{
    @Test
    void shouldTakeEveryMatcherOfBothAndTheQuerysLastEventId()
    {
        final MercureSubscribeQuery both = parse("match=a&last_event_id=q1", "match_exact=b&last_event_id=b1&match=c", "");
        assertEquals(MercureSubscribeOutcome.OK, both.outcome());
        assertEquals(MercureProtocol.DRAFT, both.protocol());
        assertEquals(SelectorSet.ofSelectors(List.of(TopicSelector.exact("a"), TopicSelector.exact("b"),
            TopicSelector.exact("c"))), both.selectors());
        assertEquals("q1", both.lastEventId());
        assertEquals(MercureResumeSource.LAST_EVENT_ID_DRAFT_PARAMETER, both.resumeSource());

        final MercureSubscribeQuery bodyOnly = parse("", "match=a&last_event_id=b1", "");
        assertEquals("b1", bodyOnly.lastEventId());
        final MercureSubscribeQuery header = parse("last_event_id=q1", "match=a&last_event_id=b1", "h1");
        assertEquals("h1", header.lastEventId());
        assertEquals(MercureResumeSource.LAST_EVENT_ID_HEADER, header.resumeSource());
    }

    @Test
    void shouldReadTodaysTopicAndLastEventIDFromTheBody()
    {
        final MercureSubscribeQuery today = parse("", "topic=a&topic=b%7Bx%7D&lastEventID=earliest", "");
        assertEquals(MercureSubscribeOutcome.OK, today.outcome());
        assertEquals(MercureProtocol.PRE_STANDARDIZATION, today.protocol());
        assertEquals(MercureResume.EARLIEST, today.resume());
        assertEquals(2, today.selectors().size());
    }

    @Test
    void shouldRefuseInTheBodyWhatItRefusesInTheQuery()
    {
        assertEquals(MercureSubscribeOutcome.MIXED_PROTOCOLS, parse("topic=a", "match=b", "").outcome());
        assertEquals(MercureSubscribeOutcome.MALFORMED_ESCAPE, parse("match=a", "match=%G0", "").outcome());
        assertEquals(MercureSubscribeOutcome.UNKNOWN_MATCHER, parse("match=a", "MATCH=b", "").outcome());
        assertEquals(MercureSubscribeOutcome.TOO_MANY_MATCHERS,
            parse("match=q&".repeat(60), "match=b&".repeat(41), "").outcome());
        assertEquals(MercureSubscribeOutcome.MISSING_TOPIC, parse("", "", "").outcome());
        assertNull(parse("", "", "").selectors());
    }

    private static MercureSubscribeQuery parse(final String query, final String body, final String header)
    {
        final String request = "?" + query + "|" + body + "|" + header;
        final UnsafeBuffer buffer = new UnsafeBuffer(request.getBytes(StandardCharsets.UTF_8));
        final int bodyOffset = 2 + query.length();
        final int headerOffset = bodyOffset + body.length() + 1;
        return MercureSubscribeQuery.parse(buffer, 1, query.length(), buffer, bodyOffset, body.length(), buffer,
            headerOffset, header.isEmpty() ? -1 : header.length());
    }
}
