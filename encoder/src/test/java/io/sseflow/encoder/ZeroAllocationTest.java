package io.sseflow.encoder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state allocates nothing: after warm-up, 100,000 calls allocate 0 bytes on the calling thread, as counted by
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}.
 */
class ZeroAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int CALLS = 100_000;
    private static final String TEXT =
        "The quick brown fox jumps over the lazy dog; sphinx of black quartz, judge my vow. 0123456789 ok";
    private static final SseOptions DEFAULTS = SseOptions.builder().retry(300).event("quote").build();
    private static final SseOptions OVERRIDE = SseOptions.builder().event("other").id(10).build();

    private static com.sun.management.ThreadMXBean threads;

    private final Quote quote = new Quote("ACME", 101.25, 1L, true);
    private final Person person = new Person("John", 42);
    private final DiscardingChannel channel = new DiscardingChannel();
    private final Sse sse = new Sse(channel, DEFAULTS);
    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(4096);
    private long sink;

    @BeforeAll
    static void enableAllocationCounting()
    {
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void shouldNotAllocateWhenWritingText() throws Exception
    {
        assertZeroAllocation(() -> sse.write(TEXT));
    }

    @Test
    void shouldNotAllocateWhenWritingMultiLineAsciiText() throws Exception
    {
        assertZeroAllocation(() -> sse.write("line one\nline two\r\nline three\r"));
    }

    @Test
    void shouldNotAllocateWhenWritingMultiLineUnicodeText() throws Exception
    {
        assertZeroAllocation(() -> sse.write("line 1\r\nlíne 2 \uD83D\uDE00 €\nlone \uD800 surrogate\r"));
    }

    @Test
    void shouldNotAllocateWhenWritingCompiledJson() throws Exception
    {
        assertZeroAllocation(() ->
        {
            quote.sequence++;
            sse.write(quote);
        });
    }

    @Test
    void shouldNotAllocateWhenWritingCompiledRecord() throws Exception
    {
        assertZeroAllocation(() -> sse.write(person));
    }

    @Test
    void shouldNotAllocateWhenWritingTextWithOverride() throws Exception
    {
        assertZeroAllocation(() -> sse.write(TEXT, OVERRIDE));
    }

    @Test
    void shouldNotAllocateWhenWritingCompiledJsonWithOverride() throws Exception
    {
        assertZeroAllocation(() -> sse.write(quote, OVERRIDE));
    }

    @Test
    void shouldNotAllocateWhenWritingComments() throws Exception
    {
        assertZeroAllocation(() -> sse.comment("keep-alive"));
    }

    @Test
    void shouldNotAllocateWhenEncodingTextWithChangingNumericIds() throws Exception
    {
        assertZeroAllocation(() -> sink += encoder.encodeWithId(buffer, 0, 4096, DEFAULTS, sink, TEXT));
    }

    @Test
    void shouldNotAllocateWhenEncodingJsonWithChangingNumericIds() throws Exception
    {
        assertZeroAllocation(() ->
        {
            quote.sequence = sink;
            sink += encoder.encodeWithId(buffer, 0, 4096, DEFAULTS, sink, quote);
        });
    }

    @Test
    void shouldNotAllocateWhenEncodingWithTextIdsAndOverrides() throws Exception
    {
        assertZeroAllocation(() ->
        {
            sink += encoder.encodeWithId(buffer, 0, 4096, DEFAULTS, "order-17", TEXT);
            sink += encoder.encode(buffer, 0, 4096, DEFAULTS, OVERRIDE, person);
        });
    }

    @Test
    void shouldNotAllocateWhenEncodingIntoByteBuffers() throws Exception
    {
        assertZeroAllocation(() ->
        {
            byteBuffer.clear();
            sink += encoder.encodeWithId(byteBuffer, DEFAULTS, sink, TEXT);
            sink += encoder.encode(byteBuffer, DEFAULTS, OVERRIDE, quote);
        });
    }

    private void assertZeroAllocation(final ThrowingRunnable call) throws Exception
    {
        for (int i = 0; i < WARM_UP; i++)
        {
            call.run();
        }

        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && allocated != 0; attempt++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS; i++)
            {
                call.run();
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertEquals(0, allocated, "bytes allocated by " + CALLS + " calls");
        assertTrue(channel.bytes > 0 || sink != 0);
    }

    @FunctionalInterface
    interface ThrowingRunnable
    {
        void run() throws Exception;
    }

    /**
     * A channel that takes every byte and keeps none.
     */
    static final class DiscardingChannel implements WritableByteChannel
    {
        long bytes;

        public int write(final ByteBuffer source)
        {
            final int remaining = source.remaining();
            source.position(source.limit());
            bytes += remaining;
            return remaining;
        }

        public boolean isOpen()
        {
            return true;
        }

        public void close()
        {
        }
    }
}
