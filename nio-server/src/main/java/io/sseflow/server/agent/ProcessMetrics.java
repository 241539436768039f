package io.sseflow.server.agent;

import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static io.sseflow.server.agent.PrometheusText.ascii;
import static io.sseflow.server.agent.PrometheusText.putLine;
import static io.sseflow.server.agent.PrometheusText.putSeconds;

/**
 * The process's and the JVM's own figures in {@code /metrics}, in the names Prometheus' client libraries use:
 * {@code process_cpu_seconds_total}, {@code process_resident_memory_bytes} (Linux), {@code process_open_fds},
 * {@code process_max_fds}, {@code process_start_time_seconds}, {@code jvm_memory_heap_used_bytes} /
 * {@code _committed_bytes} / {@code _max_bytes}, {@code jvm_buffer_pool_used_bytes{pool="direct"}} (where the
 * history lives), {@code jvm_threads_current} and {@code jvm_gc_collection_seconds_total{gc=...}}.
 * <p>
 * Rendered by the agent thread for each scrape without allocating: the MXBeans are taken once, their getters return
 * primitives, and the resident size is read from {@code /proc/self/statm} into a buffer kept open. The open file
 * descriptors are counted by listing {@code /proc/self/fd}, work that grows with the connections (2.6-3.8 ms for
 * 2,000 here, which a scrape storm would repeat on the agent), so a daemon thread of the JVM's counts them, when a
 * scrape finds the count older than {@link #FD_COUNT_INTERVAL_NS}: the figure may be that old, plus one count. A
 * figure the JVM does not offer (no {@code jdk.management} module, not Linux) is left out.
 */
final class ProcessMetrics
{
    /**
     * How often at most the open file descriptors are counted: 1 s.
     */
    static final long FD_COUNT_INTERVAL_NS = 1_000_000_000L;

    private static final int MAX_LONG_DIGITS = 20;
    private static final long PAGE_BYTES = 4096;

    private final com.sun.management.OperatingSystemMXBean os = operatingSystem();
    private final com.sun.management.UnixOperatingSystemMXBean unix =
        os instanceof com.sun.management.UnixOperatingSystemMXBean ? (com.sun.management.UnixOperatingSystemMXBean)os :
        null;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final BufferPoolMXBean direct = directPool();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final byte[][] collectorLines;
    /**
     * One per JVM, never closed: every server of the process reads it with a positional read, which channels allow
     * from several threads at once (a channel per server would be a file descriptor each, left open).
     */
    private static final FileChannel STATM = open(Path.of("/proc/self/statm"));

    private final ByteBuffer statmBuffer = ByteBuffer.allocateDirect(256);
    private final long startTimeMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final Runtime runtime = Runtime.getRuntime();

