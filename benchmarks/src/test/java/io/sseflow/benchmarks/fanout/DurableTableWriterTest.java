package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.results.DurableTable;
import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import io.sseflow.benchmarks.fanout.results.FanOutRow;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The durable scenario's rows: the fan-out CSV's columns plus the durable ones, and the table drawn from them. */
class DurableTableWriterTest
{
    private static final long MIB = 1024 * 1024;

    private final FanOutSettings settings = FanOutSettings.parse(new String[] {"--scenario", "durable", "--quick"});
    private final DurableTableWriter writer = new DurableTableWriter(settings);

    private final RunResult clusterRun = new RunResult("sseflow", 1000, RunResult.Status.OK, "",
        "sseflow listening on http://127.0.0.1:1; sseflow listening on http://127.0.0.1:2", new IdleMemory(
        3_000_000, 450_000_000, 4_500_000, 456_000_000, 2.5),
        new MaxRateResult(256, 74_000, 74, 19, 1.4, 5.5, 0.1, 0.9, 500),
        new LatencyResult(100, 300_000, 7_500_000, 14_600_000, 48_900_000, 51_300_000, 1_000_000, 800),
        null, 800);
    private final DurableResult cluster = new DurableResult(HubConfiguration.CLUSTER, 1, clusterRun,
        List.of(new NodeFootprint(150 * MIB, MIB, 21 * MIB, 47 * MIB, 87 * MIB),
            new NodeFootprint(151 * MIB, MIB, 21 * MIB, 47 * MIB, 69 * MIB),
            new NodeFootprint(152 * MIB, 2 * MIB, 21 * MIB, 46 * MIB, 69 * MIB)),
        new FailoverResult(List.of(3_515.5, 3_208.25), List.of(1_249.0, 1_676.0), 442, 2, null));
    private final DurableResult memory = new DurableResult(HubConfiguration.MEMORY, 0, new RunResult("sseflow", 1000,
        RunResult.Status.FAIL, "lost events 3..4", null, null, null, null, null, 0),
        List.of(new NodeFootprint(72 * MIB, -1, -1, -1, -1)), null);

    @Test
    void shouldSpreadSubscribersOverTheNodesAsTheLoadClientDoes()
    {
        assertArrayEquals(new int[] {334, 333, 333}, cluster.subscribersPerNode());
        assertArrayEquals(new int[] {1000}, memory.subscribersPerNode());
        final DurableResult two = new DurableResult(HubConfiguration.CLUSTER, 0,
            RunResult.skipped("sseflow", 2, "x"), List.of(), null);
        assertArrayEquals(new int[] {1, 1, 0}, two.subscribersPerNode());
    }

    @Test
    void shouldWriteTheDurableColumnsAfterTheFanOutOnes()
    {
        final FanOutRow row = writer.row(cluster);
        assertEquals("74000", row.text(FanOutColumn.MAX_DELIVERIES_PER_S));
        assertEquals("14.6", row.text(FanOutColumn.P99_MS));
        assertEquals("48.9", row.text(FanOutColumn.P99_9_MS));
        assertEquals("1500", row.text(FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION));
        assertEquals("", row.text(FanOutColumn.STALLED_PERCENT));
        assertEquals("3-node cluster", row.text(FanOutColumn.CONFIGURATION));
        assertEquals("3", row.text(FanOutColumn.NODES));
        assertEquals("leader (node 1)", row.text(FanOutColumn.PUBLISHED_TO));
        assertEquals("334 333 333", row.text(FanOutColumn.SUBSCRIBERS_PER_NODE));
        assertEquals("2", row.text(FanOutColumn.FAILOVER_RUNS));
        assertEquals("3361.875", row.text(FanOutColumn.FAILOVER_STALL_MEDIAN_MS));
        assertEquals("3208.25", row.text(FanOutColumn.FAILOVER_STALL_MIN_MS));
        assertEquals("3515.5", row.text(FanOutColumn.FAILOVER_STALL_MAX_MS));
        assertEquals("3515.5 3208.25", row.text(FanOutColumn.FAILOVER_STALLS_MS));
        assertEquals("1249 1676", row.text(FanOutColumn.FAILOVER_REJOINS_MS));
        assertEquals("442", row.text(FanOutColumn.FAILOVER_EVENTS_CHECKED));
        assertEquals("2", row.text(FanOutColumn.FAILOVER_PUBLISH_RETRIES));
        assertEquals("100", row.text(FanOutColumn.FAILOVER_RATE_EVENTS_PER_S));
        assertEquals((150 * MIB) + " " + (151 * MIB) + " " + (152 * MIB), row.text(FanOutColumn.NODE_RSS_BYTES));
        assertEquals(MIB + " " + MIB + " " + (2 * MIB), row.text(FanOutColumn.NODE_DATA_DIR_BYTES));
        assertEquals((87 * MIB) + " " + (69 * MIB) + " " + (69 * MIB),
            row.text(FanOutColumn.NODE_AERON_DIR_APPARENT_BYTES));

        final FanOutRow failed = writer.row(memory);
        assertEquals("fail", failed.text(FanOutColumn.STATUS));
        assertEquals("the node", failed.text(FanOutColumn.PUBLISHED_TO));
        assertEquals("", failed.text(FanOutColumn.FAILOVER_RUNS));
        assertEquals(Long.toString(72 * MIB), failed.text(FanOutColumn.NODE_RSS_BYTES));
        assertEquals("", failed.text(FanOutColumn.NODE_DATA_DIR_BYTES));
    }

