package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import io.sseflow.benchmarks.fanout.results.FanOutRow;
import io.sseflow.benchmarks.fanout.results.FanOutTable;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes a run's results: each {@link RunResult} becomes one {@link FanOutRow} of {@link FanOutColumn}s, written as
 * CSV ({@code --csv}) and, through {@link FanOutTable} (the same table {@code ResultsReport} draws), as the markdown
 * table with its notes ({@code --out} and the console). Numbers in the CSV are plain, 10 significant digits; a field
 * is empty where the table shows "–".
 */
final class FanOutTableWriter
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");
    private static final MathContext CSV_PRECISION = new MathContext(10);

    private final FanOutSettings settings;

    /**
     * @param settings the run's settings (some columns and the notes state them).
     */
    FanOutTableWriter(final FanOutSettings settings)
    {
        this.settings = settings;
    }

    /**
     * The CSV: the header of every {@link FanOutColumn}, then one row per result.
     *
     * @param results the run's results in order.
     * @return the file's text.
     */
    String csv(final List<RunResult> results)
    {
        return csvOf(rows(results));
    }

    /**
     * The CSV of rows: the header of every {@link FanOutColumn}, then the rows.
     *
     * @param rows the rows in order.
     * @return the file's text.
     */
    static String csvOf(final List<FanOutRow> rows)
    {
        final StringBuilder out = new StringBuilder();
        for (final FanOutColumn column : FanOutColumn.values())
        {
            out.append(column.ordinal() == 0 ? "" : ",").append(column.csvName());
        }
        out.append('\n');
        for (final FanOutRow row : rows)
        {
            for (final FanOutColumn column : FanOutColumn.values())
            {
                out.append(column.ordinal() == 0 ? "" : ",").append(csvField(row.text(column)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The markdown table with its notes.
     *
     * @param results the run's results in order.
     * @param seconds the run's duration.
     * @return the table's text.
     */
    String table(final List<RunResult> results, final double seconds)
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        final StringBuilder out = new StringBuilder();
        out.append(format("Fan-out, %s%s; %d cores, %s %s (%s), %s; payload %d B; server JVM: %s; %.0f s.%n%n",
            settings.quick ? "quick" : "full", settings.topicsPerSubscriber == 1 ? "" :
            ", " + settings.topicsPerSubscriber + " topics per subscriber (one stream each)", cores,
            System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
            ZonedDateTime.now().format(TIME), settings.payloadBytes, settings.serverJvmArgs, seconds));
        out.append(FanOutTable.header(settings.stalledPercent + "%"));
        for (final FanOutRow row : rows(results))
        {
            // the result column reads the CSV's detail, whose line breaks are already spaces
            out.append(FanOutTable.line(row));
        }
        out.append(format("%nMax rate: publisher stays at most min(%d, %,d / subscribers) events " +
            "ahead of the slowest subscriber, POST batches of up to %d pipelined requests, client select rounds at " +
            "least %d µs apart; %d s warm-up, %d s " +
            "measured (including the final drain). Latency: %d events/s for %d s (stopped at twice that; the " +
            "achieved rate is shown: below the target, the server answered POSTs too slowly and latency excludes " +
            "that queueing), publish (just before the POST is written) to read by the client, every delivery " +
            "recorded. Heap: jstat used after jcmd GC.run, with N " +
            "idle subscribers minus the empty server, over N. Write syscalls: syscw of /proc/PID/io (write/writev; " +
            "– where the server sends with sendmsg, as Netty's epoll transport does). Client and servers share " +
            "the same %d cores.%n",
            settings.history / 4, settings.windowDeliveries, settings.batch, settings.maxRateReadIntervalMicros,
            settings.warmupSeconds, settings.measureSeconds, settings.fixedRate, settings.fixedSeconds, cores));
        if (settings.stalledPercent > 0)
        {
            out.append(format("Stalled readers: after those phases, %d%% of the connections " +
                "(spread evenly; opened with SO_RCVBUF %,d B) stop reading entirely and both phases run again, the " +
                "publisher held back only by the slowest reading subscriber; only the readers are checked (every " +
                "event, in order). \"vs all reading\": readers' events/s per connection over the all-reading max-rate " +
                "phase's (issue 5: within 10%%), p99 likewise. Heap (after GC) and RSS growth: after both stalled " +
                "phases minus just before the stall, same server; kernel send queue: bytes the server has written but " +
                "the peers have not acknowledged, summed over its connections (/proc/net/tcp tx_queue) at that point, " +
                "kernel memory outside heap and RSS (the kernel autotunes each socket's send buffer up to " +
                "net.ipv4.tcp_wmem's max unless the server sets SO_SNDBUF). Stalled dropped: stalled connections that, read " +
                "again at the end, had been ended or reset by the server (expected, not a failure; the others were " +
                "kept and caught up).%n", settings.stalledPercent, settings.stalledReceiveBuffer));
        }
        for (final RunResult r : results)
        {
            if (r.banner() != null)
            {
                final MaxRateResult m = maxRate(r);
                final LatencyResult l = r.latency();
                out.append(format("- %s/%d: `%s`; connect + warm-up %.1f s; max-rate phase: " +
                    "server %.0f%% CPU, load process %.0f%%, other processes %.0f%% (of %d00%%)%s%n", r.server(),
                    r.subscribers(), r.banner().trim(), r.idle() == null ? 0.0 : r.idle().connectSeconds(),
                    m.serverCpuUtilisation() * 100, m.clientCpuSecondsPerMillion() * m.deliveriesPerSecond() / 1e4,
                    m.otherCpuUtilisation() * 100, cores,
                    l != null && l.publishLagMaxNs() > TimeUnit.MILLISECONDS.toNanos(5) ?
                    format("; publisher fell up to %.1f ms behind schedule", l.publishLagMaxNs() / 1e6) : ""));
            }
        }
        return out.toString();
    }

    /**
     * A result as one console line (two with stalled readers).
     *
     * @param r the result.
     * @return summary.
     */
    static String summary(final RunResult r)
    {
        final MaxRateResult m = maxRate(r);
        final LatencyResult l = r.latency();
        return format("%s/%d: %,.0f deliveries/s (%,.0f events/s, window %d), server CPU %.0f%%, %.2f CPU s/1M " +
            "(load process %.2f), %.2f writes/delivery, other processes %.0f%% CPU; " +
            "p50 %s p99 %s p99.9 %s ms;%s %s",
            r.server(), r.subscribers(), m.deliveriesPerSecond(), m.eventsPerSecond(), m.window(),
            m.serverCpuUtilisation() * 100, zeroIfNaN(m.serverCpuSecondsPerMillion()),
            zeroIfNaN(m.clientCpuSecondsPerMillion()), m.writesPerDelivery(), m.otherCpuUtilisation() * 100,
            millis(l, l == null ? 0 : l.p50Ns()), millis(l, l == null ? 0 : l.p99Ns()),
            millis(l, l == null ? 0 : l.p999Ns()), stalledSummary(r), status(r));
    }

    private static String stalledSummary(final RunResult r)
    {
        final StalledResult s = r.stalled();
        if (s == null || s.connections() == 0)
        {
            return "";
        }
        final MaxRateResult m = s.maxRate() == null ? MaxRateResult.notMeasured(0) : s.maxRate();
        final LatencyResult l = s.latency();
        return format("%n    %d stalled: readers %,.0f deliveries/s (%,.0f events/s, %s of all " +
            "reading), server CPU %.0f%%, other processes %.0f%%, p99 %s ms (%s) at %.0f events/s; %d events " +
            "published while stalled; stalled dropped by the server %d, kept and caught up %d, skipped events %d; " +
            "heap %s B, RSS %s B over the server before the stall, kernel send queues %s B on %d connections%s;",
            s.connections(), m.deliveriesPerSecond(), m.eventsPerSecond(),
            ratio(m.eventsPerSecond(), maxRate(r).eventsPerSecond()), m.serverCpuUtilisation() * 100,
            m.otherCpuUtilisation() * 100, millis(l, l == null ? 0 : l.p99Ns()), ratio(p99(l), p99(r.latency())),
            l == null ? 0.0 : l.achievedEventsPerSecond(), s.eventsPublished(), s.dropped(), s.caughtUp(), s.gaps(),
            growth(s.heapAfter(), s.heapBefore()), growth(s.rssAfter(), s.rssBefore()),
            s.kernelQueueBytes() < 0 ? FanOutTable.DASH : format("%,d", s.kernelQueueBytes()),
            s.kernelQueueConnections(), s.firstDrop() == null ? "" : "; first drop: " + s.firstDrop());
    }

    private static String status(final RunResult r)
    {
        switch (r.status())
        {
            case FAIL:
                return "**FAIL** " + r.detail().replace("|", "/").replace("\n", " ");
            case SKIPPED:
                return "skipped: " + r.detail();
            default:
                return "ok";
        }
    }

    private List<FanOutRow> rows(final List<RunResult> results)
    {
        final List<FanOutRow> rows = new ArrayList<>();
        for (final RunResult r : results)
        {
            final RunResult netty = results.stream()
                .filter((x) -> x.server().equals("netty") && x.subscribers() == r.subscribers()).findFirst()
                .orElse(null);
            rows.add(row(r, netty == null ? MaxRateResult.notMeasured(0) : maxRate(netty)));
        }
        return rows;
    }

    FanOutRow row(final RunResult r, final MaxRateResult netty)
    {
        final Map<FanOutColumn, String> v = new EnumMap<>(FanOutColumn.class);
        final int n = r.subscribers();
        final MaxRateResult m = maxRate(r);
        final LatencyResult l = r.latency();
        final IdleMemory idle = r.idle() == null ? new IdleMemory(0, 0, 0, 0, 0) : r.idle();
        final StalledResult s = r.stalled();
        final MaxRateResult sm = s == null || s.maxRate() == null ? MaxRateResult.notMeasured(0) : s.maxRate();
        final LatencyResult sl = s == null ? null : s.latency();
        final boolean measured = m.measured();
        final boolean latency = l != null && l.measured();
        final boolean stalledLatency = sl != null && sl.measured();
        final boolean stalledMemory = s != null && s.memoryMeasured();
        final double rateRatio = sm.eventsPerSecond() > 0 && m.eventsPerSecond() > 0 ?
            sm.eventsPerSecond() / m.eventsPerSecond() : Double.NaN;
        final double p99Ratio = p99(sl) > 0 && p99(l) > 0 ? p99(sl) / p99(l) : Double.NaN;

        v.put(FanOutColumn.SERVER, r.server());
        v.put(FanOutColumn.SUBSCRIBERS, Integer.toString(n));
        put(v, FanOutColumn.MAX_DELIVERIES_PER_S, measured, m.deliveriesPerSecond());
        put(v, FanOutColumn.VS_NETTY, netty.measured() && measured,
            m.deliveriesPerSecond() / netty.deliveriesPerSecond());
        put(v, FanOutColumn.SERVER_CPU_S_PER_1M_DELIVERIES, m.serverCpuSecondsPerMillion() > 0,
            m.serverCpuSecondsPerMillion());
        put(v, FanOutColumn.SERVER_WRITE_SYSCALLS_PER_DELIVERY, !Double.isNaN(m.writesPerDelivery()),
            m.writesPerDelivery());
        put(v, FanOutColumn.LOAD_PROCESS_CPU_S_PER_1M_DELIVERIES, m.clientCpuSecondsPerMillion() > 0,
            m.clientCpuSecondsPerMillion());
        put(v, FanOutColumn.OTHER_PROCESSES_CPU, measured, m.otherCpuUtilisation());
        put(v, FanOutColumn.LATENCY_PHASE_EVENTS_PER_S, l != null && l.achievedEventsPerSecond() > 0,
            l == null ? 0 : l.achievedEventsPerSecond());
        put(v, FanOutColumn.P50_MS, latency, latency ? l.p50Ns() / 1e6 : 0);
        put(v, FanOutColumn.P99_MS, latency, latency ? l.p99Ns() / 1e6 : 0);
        put(v, FanOutColumn.P99_9_MS, latency, latency ? l.p999Ns() / 1e6 : 0);
        put(v, FanOutColumn.MAX_MS, latency, latency ? l.maxNs() / 1e6 : 0);
        put(v, FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION, idle.idleHeap() > 0 && idle.emptyHeap() > 0,
            (idle.idleHeap() - idle.emptyHeap()) / n);
        put(v, FanOutColumn.RSS_BYTES_PER_IDLE_CONNECTION, idle.idleRss() > 0 && idle.emptyRss() > 0,
            (idle.idleRss() - idle.emptyRss()) / n);
        put(v, FanOutColumn.EVENTS_CHECKED_PER_SUBSCRIBER, r.events() > 0, r.events());
        put(v, FanOutColumn.STALLED_PERCENT, true, settings.stalledPercent);
        put(v, FanOutColumn.STALLED_READERS_DELIVERIES_PER_S, sm.measured(), sm.deliveriesPerSecond());
        put(v, FanOutColumn.STALLED_READERS_VS_ALL_READING, !Double.isNaN(rateRatio), rateRatio);
        put(v, FanOutColumn.STALLED_P99_MS, stalledLatency, stalledLatency ? sl.p99Ns() / 1e6 : 0);
        put(v, FanOutColumn.STALLED_P99_VS_ALL_READING, !Double.isNaN(p99Ratio), p99Ratio);
        put(v, FanOutColumn.STALLED_DROPPED_BY_SERVER, stalledMemory, s == null ? 0 : s.dropped());
        put(v, FanOutColumn.STALLED_CONNECTIONS, s != null && s.connections() > 0, s == null ? 0 : s.connections());
        put(v, FanOutColumn.STALLED_HEAP_GROWTH_BYTES, stalledMemory, stalledMemory ? s.heapAfter() - s.heapBefore() : 0);
        put(v, FanOutColumn.STALLED_RSS_GROWTH_BYTES, stalledMemory, stalledMemory ? s.rssAfter() - s.rssBefore() : 0);
        put(v, FanOutColumn.STALLED_KERNEL_SEND_QUEUE_BYTES, stalledMemory && s.kernelQueueBytes() >= 0,
            s == null ? 0 : s.kernelQueueBytes());
        v.put(FanOutColumn.STATUS, r.status().csv());
        v.put(FanOutColumn.DETAIL, r.detail().replace('\n', ' ').replace('\r', ' '));
        put(v, FanOutColumn.MAX_RATE_EVENTS_PER_S, measured, m.eventsPerSecond());
        put(v, FanOutColumn.WINDOW_EVENTS, m.window() > 0, m.window());
        put(v, FanOutColumn.SERVER_CPU_UTILISATION, measured, m.serverCpuUtilisation());
        put(v, FanOutColumn.LOAD_PROCESS_CPU_UTILISATION, measured,
            m.clientCpuSecondsPerMillion() * m.deliveriesPerSecond() / 1e6);
        put(v, FanOutColumn.CONNECT_AND_WARMUP_S, idle.connectSeconds() > 0, idle.connectSeconds());
        put(v, FanOutColumn.PUBLISHER_MAX_LAG_MS, l != null && l.achievedEventsPerSecond() > 0,
            l == null ? 0 : l.publishLagMaxNs() / 1e6);
        put(v, FanOutColumn.EMPTY_HEAP_BYTES, idle.emptyHeap() > 0, idle.emptyHeap());
        put(v, FanOutColumn.IDLE_HEAP_BYTES, idle.idleHeap() > 0, idle.idleHeap());
        put(v, FanOutColumn.EMPTY_RSS_BYTES, idle.emptyRss() > 0, idle.emptyRss());
        put(v, FanOutColumn.IDLE_RSS_BYTES, idle.idleRss() > 0, idle.idleRss());
        put(v, FanOutColumn.LATENCY_PHASE_TARGET_EVENTS_PER_S, true, settings.fixedRate);
        put(v, FanOutColumn.PAYLOAD_BYTES, true, settings.payloadBytes);
        v.put(FanOutColumn.SERVER_BANNER, r.banner() != null ? r.banner().trim() : "");
        put(v, FanOutColumn.STALLED_READERS_EVENTS_PER_S, sm.eventsPerSecond() > 0, sm.eventsPerSecond());
        put(v, FanOutColumn.STALLED_SERVER_CPU_UTILISATION, sm.eventsPerSecond() > 0, sm.serverCpuUtilisation());
        put(v, FanOutColumn.STALLED_LATENCY_PHASE_EVENTS_PER_S, sl != null && sl.achievedEventsPerSecond() > 0,
            sl == null ? 0 : sl.achievedEventsPerSecond());
        put(v, FanOutColumn.STALLED_P50_MS, stalledLatency, stalledLatency ? sl.p50Ns() / 1e6 : 0);
        put(v, FanOutColumn.STALLED_P99_9_MS, stalledLatency, stalledLatency ? sl.p999Ns() / 1e6 : 0);
        put(v, FanOutColumn.STALLED_MAX_MS, stalledLatency, stalledLatency ? sl.maxNs() / 1e6 : 0);
        put(v, FanOutColumn.STALLED_EVENTS_PUBLISHED, s != null && s.eventsPublished() > 0,
            s == null ? 0 : s.eventsPublished());
        put(v, FanOutColumn.STALLED_KEPT_CAUGHT_UP, stalledMemory, s == null ? 0 : s.caughtUp());
        put(v, FanOutColumn.STALLED_SKIPPED_EVENTS, stalledMemory, s == null ? 0 : s.gaps());
        put(v, FanOutColumn.STALLED_RECEIVE_BUFFER_BYTES, true, settings.stalledReceiveBuffer);
        put(v, FanOutColumn.HEAP_BEFORE_STALL_BYTES, s != null && s.heapBefore() > 0, s == null ? 0 : s.heapBefore());
        put(v, FanOutColumn.HEAP_AFTER_STALL_BYTES, s != null && s.heapAfter() > 0, s == null ? 0 : s.heapAfter());
        put(v, FanOutColumn.RSS_BEFORE_STALL_BYTES, s != null && s.rssBefore() > 0, s == null ? 0 : s.rssBefore());
        put(v, FanOutColumn.RSS_AFTER_STALL_BYTES, s != null && s.rssAfter() > 0, s == null ? 0 : s.rssAfter());
        put(v, FanOutColumn.STALLED_KERNEL_SEND_QUEUE_CONNECTIONS, stalledMemory && s.kernelQueueBytes() >= 0,
            s == null ? 0 : s.kernelQueueConnections());
        put(v, FanOutColumn.STALLED_OTHER_PROCESSES_CPU, sm.eventsPerSecond() > 0, sm.otherCpuUtilisation());
        v.put(FanOutColumn.STALLED_FIRST_DROP, s != null && s.firstDrop() != null ? s.firstDrop() : "");
        return new FanOutRow(v);
    }

    private static void put(
        final Map<FanOutColumn, String> values, final FanOutColumn column, final boolean measured, final long value)
    {
        values.put(column, measured ? Long.toString(value) : "");
    }

    private static void put(
        final Map<FanOutColumn, String> values, final FanOutColumn column, final boolean measured, final double value)
    {
        values.put(column, measured ? number(value) : "");
    }

    static MaxRateResult maxRate(final RunResult r)
    {
        return r.maxRate() == null ? MaxRateResult.notMeasured(0) : r.maxRate();
    }

    private static double p99(final LatencyResult latency)
    {
        return latency == null || !latency.measured() ? Double.NaN : latency.p99Ns();
    }

    private static double zeroIfNaN(final double value)
    {
        return Double.isNaN(value) ? 0 : value;
    }

    private static String millis(final LatencyResult latency, final long ns)
    {
        return latency == null || !latency.measured() ? FanOutTable.DASH : format(ns < 10_000_000 ? "%.3f" : "%.1f", ns / 1e6);
    }

    private static String ratio(final double with, final double without)
    {
        return with > 0 && without > 0 ? format("%.2f×", with / without) : FanOutTable.DASH;
    }

    private static String growth(final long after, final long before)
    {
        return after > 0 && before > 0 ? format("%+,d", after - before) : FanOutTable.DASH;
    }

    static String number(final double value)
    {
        return new BigDecimal(value).round(CSV_PRECISION).stripTrailingZeros().toPlainString();
    }

    private static String csvField(final String value)
    {
        final String oneLine = value.replace('\n', ' ').replace('\r', ' ');
        return oneLine.indexOf(',') < 0 && oneLine.indexOf('"') < 0 ?
            oneLine : '"' + oneLine.replace("\"", "\"\"") + '"';
    }

    private static String format(final String format, final Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }
}
