package io.sseflow.encoder;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour of Rails' {@code ActionController::Live::SSE}, byte for byte: the seed example and the cases of
 * Rails' own test suite ({@code actionpack/test/controller/live_stream_test.rb}).
 */
class SseRailsCompatibilityTest
{
    private static final Map<String, String> JOHN = Map.of("name", "John");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void shouldWriteSeedEventWithDefaultRetryAndEvent() throws IOException
    {
        final Sse sse = new Sse(out, SseOptions.builder().retry(300).event("event-name").build());

        sse.write(JOHN);

        assertOutput("retry: 300\nevent: event-name\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldAddIdFromPerWriteOptions() throws IOException
    {
        final Sse sse = new Sse(out, SseOptions.builder().retry(300).event("event-name").build());

        sse.write(JOHN, SseOptions.builder().id(10).build());

        assertOutput("retry: 300\nevent: event-name\nid: 10\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldOverrideDefaultEventPerWrite() throws IOException
    {
        final Sse sse = new Sse(out, SseOptions.builder().retry(300).event("event-name").build());

        sse.write(JOHN, SseOptions.builder().id(10).event("other-event").build());

        assertOutput("retry: 300\nevent: other-event\nid: 10\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldOverrideDefaultEventAndRetryPerWrite() throws IOException
    {
        final Sse sse = new Sse(out, SseOptions.builder().retry(300).event("event-name").build());

        sse.write(JOHN, SseOptions.builder().id(10).event("other-event").retry(500).build());

        assertOutput("retry: 500\nevent: other-event\nid: 10\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldKeepDefaultsAfterAnOverriddenWrite() throws IOException
    {
        final Sse sse = new Sse(out, SseOptions.builder().retry(300).event("event-name").build());

        sse.write(JOHN, SseOptions.builder().id(10).event("other-event").retry(500).build());
        sse.write(JOHN);

        assertOutput(
            "retry: 500\nevent: other-event\nid: 10\ndata: {\"name\":\"John\"}\n\n" +
            "retry: 300\nevent: event-name\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldWriteStringAsIs() throws IOException
    {
        new Sse(out).write("{\"name\":\"John\"}");

        assertOutput("data: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldWriteEventName() throws IOException
    {
        new Sse(out, SseOptions.event("send-name")).write("{\"name\":\"John\"}");

        assertOutput("event: send-name\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldWriteRetry() throws IOException
    {
        new Sse(out, SseOptions.builder().retry(1000).build()).write("{\"name\":\"John\"}");

        assertOutput("retry: 1000\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldWriteId() throws IOException
    {
        new Sse(out).write("{\"name\":\"John\"}", SseOptions.builder().id(1).build());

        assertOutput("id: 1\ndata: {\"name\":\"John\"}\n\n");
    }

    @Test
    void shouldSplitMultiLineTextIntoDataLines() throws IOException
    {
        new Sse(out).write("first line.\nsecond line.");

        assertOutput("data: first line.\ndata: second line.\n\n");
    }

    @Test
    void shouldWriteFieldsInRailsOrderWhateverTheBuilderOrder() throws IOException
    {
        new Sse(out, SseOptions.builder().id("a").event("e").retry(5).build()).write("x");

        assertOutput("retry: 5\nevent: e\nid: a\ndata: x\n\n");
    }

    @Test
    void shouldWriteJsonForMapsListsArraysNumbersBooleansAndNull() throws IOException
    {
        final Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("a", 1);
        ordered.put("b", java.util.List.of(true, "x"));
        final Sse sse = new Sse(out);

        sse.write(ordered);
        sse.write(java.util.List.of(1, 2));
        sse.write(new int[]{3, 4});
        sse.write(42L);
        sse.write(Boolean.FALSE);
        sse.write(null);

        assertOutput(
            "data: {\"a\":1,\"b\":[true,\"x\"]}\n\n" +
            "data: [1,2]\n\n" +
            "data: [3,4]\n\n" +
            "data: 42\n\n" +
            "data: false\n\n" +
            "data: null\n\n");
    }

    @Test
    void shouldWriteCompiledJsonClassesAndRecords() throws IOException
    {
        final Sse sse = new Sse(out);

        sse.write(new Quote("ACME", 12.5, 7L, true));
        sse.write(new Person("John", 42));

        assertOutput(
            "data: {\"open\":true,\"price\":12.5,\"sequence\":7,\"symbol\":\"ACME\"}\n\n" +
            "data: {\"name\":\"John\",\"age\":42}\n\n");
    }

    @Test
    void shouldWriteComment() throws IOException
    {
        final Sse sse = new Sse(out);

        sse.comment("keep-alive");
        sse.comment("two\nlines");
        sse.comment("");

        assertOutput(": keep-alive\n: two\n: lines\n:\n");
    }

    @Test
    void shouldWriteSameBytesOverChannel() throws IOException
    {
        final Sse sse = new Sse(Channels.newChannel(out), SseOptions.builder().retry(300).event("event-name").build());

        sse.write(JOHN, SseOptions.builder().id(10).build());
        sse.write("a\nb");

        assertOutput(
            "retry: 300\nevent: event-name\nid: 10\ndata: {\"name\":\"John\"}\n\n" +
            "retry: 300\nevent: event-name\ndata: a\ndata: b\n\n");
    }

    @Test
    void shouldFlushAfterEachWrite() throws IOException
    {
        final int[] flushes = new int[1];
        final java.io.OutputStream counting = new java.io.FilterOutputStream(out)
        {
            public void flush() throws IOException
            {
                flushes[0]++;
                super.flush();
            }
        };
        final Sse sse = new Sse(counting);

        sse.write("a");
        sse.write(JOHN);
        sse.comment("c");

        assertEquals(3, flushes[0]);
    }

    @Test
    void shouldCloseStreamAndRefuseLaterWrites() throws IOException
    {
        final boolean[] closed = new boolean[1];
        final java.io.OutputStream tracking = new java.io.FilterOutputStream(out)
        {
            public void close() throws IOException
            {
                closed[0] = true;
                super.close();
            }
        };
        final Sse sse = new Sse(tracking);

        sse.close();
        sse.close();

        assertTrue(closed[0]);
        assertTrue(sse.isClosed());
        final IOException ex = assertThrows(IOException.class, () -> sse.write("late"));
        assertEquals("Sse is closed", ex.getMessage());
        assertOutput("");
    }

    private void assertOutput(final String expected)
    {
        assertEquals(expected, out.toString(UTF_8));
    }
}
