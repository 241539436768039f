package io.sseflow.server;

import io.sseflow.encoder.SseOptions;

import java.util.function.LongSupplier;

final class TestUtil
{
    private TestUtil()
    {
    }

    static void awaitSubscribers(final SseServer server, final long count)
    {
        await(() -> server.metrics().subscribers(), count, "subscribers");
    }

    static void await(final LongSupplier value, final long expected, final String what)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        long last;
        while ((last = value.getAsLong()) != expected)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(what + ": expected " + expected + " but was " + last);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static void publish(final Topic topic, final Object data, final SseOptions options)
    {
        PublishResult result;
        while ((result = topic.publish(data, options)) == PublishResult.BACK_PRESSURED)
        {
            Thread.yield();
        }
        if (result != PublishResult.OK)
        {
            throw new AssertionError("publish failed: " + result);
        }
    }

    /**
     * Heap in use after garbage collection: the least of four {@code System.gc()} rounds.
     */
    static long heapUsedAfterGc() throws InterruptedException
    {
        final Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++)
        {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    /**
     * Direct memory in use by NIO buffers ({@code BufferPoolMXBean} "direct").
     */
    static long directMemoryUsed()
    {
        for (final java.lang.management.BufferPoolMXBean pool :
            java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }
}