    private static final byte[] CPU = line("process_cpu_seconds_total", "counter",
        "Total user and system CPU time spent in seconds.");
    private static final byte[] RSS = line("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    private static final byte[] OPEN_FDS = line("process_open_fds", "gauge", "Number of open file descriptors.");
    private static final byte[] MAX_FDS = line("process_max_fds", "gauge", "Maximum number of open file descriptors.");
    private static final byte[] START = line("process_start_time_seconds", "gauge",
        "Start time of the process since the Unix epoch in seconds.");
    private static final byte[] HEAP_USED = line("jvm_memory_heap_used_bytes", "gauge", "Used heap in bytes.");
    private static final byte[] HEAP_COMMITTED = line("jvm_memory_heap_committed_bytes", "gauge",
        "Committed heap in bytes.");
    private static final byte[] HEAP_MAX = line("jvm_memory_heap_max_bytes", "gauge", "Maximum heap in bytes.");
    private static final byte[] DIRECT = ascii("# HELP jvm_buffer_pool_used_bytes Used bytes of a JVM buffer pool.\n" +
        "# TYPE jvm_buffer_pool_used_bytes gauge\njvm_buffer_pool_used_bytes{pool=\"direct\"} ");
    private static final byte[] THREADS = line("jvm_threads_current", "gauge", "Current thread count of the JVM.");
    private static final byte[] GC_PREAMBLE = ascii("# HELP jvm_gc_collection_seconds_total Time spent in a given " +
        "JVM garbage collector in seconds.\n# TYPE jvm_gc_collection_seconds_total counter\n");

    ProcessMetrics()
    {
        collectorLines = new byte[collectors.size()][];
        for (int i = 0; i < collectorLines.length; i++)
        {
            collectorLines[i] = ascii("jvm_gc_collection_seconds_total{gc=\"" +
                collectors.get(i).getName().replace("\\", "\\\\").replace("\"", "\\\"") + "\"} ");
        }
    }

    /**
     * Append the figures in the Prometheus text format.
     *
     * @param buffer to write to, with room for {@link #maxRenderedLength()}.
     * @param index  where.
     * @return bytes written.
     */
    int render(final MutableDirectBuffer buffer, final int index)
    {
        int position = index;
        if (null != os)
        {
            position += putSeconds(buffer, position, CPU, os.getProcessCpuTime(), 1_000_000_000L);
        }
        final long rss = residentPages();
        if (rss >= 0)
        {
            position += putLine(buffer, position, RSS, rss * PAGE_BYTES);
        }
        if (null != unix)
        {
            final FdCounter counter = FdCounter.of(unix);
            counter.requestIfOlderThan(FD_COUNT_INTERVAL_NS);
            position += putLine(buffer, position, OPEN_FDS, counter.openFds());
            position += putLine(buffer, position, MAX_FDS, counter.maxFds());
        }
        position += putSeconds(buffer, position, START, startTimeMillis, 1_000L);
        final long committed = runtime.totalMemory();
        position += putLine(buffer, position, HEAP_USED, committed - runtime.freeMemory());
        position += putLine(buffer, position, HEAP_COMMITTED, committed);
        position += putLine(buffer, position, HEAP_MAX, runtime.maxMemory());
        if (null != direct)
        {
            position += putLine(buffer, position, DIRECT, direct.getMemoryUsed());
        }
        position += putLine(buffer, position, THREADS, threads.getThreadCount());
        buffer.putBytes(position, GC_PREAMBLE);
        position += GC_PREAMBLE.length;
        for (int i = 0; i < collectorLines.length; i++)
        {
            position += putSeconds(buffer, position, collectorLines[i], collectors.get(i).getCollectionTime(), 1_000L);
        }
        return position - index;
    }

    int maxRenderedLength()
    {
        int length = GC_PREAMBLE.length;
        for (final byte[] line : List.of(CPU, RSS, OPEN_FDS, MAX_FDS, START, HEAP_USED, HEAP_COMMITTED, HEAP_MAX,
            DIRECT, THREADS))
        {
            length += line.length + MAX_LONG_DIGITS + 11;
        }
        for (final byte[] line : collectorLines)
        {
            length += line.length + MAX_LONG_DIGITS + 11;
        }
        return length;
    }

    private long residentPages()
    {
        final FileChannel statm = STATM;
        if (null == statm)
        {
            return -1;
        }
        try
        {
            statmBuffer.clear();
            final int read = statm.read(statmBuffer, 0);
            int i = 0;
            while (i < read && statmBuffer.get(i) != ' ')
            {
                i++;
            }
            long pages = 0;
            int digits = 0;
            for (i++; i < read && statmBuffer.get(i) >= '0' && statmBuffer.get(i) <= '9'; i++, digits++)
            {
                pages = pages * 10 + (statmBuffer.get(i) - '0');
            }
            return digits > 0 ? pages : -1;
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private static com.sun.management.OperatingSystemMXBean operatingSystem()
    {
        try
        {
            final java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
            return bean instanceof com.sun.management.OperatingSystemMXBean ?
                (com.sun.management.OperatingSystemMXBean)bean : null;
        }
        catch (final LinkageError ex)
        {
            return null;
        }
    }

    private static BufferPoolMXBean directPool()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool;
            }
        }
        return null;
    }

    private static FileChannel open(final Path path)
    {
        try
        {
            return FileChannel.open(path, StandardOpenOption.READ);
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return null;
        }
    }

    private static byte[] line(final String name, final String type, final String help)
    {
        return ascii("# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " ");
    }
}
