package io.sseflow.server.cluster;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link DiskWatch}'s decisions, one look at a time on free space the test sets (no watch thread): the reason to refuse
 * publishes while fewer than the minimum bytes are free, with the current figure, and one line at each change.
 */
class DiskWatchTest
{
    private static final long MIN_FREE = 1_000_000;
    private static final String LOW = "insufficient storage: %d bytes free under /data, 1000000 needed " +
        "(--min-free-disk-bytes); publishes are refused until space is freed";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private long usable = 5_000_000;
    private final DiskWatch watch = new DiskWatch(
        3, new File("/data"), MIN_FREE, () -> usable, new PrintStream(printed, true, StandardCharsets.UTF_8));

    @Test
    void shouldTakePublishesWithTheMinimumFreeAndSayNothing()
    {
        assertNull(watch.check());
        usable = MIN_FREE;
        assertNull(watch.check());
        assertNull(watch.lowReason());
        assertEquals("", printed());
    }

    @Test
    void shouldRefuseBelowTheMinimumNamingTheFreeAndNeededBytesAndSayItOnce()
    {
        usable = MIN_FREE - 1;
        assertEquals(String.format(LOW, MIN_FREE - 1), watch.check());
        assertEquals(String.format(LOW, MIN_FREE - 1), watch.lowReason());
        usable = 4096;
        assertEquals(String.format(LOW, 4096), watch.check());
        assertEquals(String.format(LOW, 4096), watch.lowReason());
        assertEquals(String.format(LOW, 4096), watch.check());

        assertEquals("sseflow: cluster node 3: " + String.format(LOW, MIN_FREE - 1) +
            " (subscribers are served as before; /readyz answers 503 meanwhile)\n", printed());
    }

    @Test
    void shouldTakePublishesAgainOnceSpaceIsBackAndSaySo()
    {
        usable = 0;
        assertEquals(String.format(LOW, 0), watch.check());
        usable = MIN_FREE + 10;
        assertNull(watch.check());
        assertNull(watch.lowReason());
        usable = 10;
        assertEquals(String.format(LOW, 10), watch.check());

        assertEquals(
            "sseflow: cluster node 3: " + String.format(LOW, 0) +
            " (subscribers are served as before; /readyz answers 503 meanwhile)\n" +
            "sseflow: cluster node 3: disk space is back (1000010 bytes free under /data, 1000000 needed): " +
            "publishes are taken again\n" +
            "sseflow: cluster node 3: " + String.format(LOW, 10) +
            " (subscribers are served as before; /readyz answers 503 meanwhile)\n",
            printed());
    }

    @Test
    void shouldReadTheFreeSpaceNowWithoutDecidingAndKeepTheLastLook()
    {
        assertEquals(-1, watch.usableBytes());
        usable = 10;
        assertEquals(10, watch.usableBytesNow());
        assertNull(watch.lowReason());
        assertEquals(-1, watch.usableBytes());
        assertEquals("", printed());

        watch.check();
        usable = 20;
        assertEquals(10, watch.usableBytes());
    }

    private String printed()
    {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
