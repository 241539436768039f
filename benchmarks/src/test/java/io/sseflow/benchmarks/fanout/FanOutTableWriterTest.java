package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanOutTableWriterTest
{
    private final FanOutSettings settings = FanOutSettings.parse(new String[] {"--quick"});
    private final FanOutTableWriter writer = new FanOutTableWriter(settings);

    private final RunResult sseflow = new RunResult("sseflow", 1000, RunResult.Status.OK, "",
        "sseflow listening on http://127.0.0.1:1234\n", new IdleMemory(1_000_000, 50_000_000, 2_000_000, 56_000_000, 0.5),
        new MaxRateResult(256, 2_000_000, 2_000, 0.5, 1.0, 0.25, 0.125, 0.0625, 7000),
        new LatencyResult(100, 300_000, 2_000_000, 9_000_000, 12_000_000, 30_000_000, 1_000_000, 7300),
        new StalledResult(100, 4096, new MaxRateResult(0, 1_800_000, 2_000, 0.4, 0.9, 0.2, 0.1, 0.05, 9000),
            new LatencyResult(100, 270_000, 2_000_000, 4_500_000, 6_000_000, 8_000_000, 0, 9300), 2000,
            3_000_000, 3_100_000, 60_000_000, 61_000_000, 5000, 10, 1, 99, 0, "connection 9: closed by the server"),
        9300);
    private final RunResult netty = new RunResult("netty", 1000, RunResult.Status.FAIL,
        "lost events 3..4\n(first: connection 5)", null, null, null, null, null, 0);

    @Test
    void shouldWriteTheHeaderOfEveryColumnThenOneRowPerResult()
    {
        final List<String> lines = writer.csv(List.of(sseflow, netty)).lines().collect(Collectors.toList());
        assertEquals(3, lines.size());
        assertEquals(Arrays.stream(FanOutColumn.values()).map(FanOutColumn::csvName).collect(Collectors.joining(",")),
            lines.get(0));
        assertEquals("sseflow,1000,2000000,,0.5,0.0625,0.25,0.125,100,2,9,12,30,1000,6000,9300,10,1800000,1,4.5,0.5," +
            "1,100,100000,1000000,5000,ok,,2000,256,1,0.5,0.5,1,1000000,2000000,50000000,56000000,100,64," +
            "sseflow listening on http://127.0.0.1:1234,2000,0.9,100,2,6,8,2000,99,0,4096,3000000,3100000,60000000," +
            "61000000,10,0.1,connection 9: closed by the server" + ",".repeat(18), lines.get(1));
        // nothing measured: empty fields, but the run's settings (stalled percent, target rate, payload, rcvbuf)
        assertEquals("netty,1000" + ",".repeat(15) + "10" + ",".repeat(10) + "fail,lost events 3..4 (first: connection 5)" +
            ",".repeat(11) + "100,64" + ",".repeat(11) + "4096" + ",".repeat(7 + 18), lines.get(2));
    }

    @Test
    void shouldDrawTheTableFromTheSameRows()
    {
        final String table = writer.table(List.of(sseflow, netty), 12);
        assertTrue(table.contains("\n| sseflow | 1,000 | 2,000,000 | – | 0.50 | 0.06 | 0.25 | 13% | 100 | 2.000 | " +
            "9.000 | 12.0 | 30.0 | 1,000 | 6,000 | 9,300 × 1,000 | 1,800,000 | 1.00× | 4.500 (0.50×) | 1 of 100 | " +
            "+100,000 | +1,000,000 | 5,000 | ok |\n"), table);
        assertTrue(table.contains("\n| netty | 1,000 |" + " – |".repeat(21) +
            " **FAIL** lost events 3..4 (first: connection 5) |\n"), table);
        assertTrue(table.contains("- sseflow/1000: `sseflow listening on http://127.0.0.1:1234`; connect + warm-up " +
            "0.5 s; max-rate phase: server 100% CPU, load process 50%, other processes 13% (of "), table);
    }
}
