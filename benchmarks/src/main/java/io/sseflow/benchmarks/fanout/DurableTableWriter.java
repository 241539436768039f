package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.results.DurableTable;
import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import io.sseflow.benchmarks.fanout.results.FanOutRow;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Writes the durable scenario's results: each {@link DurableResult} becomes one {@link FanOutRow}, its load phases'
 * columns written as the fan-out scenario writes them ({@link FanOutTableWriter#row}) and the durable columns added
 * (configuration, nodes, publish target, failover, per-node RSS and directories); then the same CSV
 * ({@link FanOutTableWriter#csvOf}) and the markdown table of {@link DurableTable} with its notes.
 */
final class DurableTableWriter
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    private final FanOutSettings settings;
    private final FanOutTableWriter fanOut;

    /**
     * @param settings the run's settings.
     */
    DurableTableWriter(final FanOutSettings settings)
    {
        this.settings = settings;
        this.fanOut = new FanOutTableWriter(settings);
    }

    /**
     * The rows, in run order.
     *
     * @param results the run's results.
     * @return one row per result.
     */
    List<FanOutRow> rows(final List<DurableResult> results)
    {
        final List<FanOutRow> rows = new ArrayList<>();
        for (final DurableResult result : results)
        {
            rows.add(row(result));
        }
        return rows;
    }

    FanOutRow row(final DurableResult d)
    {
        final FanOutRow base = fanOut.row(d.run(), MaxRateResult.notMeasured(0));
        final Map<FanOutColumn, String> v = new EnumMap<>(FanOutColumn.class);
        for (final FanOutColumn column : FanOutColumn.values())
        {
            v.put(column, base.text(column));
        }
        v.put(FanOutColumn.STALLED_PERCENT, "");
        v.put(FanOutColumn.STALLED_RECEIVE_BUFFER_BYTES, "");
        v.put(FanOutColumn.CONFIGURATION, d.configuration().label());
        v.put(FanOutColumn.NODES, Integer.toString(d.configuration().nodes()));
        v.put(FanOutColumn.PUBLISHED_TO, d.leader() < 0 ? "" : d.configuration().nodes() == 1 ? "the node" :
            "leader (node " + d.leader() + ")");
        v.put(FanOutColumn.SUBSCRIBERS_PER_NODE, Arrays.stream(d.subscribersPerNode()).mapToObj(Integer::toString)
            .collect(Collectors.joining(" ")));
        final FailoverResult f = d.failover();
        final boolean stalls = f != null && !f.stallsMs().isEmpty();
        v.put(FanOutColumn.FAILOVER_RUNS, f == null ? "" : Integer.toString(f.stallsMs().size()));
        v.put(FanOutColumn.FAILOVER_STALL_MEDIAN_MS, stalls ? FanOutTableWriter.number(f.medianStallMs()) : "");
        v.put(FanOutColumn.FAILOVER_STALL_MIN_MS, stalls ? FanOutTableWriter.number(f.sortedStalls().get(0)) : "");
        v.put(FanOutColumn.FAILOVER_STALL_MAX_MS, stalls ?
            FanOutTableWriter.number(f.sortedStalls().get(f.stallsMs().size() - 1)) : "");
        v.put(FanOutColumn.FAILOVER_STALLS_MS, f == null ? "" : list(f.stallsMs()));
        v.put(FanOutColumn.FAILOVER_REJOINS_MS, f == null ? "" : list(f.rejoinsMs()));
        v.put(FanOutColumn.FAILOVER_EVENTS_CHECKED, f == null ? "" : Long.toString(f.eventsChecked()));
        v.put(FanOutColumn.FAILOVER_PUBLISH_RETRIES, f == null ? "" : Integer.toString(f.retries()));
        v.put(FanOutColumn.FAILOVER_RATE_EVENTS_PER_S, f == null ? "" : Integer.toString(settings.failoverRate));
        v.put(FanOutColumn.NODE_RSS_BYTES, perNode(d.footprints(), NodeFootprint::rssBytes));
        v.put(FanOutColumn.NODE_DATA_DIR_BYTES, perNode(d.footprints(), NodeFootprint::dataDirBytes));
        v.put(FanOutColumn.NODE_DATA_DIR_APPARENT_BYTES, perNode(d.footprints(), NodeFootprint::dataDirApparentBytes));
        v.put(FanOutColumn.NODE_AERON_DIR_BYTES, perNode(d.footprints(), NodeFootprint::aeronDirBytes));
        v.put(FanOutColumn.NODE_AERON_DIR_APPARENT_BYTES, perNode(d.footprints(), NodeFootprint::aeronDirApparentBytes));
        return new FanOutRow(v);
    }

    private static String list(final List<Double> values)
    {
        return values.stream().map(FanOutTableWriter::number).collect(Collectors.joining(" "));
    }

    private static String perNode(final List<NodeFootprint> footprints, final ToLongFunction<NodeFootprint> value)
    {
        if (footprints.isEmpty() || footprints.stream().allMatch((f) -> value.applyAsLong(f) < 0))
        {
            return "";
        }
        return footprints.stream().map((f) -> Long.toString(value.applyAsLong(f))).collect(Collectors.joining(" "));
    }

    /**
     * The CSV.
     *
     * @param results the run's results.
     * @return the file's text, with the fan-out CSV's header.
     */
    String csv(final List<DurableResult> results)
    {
        return FanOutTableWriter.csvOf(rows(results));
    }

    /**
     * The markdown table with its notes.
     *
     * @param results the run's results.
     * @param seconds the run's duration.
     * @return the table's text.
     */
    String table(final List<DurableResult> results, final double seconds)
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        final StringBuilder out = new StringBuilder();
        out.append(format("Durable and clustered hub, %s; %d cores, %s %s (%s), %s; payload %d B; hub JVM: %s; " +
            "%.0f s.%n%n", settings.quick ? "quick" : "full", cores, System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
            ZonedDateTime.now().format(TIME), settings.payloadBytes, settings.serverJvmArgs, seconds));
        out.append(DurableTable.header());
        for (final FanOutRow row : rows(results))
        {
            out.append(DurableTable.line(row));
        }
        out.append(format("%nEvery configuration runs the fan-out phases on fresh hub processes of %s: max rate " +
            "(publisher at most min(%d, %,d / subscribers) events ahead of the slowest subscriber, POST batches of up " +
            "to %d pipelined requests on one connection, %d s warm-up, %d s measured including the drain), then " +
            "latency at %d events/s for %d s (publish to read, every delivery in HdrHistogram). One publishing " +
            "connection, to the leader of the cluster (a POST is answered once committed on a majority and applied " +
            "there); subscribers spread over the nodes (subscriber i on node i mod 3), every one checked for every " +
            "event in order. Server CPU and heap are summed over the nodes. RSS (VmRSS), data dir and Aeron " +
            "directory (du -B1 and du --apparent-size; the archive's segment files are sparse) per node after " +
            "those phases. Failover (cluster only): a watcher stream on each follower and a publisher at %d events/s " +
            "to the leader (explicit ids; on any failure it moves to the next node and sends the event again, " +
            "stamped anew); kill -9 of the leader after 1 s; stall = kill to the first event published after it " +
            "being read on a surviving node; then 1 s more, every event checked once in order on both survivors, " +
            "and the killed node restarted on its data dir until /readyz answers 200 (\"ready again\"). No other load " +
            "runs during the failover. Client, publisher and every node share the same %d cores.%n",
            settings.sseflowJar, settings.history / 4, settings.windowDeliveries, settings.batch,
            settings.warmupSeconds, settings.measureSeconds, settings.fixedRate, settings.fixedSeconds,
            settings.failoverRate, cores));
        for (final DurableResult d : results)
        {
            final RunResult r = d.run();
            if (r.banner() != null)
            {
                final MaxRateResult m = FanOutTableWriter.maxRate(r);
                out.append(format("- %s/%d: `%s`; max-rate phase: hub CPU %.0f%% (all nodes), load process " +
                    "%.0f%%, other processes %.0f%% (of %d00%%)%n", d.configuration().label(), r.subscribers(),
                    r.banner().trim(), m.serverCpuUtilisation() * 100,
                    m.clientCpuSecondsPerMillion() * m.deliveriesPerSecond() / 1e4, m.otherCpuUtilisation() * 100,
                    cores));
            }
        }
        return out.toString();
    }

    private static String format(final String format, final Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }
}
