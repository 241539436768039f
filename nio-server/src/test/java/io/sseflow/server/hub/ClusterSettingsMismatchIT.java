package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.ChildProcess;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings that decide what the cluster's state machine retains ({@code --history}, {@code --history-total-bytes},
 * {@code --max-topics}) are the log's: a durable node started again on its data dir with another {@code --history}
 * would re-decide its history differently (which ids are retries), so it refuses, exit 2 and one line naming the
 * setting, its value here and the cluster's; started with the cluster's settings it comes back with its events.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterSettingsMismatchIT
{
    private static final Duration READY = Duration.ofSeconds(30);

    private final File dataDir = tempDir();
    private HubNode node;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != node)
        {
            node.kill();
        }
        IoUtil.delete(dataDir, true);
        IoUtil.delete(new File(ClusterSettings.singleNode(dataDir, 1).aeronDirectoryName()), true);
    }

    @Test
    void shouldRefuseToGoOnWithAnotherHistoryThanTheClustersNamingIt() throws Exception
    {
        final File stderr = File.createTempFile("sseflow-settings-", ".stderr");
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath(), "--history", "16",
            "--snapshot-events", "2").start().awaitReady(READY);
        assertEquals("a-1\n", node.publish("orders", "?id=a-1", "one"));
        assertEquals("a-2\n", node.publish("orders", "?id=a-2", "two"));
        assertEquals("a-3\n", node.publish("orders", "?id=a-3", "three"));
        node.close();

        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath(), "--history", "32",
            "--snapshot-events", "2").start();
        assertTrue(node.process().waitFor(30, TimeUnit.SECONDS), "refused member still running: " + node.stderr());
        assertEquals(ClusterFlags.REFUSED_STATUS, node.process().exitValue(), node.stderr());
        assertEquals("sseflow: exiting (status 2) because cluster node 0's settings differ from the cluster's: " +
            "--history is 32 here, 16 in the cluster (set by node 0); every member must run with the same --history, " +
            "--history-total-bytes and --max-topics (they decide what is retained): start it with the cluster's",
            ChildProcess.lastLine(node.stderr()));

        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath(), "--history", "16",
            "--snapshot-events", "2").start().awaitReady(READY);
        assertEquals("a-2\n", node.publish("orders", "?id=a-2", "two, retried"));
        assertEquals("1\n", node.publish("orders", "", "four"));
    }

    private static File tempDir()
    {
        try
        {
            return Files.createTempDirectory("sseflow-settings-").toFile();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
