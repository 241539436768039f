package io.sseflow.benchmarks.fanout.results;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanOutTableTest
{
    /** The CSV header of the runs before the columns became an enum (benchmarks/results/fanout.csv). */
    static final String CSV_HEADER = "server,subscribers,max_deliveries_per_s,vs_netty,server_cpu_s_per_1m_deliveries,server_write_syscalls_per_delivery,load_process_cpu_s_per_1m_deliveries,other_processes_cpu,latency_phase_events_per_s,p50_ms,p99_ms,p99_9_ms,max_ms,heap_bytes_per_idle_connection,rss_bytes_per_idle_connection,events_checked_per_subscriber,stalled_percent,stalled_readers_deliveries_per_s,stalled_readers_vs_all_reading,stalled_p99_ms,stalled_p99_vs_all_reading,stalled_dropped_by_server,stalled_connections,stalled_heap_growth_bytes,stalled_rss_growth_bytes,stalled_kernel_send_queue_bytes,status,detail,max_rate_events_per_s,window_events,server_cpu_utilisation,load_process_cpu_utilisation,connect_and_warmup_s,publisher_max_lag_ms,empty_heap_bytes,idle_heap_bytes,empty_rss_bytes,idle_rss_bytes,latency_phase_target_events_per_s,payload_bytes,server_banner,stalled_readers_events_per_s,stalled_server_cpu_utilisation,stalled_latency_phase_events_per_s,stalled_p50_ms,stalled_p99_9_ms,stalled_max_ms,stalled_events_published,stalled_kept_caught_up,stalled_skipped_events,stalled_receive_buffer_bytes,heap_before_stall_bytes,heap_after_stall_bytes,rss_before_stall_bytes,rss_after_stall_bytes,stalled_kernel_send_queue_connections,stalled_other_processes_cpu,stalled_first_drop";

    /** The durable scenario's columns, added after those. */
    static final String DURABLE_COLUMNS = ",configuration,nodes,published_to,subscribers_per_node,failover_runs," +
        "failover_stall_median_ms,failover_stall_min_ms,failover_stall_max_ms,failover_stalls_ms,failover_rejoins_ms," +
        "failover_events_checked,failover_publish_retries,failover_rate_events_per_s,node_rss_bytes," +
        "node_data_dir_bytes,node_data_dir_apparent_bytes,node_aeron_dir_bytes,node_aeron_dir_apparent_bytes";

    @Test
    void shouldNameTheColumnsAsEarlierRunsDid()
    {
        assertEquals(CSV_HEADER + DURABLE_COLUMNS,
            Arrays.stream(FanOutColumn.values()).map(FanOutColumn::csvName).collect(Collectors.joining(",")));
    }

    @Test
    void shouldWriteTheHeaderWithTheStalledPercent()
    {
        assertEquals("| server | subscribers | max deliveries/s (no loss) | vs netty | server CPU s / 1M deliveries |" +
            " server write syscalls / delivery | load-process CPU s / 1M | other processes' CPU |" +
            " latency phase events/s | p50 ms | p99 ms | p99.9 ms | max ms | heap B / idle conn | RSS B / idle conn |" +
            " events checked | readers' deliveries/s, 10% stalled | vs all reading | p99 ms, 10% stalled |" +
            " stalled dropped by server | heap growth B, stalled | RSS growth B, stalled |" +
            " kernel send queue B, stalled | result |\n" +
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" +
            "---:|---:|---:|---|\n", FanOutTable.header("10%"));
    }

    @Test
    void shouldDrawEveryCellFromTheCsvFields()
    {
        final Map<FanOutColumn, String> v = new EnumMap<>(FanOutColumn.class);
        v.put(FanOutColumn.SERVER, "sseflow");
        v.put(FanOutColumn.SUBSCRIBERS, "1000");
        v.put(FanOutColumn.MAX_DELIVERIES_PER_S, "2317615.891");
        v.put(FanOutColumn.VS_NETTY, "1.875443445");
        v.put(FanOutColumn.SERVER_CPU_S_PER_1M_DELIVERIES, "0.4189476036");
        v.put(FanOutColumn.SERVER_WRITE_SYSCALLS_PER_DELIVERY, "0.06391795661");
        v.put(FanOutColumn.LOAD_PROCESS_CPU_S_PER_1M_DELIVERIES, "0.4344641815");
        v.put(FanOutColumn.OTHER_PROCESSES_CPU, "0.007991437232");
        v.put(FanOutColumn.LATENCY_PHASE_EVENTS_PER_S, "100.0400301");
        v.put(FanOutColumn.P50_MS, "3.792895");
        v.put(FanOutColumn.P99_MS, "10.182655");
        v.put(FanOutColumn.P99_9_MS, "15.671295");
        v.put(FanOutColumn.MAX_MS, "23.822335");
        v.put(FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION, "924");
        v.put(FanOutColumn.RSS_BYTES_PER_IDLE_CONNECTION, "5738");
        v.put(FanOutColumn.EVENTS_CHECKED_PER_SUBSCRIBER, "65206");
        v.put(FanOutColumn.STALLED_PERCENT, "10");
        v.put(FanOutColumn.STALLED_READERS_DELIVERIES_PER_S, "2159812.993");
        v.put(FanOutColumn.STALLED_READERS_VS_ALL_READING, "1.035457266");
        v.put(FanOutColumn.STALLED_P99_MS, "8.814591");
        v.put(FanOutColumn.STALLED_P99_VS_ALL_READING, "0.8656476135");
        v.put(FanOutColumn.STALLED_DROPPED_BY_SERVER, "100");
        v.put(FanOutColumn.STALLED_CONNECTIONS, "100");
        v.put(FanOutColumn.STALLED_HEAP_GROWTH_BYTES, "-52122");
        v.put(FanOutColumn.STALLED_RSS_GROWTH_BYTES, "-4358144");
        v.put(FanOutColumn.STALLED_KERNEL_SEND_QUEUE_BYTES, "110");
        v.put(FanOutColumn.STATUS, "ok");
        assertEquals("| sseflow | 1,000 | 2,317,616 | 1.88× | 0.42 | 0.06 | 0.43 | 1% | 100 | 3.793 | 10.2 | 15.7 |" +
            " 23.8 | 924 | 5,738 | 65,206 × 1,000 | 2,159,813 | 1.04× | 8.815 (0.87×) | 100 of 100 | -52,122 |" +
            " -4,358,144 | 110 | ok |\n", FanOutTable.line(new FanOutRow(v)));
    }

    @Test
    void shouldShowADashForEveryColumnAnOlderOrFailedRunLacks()
    {
        final Map<FanOutColumn, String> v = new EnumMap<>(FanOutColumn.class);
        v.put(FanOutColumn.SERVER, "webflux");
        v.put(FanOutColumn.SUBSCRIBERS, "10000");
        v.put(FanOutColumn.STATUS, "fail");
        v.put(FanOutColumn.DETAIL, "connected 9000 of 10000 subscribers | first: x");
        final FanOutRow row = new FanOutRow(v);
        assertEquals("| webflux | 10,000 |" + " – |".repeat(21) +
            " **FAIL** connected 9000 of 10000 subscribers / first: x |\n", FanOutTable.line(row));
        assertEquals("–", FanOutTable.stalledPercent(List.of(row)));
    }

    @Test
    void shouldSaySkippedAndWhy()
    {
        final Map<FanOutColumn, String> v = new EnumMap<>(FanOutColumn.class);
        v.put(FanOutColumn.SERVER, "sseflow");
        v.put(FanOutColumn.SUBSCRIBERS, "1000");
        v.put(FanOutColumn.STATUS, "skipped");
        v.put(FanOutColumn.DETAIL, "run time limit reached");
        final String line = FanOutTable.line(new FanOutRow(v));
        assertTrue(line.endsWith(" | – | skipped: run time limit reached |\n"), line);
    }
}
