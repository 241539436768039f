package io.sseflow.benchmarks.fanout.results;

import java.util.List;
import java.util.function.Function;

/**
 * The durable scenario's markdown table (in-memory hub, durable node, 3-node cluster), drawn from the same
 * {@link FanOutRow}s and {@link FanOutColumn}s as the fan-out table: the one definition of its columns, used by
 * {@code DurableScenario} for its console table and {@code --out} file and available to {@code ResultsReport}.
 * Per-node columns list the nodes in order, separated by " / ".
 */
public final class DurableTable
{
    private static final double MIB = 1024 * 1024;

    private record Column(String header, boolean left, Function<FanOutRow, String> cell)
    {
    }

    private static final List<Column> COLUMNS = List.of(
        new Column("configuration", true, (r) -> r.text(FanOutColumn.CONFIGURATION)),
        new Column("publishes to", true, (r) -> orDash(r.text(FanOutColumn.PUBLISHED_TO))),
        new Column("subscribers (per node)", false, (r) -> FanOutTable.format("%,d", r.subscribers()) +
            (r.number(FanOutColumn.NODES) > 1 ? " (" + r.text(FanOutColumn.SUBSCRIBERS_PER_NODE).replace(" ", " / ") +
            ")" : "")),
        new Column("max deliveries/s (no loss)", false, (r) -> FanOutTable.number(r, FanOutColumn.MAX_DELIVERIES_PER_S, "%,.0f")),
        new Column("events/s", false, (r) -> FanOutTable.number(r, FanOutColumn.MAX_RATE_EVENTS_PER_S, "%,.0f")),
        new Column("server CPU s / 1M deliveries (all nodes)", false,
            (r) -> FanOutTable.number(r, FanOutColumn.SERVER_CPU_S_PER_1M_DELIVERIES, "%.2f")),
        new Column("latency phase events/s", false,
            (r) -> FanOutTable.number(r, FanOutColumn.LATENCY_PHASE_EVENTS_PER_S, "%.0f")),
        new Column("p50 ms", false, (r) -> FanOutTable.millis(r.number(FanOutColumn.P50_MS))),
        new Column("p99 ms", false, (r) -> FanOutTable.millis(r.number(FanOutColumn.P99_MS))),
        new Column("p99.9 ms", false, (r) -> FanOutTable.millis(r.number(FanOutColumn.P99_9_MS))),
        new Column("max ms", false, (r) -> FanOutTable.millis(r.number(FanOutColumn.MAX_MS))),
        new Column("heap B / idle conn", false,
            (r) -> FanOutTable.number(r, FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION, "%,.0f")),
        new Column("failover stall ms, median (min–max, runs)", false, DurableTable::stall),
        new Column("killed node ready again ms", false,
            (r) -> millisList(r.text(FanOutColumn.FAILOVER_REJOINS_MS))),
        new Column("RSS MiB per node", false, (r) -> perNode(r.text(FanOutColumn.NODE_RSS_BYTES), null)),
        new Column("data dir MiB per node (disk; apparent)", false,
            (r) -> perNode(r.text(FanOutColumn.NODE_DATA_DIR_BYTES), r.text(FanOutColumn.NODE_DATA_DIR_APPARENT_BYTES))),
        new Column("Aeron dir MiB per node (disk; apparent)", false,
            (r) -> perNode(r.text(FanOutColumn.NODE_AERON_DIR_BYTES), r.text(FanOutColumn.NODE_AERON_DIR_APPARENT_BYTES))),
        new Column("events checked", false, (r) -> Double.isNaN(r.number(FanOutColumn.EVENTS_CHECKED_PER_SUBSCRIBER)) ?
            FanOutTable.DASH : FanOutTable.format("%,.0f × %,d", r.number(FanOutColumn.EVENTS_CHECKED_PER_SUBSCRIBER), r.subscribers()) +
            (r.text(FanOutColumn.FAILOVER_EVENTS_CHECKED).isEmpty() ? "" :
            FanOutTable.format("; failover %,.0f", r.number(FanOutColumn.FAILOVER_EVENTS_CHECKED)))),
        new Column("result", true, FanOutTable::result));

    private DurableTable()
    {
    }

    /**
     * The header line and the alignment line.
     *
     * @return two lines, each ending in a newline.
     */
    public static String header()
    {
        final StringBuilder header = new StringBuilder("|");
        final StringBuilder align = new StringBuilder("|");
        for (final Column column : COLUMNS)
        {
            header.append(' ').append(column.header()).append(" |");
            align.append(column.left() ? "---|" : "---:|");
        }
        return header.append('\n').append(align).append('\n').toString();
    }

    /**
     * One table line.
     *
     * @param row the CSV row.
     * @return the line, ending in a newline.
     */
    public static String line(final FanOutRow row)
    {
        final StringBuilder line = new StringBuilder("|");
        for (final Column column : COLUMNS)
        {
            line.append(' ').append(column.cell().apply(row)).append(" |");
        }
        return line.append('\n').toString();
    }

    /**
     * A per-node list of byte counts in MiB, each with its apparent size where given.
     *
     * @param bytes    space-separated byte counts, -1 where a node has no such directory; empty if not measured.
     * @param apparent the apparent sizes likewise, or null.
     * @return e.g. {@code 1.1; 21.5 / 1.1; 21.5}, or "–".
     */
    static String perNode(final String bytes, final String apparent)
    {
        if (bytes.isEmpty())
        {
            return FanOutTable.DASH;
        }
        final String[] values = bytes.split(" ");
        final String[] apparentValues = apparent == null || apparent.isEmpty() ? null : apparent.split(" ");
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++)
        {
            out.append(i == 0 ? "" : " / ").append(mib(values[i]));
            if (apparentValues != null && i < apparentValues.length)
            {
                out.append("; ").append(mib(apparentValues[i]));
            }
        }
        return out.toString();
    }

    private static String mib(final String bytes)
    {
        final double value = Double.parseDouble(bytes);
        return value < 0 ? FanOutTable.DASH : FanOutTable.format("%.1f", value / MIB);
    }

    private static String stall(final FanOutRow row)
    {
        final double median = row.number(FanOutColumn.FAILOVER_STALL_MEDIAN_MS);
        if (Double.isNaN(median))
        {
            return FanOutTable.DASH;
        }
        return FanOutTable.format("%,.0f (%,.0f–%,.0f, %.0f)", median, row.number(FanOutColumn.FAILOVER_STALL_MIN_MS),
            row.number(FanOutColumn.FAILOVER_STALL_MAX_MS), row.number(FanOutColumn.FAILOVER_RUNS));
    }

    private static String millisList(final String values)
    {
        if (values.isEmpty())
        {
            return FanOutTable.DASH;
        }
        final StringBuilder out = new StringBuilder();
        for (final String value : values.split(" "))
        {
            out.append(out.length() == 0 ? "" : " / ").append(FanOutTable.format("%,.0f", Double.parseDouble(value)));
        }
        return out.toString();
    }

    private static String orDash(final String text)
    {
        return text.isEmpty() ? FanOutTable.DASH : text;
    }
}
