package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single durable node ({@code --data-dir} alone: a one-member cluster) from the hub jar: published events survive a
 * {@code kill -9}; the node restarted on the same data dir resumes a {@code Last-Event-ID} exactly, its server-assigned
 * ids continue, and a publish retried with an explicit id still retained is answered with that id and not appended.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DurableHubIT
{
    private static final Duration READY = Duration.ofSeconds(30);

    private final File dataDir = tempDir("sseflow-durable-");
    private HubNode node;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != node)
        {
            node.kill();
        }
        IoUtil.delete(dataDir, true);
        // a killed node leaves its Aeron directory (in /dev/shm) behind: a restart on the same data dir would reuse it
        IoUtil.delete(new File(ClusterSettings.singleNode(dataDir, 1).aeronDirectoryName()), true);
    }

    @Test
    void shouldResumeExactlyAndContinueIdsAfterKill9AndRestart() throws Exception
    {
        final File stderr = File.createTempFile("sseflow-durable-", ".stderr");
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath()).start().awaitReady(READY);
        final String metrics = RawHttp.metrics(node.port());
        assertTrue(metrics.contains("\nsseflow_cluster_role 2\n"), metrics);
        assertTrue(metrics.contains("\n# TYPE sseflow_cluster_member_role gauge\n" +
            "sseflow_cluster_member_role{role=\"follower\"} 0\nsseflow_cluster_member_role{role=\"candidate\"} 0\n" +
            "sseflow_cluster_member_role{role=\"leader\"} 1\n"), metrics);
        assertEquals(metrics.contains("\nsseflow_cluster_seconds_since_snapshot -1\n"),
            !metrics.contains("\nsseflow_cluster_last_snapshot_timestamp_seconds "), "a timestamp only after a snapshot");

        try (RawSseClient live = RawSseClient.get(node.port(), "/events/orders"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(live.readHead()));
            assertEquals("1\n", node.publish("orders", "", "one"));
            assertEquals("2\n", node.publish("orders", "?event=created", "two\nlines"));
            assertEquals("order-7\n", node.publish("orders", "?id=order-7", "seven"));
            assertEquals("order-7\n", node.publish("orders", "?id=order-7", "seven, retried"));
            assertEquals("3\n", node.publish("orders", "", "three"));
            final String frames = "id: 1\ndata: one\n\n" +
                "event: created\nid: 2\ndata: two\ndata: lines\n\n" +
                "id: order-7\ndata: seven\n\n" +
                "id: 3\ndata: three\n\n";
            assertEquals(frames, live.readBytes(frames.length()));
        }

        final long killedAt = System.nanoTime();
        node.kill();
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath()).start().awaitReady(READY);
        final long restartMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("single durable node: kill -9 -> restarted and ready in " + restartMs + " ms");
        assertTrue(node.stderr().contains("removed mark files left by the previous process"), node.stderr());

        try (RawSseClient resumed = RawSseClient.get(node.port(), "/events/orders", "Last-Event-ID: 2"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(resumed.readHead()));
            final String replay = "id: order-7\ndata: seven\n\nid: 3\ndata: three\n\n";
            assertEquals(replay, resumed.readBytes(replay.length()));
            assertEquals("order-7\n", node.publish("orders", "?id=order-7", "seven, after the restart"));
            assertEquals("4\n", node.publish("orders", "", "four"));
            assertEquals("id: 4\ndata: four\n\n", resumed.readBytes(18));
        }
        final String after = RawHttp.metrics(node.port());
        assertTrue(after.contains("\nsseflow_cluster_role 2\n"), after);
        assertTrue(after.contains("\nsseflow_cluster_applied_seq 5\n"), after);
    }

    private static File tempDir(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix).toFile();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
