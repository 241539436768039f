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
 * A member started on a data dir another member still holds (its lock file: a supervisor's restart while the old
 * process shuts down) waits for it, saying so, and starts once it is let go, instead of failing or sharing the dir;
 * the mark files the first left are removed, since it is known to be gone, so the second does not wait for them to
 * expire.
 */
class DataDirLockTest
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
    void shouldWaitForTheDataDirLockThenStartWithoutWaitingForMarkFiles() throws Exception
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
        Await.condition(() -> out.toString(StandardCharsets.UTF_8).contains("is locked by another process"),
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
        assertEquals(0, said.indexOf("sseflow: cluster node 0: the data dir " + dataDir + " is locked by another " +
            "process (" + new File(dataDir, "sseflow.lock") + "); waiting up to 30 s for it to exit\n"), said);
        assertTrue(said.contains("sseflow: cluster node 0: removed mark files left by the previous process"), said);
        assertTrue(!said.contains("waiting for them to expire"), said);
    }
}
