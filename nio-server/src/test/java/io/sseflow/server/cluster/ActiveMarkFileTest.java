package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.server.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member started while another process's mark files in its data dir still look active (as for a few seconds after
 * a crash) waits for them, saying so, and starts once they are released, instead of failing.
 */
class ActiveMarkFileTest
{
    private final File dataDir = ClusterTestSupport.tempDir("sseflow-cluster-mark-");
    private final String firstAeronDir = ClusterTestSupport.aeronDir("mark-first");
    private final String secondAeronDir = ClusterTestSupport.aeronDir("mark-second");
    private ClusterEventSequencer first;
    private ClusterEventSequencer second;

    @AfterEach
    void cleanUp()
    {
        if (null != first)
        {
            first.close();
        }
        if (null != second)
        {
            second.close();
        }
        ClusterTestSupport.delete(dataDir);
        ClusterTestSupport.delete(new File(firstAeronDir));
        ClusterTestSupport.delete(new File(secondAeronDir));
    }

    @Test
    void shouldWaitForActiveMarkFilesThenStart() throws Exception
    {
        final int basePort = ClusterTestSupport.freeBasePort(ClusterSettings.PORTS_PER_MEMBER);
        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final ClusterTestSupport.Recorder recorder = new ClusterTestSupport.Recorder(topics);
        first = new ClusterEventSequencer(
            ClusterSettings.singleNode(dataDir, basePort).aeronDirectoryName(firstAeronDir), 1 << 16, ex -> { },
            new PrintStream(System.out, true)).topicDirectory(topics);
        Await.condition(() ->
        {
            first.poll(recorder, 16);
            return first.isConnected() && first.role() == Cluster.Role.LEADER;
        }, "first node up", Duration.ofSeconds(60));

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        final CompletableFuture<ClusterEventSequencer> starting = CompletableFuture.supplyAsync(() ->
            new ClusterEventSequencer(
                ClusterSettings.singleNode(dataDir, basePort).aeronDirectoryName(secondAeronDir), 1 << 16, ex -> { },
                print));
        Await.condition(() -> out.toString(StandardCharsets.UTF_8).contains("waiting for them to expire"),
            "second node says it waits", Duration.ofSeconds(30));
        assertTrue(!starting.isDone(), "second node started beside an active one");

        first.close();
        first = null;
        second = starting.get(40, java.util.concurrent.TimeUnit.SECONDS).topicDirectory(topics);
        Await.condition(() ->
        {
            second.poll(recorder, 16);
            return second.isConnected() && second.role() == Cluster.Role.LEADER;
        }, "second node up on the same data dir", Duration.ofSeconds(60));
        final String said = out.toString(StandardCharsets.UTF_8);
        System.out.print(said);
        assertEquals(0, said.indexOf("sseflow: cluster node 0: "), said);
    }
}
