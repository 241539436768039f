package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.peers.ServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the durable scenario reads from outside the hub processes: VmRSS, du, the Aeron directory a node names, the
 * answers of /readyz and /metrics.
 */
class HubProbesTest
{
    private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 6163548 kB\n" +
        "VmSize:\t 6097996 kB\nVmHWM:\t  163024 kB\nVmRSS:\t  158644 kB\nRssAnon:\t  120000 kB\nThreads:\t31\n";

    @Test
    void shouldReadTheResidentSetFromProcStatus()
    {
        assertEquals(158_644L * 1024, ServerProcess.vmRssBytes(STATUS));
        assertEquals(-1, ServerProcess.vmRssBytes("Name:\tkthreadd\nState:\tS (sleeping)\n"));
        assertEquals("VmRSS line is not a number of kB: 'VmRSS:\t  158644 MB'",
            assertThrows(IllegalArgumentException.class,
                () -> ServerProcess.vmRssBytes("VmRSS:\t  158644 MB\n")).getMessage());
    }

    @Test
    void shouldReadTheResidentSetOfThisProcess() throws IOException
    {
        final long rss = ServerProcess.vmRssBytes(Files.readString(Path.of("/proc/self/status")));
        assertTrue(rss > 1024 * 1024, "RSS of this JVM: " + rss);
    }

    @Test
    void shouldReadTheByteCountDuPrints()
    {
        assertEquals(1_153_024, NodeFootprint.duBytes("1153024\t/tmp/sseflow-durable-bench-1/node-0\n"));
        assertEquals("du output is not 'BYTES<TAB>DIR': 'du: cannot access '/x': No such file or directory'",
            assertThrows(IllegalArgumentException.class,
                () -> NodeFootprint.duBytes("du: cannot access '/x': No such file or directory\n")).getMessage());
        assertEquals("du output is not 'BYTES<TAB>DIR': '1.1M\t/x'",
            assertThrows(IllegalArgumentException.class, () -> NodeFootprint.duBytes("1.1M\t/x")).getMessage());
    }

    @Test
    void shouldMeasureADirectoryOnDiskAndByItsFilesLength() throws IOException
    {
        final Path dir = Files.createTempDirectory("node-footprint-test-");
        try
        {
            Files.write(dir.resolve("written"), new byte[64 * 1024]);
            try (RandomAccessFile sparse = new RandomAccessFile(dir.resolve("sparse").toFile(), "rw"))
            {
                sparse.setLength(16L * 1024 * 1024);
            }
            final NodeFootprint footprint = NodeFootprint.measure(42, dir, dir.resolve("absent"));
            assertEquals(42, footprint.rssBytes());
            assertTrue(footprint.dataDirApparentBytes() >= 16L * 1024 * 1024 + 64 * 1024, footprint.toString());
            assertTrue(footprint.dataDirBytes() >= 64 * 1024, footprint.toString());
            assertTrue(footprint.dataDirBytes() < footprint.dataDirApparentBytes(), footprint.toString());
            assertEquals(-1, footprint.aeronDirBytes());
            assertEquals(-1, footprint.aeronDirApparentBytes());
            assertEquals(new NodeFootprint(7, -1, -1, -1, -1), NodeFootprint.measure(7, null, null));
        }
        finally
        {
            Files.delete(dir.resolve("written"));
            Files.delete(dir.resolve("sparse"));
            Files.delete(dir);
        }
    }

    @Test
    void shouldFindTheAeronDirectoryANodeNames()
    {
        assertEquals(Path.of("/dev/shm/sseflow-bde654c3-node-2"), HubNodes.aeronDir(List.of(
            "sseflow cluster node 2 of 3: data dir /tmp/c2, UDP 127.0.0.1:25010-25014, Aeron dir " +
                "/dev/shm/sseflow-bde654c3-node-2",
            "sseflow history budget 256 MiB (direct memory limit 6028 MiB, 8 MiB per topic, 10000 topics)",
            "sseflow listening on http://127.0.0.1:43519")));
        assertNull(HubNodes.aeronDir(List.of("sseflow listening on http://127.0.0.1:43519")));
    }

    @Test
    void shouldSplitAnAnswerIntoStatusAndBody() throws IOException
    {
        final HubHttp.Answer answer = HubHttp.parse("HTTP/1.1 503 Service Unavailable\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\n\r\nnot ready: no leader\n");
        assertEquals(503, answer.status());
        assertEquals("not ready: no leader\n", answer.body());
        assertEquals(new HubHttp.Answer(200, "ok\n"), HubHttp.parse("HTTP/1.1 200 OK\r\n\r\nok\n"));
        assertEquals("not an HTTP/1.1 answer: 'SSH-2.0-OpenSSH_9.2'",
            assertThrows(IOException.class, () -> HubHttp.parse("SSH-2.0-OpenSSH_9.2")).getMessage());
        assertEquals("bad status line: 'HTTP/1.1 2x0 OK'",
            assertThrows(IOException.class, () -> HubHttp.parse("HTTP/1.1 2x0 OK\r\n\r\n")).getMessage());
    }
}
