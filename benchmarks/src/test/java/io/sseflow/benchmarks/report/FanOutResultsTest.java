package io.sseflow.benchmarks.report;

import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import io.sseflow.benchmarks.fanout.results.FanOutRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanOutResultsTest
{
    @Test
    void shouldReadACsvOfAnEarlierRunByColumnName(@TempDir final Path dir) throws IOException
    {
        // an earlier run: fewer columns, another order, a column since removed, a quoted detail
        final Path csv = dir.resolve("fanout.csv");
        Files.writeString(csv, "server,subscribers,p99_ms,max_deliveries_per_s,old_column,status,detail\n" +
            "sseflow,1000,10.5,2317615.891,7,ok,\n" +
            "netty,1000,,,,fail,\"lost events 3..4, then \"\"closed\"\"\"\n");

        final FanOutResults results = FanOutResults.read(csv);

        assertEquals(List.of("sseflow", "netty"), results.servers());
        final FanOutRow sseflow = results.find("sseflow", 1000).orElseThrow();
        assertEquals(2317615.891, sseflow.number(FanOutColumn.MAX_DELIVERIES_PER_S));
        assertEquals(10.5, sseflow.number(FanOutColumn.P99_MS));
        assertTrue(Double.isNaN(sseflow.number(FanOutColumn.STALLED_P99_MS)));
        assertEquals("", sseflow.text(FanOutColumn.STALLED_PERCENT));
        assertTrue(sseflow.ok());
        final FanOutRow netty = results.find("netty", 1000).orElseThrow();
        assertEquals("lost events 3..4, then \"closed\"", netty.text(FanOutColumn.DETAIL));
        assertTrue(Double.isNaN(netty.number(FanOutColumn.P99_MS)));
    }

    @Test
    void shouldReadTheCommittedResults() throws IOException
    {
        final FanOutResults results = FanOutResults.read(Path.of("results/fanout.csv"));
        assertTrue(results.rows.size() >= 1, "rows: " + results.rows.size());
        for (final FanOutRow row : results.rows)
        {
            assertTrue(List.of("ok", "fail", "skipped").contains(row.text(FanOutColumn.STATUS)), row.server());
        }
    }

    @Test
    void shouldRelabelARowAndKeepEveryOtherField()
    {
        final FanOutRow row = new FanOutRow(java.util.Map.of(FanOutColumn.SERVER, "sseflow",
            FanOutColumn.SUBSCRIBERS, "1000"));

        final FanOutRow relabelled = row.with(FanOutColumn.SERVER, "sseflow, 3 topics each");

        assertEquals("sseflow, 3 topics each", relabelled.server());
        assertEquals(1000, relabelled.subscribers());
        assertEquals("sseflow", row.server());
    }
}
