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
    /** Server name: sseflow, netty or webflux. */
    SERVER,
    /** Subscriber count. */
    SUBSCRIBERS,
    /** Max-rate phase: deliveries per second with no loss. */
    MAX_DELIVERIES_PER_S,
    /** Max deliveries per second over Netty's at the same subscriber count. */
    VS_NETTY,
    /** Server CPU seconds per million deliveries (max-rate phase). */
    SERVER_CPU_S_PER_1M_DELIVERIES,
    /** Server write syscalls per delivery; empty where the server sends with sendmsg. */
    SERVER_WRITE_SYSCALLS_PER_DELIVERY,
    /** Load process (client and publisher) CPU seconds per million deliveries. */
    LOAD_PROCESS_CPU_S_PER_1M_DELIVERIES,
    /** CPU of every other process during the max-rate phase, in cores (fraction). */
    OTHER_PROCESSES_CPU,
    /** Fixed-rate phase: events per second achieved. */
    LATENCY_PHASE_EVENTS_PER_S,
    /** Fixed-rate phase: median publish-to-receive latency, ms. */
    P50_MS,
    /** Fixed-rate phase: 99th percentile latency, ms. */
    P99_MS,
    /** Fixed-rate phase: 99.9th percentile latency, ms. */
    P99_9_MS,
    /** Fixed-rate phase: largest latency, ms. */
    MAX_MS,
    /** Heap after GC with N idle subscribers minus the empty server's, over N. */
    HEAP_BYTES_PER_IDLE_CONNECTION,
    /** RSS with N idle subscribers minus the empty server's, over N. */
    RSS_BYTES_PER_IDLE_CONNECTION,
    /** Events every checked subscriber received in order. */
    EVENTS_CHECKED_PER_SUBSCRIBER,
    /** The run's --stalled-percent. */
    STALLED_PERCENT,
    /** Readers' deliveries per second with the stalled connections not reading. */
    STALLED_READERS_DELIVERIES_PER_S,
    /** Readers' events per second per connection over the all-reading max-rate phase's. */
    STALLED_READERS_VS_ALL_READING,
    /** Readers' p99 latency with the stalled connections not reading, ms. */
    STALLED_P99_MS,
    /** Readers' p99 over the all-reading p99. */
    STALLED_P99_VS_ALL_READING,
    /** Stalled connections the server ended or reset. */
    STALLED_DROPPED_BY_SERVER,
    /** Connections that stopped reading. */
    STALLED_CONNECTIONS,
    /** Server heap after GC after both stalled phases minus just before the stall. */
    STALLED_HEAP_GROWTH_BYTES,
    /** Server RSS after both stalled phases minus just before the stall. */
    STALLED_RSS_GROWTH_BYTES,
    /** Bytes in the server's kernel send queues after both stalled phases. */
    STALLED_KERNEL_SEND_QUEUE_BYTES,
    /** How the run ended: ok, skipped or fail. */
    STATUS,
    /** Why the run failed or was skipped. */
    DETAIL,
    /** Max-rate phase: events per second per subscriber. */
    MAX_RATE_EVENTS_PER_S,
    /** Max-rate phase: events the publisher stayed at most ahead of the slowest subscriber. */
    WINDOW_EVENTS,
    /** Server CPU during the max-rate phase, in cores (fraction). */
    SERVER_CPU_UTILISATION,
    /** Load process CPU during the max-rate phase, in cores (fraction). */
    LOAD_PROCESS_CPU_UTILISATION,
    /** Seconds to connect and warm up every subscriber. */
    CONNECT_AND_WARMUP_S,
    /** Fixed-rate phase: furthest the publisher fell behind its schedule, ms. */
    PUBLISHER_MAX_LAG_MS,
    /** Heap after GC of the empty server. */
    EMPTY_HEAP_BYTES,
    /** Heap after GC with N idle subscribers. */
    IDLE_HEAP_BYTES,
    /** RSS of the empty server. */
    EMPTY_RSS_BYTES,
    /** RSS with N idle subscribers. */
    IDLE_RSS_BYTES,
    /** The run's --fixed-rate. */
    LATENCY_PHASE_TARGET_EVENTS_PER_S,
    /** The run's --payload. */
    PAYLOAD_BYTES,
    /** The server's listening line. */
    SERVER_BANNER,
    /** Readers' events per second per connection with the stalled connections not reading. */
    STALLED_READERS_EVENTS_PER_S,
    /** Server CPU during the stalled max-rate phase, in cores (fraction). */
    STALLED_SERVER_CPU_UTILISATION,
    /** Stalled fixed-rate phase: events per second achieved. */
    STALLED_LATENCY_PHASE_EVENTS_PER_S,
    /** Readers' median latency with the stalled connections not reading, ms. */
    STALLED_P50_MS,
    /** Readers' 99.9th percentile latency with the stalled connections not reading, ms. */
    STALLED_P99_9_MS,
    /** Readers' largest latency with the stalled connections not reading, ms. */
    STALLED_MAX_MS,
    /** Events published while the connections were stalled. */
    STALLED_EVENTS_PUBLISHED,
    /** Stalled connections the server kept that, read again, caught up. */
    STALLED_KEPT_CAUGHT_UP,
    /** Stalled connections that skipped events without being disconnected. */
    STALLED_SKIPPED_EVENTS,
    /** The run's --stalled-rcvbuf. */
    STALLED_RECEIVE_BUFFER_BYTES,
    /** Server heap after GC just before the stall. */
    HEAP_BEFORE_STALL_BYTES,
    /** Server heap after GC after both stalled phases. */
    HEAP_AFTER_STALL_BYTES,
    /** Server RSS just before the stall. */
    RSS_BEFORE_STALL_BYTES,
    /** Server RSS after both stalled phases. */
    RSS_AFTER_STALL_BYTES,
    /** Server connections with bytes in their kernel send queue after the stalled phases. */
    STALLED_KERNEL_SEND_QUEUE_CONNECTIONS,
    /** CPU of every other process during the stalled max-rate phase, in cores (fraction). */
    STALLED_OTHER_PROCESSES_CPU,
    /** How the first dropped stalled connection ended. */
    STALLED_FIRST_DROP,
    /** Durable scenario: the hub's configuration, {@code in-memory}, {@code durable node} or {@code 3-node cluster}. */
    CONFIGURATION,
    /** Durable scenario: hub processes. */
    NODES,
    /** Durable scenario: which node the publisher sent to, e.g. {@code leader (node 1)}. */
    PUBLISHED_TO,
    /** Durable scenario: subscribers on each node, space-separated in node order. */
    SUBSCRIBERS_PER_NODE,
    /** Durable scenario: failover repetitions that measured a stall. */
    FAILOVER_RUNS,
    /** Median failover stall: kill -9 of the leader to the first event published after it read on a survivor, ms. */
    FAILOVER_STALL_MEDIAN_MS,
    /** Shortest failover stall, ms. */
    FAILOVER_STALL_MIN_MS,
    /** Longest failover stall, ms. */
    FAILOVER_STALL_MAX_MS,
    /** Every failover stall, ms, space-separated in run order. */
    FAILOVER_STALLS_MS,
    /** Restart of the killed node on its data dir to its /readyz 200, ms, space-separated in run order. */
    FAILOVER_REJOINS_MS,
    /** Events every surviving watcher received exactly once in order, over the failover runs. */
    FAILOVER_EVENTS_CHECKED,
    /** Failover publishes sent again to another node. */
    FAILOVER_PUBLISH_RETRIES,
    /** The run's --failover-rate. */
    FAILOVER_RATE_EVENTS_PER_S,
    /** RSS of each node after the load phases (VmRSS), bytes, space-separated in node order. */
    NODE_RSS_BYTES,
    /** Each node's data dir on disk after the load phases (du -B1), bytes, space-separated. */
    NODE_DATA_DIR_BYTES,
    /** Each node's data dir, apparent size (du --apparent-size), bytes, space-separated. */
    NODE_DATA_DIR_APPARENT_BYTES,
    /** Each node's Aeron directory (/dev/shm) in use (du -B1), bytes, space-separated. */
    NODE_AERON_DIR_BYTES,
    /** Each node's Aeron directory, apparent size, bytes, space-separated. */
    NODE_AERON_DIR_APPARENT_BYTES;

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
