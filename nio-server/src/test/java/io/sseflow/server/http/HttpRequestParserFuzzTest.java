package io.sseflow.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the request-head parser with Jazzer.
 * <p>
 * Without {@code JAZZER_FUZZ} set this runs the checked-in seeds and regression inputs (in
 * {@code src/test/resources/io/sseflow/server/http/HttpRequestParserFuzzTestInputs/}) as a normal test. With
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} (CI does so, bounded):
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl nio-server test -Dtest=HttpRequestParserFuzzTest
 * </pre>
 * Each input is a head plus the sizes of the pieces it arrives in. Properties checked for every input:
 * no exception escapes; parsing in pieces gives exactly the result of parsing at once; every recorded offset
 * lies inside the head; a refusal carries a known 4xx/5xx status and a reason; the parser never waits for more
 * once the head limit is reached.
 */
class HttpRequestParserFuzzTest
{
    static final int MAX_HEAD_LENGTH = 512;
    static final long MAX_CONTENT_LENGTH = 4096;
    private static final Set<Integer> REFUSALS = Set.of(400, 404, 405, 413, 414, 431, 501, 505);

    @FuzzTest(maxDuration = "60s")
    void fuzzRequestHead(final FuzzedDataProvider data)
    {
        final int pieces = data.consumeInt(1, 8);
        final int[] cuts = new int[pieces];
        for (int i = 0; i < pieces; i++)
        {
            cuts[i] = data.consumeInt(0, MAX_HEAD_LENGTH + 64);
        }
        final byte[] head = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Math.max(1, head.length)]);
        buffer.putBytes(0, head);

        final HttpRequestParser atOnce = new HttpRequestParser(MAX_HEAD_LENGTH, MAX_CONTENT_LENGTH);
        final int expected = atOnce.parse(buffer, head.length);
        checkInvariants(atOnce, expected, head.length);

        final HttpRequestParser inPieces = new HttpRequestParser(MAX_HEAD_LENGTH, MAX_CONTENT_LENGTH);
        int result = HttpRequestParser.NEED_MORE;
        for (int i = 0; i < pieces && result == HttpRequestParser.NEED_MORE; i++)
        {
            result = inPieces.parse(buffer, Math.min(cuts[i], head.length));
        }
        if (result == HttpRequestParser.NEED_MORE)
        {
            result = inPieces.parse(buffer, head.length);
        }

        assertEquals(expected, result, "result in pieces");
        assertSameRequest(atOnce, inPieces);

        inPieces.reset();
        assertEquals(expected, inPieces.parse(buffer, head.length), "result after reset");
        assertSameRequest(atOnce, inPieces);
    }

    private static void checkInvariants(final HttpRequestParser parser, final int result, final int length)
    {
        switch (result)
        {
            case HttpRequestParser.NEED_MORE:
                assertTrue(length < MAX_HEAD_LENGTH, "waits for more beyond the head limit");
                break;

            case HttpRequestParser.COMPLETE:
                final int headLength = parser.headLength();
                assertTrue(headLength > 0 && headLength <= length && headLength <= MAX_HEAD_LENGTH, "head length");
                assertInside(parser.pathOffset(), parser.pathLength(), headLength, "path");
                assertInside(parser.queryOffset(), parser.queryLength(), headLength, "query");
                if (parser.lastEventIdOffset() >= 0)
                {
                    assertInside(parser.lastEventIdOffset(), parser.lastEventIdLength(), headLength, "Last-Event-ID");
                }
                if (parser.authorizationOffset() >= 0)
                {
                    assertInside(
                        parser.authorizationOffset(), parser.authorizationLength(), headLength, "Authorization");
                }
                if (parser.originOffset() >= 0)
                {
                    assertInside(parser.originOffset(), parser.originLength(), headLength, "Origin");
                }
                if (parser.contentTypeOffset() >= 0)
                {
                    assertInside(parser.contentTypeOffset(), parser.contentTypeLength(), headLength, "Content-Type");
                }
                else
                {
                    assertEquals(0, parser.contentTypeLength(), "Content-Type length without one");
                }
                assertTrue(parser.contentLength() >= 0 && parser.contentLength() <= MAX_CONTENT_LENGTH,
                    "content length " + parser.contentLength());
                if (parser.isChunked())
                {
                    assertEquals(0, parser.contentLength(), "chunked with a Content-Length");
                    assertEquals(headLength, parser.chunkedBody().bodyOffset(), "chunked body offset");
                }
                break;

            case HttpRequestParser.BAD_MESSAGE:
                assertTrue(REFUSALS.contains(parser.errorStatus()), "status " + parser.errorStatus());
                assertNotNull(parser.errorReason());
                assertFalse(parser.errorReason().isEmpty(), "empty reason");
                break;

            default:
                throw new AssertionError("unknown result " + result);
        }
    }

    private static void assertInside(final int offset, final int length, final int headLength, final String what)
    {
        assertTrue(offset >= 0 && length >= 0 && offset + length <= headLength,
            what + " [" + offset + ", +" + length + ") outside head of " + headLength);
    }

    private static void assertSameRequest(final HttpRequestParser expected, final HttpRequestParser actual)
    {
        assertEquals(expected.state(), actual.state(), "state");
        assertEquals(expected.errorStatus(), actual.errorStatus(), "error status");
        assertEquals(expected.errorReason(), actual.errorReason(), "error reason");
        if (expected.state() == HttpRequestParser.State.COMPLETE)
        {
            assertEquals(expected.method(), actual.method(), "method");
            assertEquals(expected.headLength(), actual.headLength(), "head length");
            assertEquals(expected.pathOffset(), actual.pathOffset(), "path offset");
            assertEquals(expected.pathLength(), actual.pathLength(), "path length");
            assertEquals(expected.queryOffset(), actual.queryOffset(), "query offset");
            assertEquals(expected.queryLength(), actual.queryLength(), "query length");
            assertEquals(expected.contentLength(), actual.contentLength(), "content length");
            assertEquals(expected.isChunked(), actual.isChunked(), "chunked");
            assertEquals(expected.expectsContinue(), actual.expectsContinue(), "expects 100-continue");
            assertEquals(expected.isKeepAlive(), actual.isKeepAlive(), "keep-alive");
            assertEquals(expected.lastEventIdOffset(), actual.lastEventIdOffset(), "Last-Event-ID offset");
            assertEquals(expected.lastEventIdLength(), actual.lastEventIdLength(), "Last-Event-ID length");
            assertEquals(expected.authorizationOffset(), actual.authorizationOffset(), "Authorization offset");
            assertEquals(expected.originOffset(), actual.originOffset(), "Origin offset");
            assertEquals(expected.contentTypeOffset(), actual.contentTypeOffset(), "Content-Type offset");
            assertEquals(expected.contentTypeLength(), actual.contentTypeLength(), "Content-Type length");
        }
    }
}
