package io.sseflow.encoder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseFieldsTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 16]);

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"|data: \\n",
        "a|data: a\\n",
        "a\\nb|data: a\\ndata: b\\n",
        "a\\rb|data: a\\ndata: b\\n",
        "a\\r\\nb|data: a\\ndata: b\\n",
        "a\\n\\rb|data: a\\ndata: \\ndata: b\\n",
        "a\\r\\n\\r\\nb|data: a\\ndata: \\ndata: b\\n",
        "a\\n|data: a\\ndata: \\n",
        "\\n|data: \\ndata: \\n",
        "\\r|data: \\ndata: \\n",
        "a\\r|data: a\\ndata: \\n",
        "\" lead\"|\"data:  lead\\n\"",
        "x: y|data: x: y\\n",
    })
    void shouldSplitDataAtEveryLineBreak(final String escapedText, final String escapedExpected)
    {
        final String text = unescape(escapedText);
        final String expected = unescape(escapedExpected);

        final int length = SseFields.dataLinesLength(text);
        final int written = SseFields.putDataLines(buffer, 0, text);

        assertEquals(expected.length(), length);
        assertEquals(length, written);
        assertEquals(expected, buffer.getStringWithoutLengthUtf8(0, written));
    }

    @Test
    void shouldEncodeSurrogatePairAsOneFourByteSequence()
    {
        assertUtf8("\uD83D\uDE00", new byte[]{(byte)0xF0, (byte)0x9F, (byte)0x98, (byte)0x80});
    }

    @Test
    void shouldEncodeLoneSurrogatesAsReplacementCharacter()
    {
        final byte[] fffd = {(byte)0xEF, (byte)0xBF, (byte)0xBD};
        assertUtf8("\uD83D", fffd);
        assertUtf8("\uDE00", fffd);
        assertUtf8("\uD83Dx", new byte[]{(byte)0xEF, (byte)0xBF, (byte)0xBD, 'x'});
        assertUtf8("\uDE00\uD83D", new byte[]{
            (byte)0xEF, (byte)0xBF, (byte)0xBD, (byte)0xEF, (byte)0xBF, (byte)0xBD});
    }

    @Test
    void shouldPassThroughNulAndUnicodeLineSeparators()
    {
        assertUtf8("a\u0000b\u2028c\u0085", "a\u0000b\u2028c\u0085".getBytes(UTF_8));
    }

    @Test
    void shouldMatchJdkUtf8ForValidText()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++)
        {
            final String text = RandomText.validText(random, 40);
            assertUtf8(text, text.getBytes(UTF_8));
        }
    }

    @Test
    void shouldComputeExactLengthForAnyText()
    {
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++)
        {
            final String text = RandomText.anyText(random, 60);

            assertEquals(SseFields.dataLinesLength(text), SseFields.putDataLines(buffer, 0, text), text);
            assertEquals(SseFields.commentLength(text), SseFields.putComment(buffer, 0, text), text);
            assertEquals(SseFields.utf8Length(text), SseFields.putUtf8(buffer, 0, text), text);
        }
    }

    @Test
    void shouldSplitUtf8BytesExactlyAsChars()
    {
        final SplittableRandom random = new SplittableRandom(13);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer fromChars = new UnsafeBuffer(new byte[4096]);
        for (int i = 0; i < 5_000; i++)
        {
            final String text = RandomText.validText(random, 60);
            final byte[] utf8 = text.getBytes(UTF_8);
            source.putBytes(3, utf8);

            final int expected = SseFields.putDataLines(fromChars, 0, text);
            final int length = SseFields.dataLinesLength(source, 3, utf8.length);
            final int written = SseFields.putDataLines(buffer, 0, source, 3, utf8.length);

            assertEquals(expected, length, text);
            assertEquals(expected, written, text);
            assertEquals(fromChars.getStringWithoutLengthUtf8(0, expected), buffer.getStringWithoutLengthUtf8(0, written));
        }
    }

    @Test
    void shouldWriteFieldsWithExactLengths()
    {
        assertField("retry: 0\n", SseFields.retryFieldLength(0), SseFields.putRetryField(buffer, 0, 0));
        assertField("retry: 2147483647\n", SseFields.retryFieldLength(Integer.MAX_VALUE),
            SseFields.putRetryField(buffer, 0, Integer.MAX_VALUE));
        assertField("event: ünï\n", SseFields.eventFieldLength("ünï"), SseFields.putEventField(buffer, 0, "ünï"));
        assertField("id: -42\n", SseFields.idFieldLength(-42), SseFields.putIdField(buffer, 0, -42));
        assertField("id: \n", SseFields.idFieldLength(""), SseFields.putIdField(buffer, 0, ""));
        assertField("\n", 1, SseFields.putEndOfFrame(buffer, 0));
    }

    @Test
    void shouldWriteFieldsFromEncodedBytes()
    {
        final UnsafeBuffer source = new UnsafeBuffer("xxtické\r\n".getBytes(UTF_8));
        final int nameLength = "tické".getBytes(UTF_8).length;

        assertField("event: tické\n", SseFields.utf8EventFieldLength(nameLength),
            SseFields.putEventField(buffer, 0, source, 2, nameLength));
        assertField("id: tické\n", SseFields.utf8IdFieldLength(nameLength),
            SseFields.putIdField(buffer, 0, source, 2, nameLength));
        assertEquals(-1, SseFields.indexOfLineBreak(source, 2, nameLength));
        assertEquals(2 + nameLength, SseFields.indexOfLineBreak(source, 2, nameLength + 2));
    }

    @Test
    void shouldWritePreEncodedOptionFields()
    {
        final SseOptions options = SseOptions.builder().id("7").event("e").retry(30).build();

        assertField("retry: 30\nevent: e\nid: 7\n", options.encodedLength(), options.putFields(buffer, 0));
        assertEquals(0, SseOptions.NONE.putFields(buffer, 0));
    }

    @Test
    void shouldValidateUtf8()
    {
        assertTrue(isValid(new byte[]{}));
        assertTrue(isValid("héllo \uD83D\uDE00 €".getBytes(UTF_8)));
        assertFalse(isValid(new byte[]{(byte)0xC0, (byte)0xAF}), "overlong");
        assertFalse(isValid(new byte[]{(byte)0xE0, (byte)0x80, (byte)0xAF}), "overlong 3-byte");
        assertFalse(isValid(new byte[]{(byte)0xED, (byte)0xA0, (byte)0x80}), "surrogate");
        assertFalse(isValid(new byte[]{(byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80}), "above U+10FFFF");
        assertFalse(isValid(new byte[]{(byte)0xE2, (byte)0x82}), "truncated");
        assertFalse(isValid(new byte[]{(byte)0x80}), "lone continuation");
        assertFalse(isValid(new byte[]{(byte)0xFF}), "invalid byte");
    }

    private boolean isValid(final byte[] bytes)
    {
        final UnsafeBuffer source = new UnsafeBuffer(new byte[bytes.length + 2]);
        source.putBytes(1, bytes);
        return SseFields.isValidUtf8(source, 1, bytes.length);
    }

    private void assertField(final String expected, final int length, final int written)
    {
        assertEquals(expected.getBytes(UTF_8).length, length);
        assertEquals(length, written);
        assertEquals(expected, buffer.getStringWithoutLengthUtf8(0, written));
    }

    private void assertUtf8(final String text, final byte[] expected)
    {
        final int length = SseFields.utf8Length(text);
        final int written = SseFields.putUtf8(buffer, 0, text);
        final byte[] actual = new byte[written];
        buffer.getBytes(0, actual);

        assertEquals(expected.length, length);
        assertArrayEquals(expected, actual);
    }

    static String unescape(final String text)
    {
        return text.replace("\\r", "\r").replace("\\n", "\n");
    }
}
