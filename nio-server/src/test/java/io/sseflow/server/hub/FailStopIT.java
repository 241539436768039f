package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sseflow.server.support.ChildProcess.lastLine;
import static io.sseflow.server.support.ChildProcess.occurrences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 3: a durable node whose cluster parts stopped used to stay up as a zombie ({@code /healthz} 200,
 * {@code /readyz} 503, every publish 503) with nothing to tell a supervisor. Now every way they stop by themselves
 * ends the hub with status 70 and one line saying why, within a few seconds, and a restart on the same data dir
 * catches up; a deliberate cluster shutdown and SIGTERM still end it cleanly.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FailStopIT}
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailStopIT
{
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String STOPPED_LINE = "sseflow: exiting (status 70) because cluster node 0 stopped: ";

    private final List<File> dirs = new ArrayList<>();
    private final List<File> clusterDirs = new ArrayList<>();
    private final List<HubNode> nodes = new ArrayList<>();
    private File mounted;

    @AfterEach
    void cleanUp() throws Exception
    {
        for (final HubNode node : nodes)
        {
            node.kill();
        }
        if (null != mounted)
        {
            command("umount", "-l", mounted.getPath());
        }
        for (int i = 0; i < clusterDirs.size(); i++)
        {
            IoUtil.delete(new File(new ClusterSettings(clusterDirs.get(i), List.of("127.0.0.1:1", "127.0.0.1:6",
                "127.0.0.1:11"), i).aeronDirectoryName()), true);
        }
        for (final File dir : dirs)
        {
            IoUtil.delete(dir, true);
            IoUtil.delete(new File(ClusterSettings.singleNode(dir, 1).aeronDirectoryName()), true);
        }
    }

    @Test
    void shouldExit70WithItsReasonAfterASixSecondPauseAndCatchUpWhenRestarted() throws Exception
    {
        final File dataDir = tempDir("sseflow-paused-");
        final File stderr = File.createTempFile("sseflow-paused-", ".stderr");
        final HubNode node = start(stderr, dataDir);
        assertEquals("1\n", node.publish("orders", "", "one"));
        assertEquals("2\n", node.publish("orders", "", "two"));

        final long pid = node.process().pid();
        command("kill", "-STOP", Long.toString(pid));
        Thread.sleep(6_000);
        command("kill", "-CONT", Long.toString(pid));
        final long resumedNs = System.nanoTime();

        // fail-stop or recover within a few seconds; never up and unable to publish
        final boolean recovered = recoversOrExits(node, resumedNs);
        final long afterMs = (System.nanoTime() - resumedNs) / 1_000_000;
        if (recovered)
        {
            System.out.println("FailStopIT: single durable node paused 6 s: recovered " + afterMs + " ms after SIGCONT");
            return;
        }
        assertTrue(node.process().waitFor(1, TimeUnit.SECONDS), "neither recovered nor exited within 10 s after " +
            "SIGCONT (a zombie): " + node.stderr());
        final String errors = node.stderr();
        System.out.println("FailStopIT: single durable node paused 6 s: exit " + node.process().exitValue() + " " +
            afterMs + " ms after SIGCONT; stderr ends: " + lastLine(errors));
        assertEquals(SseHub.EXIT_FATAL_ERROR, node.process().exitValue(), errors);
        assertTrue(lastLine(errors).startsWith(STOPPED_LINE), errors);
        assertEquals(1, occurrences(errors, "sseflow: exiting"), errors);

        final long restartNs = System.nanoTime();
        final HubNode restarted = start(stderr, dataDir);
        System.out.println("FailStopIT: restarted and ready in " + (System.nanoTime() - restartNs) / 1_000_000 + " ms");
        assertEquals("3\n", restarted.publish("orders", "", "three"));
        assertTrue(RawHttp.metrics(restarted.port()).contains("\nsseflow_cluster_applied_seq 3\n"));
    }

    @Test
    void shouldKeepServingAfterAFourSecondPauseShorterThanAeronsTimeouts() throws Exception
    {
        final File dataDir = tempDir("sseflow-short-pause-");
        final HubNode node = start(File.createTempFile("sseflow-short-pause-", ".stderr"), dataDir);
        assertEquals("1\n", node.publish("orders", "", "one"));

        final long pid = node.process().pid();
        command("kill", "-STOP", Long.toString(pid));
        Thread.sleep(4_000);
        command("kill", "-CONT", Long.toString(pid));

        assertEquals("2\n", node.publish("orders", "", "two"));
        // longer than the watchdog needs to decide (a 1 s grace after a termination, 200 ms looks)
        Thread.sleep(2_000);
        assertTrue(node.process().isAlive(), node.stderr());
        assertTrue(node.isReady());
        assertEquals("3\n", node.publish("orders", "", "three"));
        assertFalse(node.stderr().contains("sseflow: exiting"), node.stderr());
    }

    @Test
    void shouldExit70WithItsReasonWhenTheDataDirHasTooLittleSpaceAtStart() throws Exception
    {
        final File mountPoint = tempDir("sseflow-small-disk-");
        Assumptions.assumeTrue(0 == command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mountPoint.getPath()),
            "mounting a 64 MiB tmpfs needs root");
        mounted = mountPoint;
        final File dataDir = new File(mountPoint, "data");
        dirs.add(dataDir);
        final File stderr = File.createTempFile("sseflow-small-disk-", ".stderr");
        final long startNs = System.nanoTime();
        final Process hub = ChildProcess.startHubJar(List.of("-Xmx256m", "-XX:+UseSerialGC"),
            ProcessBuilder.Redirect.appendTo(stderr), "--port", "0", "--data-dir", dataDir.getPath());
        try
        {
            assertTrue(hub.waitFor(30, TimeUnit.SECONDS), "exits instead of staying up: " + read(stderr));
            final String errors = read(stderr);
            System.out.println("FailStopIT: 64 MiB data dir: exit " + hub.exitValue() + " " +
                (System.nanoTime() - startNs) / 1_000_000 + " ms after start; stderr ends: " + lastLine(errors));
            assertEquals(SseHub.EXIT_FATAL_ERROR, hub.exitValue(), errors);
            assertTrue(lastLine(errors).startsWith(STOPPED_LINE), errors);
            assertTrue(lastLine(errors).contains("low storage threshold=134217728 <= usableSpace="), errors);
        }
        finally
        {
            ChildProcess.kill(hub);
        }
    }

    @Test
    void shouldCloseWithStatus0AfterADeliberateClusterShutdownAndAsBeforeOnSigterm() throws Exception
    {
        final File dataDir = tempDir("sseflow-shutdown-");
        final File stderr = File.createTempFile("sseflow-shutdown-", ".stderr");
        final HubNode node = start(stderr, dataDir);
        assertEquals("1\n", node.publish("orders", "", "one"));

        final long startNs = System.nanoTime();
        assertEquals(0, command(ChildProcess.javaBinary(), "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", ChildProcess.hubJar().getPath(), "io.aeron.cluster.ClusterTool",
            new File(dataDir, "cluster").getPath(), "shutdown"));
        assertTrue(node.process().waitFor(20, TimeUnit.SECONDS), "closes after the cluster shut down: " + node.stderr());
        final String errors = node.stderr();
        System.out.println("FailStopIT: ClusterTool shutdown: exit " + node.process().exitValue() + " " +
            (System.nanoTime() - startNs) / 1_000_000 + " ms after the tool started; stderr ends: " + lastLine(errors));
        assertEquals(0, node.process().exitValue(), errors);
        assertFalse(errors.contains("sseflow: exiting"), errors);
        assertTrue(errors.contains("sseflow: cluster node 0 stopped: the consensus module terminated as asked"), errors);

        final HubNode restarted = start(stderr, dataDir);
        assertEquals("2\n", restarted.publish("orders", "", "two"));
        assertTrue(ChildProcess.stop(restarted.process(), Duration.ofSeconds(20)), "exits on SIGTERM");
        assertEquals(143, restarted.process().exitValue());
        assertFalse(restarted.stderr().contains("sseflow: exiting"), restarted.stderr());
    }

    @Test
    void shouldEndOrRecoverAFollowerPausedForSixSecondsWhileTheOthersGoOnAndCatchUpWhenRestarted() throws Exception
    {
        pauseOneOfThreeForSixSeconds(false);
    }

    @Test
    void shouldEndOrRecoverALeaderPausedForSixSecondsWhileTheOthersElectAnotherAndCatchUpWhenRestarted()
        throws Exception
    {
        pauseOneOfThreeForSixSeconds(true);
    }

    /**
     * Three members; five events; SIGSTOP of the leader or a follower for 6 s while the other two take five more
     * (through a new leader when the leader was stopped: each retried with its id until it is answered 200, which a
     * retry by id makes safe); after SIGCONT the stopped member either takes publishes again within 10 s or exits 70
     * with its line, and then, restarted, catches up; it serves ids 6..12 exactly to a client resuming after 5.
     */
    private void pauseOneOfThreeForSixSeconds(final boolean pauseLeader) throws Exception
    {
        final int base = ClusterHubIT.freeBasePort(3 * 5);
        final String members = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 5) + ",127.0.0.1:" + (base + 10);
        final HubNode[] cluster = new HubNode[3];
        final String[][] arguments = new String[3][];
        final File[] stderrs = new File[3];
        for (int i = 0; i < 3; i++)
        {
            final File dir = tempDir("sseflow-fail-stop-node-" + i + "-");
            clusterDirs.add(dir);
            arguments[i] = new String[]{ "--port", "0", "--data-dir", dir.getPath(), "--cluster-members", members,
                "--cluster-node", Integer.toString(i) };
            stderrs[i] = File.createTempFile("sseflow-fail-stop-node-" + i + "-", ".stderr");
            cluster[i] = new HubNode(stderrs[i], arguments[i]).start();
            nodes.add(cluster[i]);
        }
        for (final HubNode node : cluster)
        {
            node.awaitReady(Duration.ofSeconds(40));
        }
        int leader = -1;
        for (int i = 0; i < 3; i++)
        {
            if (RawHttp.metrics(cluster[i].port()).contains("\nsseflow_cluster_role 2\n"))
            {
                leader = i;
            }
        }
        assertTrue(leader >= 0, "a leader");
        final int follower = pauseLeader ? leader : (leader + 1) % 3;
        final HubNode other = cluster[(follower + (pauseLeader ? 1 : 2)) % 3];
        final String what = pauseLeader ? "leader" : "follower";
        for (int id = 1; id <= 5; id++)
        {
            assertEquals(id + "\n", cluster[leader].publish("s", "?id=" + id, "event " + id));
        }

        final long pid = cluster[follower].process().pid();
        command("kill", "-STOP", Long.toString(pid));
        final long stoppedNs = System.nanoTime();
        try
        {
            for (int id = 6; id <= 10; id++)
            {
                publishUntilAnswered(other, id);
            }
            System.out.println("FailStopIT: " + what + " stopped: the other two took 5 events in " +
                (System.nanoTime() - stoppedNs) / 1_000_000 + " ms");
            Thread.sleep(Math.max(0, 6_000 - (System.nanoTime() - stoppedNs) / 1_000_000));
        }
        finally
        {
            command("kill", "-CONT", Long.toString(pid));
        }
        final long resumedNs = System.nanoTime();
        final HubNode paused = cluster[follower];
        final boolean recovered = recoversOrExits(paused, resumedNs);
        final long afterMs = (System.nanoTime() - resumedNs) / 1_000_000;
        publishUntilAnswered(other, 11);
        HubNode serving = paused;
        if (recovered)
        {
            System.out.println("FailStopIT: " + what + " paused 6 s: recovered " + afterMs + " ms after SIGCONT");
        }
        else
        {
            assertTrue(paused.process().waitFor(1, TimeUnit.SECONDS), "the follower neither recovered nor exited " +
                "within 10 s after SIGCONT (a zombie): " + paused.stderr());
            final String errors = paused.stderr();
            System.out.println("FailStopIT: " + what + " paused 6 s: exit " + paused.process().exitValue() + " " +
                afterMs + " ms after SIGCONT; stderr ends: " + lastLine(errors));
            assertEquals(SseHub.EXIT_FATAL_ERROR, paused.process().exitValue(), errors);
            assertTrue(lastLine(errors).startsWith("sseflow: exiting (status 70) because cluster node " + follower +
                " stopped: "), errors);
            final long restartNs = System.nanoTime();
            serving = new HubNode(stderrs[follower], arguments[follower]);
            nodes.add(serving);
            cluster[follower] = serving.start().awaitReady(Duration.ofSeconds(40));
            System.out.println("FailStopIT: " + what + " restarted and ready in " +
                (System.nanoTime() - restartNs) / 1_000_000 + " ms");
        }
        publishUntilAnswered(serving, 12);
        try (RawSseClient resumed = RawSseClient.get(serving.port(), "/events/s", "Last-Event-ID: 5"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(resumed.readHead()));
            final StringBuilder frames = new StringBuilder();
            for (int id = 6; id <= 12; id++)
            {
                frames.append("id: ").append(id).append("\ndata: event ").append(id).append("\n\n");
            }
            assertEquals(frames.toString(), resumed.readBytes(frames.length()));
        }
    }

    /**
     * Publish event {@code id} with its id until it is answered 200 (20 s at most): a 503 or 504 while a new leader
     * is elected is retried with the same id, which the hub never appends twice.
     */
    private static void publishUntilAnswered(final HubNode node, final int id) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String answer = "";
        while (System.nanoTime() < deadlineNs)
        {
            try
            {
                answer = RawHttp.post(node.port(), "/events/s?id=" + id, "event " + id);
                if ("HTTP/1.1 200 OK".equals(RawHttp.status(answer)))
                {
                    assertEquals(id + "\n", RawHttp.body(answer));
                    return;
                }
            }
            catch (final IOException ex)
            {
                answer = ex.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("event " + id + " not answered 200 within 20 s: " + answer);
    }

    private HubNode start(final File stderr, final File dataDir) throws IOException
    {
        final HubNode node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath());
        nodes.add(node);
        return node.start().awaitReady(READY);
    }

    /**
     * Wait up to 10 s after the pause for the node to either take a publish again or exit (never stay up unable to
     * publish): checked every 100 ms.
     *
     * @return true when it recovered; false when it exited or the time ran out.
     */
    private static boolean recoversOrExits(final HubNode node, final long resumedNs) throws InterruptedException
    {
        final long deadlineNs = resumedNs + TimeUnit.SECONDS.toNanos(10);
        boolean recovered = false;
        while (node.process().isAlive() && !recovered && System.nanoTime() < deadlineNs)
        {
            recovered = node.isReady() && publishes(node);
            Thread.sleep(100);
        }
        return recovered;
    }

    private static boolean publishes(final HubNode node)
    {
        try
        {
            return RawHttp.status(RawHttp.post(node.port(), "/events/orders", "after")).equals("HTTP/1.1 200 OK");
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private File tempDir(final String prefix) throws IOException
    {
        final File dir = Files.createTempDirectory(prefix).toFile();
        dirs.add(dir);
        return dir;
    }

    private static int command(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            ChildProcess.kill(process);
            return -1;
        }
        return process.exitValue();
    }

    private static String read(final File file) throws IOException
    {
        return Files.readString(file.toPath());
    }

}
