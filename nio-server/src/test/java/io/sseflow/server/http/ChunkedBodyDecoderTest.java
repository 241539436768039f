package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChunkedBodyDecoderTest
{
    private static final String PREFIX = "HEAD-BYTES";
    private static final String BODY =
        "5;name=value;quoted=\"a;b\"\r\nhello\r\n" +
        "1b\r\n, and twenty-one bytes more\r\n" +
        "0000a \t; ext\r\n0123456789\r\n" +
        "000;last\r\n" +
        "X-Checksum: abc\r\n" +
        "X-Empty:\r\n" +
        "\r\n";
    private static final String DECODED = "hello, and twenty-one bytes more0123456789";
    private static final String NEXT = "GET /next HTTP/1.1\r\n\r\n";

    @Test
    void shouldDecodeInPlaceAtOnceAndLeaveTheFollowingBytes()
    {
        final UnsafeBuffer buffer = buffer(PREFIX + BODY + NEXT, 0);
        final ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(1024, 1024);
        decoder.reset(PREFIX.length());
        assertEquals(ChunkedBodyDecoder.Result.COMPLETE, decoder.decode(buffer, PREFIX.length(), buffer.capacity()));
        assertEquals(ChunkedBodyDecoder.State.COMPLETE, decoder.state());
        assertEquals(DECODED.length(), decoder.bodyLength());
        assertEquals(PREFIX + DECODED, text(buffer, 0, decoder.bodyEnd()));
        assertEquals(PREFIX.length() + BODY.length(), decoder.consumedTo());
        assertEquals(NEXT, text(buffer, decoder.consumedTo(), NEXT.length()));
        assertEquals(ChunkedBodyDecoder.Result.COMPLETE, decoder.decode(buffer, decoder.bodyEnd(), buffer.capacity()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 16, 1000})
    void shouldDecodeTheSameBodyArrivingInPiecesOfAnySize(final int pieceSize)
    {
        final byte[] raw = (BODY + NEXT).getBytes(StandardCharsets.ISO_8859_1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PREFIX.length() + raw.length]);
        buffer.putStringWithoutLengthAscii(0, PREFIX);
        final ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(1024, 1024);
        decoder.reset(PREFIX.length());

        int fed = 0;
        ChunkedBodyDecoder.Result result = ChunkedBodyDecoder.Result.NEED_MORE;
        while (result == ChunkedBodyDecoder.Result.NEED_MORE && fed < raw.length)
        {
            final int length = Math.min(pieceSize, raw.length - fed);
            final int at = decoder.bodyEnd();
            buffer.putBytes(at, raw, fed, length);
            result = decoder.decode(buffer, at, at + length);
            fed += result == ChunkedBodyDecoder.Result.NEED_MORE ? length : decoder.consumedTo() - at;
        }

        assertEquals(ChunkedBodyDecoder.Result.COMPLETE, result);
        assertEquals(PREFIX + DECODED, text(buffer, 0, decoder.bodyEnd()));
        assertEquals(BODY.length(), fed, "chunked bytes consumed");
    }

    @Test
    void shouldAnswer413AsSoonAsAChunkSizePassesTheLimitBeforeItsData()
    {
        final ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(10, 1024);
        final UnsafeBuffer first = buffer("6\r\nabcdef\r\n5", 0);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.BAD_MESSAGE, decoder.decode(first, 0, first.capacity()));
        assertEquals(413, decoder.errorStatus());
        assertEquals("request body too large", decoder.errorReason());
        assertEquals(first.capacity() - 1, decoder.consumedTo());
        assertEquals(6, decoder.bodyLength());

        final UnsafeBuffer exact = buffer("6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n", 0);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.COMPLETE, decoder.decode(exact, 0, exact.capacity()));
        assertEquals("abcdefghij", text(exact, 0, decoder.bodyLength()));

        final UnsafeBuffer huge = buffer("7fffffffffffffffffff\r\n", 0);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.BAD_MESSAGE, decoder.decode(huge, 0, huge.capacity()));
        assertEquals(413, decoder.errorStatus());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'zz\r\n'|400|malformed chunk size",
        "'\r\n'|400|malformed chunk size",
        "'-1\r\n'|400|malformed chunk size",
        "' 5\r\nhello\r\n'|400|malformed chunk size",
        "'5 \r\nhello\r\n'|400|malformed chunk size",
        "'5 x\r\nhello\r\n'|400|malformed chunk size",
        "'5\nhello\r\n'|400|chunk-size line not ended by CRLF",
        "'5\rhello\r\n'|400|chunk-size line not ended by CRLF",
        "'5;a\nhello\r\n'|400|chunk-size line not ended by CRLF",
        "'5;a\u0007\r\nhello\r\n'|400|malformed chunk extension",
        "'5;a=\u007f\r\nhello\r\n'|400|malformed chunk extension",
        "'5\r\nhelloX'|400|chunk data not followed by CRLF",
        "'5\r\nhello\rX'|400|chunk data not followed by CRLF",
        "'5\r\nhello\n0\r\n\r\n'|400|chunk data not followed by CRLF",
        "'0\r\n:x\r\n\r\n'|400|malformed trailer field",
        "'0\r\n x: y\r\n\r\n'|400|malformed trailer field",
        "'0\r\nA B: y\r\n\r\n'|400|malformed trailer field",
        "'0\r\nA: y\u0001\r\n\r\n'|400|malformed trailer field",
        "'0\r\nA: y\rx'|400|trailer field not ended by CRLF",
        "'0\r\n\n'|400|malformed trailer field",
        "'0\r\n\rx'|400|chunked body not ended by CRLF",
    })
    void shouldRefuseMalformedBodiesWithStatusAndReason(final String body, final int status, final String reason)
    {
        final UnsafeBuffer buffer = buffer(body, 0);
        final ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(1024, 1024);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.BAD_MESSAGE, decoder.decode(buffer, 0, buffer.capacity()));
        assertEquals(status, decoder.errorStatus());
        assertEquals(reason, decoder.errorReason());
        assertEquals(ChunkedBodyDecoder.State.BAD_MESSAGE, decoder.state());
        assertEquals(ChunkedBodyDecoder.Result.BAD_MESSAGE, decoder.decode(buffer, decoder.bodyEnd(), buffer.capacity()));
    }

    @Test
    void shouldBoundChunkLinesAndTrailers()
    {
        final ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(1024, 64);
        final UnsafeBuffer longLine = buffer("1;" + "e".repeat(ChunkedBodyDecoder.MAX_CHUNK_LINE_LENGTH) + "\r\n", 0);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.BAD_MESSAGE, decoder.decode(longLine, 0, longLine.capacity()));
        assertEquals("chunk-size line too long", decoder.errorReason());

        final UnsafeBuffer zeros = buffer("0".repeat(ChunkedBodyDecoder.MAX_CHUNK_LINE_LENGTH + 1), 0);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.BAD_MESSAGE, decoder.decode(zeros, 0, zeros.capacity()));
        assertEquals("chunk-size line too long", decoder.errorReason());

        final UnsafeBuffer trailers = buffer("0\r\n" + "X: y\r\n".repeat(20) + "\r\n", 0);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.BAD_MESSAGE, decoder.decode(trailers, 0, trailers.capacity()));
        assertEquals(431, decoder.errorStatus());
        assertEquals("trailer fields too large", decoder.errorReason());

        final UnsafeBuffer fits = buffer("0\r\n" + "X: y\r\n".repeat(8) + "\r\n", 0);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.COMPLETE, decoder.decode(fits, 0, fits.capacity()));
        assertEquals(0, decoder.bodyLength());
    }

    @Test
    void shouldRefuseAnOffsetInsideTheDecodedBody()
    {
        final UnsafeBuffer buffer = buffer("3\r\nabc", 0);
        final ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(1024, 1024);
        decoder.reset(0);
        assertEquals(ChunkedBodyDecoder.Result.NEED_MORE, decoder.decode(buffer, 0, buffer.capacity()));
        assertEquals(3, decoder.bodyEnd());
        assertEquals(buffer.capacity(), decoder.consumedTo());
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(buffer, 2, buffer.capacity()));
        assertThrows(IllegalArgumentException.class, () -> new ChunkedBodyDecoder(-1, 1));
    }

    private static UnsafeBuffer buffer(final String text, final int spare)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + spare]);
        buffer.putBytes(0, bytes);
        return buffer;
    }

    private static String text(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