    @Test
    void shouldWriteTheFanOutCsvHeaderThenOneLinePerConfiguration()
    {
        final List<String> lines = writer.csv(List.of(cluster, memory)).lines().collect(Collectors.toList());
        assertEquals(3, lines.size());
        assertEquals(Arrays.stream(FanOutColumn.values()).map(FanOutColumn::csvName).collect(Collectors.joining(",")),
            lines.get(0));
        assertTrue(lines.get(1).startsWith("sseflow,1000,74000,"), lines.get(1));
        assertTrue(lines.get(1).endsWith(",3-node cluster,3,leader (node 1),334 333 333,2,3361.875,3208.25,3515.5," +
            "3515.5 3208.25,1249 1676,442,2,100,157286400 158334976 159383552,1048576 1048576 2097152," +
            "22020096 22020096 22020096,49283072 49283072 48234496,91226112 72351744 72351744"), lines.get(1));
        assertEquals(FanOutColumn.values().length, lines.get(2).split(",", -1).length);
    }

    @Test
    void shouldDrawTheTableFromTheSameRows()
    {
        final String table = writer.table(List.of(cluster, memory), 80);
        assertTrue(table.contains(DurableTable.header()), table);
        assertTrue(table.contains("\n| 3-node cluster | leader (node 1) | 1,000 (334 / 333 / 333) | 74,000 | 74 | 19.00 " +
            "| 100 | 7.500 | 14.6 | 48.9 | 51.3 | 1,500 | 3,362 (3,208–3,516, 2) | 1,249 / 1,676 | " +
            "150.0 / 151.0 / 152.0 | 1.0; 21.0 / 1.0; 21.0 / 2.0; 21.0 | 47.0; 87.0 / 47.0; 69.0 / 46.0; 69.0 | " +
            "800 × 1,000; failover 442 | ok |\n"), table);
        assertTrue(table.contains("\n| in-memory | the node | 1,000 |" + " – |".repeat(11) + " 72.0 | – | – | – | " +
            "**FAIL** lost events 3..4 |\n"), table);
        assertTrue(table.contains("- 3-node cluster/1000: `sseflow listening on http://127.0.0.1:1; sseflow " +
            "listening on http://127.0.0.1:2`; max-rate phase: hub CPU 140% (all nodes)"), table);
    }

    @Test
    void shouldTakeTheMiddleStallAsTheMedian()
    {
        assertEquals(3_361.875, cluster.failover().medianStallMs());
        assertEquals(20.0, new FailoverResult(List.of(30.0, 10.0, 20.0), List.of(), 0, 0, null).medianStallMs());
        assertTrue(Double.isNaN(new FailoverResult(List.of(), List.of(), 0, 0, "x").medianStallMs()));
    }
}
