package io.sseflow.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the chunked body decoder with Jazzer, in the style of {@link HttpRequestParserFuzzTest}.
 * <p>
 * Without {@code JAZZER_FUZZ} set this runs the checked-in seeds (in
 * {@code src/test/resources/io/sseflow/server/http/ChunkedBodyDecoderFuzzTestInputs/}: split bodies, chunk
 * extensions, trailers, bad sizes, over-limit sizes, bare LFs, pipelined bytes after the body) as a normal test.
 * With {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl nio-server test -Dtest=ChunkedBodyDecoderFuzzTest
 * </pre>
 * Each input is a chunked body (and whatever follows it) plus the sizes of the pieces it arrives in, decoded in
 * place after a few bytes standing for the request head, as the server does. Properties checked for every input:
 * no exception escapes; decoding in pieces, each appended where the decoded body ends, gives exactly the result,
 * body and consumed length of decoding at once; the bytes before the body are never touched; the body never passes
 * the limit; a refusal carries 400, 413 or 431 and a reason; when more is needed every byte was consumed; and an
 * accepted body is exactly what a plain reading of the RFC 9112 grammar gives.
 */
class ChunkedBodyDecoderFuzzTest
{
    static final int MAX_BODY_LENGTH = 512;
    static final int MAX_TRAILER_LENGTH = 128;
    private static final byte[] HEAD = "HEAD\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Set<Integer> REFUSALS = Set.of(400, 413, 431);

    @FuzzTest(maxDuration = "30s")
    void fuzzChunkedBody(final FuzzedDataProvider data)
    {
        final int pieces = data.consumeInt(1, 8);
        final int[] sizes = new int[pieces];
        for (int i = 0; i < pieces; i++)
        {
            sizes[i] = data.consumeInt(0, 255);
        }
        final byte[] raw = data.consumeRemainingAsBytes();

        final UnsafeBuffer atOnceBuffer = new UnsafeBuffer(new byte[HEAD.length + raw.length]);
        atOnceBuffer.putBytes(0, HEAD);
        atOnceBuffer.putBytes(HEAD.length, raw);
        final ChunkedBodyDecoder atOnce = new ChunkedBodyDecoder(MAX_BODY_LENGTH, MAX_TRAILER_LENGTH);
        atOnce.reset(HEAD.length);
        final ChunkedBodyDecoder.Result expected = atOnce.decode(atOnceBuffer, HEAD.length, atOnceBuffer.capacity());
        final int expectedConsumed = atOnce.consumedTo() - HEAD.length;
        checkInvariants(atOnce, expected, expectedConsumed, raw.length);
        assertHeadUntouched(atOnceBuffer);

        final UnsafeBuffer piecesBuffer = new UnsafeBuffer(new byte[HEAD.length + raw.length]);
        piecesBuffer.putBytes(0, HEAD);
        final ChunkedBodyDecoder inPieces = new ChunkedBodyDecoder(MAX_BODY_LENGTH, MAX_TRAILER_LENGTH);
        inPieces.reset(HEAD.length);
        ChunkedBodyDecoder.Result result = ChunkedBodyDecoder.Result.NEED_MORE;
        int fed = 0;
        for (int i = 0; i <= pieces && result == ChunkedBodyDecoder.Result.NEED_MORE && fed < raw.length; i++)
        {
            final int length = i < pieces ? Math.min(sizes[i], raw.length - fed) : raw.length - fed;
            final int at = inPieces.bodyEnd();
            piecesBuffer.putBytes(at, raw, fed, length);
            result = inPieces.decode(piecesBuffer, at, at + length);
            fed += result == ChunkedBodyDecoder.Result.NEED_MORE ? length : inPieces.consumedTo() - at;
        }
        if (raw.length == 0)
        {
            result = inPieces.decode(piecesBuffer, HEAD.length, HEAD.length);
        }

        assertEquals(expected, result, "result in pieces");
        assertEquals(atOnce.state(), inPieces.state(), "state in pieces");
        assertEquals(atOnce.errorStatus(), inPieces.errorStatus(), "error status in pieces");
        assertEquals(atOnce.errorReason(), inPieces.errorReason(), "error reason in pieces");
        assertEquals(atOnce.bodyLength(), inPieces.bodyLength(), "body length in pieces");
        assertEquals(expectedConsumed, fed, "bytes consumed in pieces");
        assertArrayEquals(body(atOnceBuffer, atOnce), body(piecesBuffer, inPieces), "body in pieces");
        assertHeadUntouched(piecesBuffer);

        if (expected == ChunkedBodyDecoder.Result.COMPLETE)
        {
            assertArrayEquals(referenceDecode(Arrays.copyOf(raw, expectedConsumed)), body(atOnceBuffer, atOnce),
                "accepted body differs from the grammar's reading");
        }
    }

    private static void checkInvariants(
        final ChunkedBodyDecoder decoder, final ChunkedBodyDecoder.Result result, final int consumed, final int length)
    {
        assertTrue(decoder.bodyLength() >= 0 && decoder.bodyLength() <= MAX_BODY_LENGTH, "body length " + decoder.bodyLength());
        assertTrue(decoder.bodyLength() <= consumed, "body longer than what was consumed");
        switch (result)
        {
            case NEED_MORE:
                assertEquals(length, consumed, "bytes left unconsumed while needing more");
                break;

            case COMPLETE:
                assertTrue(consumed >= 5 && consumed <= length, "consumed " + consumed + " of " + length);
                assertEquals(ChunkedBodyDecoder.State.COMPLETE, decoder.state());
                break;

            case BAD_MESSAGE:
                assertTrue(REFUSALS.contains(decoder.errorStatus()), "status " + decoder.errorStatus());
                assertNotNull(decoder.errorReason());
                assertFalse(decoder.errorReason().isEmpty(), "empty reason");
                assertTrue(consumed >= 0 && consumed < length, "failing byte " + consumed + " of " + length);
                break;

            default:
                throw new AssertionError("unknown result " + result);
        }
    }

    private static void assertHeadUntouched(final UnsafeBuffer buffer)
    {
        final byte[] head = new byte[HEAD.length];
        buffer.getBytes(0, head);
        assertArrayEquals(HEAD, head, "bytes before the body were overwritten");
    }

    private static byte[] body(final UnsafeBuffer buffer, final ChunkedBodyDecoder decoder)
    {
        final byte[] body = new byte[decoder.bodyLength()];
        buffer.getBytes(decoder.bodyOffset(), body);
        return body;
    }

    /**
     * A plain, non-incremental reading of a chunked body the decoder accepted: sizes before any extension, data of
     * that size, the rest skipped up to the blank line.
     */
    private static byte[] referenceDecode(final byte[] raw)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int position = 0;
        while (true)
        {
            final int lineEnd = indexOfCrlf(raw, position);
            int digitsEnd = position;
            while (digitsEnd < lineEnd && Character.digit(raw[digitsEnd], 16) >= 0)
            {
                digitsEnd++;
            }
            assertTrue(digitsEnd > position, "no chunk size at " + position);
            final long size = Long.parseLong(new String(raw, position, digitsEnd - position,
                StandardCharsets.US_ASCII).replaceFirst("^0+(?=.)", ""), 16);
            position = lineEnd + 2;
            if (size == 0)
            {
                break;
            }
            body.write(raw, position, (int)size);
            position += (int)size;
            assertEquals('\r', raw[position], "CR after chunk data");
            assertEquals('\n', raw[position + 1], "LF after chunk data");
            position += 2;
        }
        while (true)
        {
            final int lineEnd = indexOfCrlf(raw, position);
            if (lineEnd == position)
            {
                assertEquals(raw.length, position + 2, "the body ends with the blank line");
                return body.toByteArray();
            }
            position = lineEnd + 2;
        }
    }

    private static int indexOfCrlf(final byte[] raw, final int from)
    {
        for (int i = from; i + 1 < raw.length; i++)
        {
            if (raw[i] == '\r' && raw[i + 1] == '\n')
            {
                return i;
            }
        }
        throw new AssertionError("no CRLF after " + from);
    }
}
