package io.sseflow.benchmarks.fanout.results;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The fan-out markdown table, drawn from {@link FanOutRow}s: the one definition of its columns (header, alignment
 * and how each cell is written from the CSV's fields), used by {@code FanOutBenchmark} for its console table and
 * {@code --out} file and by {@code ResultsReport} for RESULTS.md, so both show the same table.
 */
public final class FanOutTable
{
    /** Shown where nothing was measured. */
    public static final String DASH = "–";

    private record Column(String header, boolean left, Function<FanOutRow, String> cell)
    {
    }

    private static final List<Column> COLUMNS = List.of(
        new Column("server", true, FanOutRow::server),
        new Column("subscribers", false, (r) -> format("%,d", r.subscribers())),
        new Column("max deliveries/s (no loss)", false, (r) -> number(r, FanOutColumn.MAX_DELIVERIES_PER_S, "%,.0f")),
        new Column("vs netty", false, (r) -> number(r, FanOutColumn.VS_NETTY, "%.2f×")),
        new Column("server CPU s / 1M deliveries", false,
            (r) -> number(r, FanOutColumn.SERVER_CPU_S_PER_1M_DELIVERIES, "%.2f")),
        new Column("server write syscalls / delivery", false,
            (r) -> number(r, FanOutColumn.SERVER_WRITE_SYSCALLS_PER_DELIVERY, "%.2f")),
        new Column("load-process CPU s / 1M", false,
            (r) -> number(r, FanOutColumn.LOAD_PROCESS_CPU_S_PER_1M_DELIVERIES, "%.2f")),
        new Column("other processes' CPU", false, (r) -> Double.isNaN(r.number(FanOutColumn.OTHER_PROCESSES_CPU)) ?
            DASH : format("%.0f%%", 100 * r.number(FanOutColumn.OTHER_PROCESSES_CPU))),
        new Column("latency phase events/s", false,
            (r) -> number(r, FanOutColumn.LATENCY_PHASE_EVENTS_PER_S, "%.0f")),
        new Column("p50 ms", false, (r) -> millis(r.number(FanOutColumn.P50_MS))),
        new Column("p99 ms", false, (r) -> millis(r.number(FanOutColumn.P99_MS))),
        new Column("p99.9 ms", false, (r) -> millis(r.number(FanOutColumn.P99_9_MS))),
        new Column("max ms", false, (r) -> millis(r.number(FanOutColumn.MAX_MS))),
        new Column("heap B / idle conn", false,
            (r) -> number(r, FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION, "%,.0f")),
        new Column("RSS B / idle conn", false, (r) -> number(r, FanOutColumn.RSS_BYTES_PER_IDLE_CONNECTION, "%,.0f")),
        new Column("events checked", false, (r) -> Double.isNaN(r.number(FanOutColumn.EVENTS_CHECKED_PER_SUBSCRIBER)) ?
            DASH : format("%,.0f × %,d", r.number(FanOutColumn.EVENTS_CHECKED_PER_SUBSCRIBER), r.subscribers())),
        new Column("readers' deliveries/s, %s stalled", false,
            (r) -> number(r, FanOutColumn.STALLED_READERS_DELIVERIES_PER_S, "%,.0f")),
        new Column("vs all reading", false, (r) -> number(r, FanOutColumn.STALLED_READERS_VS_ALL_READING, "%.2f×")),
        new Column("p99 ms, %s stalled", false, (r) -> millis(r.number(FanOutColumn.STALLED_P99_MS)) +
            (Double.isNaN(r.number(FanOutColumn.STALLED_P99_VS_ALL_READING)) ? "" :
            format(" (%.2f×)", r.number(FanOutColumn.STALLED_P99_VS_ALL_READING)))),
        new Column("stalled dropped by server", false,
            (r) -> Double.isNaN(r.number(FanOutColumn.STALLED_DROPPED_BY_SERVER)) ? DASH : format("%,.0f of %,.0f",
            r.number(FanOutColumn.STALLED_DROPPED_BY_SERVER), r.number(FanOutColumn.STALLED_CONNECTIONS))),
        new Column("heap growth B, stalled", false, (r) -> number(r, FanOutColumn.STALLED_HEAP_GROWTH_BYTES, "%+,.0f")),
        new Column("RSS growth B, stalled", false, (r) -> number(r, FanOutColumn.STALLED_RSS_GROWTH_BYTES, "%+,.0f")),
        new Column("kernel send queue B, stalled", false,
            (r) -> number(r, FanOutColumn.STALLED_KERNEL_SEND_QUEUE_BYTES, "%,.0f")),
        new Column("result", true, FanOutTable::result));

    private FanOutTable()
    {
    }

    /**
     * The header line and the alignment line.
     *
     * @param stalledPercent the run's {@code --stalled-percent} as shown in two headers, e.g. {@code 10%}.
     * @return two lines, each ending in a newline.
     */
    public static String header(final String stalledPercent)
    {
        final StringBuilder header = new StringBuilder("|");
        final StringBuilder align = new StringBuilder("|");
        for (final Column column : COLUMNS)
        {
            header.append(' ').append(column.header().replace("%s", stalledPercent)).append(" |");
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
     * The run's {@code --stalled-percent} as shown in the headers.
     *
     * @param rows the run's rows.
     * @return e.g. {@code 10%}, or "–" for a CSV from before the stalled-readers scenario.
     */
    public static String stalledPercent(final List<FanOutRow> rows)
    {
        return rows.stream().map((r) -> r.text(FanOutColumn.STALLED_PERCENT)).filter((t) -> !t.isEmpty())
            .findFirst().map((t) -> t + "%").orElse(DASH);
    }

    /**
     * A latency in ms as the table shows it: three decimals below 10 ms, one above.
     *
     * @param ms milliseconds, NaN if not measured.
     * @return text or "–".
     */
    public static String millis(final double ms)
    {
        return Double.isNaN(ms) ? DASH : format(ms < 10 ? "%.3f" : "%.1f", ms);
    }

    static String result(final FanOutRow row)
    {
        final String detail = row.text(FanOutColumn.DETAIL);
        switch (row.text(FanOutColumn.STATUS))
        {
            case "ok":
                return "ok";
            case "fail":
                return "**FAIL** " + detail.replace("|", "/");
            default:
                return row.text(FanOutColumn.STATUS) + (detail.isEmpty() ? "" : ": " + detail.replace("|", "/"));
        }
    }

    static String number(final FanOutRow row, final FanOutColumn column, final String format)
    {
        final double value = row.number(column);
        return Double.isNaN(value) ? DASH : format(format, value);
    }

    static String format(final String format, final Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }
}
