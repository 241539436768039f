package io.sseflow.encoder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every rejection names the problem and leaves the stream or buffer as it was.
 */
class RejectionTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @ParameterizedTest
    @ValueSource(strings = {"bad\nname", "bad\rname", "\r\n", "trailing\n"})
    void shouldRejectEventNameWithLineBreak(final String name)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> SseOptions.builder().event(name));

        assertEquals(
            "event name must not contain CR or LF (found at index " + SseFields.indexOfLineBreak(name) +
            "): it would end the field",
            ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1\n2", "1\r2", "\n"})
    void shouldRejectIdWithLineBreak(final String id)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> SseOptions.builder().id(id));

        assertEquals(
            "id must not contain CR or LF (found at index " + SseFields.indexOfLineBreak(id) +
            "): it would end the field",
            ex.getMessage());
    }

    @Test
    void shouldRejectIdWithNul()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> SseOptions.builder().id("a\u0000b"));

        assertEquals("id must not contain NUL (found at index 1): clients ignore such an id", ex.getMessage());
    }

    @Test
    void shouldRejectNegativeRetry()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> SseOptions.builder().retry(-1));

        assertEquals("retry must be >= 0 milliseconds: -1", ex.getMessage());
    }

    @Test
    void shouldRejectRetryBeyondWhatClientsParse()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> SseOptions.builder().retry(1L << 31));

        assertEquals(
            "retry must be <= 2147483647 milliseconds (some clients fail on longer values): 2147483648",
            ex.getMessage());
    }

    @Test
    void shouldRejectNullEventNameAndId()
    {
        assertEquals("event name must not be null",
            assertThrows(IllegalArgumentException.class, () -> SseOptions.builder().event(null)).getMessage());
        assertEquals("id must not be null",
            assertThrows(IllegalArgumentException.class, () -> SseOptions.builder().id(null)).getMessage());
    }

    @Test
    void shouldRejectTypeWithoutConverterAndWriteNothing() throws IOException
    {
        final Sse sse = new Sse(out);
        sse.write("before");

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> sse.write(new Unregistered()));

        assertEquals(
            "no JSON converter for io.sseflow.encoder.Unregistered: annotate it with " +
            "@com.dslplatform.json.CompiledJson (records too) so dsl-json's annotation processor generates one " +
            "at compile time, or pass a CharSequence to send text as it is",
            ex.getMessage());
        sse.write("after");
        assertEquals("data: before\n\ndata: after\n\n", out.toString(UTF_8));
    }

    @Test
    void shouldRejectInvalidTextIdAndLeaveBufferUntouched()
    {
        final EventFrameEncoder encoder = new EventFrameEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> encoder.encodeWithId(buffer, 0, 64, SseOptions.NONE, "x\ndata: forged", "payload"));

        assertEquals("id must not contain CR or LF (found at index 1): it would end the field", ex.getMessage());
        assertArrayEquals(new byte[64], buffer.byteArray());
    }

    @Test
    void shouldRejectTypeWithoutConverterAndLeaveBufferUntouched()
    {
        final EventFrameEncoder encoder = new EventFrameEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

        assertThrows(IllegalArgumentException.class,
            () -> encoder.encodeWithId(buffer, 0, 64, SseOptions.event("e"), 5, new Unregistered()));

        assertArrayEquals(new byte[64], buffer.byteArray());
    }

    @Test
    void shouldNeverLetDataForgeFields() throws IOException
    {
        new Sse(out).write("x\n\nid: 666\nevent: forged\r\rretry: 1");

        assertEquals(
            "data: x\ndata: \ndata: id: 666\ndata: event: forged\ndata: \ndata: retry: 1\n\n", out.toString(UTF_8));
    }
}
