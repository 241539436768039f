package io.sseflow.server.agent;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ProcessMetrics}: the process and JVM figures under the names Prometheus' client libraries use, with
 * plausible values, within {@link ProcessMetrics#maxRenderedLength()}, and rendered without allocating once warm.
 */
class ProcessMetricsTest
{
    private final ProcessMetrics metrics = new ProcessMetrics();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[metrics.maxRenderedLength()]);

    @Test
    void shouldRenderTheProcessAndJvmFiguresUnderTheirUsualNames()
    {
        final String text = buffer.getStringWithoutLengthAscii(0, metrics.render(buffer, 0));
        for (final String name : List.of("process_cpu_seconds_total", "process_resident_memory_bytes",
            "process_open_fds", "process_max_fds", "process_start_time_seconds", "jvm_memory_heap_used_bytes",
            "jvm_memory_heap_committed_bytes", "jvm_memory_heap_max_bytes", "jvm_buffer_pool_used_bytes{pool=\"direct\"}",
            "jvm_threads_current"))
        {
            assertTrue(value(text, name) > 0, name + " in " + text);
        }
        assertTrue(text.contains("# TYPE process_cpu_seconds_total counter\n"), text);
        assertTrue(text.contains("# TYPE jvm_gc_collection_seconds_total counter\njvm_gc_collection_seconds_total{gc=\""),
            text);
        final double start = value(text, "process_start_time_seconds");
        assertEquals(ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0, start, 0.001);
        assertTrue(value(text, "jvm_memory_heap_used_bytes") <= value(text, "jvm_memory_heap_committed_bytes"));
    }

    @Test
    void shouldRenderWithoutAllocatingOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++)
        {
            metrics.render(buffer, 0);
        }
        long minimum = Long.MAX_VALUE;
        for (int batch = 0; batch < 3; batch++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++)
            {
                metrics.render(buffer, 0);
            }
            minimum = Math.min(minimum, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, minimum, "bytes allocated by 1,000 renders in the quietest of 3 batches");
    }

    @Test
    void shouldCountOpenFileDescriptorsOnAThreadOfItsOwnAndCatchUpWithinAboutASecond() throws Exception
    {
        final double before = value(buffer.getStringWithoutLengthAscii(0, metrics.render(buffer, 0)),
            "process_open_fds");
        final java.util.List<java.nio.channels.FileChannel> opened = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                opened.add(java.nio.channels.FileChannel.open(java.nio.file.Path.of("/proc/self/statm")));
            }
            io.sseflow.server.support.Await.condition(() ->
                value(buffer.getStringWithoutLengthAscii(0, metrics.render(buffer, 0)), "process_open_fds") >= before + 10,
                "the count after 20 more files", java.time.Duration.ofSeconds(10));
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch((thread) -> "sseflow-fd-counter".equals(thread.getName()) && thread.isDaemon()));
        }
        finally
        {
            for (final java.nio.channels.FileChannel channel : opened)
            {
                channel.close();
            }
        }
    }

    private static double value(final String text, final String name)
    {
        return text.lines().filter((line) -> line.startsWith(name + " ")).findFirst()
            .map((line) -> Double.parseDouble(line.substring(name.length() + 1))).orElse(-1.0);
    }
}
