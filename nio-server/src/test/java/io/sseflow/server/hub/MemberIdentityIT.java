package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sseflow.server.support.ChildProcess.lastLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 2: a member that lost its disk voted as if it had not. The double fault: member 1 is killed, 20
 * events are acknowledged by members 0 and 2, member 2 is killed and its data dir emptied, member 0 is killed; then
 * member 1 (behind) and the empty member 2 are started. Before, they formed a majority, member 1 led without the 20
 * events, and member 0's log was truncated when it came back: acknowledged events gone on every node. Now the empty
 * member 2 asks the others' archives, finds member 1's history and exits 2 with a line saying to restore it; member 0
 * returns and leads with every event; member 2 started with {@code --restore} copies the leader's state and serves
 * every acknowledged event exactly once, in order, as do the others, and later restarts on its data dir as any member
 * does. An empty member that cannot yet tell (the others down) waits, serving {@code /healthz} but not ready, and is
 * refused as soon as a member with history comes back.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=MemberIdentityIT}
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MemberIdentityIT
{
    private static final int NODES = 3;
    private static final int EVENTS = 20;
    private static final Duration READY = Duration.ofSeconds(40);

    private final List<File> dataDirs = new ArrayList<>();
    private final List<HubNode> started = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception
    {
        for (final HubNode node : started)
        {
            node.kill();
        }
        for (final Process process : processes)
        {
            ChildProcess.kill(process);
        }
        for (int i = 0; i < dataDirs.size(); i++)
        {
            IoUtil.delete(dataDirs.get(i), true);
            IoUtil.delete(new File(new ClusterSettings(dataDirs.get(i), List.of("127.0.0.1:1", "127.0.0.1:6",
                "127.0.0.1:11"), i).aeronDirectoryName()), true);
        }
    }

    @Test
    void shouldRefuseAnEmptyMemberWhoseClusterHasHistoryAndRestoreItFromTheLeaderWithEveryAcknowledgedEvent()
        throws Exception
    {
        final int base = ClusterHubIT.freeBasePort(NODES * 5);
        final String members = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 5) + ",127.0.0.1:" + (base + 10);
        final String[][] arguments = new String[NODES][];
        final File[] stderrs = new File[NODES];
        final HubNode[] nodes = new HubNode[NODES];
        for (int i = 0; i < NODES; i++)
        {
            final File dir = Files.createTempDirectory("sseflow-identity-node-" + i + "-").toFile();
            dataDirs.add(dir);
            arguments[i] = new String[]{ "--port", "0", "--data-dir", dir.getPath(), "--cluster-members", members,
                "--cluster-node", Integer.toString(i) };
            stderrs[i] = File.createTempFile("sseflow-identity-node-" + i + "-", ".stderr");
            nodes[i] = start(stderrs[i], arguments[i]);
        }
        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
        }
        assertEquals("0\n", nodes[0].publish("t", "?id=0", "event 0"));

        nodes[1].kill();
        for (int id = 1; id <= EVENTS; id++)
        {
            assertEquals(id + "\n", nodes[id % 2 == 0 ? 0 : 2].publish("t", "?id=" + id, "event " + id));
        }
        nodes[2].kill();
        IoUtil.delete(dataDirs.get(2), false);
        assertTrue(dataDirs.get(2).mkdirs() || dataDirs.get(2).isDirectory());
        nodes[0].kill();

        nodes[1] = start(stderrs[1], arguments[1]);
        final File emptyStderr = File.createTempFile("sseflow-identity-empty-", ".stderr");
        final long emptyStartNs = System.nanoTime();
        final Process empty = ChildProcess.startHubJar(List.of("-Xmx256m", "-XX:+UseSerialGC"),
            ProcessBuilder.Redirect.appendTo(emptyStderr), arguments[2]);
        processes.add(empty);
        final boolean exited = empty.waitFor(30, TimeUnit.SECONDS);
        final String refusal = Files.readString(emptyStderr.toPath(), StandardCharsets.UTF_8);
        assertTrue(exited, "the empty member 2 joined member 1 (behind) instead of being refused: " + refusal +
            "\nmember 1: " + nodes[1].stderr());
        System.out.println("MemberIdentityIT: empty member refused, exit " + empty.exitValue() + " after " +
            (System.nanoTime() - emptyStartNs) / 1_000_000 + " ms: " + lastLine(refusal));
        assertEquals(2, empty.exitValue(), refusal);
        assertTrue(lastLine(refusal).replace("sseflow: exiting (status 2) because ", "sseflow: ").startsWith(
            "sseflow: the data dir " + dataDirs.get(2).getPath() +
            " is empty but member 1 has cluster history"), refusal);
        assertTrue(lastLine(refusal).endsWith("start this member with --restore to copy its state from the " +
            "cluster's leader"), refusal);
        assertTrue(!new File(dataDirs.get(2), "sseflow-member.properties").exists() &&
            !new File(dataDirs.get(2), "cluster/recording.log").exists(), "the refused member wrote no identity and " +
            "no cluster log");

        nodes[0] = start(stderrs[0], arguments[0]);
        nodes[0].awaitReady(READY);
        nodes[1].awaitReady(READY);
        assertTrue(RawHttp.metrics(nodes[0].port()).contains("\nsseflow_cluster_role 2\n"),
            "member 0, the one with every event, leads");

        final long restoreStartNs = System.nanoTime();
        final String[] restore = new String[arguments[2].length + 1];
        System.arraycopy(arguments[2], 0, restore, 0, arguments[2].length);
        restore[arguments[2].length] = "--restore";
        final File restoreStderr = File.createTempFile("sseflow-identity-restore-", ".stderr");
        nodes[2] = start(restoreStderr, restore).awaitReady(READY);
        final String restored = Files.readString(restoreStderr.toPath(), StandardCharsets.UTF_8);
        System.out.println("MemberIdentityIT: member 2 restored and ready in " +
            (System.nanoTime() - restoreStartNs) / 1_000_000 + " ms: " +
            restored.lines().filter(line -> line.contains("restored from")).findFirst().orElse(restored));
        assertTrue(restored.contains("sseflow: cluster node 2: restored from member 0"), restored);

        assertEquals((EVENTS + 1) + "\n", nodes[2].publish("t", "?id=" + (EVENTS + 1), "event " + (EVENTS + 1)));
        for (int i = 0; i < NODES; i++)
        {
            assertEveryEventOnceInOrder(nodes[i], i, EVENTS + 1);
        }

        // the restored member is a member like the others: killed and restarted on its data dir, it catches up
        nodes[2].kill();
        assertEquals((EVENTS + 2) + "\n", nodes[0].publish("t", "?id=" + (EVENTS + 2), "event " + (EVENTS + 2)));
        nodes[2] = start(restoreStderr, arguments[2]).awaitReady(READY);
        assertEveryEventOnceInOrder(nodes[2], 2, EVENTS + 2);
    }

    @Test
    void shouldRefuseAnEmptyMemberWaitingForOthersOnceOneWithHistoryComesBack() throws Exception
    {
        final int base = ClusterHubIT.freeBasePort(NODES * 5);
        final String members = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 5) + ",127.0.0.1:" + (base + 10);
        final String[][] arguments = new String[NODES][];
        final HubNode[] nodes = new HubNode[NODES];
        for (int i = 0; i < NODES; i++)
        {
            final File dir = Files.createTempDirectory("sseflow-identity-wait-" + i + "-").toFile();
            dataDirs.add(dir);
            arguments[i] = new String[]{ "--port", "0", "--data-dir", dir.getPath(), "--cluster-members", members,
                "--cluster-node", Integer.toString(i) };
            nodes[i] = start(File.createTempFile("sseflow-identity-wait-" + i + "-", ".stderr"), arguments[i]);
        }
        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
        }
        assertEquals("1\n", nodes[0].publish("t", "?id=1", "event 1"));
        for (final HubNode node : nodes)
        {
            node.kill();
        }
        IoUtil.delete(dataDirs.get(2), false);
        assertTrue(dataDirs.get(2).mkdirs() || dataDirs.get(2).isDirectory());

        final File emptyStderr = File.createTempFile("sseflow-identity-wait-empty-", ".stderr");
        nodes[2] = start(emptyStderr, arguments[2]);
        Await.condition(() -> read(emptyStderr).contains("sseflow: cluster node 2: the data dir " +
            dataDirs.get(2).getPath() + " is empty and too few other members answered to tell whether the cluster " +
            "has history"), "the empty member says it waits", READY);
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.get(nodes[2].port(), "/healthz", "Connection: close")));
        assertFalse(nodes[2].isReady(), "not ready while it waits");

        final long returnNs = System.nanoTime();
        nodes[1] = start(File.createTempFile("sseflow-identity-wait-1-", ".stderr"), arguments[1]);
        assertTrue(nodes[2].process().waitFor(30, TimeUnit.SECONDS), "the waiting empty member was not refused " +
            "once member 1 (with history) came back: " + read(emptyStderr));
        final String refusal = read(emptyStderr);
        System.out.println("MemberIdentityIT: waiting empty member refused, exit " + nodes[2].process().exitValue() +
            ", " + (System.nanoTime() - returnNs) / 1_000_000 + " ms after member 1 was started: " + lastLine(refusal));
        assertEquals(2, nodes[2].process().exitValue(), refusal);
        assertTrue(lastLine(refusal).replace("sseflow: exiting (status 2) because ", "sseflow: ").startsWith(
            "sseflow: the data dir " + dataDirs.get(2).getPath() +
            " is empty but member 1 has cluster history"), refusal);
        assertFalse(new File(dataDirs.get(2), "sseflow-member.properties").exists());
    }

    private static String metrics(final HubNode node)
    {
        try
        {
            return RawHttp.metrics(node.port());
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static String read(final File file)
    {
        try
        {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void assertEveryEventOnceInOrder(final HubNode node, final int index, final int last)
        throws Exception
    {
        try (RawSseClient replay = RawSseClient.get(node.port(), "/events/t", "Last-Event-ID: 0"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(replay.readHead()));
            final StringBuilder frames = new StringBuilder();
            for (int id = 1; id <= last; id++)
            {
                frames.append("id: ").append(id).append("\ndata: event ").append(id).append("\n\n");
            }
            assertEquals(frames.toString(), replay.readBytes(frames.length()), "member " + index);
        }
        Await.condition(() -> metrics(node).contains("\nsseflow_cluster_applied_seq " + (last + 1) + "\n"),
            "member " + index + " applied each of the " + (last + 1) + " events once", READY);
    }

    private HubNode start(final File stderr, final String... arguments) throws IOException
    {
        final HubNode node = new HubNode(stderr, arguments);
        started.add(node);
        return node.start();
    }
}
