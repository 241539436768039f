package io.sseflow.encoder;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.sseflow.encoder.EventFrameEncoder.INSUFFICIENT_CAPACITY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EventFrameEncoderTest
{
    private static final byte FILL = (byte)0x55;
    private static final SseOptions RETRY_AND_EVENT = SseOptions.builder().retry(300).event("tick").build();

    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private final UnsafeBuffer buffer = filled(new UnsafeBuffer(new byte[256]));

    @Test
    void shouldEncodeTextFrameAtOffsetAndReturnBytesWritten()
    {
        final int written = encoder.encode(buffer, 10, 200, RETRY_AND_EVENT, "hello");

        assertFrame("retry: 300\nevent: tick\ndata: hello\n\n", 10, written);
        assertEquals(FILL, buffer.getByte(9));
        assertEquals(FILL, buffer.getByte(10 + written));
    }

    @Test
    void shouldEncodeNumericIdReplacingOptionsId()
    {
        final SseOptions withId = SseOptions.builder().event("tick").id("old").build();

        final int written = encoder.encodeWithId(buffer, 0, 256, withId, 9_223_372_036_854_775_807L, "x");

        assertFrame("event: tick\nid: 9223372036854775807\ndata: x\n\n", 0, written);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, -1, -10, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000_007L})
    void shouldEncodeAnyNumericId(final long id)
    {
        final int written = encoder.encodeWithId(buffer, 3, 200, SseOptions.NONE, id, "d");

        assertFrame("id: " + id + "\ndata: d\n\n", 3, written);
    }

    @Test
    void shouldEncodeTextId()
    {
        final int written = encoder.encodeWithId(buffer, 0, 256, RETRY_AND_EVENT, "évt-7", "x");

        assertFrame("retry: 300\nevent: tick\nid: évt-7\ndata: x\n\n", 0, written);
    }

    @Test
    void shouldEncodeJsonWithIdAndEvent()
    {
        final int written = encoder.encodeWithId(
            buffer, 0, 256, SseOptions.event("person"), 42, new Person("Ann", 30));

        assertFrame("event: person\nid: 42\ndata: {\"name\":\"Ann\",\"age\":30}\n\n", 0, written);
    }

    @Test
    void shouldOverrideDefaultsFieldByField()
    {
        final SseOptions defaults = SseOptions.builder().retry(1).event("a").id(1).build();
        final SseOptions overrides = SseOptions.builder().event("b").build();

        final int written = encoder.encode(buffer, 0, 256, defaults, overrides, "x");

        assertFrame("retry: 1\nevent: b\nid: 1\ndata: x\n\n", 0, written);
    }

    @Test
    void shouldEncodeComment()
    {
        final int written = encoder.encodeComment(buffer, 0, 256, "ping\r\npong");

        assertFrame(": ping\n: pong\n", 0, written);
    }

    @Test
    void shouldEncodeFrameThatExactlyFits()
    {
        final String expected = "id: 7\ndata: abc\n\n";

        final int written = encoder.encodeWithId(buffer, 0, expected.length(), SseOptions.NONE, 7, "abc");

        assertFrame(expected, 0, written);
    }

    @Test
    void shouldLeaveBufferUntouchedWhenFrameExceedsMaxLength()
    {
        final String expected = "id: 7\ndata: abc\n\n";

        final int written = encoder.encodeWithId(buffer, 0, expected.length() - 1, SseOptions.NONE, 7, "abc");

        assertEquals(INSUFFICIENT_CAPACITY, written);
        assertUntouched(buffer);
    }

    @Test
    void shouldLeaveBufferUntouchedWhenFrameExceedsCapacity()
    {
        final UnsafeBuffer small = filled(new UnsafeBuffer(new byte[16]));

        assertEquals(INSUFFICIENT_CAPACITY, encoder.encode(small, 4, 1000, SseOptions.NONE, "0123456789"));
        assertEquals(INSUFFICIENT_CAPACITY, encoder.encode(small, 0, 1000, SseOptions.NONE, new Person("Ann", 1)));
        assertEquals(INSUFFICIENT_CAPACITY, encoder.encodeComment(small, 0, 1000, "a long comment text"));
        assertEquals(INSUFFICIENT_CAPACITY, encoder.encodeWithId(small, 0, 1000, SseOptions.NONE, 7, new Person("A", 1)));
        assertEquals(INSUFFICIENT_CAPACITY, encoder.encodeWithId(small, 0, 1000, SseOptions.NONE, 7, "0123456789"));
        assertUntouched(small);
    }

    @Test
    void shouldGrowExpandableBuffers()
    {
        final String text = "x".repeat(10_000);
        final MutableDirectBuffer[] growable = {new ExpandableArrayBuffer(16), new ExpandableDirectByteBuffer(16)};

        for (final MutableDirectBuffer destination : growable)
        {
            final int written = encoder.encode(destination, 5, Integer.MAX_VALUE - 5, SseOptions.NONE, text);

            assertEquals(6 + 10_000 + 2, written);
            assertEquals("data: " + text + "\n\n", destination.getStringWithoutLengthUtf8(5, written));
        }
    }

    @Test
    void shouldRespectMaxLengthOnExpandableBuffers()
    {
        final ExpandableArrayBuffer growable = new ExpandableArrayBuffer(16);

        assertEquals(INSUFFICIENT_CAPACITY, encoder.encode(growable, 0, 100, SseOptions.NONE, "y".repeat(200)));
        assertEquals(16, growable.capacity());
    }

    @Test
    void shouldEncodeIntoHeapAndDirectByteBuffersAtPosition()
    {
        for (final ByteBuffer destination : new ByteBuffer[]{ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64)})
        {
            destination.position(4);

            final int first = encoder.encodeWithId(destination, SseOptions.NONE, 1, "a");
            final int second = encoder.encode(destination, RETRY_AND_EVENT, SseOptions.NONE, "b");
            final int comment = encoder.encodeComment(destination, "c");

            assertEquals(4 + first + second + comment, destination.position());
            final byte[] bytes = new byte[destination.position() - 4];
            destination.flip().position(4);
            destination.get(bytes);
            assertEquals("id: 1\ndata: a\n\nretry: 300\nevent: tick\ndata: b\n\n: c\n", new String(bytes, UTF_8));
        }
    }

    @Test
    void shouldKeepByteBufferPositionWhenFrameExceedsLimit()
    {
        final ByteBuffer destination = ByteBuffer.allocate(64);
        destination.position(2).limit(12);

        assertEquals(INSUFFICIENT_CAPACITY, encoder.encode(destination, SseOptions.NONE, SseOptions.NONE, "too long"));

        assertEquals(2, destination.position());
        assertArrayEquals(new byte[64], destination.array());
    }

    @Test
    void shouldStageTextExactlyAsFieldPrimitivesWriteIt()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        final ExpandableArrayBuffer framed = new ExpandableArrayBuffer(64);
        final ExpandableArrayBuffer expected = new ExpandableArrayBuffer(64);
        for (int i = 0; i < 6_000; i++)
        {
            final String text = (i & 1) == 0 ? RandomText.anyText(random, 80) : RandomText.asciiText(random, 40);

            final int written = encoder.encode(framed, 0, Integer.MAX_VALUE, SseOptions.NONE, text);
            final int length = SseFields.putDataLines(expected, 0, text) + SseFields.putEndOfFrame(expected, 0 +
                SseFields.dataLinesLength(text));

            assertEquals(length, written, text);
            assertEquals(expected.getStringWithoutLengthUtf8(0, length), framed.getStringWithoutLengthUtf8(0, written));
        }
    }

    @Test
    void shouldEncodeTextLargerThanStagingInPlace()
    {
        final StringBuilder text = new StringBuilder();
        int lines = 0;
        while (text.length() < 200_000)
        {
            text.append("line \uD83D\uDE00 é\r\n");
            lines++;
        }
        final ExpandableDirectByteBuffer destination = new ExpandableDirectByteBuffer(64);

        final int written = encoder.encodeWithId(destination, 0, Integer.MAX_VALUE, SseOptions.NONE, 1, text);

        final String expected = "id: 1\n" +
            ("data: line \uD83D\uDE00 é\n").repeat(lines) + "data: \n\n";
        assertEquals(expected.getBytes(UTF_8).length, written);
        assertEquals(expected, destination.getStringWithoutLengthUtf8(0, written));
        assertEquals(INSUFFICIENT_CAPACITY,
            encoder.encode(new UnsafeBuffer(new byte[1000]), 0, 1000, SseOptions.NONE, text));
    }

    @Test
    void shouldWriteJsonBodyAlone()
    {
        final int length = encoder.writeJson(new Person("Bo", 7));

        assertEquals("{\"name\":\"Bo\",\"age\":7}", new String(encoder.jsonBytes(), 0, length, UTF_8));
    }

    private void assertFrame(final String expected, final int offset, final int written)
    {
        final byte[] expectedBytes = expected.getBytes(UTF_8);
        assertEquals(expectedBytes.length, written, "bytes written");
        final byte[] actual = new byte[written];
        buffer.getBytes(offset, actual);
        assertEquals(expected, new String(actual, UTF_8));
    }

    private static UnsafeBuffer filled(final UnsafeBuffer buffer)
    {
        buffer.setMemory(0, buffer.capacity(), FILL);
        return buffer;
    }

    private static void assertUntouched(final UnsafeBuffer buffer)
    {
        final byte[] expected = new byte[buffer.capacity()];
        Arrays.fill(expected, FILL);
        final byte[] actual = new byte[buffer.capacity()];
        buffer.getBytes(0, actual);
        assertArrayEquals(expected, actual);
    }
}
