package io.sseflow.benchmarks.fanout.results;

import java.util.Locale;

/**
 * The columns of {@code fanout.csv}, in the order {@code FanOutBenchmark --csv} writes them and
 * {@code ResultsReport} reads them by name: first the markdown table's columns in its order (ratios and
 * utilisations as fractions, latencies in ms, memory in bytes; {@code status} is ok, skipped or fail,
 * {@code detail} says why), then the raw measurements behind them. A column's CSV name is its constant's name in
 * lower case. Columns are only ever added at the end, so that the CSVs of earlier runs still read (a column they
 * lack reads as empty).
 */
public enum FanOutColumn
{
    SERVER,
    SUBSCRIBERS,
    MAX_DELIVERIES_PER_S,
    VS_NETTY,
    SERVER_CPU_S_PER_1M_DELIVERIES,
    SERVER_WRITE_SYSCALLS_PER_DELIVERY,
    LOAD_PROCESS_CPU_S_PER_1M_DELIVERIES,
    OTHER_PROCESSES_CPU,
    LATENCY_PHASE_EVENTS_PER_S,
    P50_MS,
    P99_MS,
    P99_9_MS,
    MAX_MS,
    HEAP_BYTES_PER_IDLE_CONNECTION,
    RSS_BYTES_PER_IDLE_CONNECTION,
    EVENTS_CHECKED_PER_SUBSCRIBER,
    STALLED_PERCENT,
    STALLED_READERS_DELIVERIES_PER_S,
    STALLED_READERS_VS_ALL_READING,
    STALLED_P99_MS,
    STALLED_P99_VS_ALL_READING,
    STALLED_DROPPED_BY_SERVER,
    STALLED_CONNECTIONS,
    STALLED_HEAP_GROWTH_BYTES,
    STALLED_RSS_GROWTH_BYTES,
    STALLED_KERNEL_SEND_QUEUE_BYTES,
    STATUS,
    DETAIL,
    MAX_RATE_EVENTS_PER_S,
    WINDOW_EVENTS,
    SERVER_CPU_UTILISATION,
    LOAD_PROCESS_CPU_UTILISATION,
    CONNECT_AND_WARMUP_S,
    PUBLISHER_MAX_LAG_MS,
    EMPTY_HEAP_BYTES,
    IDLE_HEAP_BYTES,
    EMPTY_RSS_BYTES,
    IDLE_RSS_BYTES,
    LATENCY_PHASE_TARGET_EVENTS_PER_S,
    PAYLOAD_BYTES,
    SERVER_BANNER,
    STALLED_READERS_EVENTS_PER_S,
    STALLED_SERVER_CPU_UTILISATION,
    STALLED_LATENCY_PHASE_EVENTS_PER_S,
    STALLED_P50_MS,
    STALLED_P99_9_MS,
    STALLED_MAX_MS,
    STALLED_EVENTS_PUBLISHED,
    STALLED_KEPT_CAUGHT_UP,
    STALLED_SKIPPED_EVENTS,
    STALLED_RECEIVE_BUFFER_BYTES,
    HEAP_BEFORE_STALL_BYTES,
    HEAP_AFTER_STALL_BYTES,
    RSS_BEFORE_STALL_BYTES,
    RSS_AFTER_STALL_BYTES,
    STALLED_KERNEL_SEND_QUEUE_CONNECTIONS,
    STALLED_OTHER_PROCESSES_CPU,
    STALLED_FIRST_DROP;

    private final String csvName = name().toLowerCase(Locale.ROOT);

    /**
     * The column's name in the CSV header.
     *
     * @return e.g. {@code max_deliveries_per_s}.
     */
    public String csvName()
    {
        return csvName;
    }
}
