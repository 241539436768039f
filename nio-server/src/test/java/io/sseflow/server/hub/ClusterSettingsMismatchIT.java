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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings that decide what the cluster's state machine retains ({@code --history}, {@code --history-total-bytes},
 * {@code --max-topics}) are the log's: a durable node started again on its data dir with another {@code --history}
 * would re-decide its history differently (which ids are retries), so it refuses, exit 2 and one line naming the
 * setting, its value here and the cluster's; started with the cluster's settings it comes back with its events. A
 * deliberate change ({@code --change-settings true}) is refused while the log after the last snapshot holds events the
 * old settings decided, and taken right after {@code ClusterTool shutdown}; from then on the new settings are the
 * cluster's and the old ones are refused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSettingsMismatchIT
{
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String EXITING = "sseflow: exiting (status 2) because cluster node 0's settings ";

    private final File dataDir = tempDir();
    private File stderr;
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
    void shouldRefuseAnotherHistoryThanTheClustersNamingItAndChangeItOnlyAfterAShutdownSnapshot() throws Exception
    {
        stderr = File.createTempFile("sseflow-settings-", ".stderr");
        node = start("--history", "16").awaitReady(READY);
        assertEquals("a-1\n", node.publish("orders", "?id=a-1", "one"));
        assertEquals("a-2\n", node.publish("orders", "?id=a-2", "two"));
        assertEquals("a-3\n", node.publish("orders", "?id=a-3", "three"));
        node.close();

        assertRefused(EXITING + "differ from the cluster's: --history is 32 here, 16 in the cluster (set by node 0); " +
            "every member must run with the same --history, --history-total-bytes and --max-topics (they decide what " +
            "is retained): start it with the cluster's, or change them for every member (see --change-settings)",
            "--history", "32");

        node = start("--history", "16").awaitReady(READY);
        assertEquals("a-2\n", node.publish("orders", "?id=a-2", "two, retried"));
        assertEquals(0, command(ChildProcess.javaBinary(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", ChildProcess.hubJar().getPath(), "io.aeron.cluster.ClusterTool",
            new File(dataDir, "cluster").getPath(), "shutdown"));
        assertTrue(node.process().waitFor(20, TimeUnit.SECONDS), "closes after the cluster shut down: " + node.stderr());

        node = start("--history", "32", "--change-settings", "true").awaitReady(READY);
        assertEquals("a-1\n", node.publish("orders", "?id=a-1", "one, retried"));
        assertEquals("1\n", node.publish("orders", "", "four"));
        node.close();

        assertRefused(EXITING + "differ from the cluster's: --history is 16 here, 32 in the cluster (set by node 0); " +
            "every member must run with the same --history, --history-total-bytes and --max-topics (they decide what " +
            "is retained): start it with the cluster's, or change them for every member (see --change-settings)",
            "--history", "16");
        node = start("--history", "32").awaitReady(READY);
        assertEquals("2\n", node.publish("orders", "", "five"));
        node.close();

        assertRefused(EXITING + "cannot change here: --history is 16 here, 32 in the cluster (set by node 0), and " +
            "the log after this member's last snapshot holds events the cluster decided with them; stop the cluster " +
            "with ClusterTool DIR shutdown (a snapshot at the end of the log), then start every member with the new " +
            "settings and --change-settings true", "--history", "16", "--change-settings", "true");
    }

    private HubNode start(final String... flags) throws IOException
    {
        return new HubNode(stderr, arguments(flags)).start();
    }

    private String[] arguments(final String... flags)
    {
        final String[] arguments = new String[4 + flags.length];
        arguments[0] = "--port";
        arguments[1] = "0";
        arguments[2] = "--data-dir";
        arguments[3] = dataDir.getPath();
        System.arraycopy(flags, 0, arguments, 4, flags.length);
        return arguments;
    }

    /**
     * Start the hub with these flags and wait for it to refuse: it may do so before it listens.
     */
    private void assertRefused(final String line, final String... flags) throws Exception
    {
        final int errorsBefore = Files.readString(stderr.toPath()).length();
        final Process refused = ChildProcess.startHubJar(List.of("-Xmx256m", "-XX:+UseSerialGC"),
            ProcessBuilder.Redirect.appendTo(stderr), arguments(flags));
        try
        {
            assertTrue(refused.waitFor(30, TimeUnit.SECONDS), "refused member still running: " + errors());
            assertEquals(ClusterFlags.REFUSED_STATUS, refused.exitValue(), errors());
        }
        finally
        {
            ChildProcess.kill(refused);
        }
        final String errors = errors();
        assertEquals(1, ChildProcess.occurrences(errors.substring(errorsBefore), "\n" + line + "\n"), errors);
        assertEquals(1, ChildProcess.occurrences(errors.substring(errorsBefore), "sseflow: exiting"), errors);
        assertTrue(errors.endsWith("\n" + line + "\n"), "the reason is the last line: " + errors);
    }

    private String errors() throws IOException
    {
        return Files.readString(stderr.toPath());
    }

    private static int command(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).inheritIO().start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return process.exitValue();
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
