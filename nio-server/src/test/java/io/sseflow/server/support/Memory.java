package io.sseflow.server.support;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Memory probes for bounds the tests assert: heap in use after garbage collection, and direct memory in use.
 */
public final class Memory
{
    private Memory()
    {
    }

    /**
     * Heap in use after garbage collection: the least of four {@code System.gc()} rounds.
     *
     * @return bytes.
     * @throws InterruptedException when interrupted between rounds.
     */
    public static long heapUsedAfterGc() throws InterruptedException
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
     *
     * @return bytes, 0 when the pool is not found.
     */
    public static long directUsed()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }
}
