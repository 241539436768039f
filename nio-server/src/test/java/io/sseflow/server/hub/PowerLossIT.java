package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.LoopFileSystem;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A power cut under a single durable node, and under the machine of a three-member cluster (issue 18): its data dir is an ext4 file system in a loop-mounted image;
 * after {@value #EVENTS} publishes, each answered {@code 200}, the image is copied while the hub still runs (what
 * the disk holds at that instant, without what the file system still had only in its page cache), the hub is killed,
 * and a new hub starts on the copy. Every acknowledged event must be there, in order, and the next server-assigned id
 * must be a new one. Without syncing the log to stable storage, the acknowledged events were lost and their ids given
 * to new events (a node that had run a while), or the node did not start again (a fresh node: the archive's catalog
 * was never written out). Skipped where loop devices
 * cannot be mounted (not root, none free, no {@code mkfs.ext4}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PowerLossIT
{
    private static final int EVENTS = 300;
    private static final int CLUSTER_EVENTS = 60;
    private static final long CLUSTER_IMAGE_BYTES = 256L * 1024 * 1024;
    private static final long IMAGE_BYTES = 512L * 1024 * 1024;
    private static final Duration READY = Duration.ofSeconds(60);

    private final List<LoopFileSystem> disks = new ArrayList<>();
    private final List<File> dataDirs = new ArrayList<>();
    private final List<HubNode> clusterNodes = new ArrayList<>();
    private File work;
    private HubNode node;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != node)
        {
            node.kill();
        }
        for (final HubNode member : clusterNodes)
        {
            member.kill();
        }
        for (int i = disks.size() - 1; i >= 0; i--)
        {
            disks.get(i).close();
        }
        for (final File dataDir : dataDirs)
        {
            IoUtil.delete(new File(ClusterSettings.singleNode(dataDir, 1).aeronDirectoryName()), true);
            for (int i = 0; i < 3; i++)
            {
                // a killed member leaves its Aeron directory (in /dev/shm) behind
                IoUtil.delete(new File(new ClusterSettings(dataDir, List.of("127.0.0.1:1", "127.0.0.1:6",
                    "127.0.0.1:11"), i).aeronDirectoryName()), true);
            }
        }
        if (null != work)
        {
            IoUtil.delete(work, true);
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedEventOfAFreshNodeAfterAPowerCut() throws Exception
    {
        cutThePowerAndRestart(false);
    }

    @Test
    void shouldKeepEveryAcknowledgedEventAndNeverReuseAnIdAfterAPowerCut() throws Exception
    {
        cutThePowerAndRestart(true);
    }

    /**
     * The whole machine loses power under a three-member cluster: each member's data dir is its own loop-mounted
     * ext4 image; after {@value #CLUSTER_EVENTS} publishes spread over the members, each answered {@code 200} (on disk
     * on a majority), the three images are copied one after the other while the members still run, every member is
     * killed, and the three start again, at once, on the copies. Every acknowledged event must be on every member,
     * once and in order, and the next id must be a new one.
     */
    @Test
    void shouldKeepEveryAcknowledgedEventOfAThreeMemberClusterAfterAPowerCutOfTheMachine() throws Exception
    {
        final String unavailable = LoopFileSystem.unavailableReason();
        assumeTrue(null == unavailable, () -> "power-loss test skipped: " + unavailable);
        work = Files.createTempDirectory("sseflow-cluster-power-loss-").toFile();
        final int base = ClusterHubIT.freeBasePort(3 * 5);
        final String members = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 5) + ",127.0.0.1:" + (base + 10);
        final LoopFileSystem[] machine = new LoopFileSystem[3];
        final HubNode[] cluster = new HubNode[3];
        for (int i = 0; i < 3; i++)
        {
            machine[i] = LoopFileSystem.create(new File(work, "disk-" + i + ".img"), new File(work, "disk-" + i),
                CLUSTER_IMAGE_BYTES);
            disks.add(machine[i]);
            cluster[i] = clusterNode(i, new File(machine[i].mountPoint(), "data"), members);
        }
        awaitReady(cluster);
        final long publishStart = System.nanoTime();
        for (int i = 1; i <= CLUSTER_EVENTS; i++)
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(
                RawHttp.post(cluster[i % 3].port(), "/events/orders?id=" + i, "event " + i)), "publish " + i);
        }
        final long publishMs = (System.nanoTime() - publishStart) / 1_000_000;
        final File[] cuts = new File[3];
        for (int i = 0; i < 3; i++)
        {
            cuts[i] = new File(work, "cut-" + i + ".img");
            machine[i].copyImageTo(cuts[i]);
        }
        for (int i = 0; i < 3; i++)
        {
            cluster[i].kill();
        }
        System.out.println("power loss of a 3-member cluster's machine: " + CLUSTER_EVENTS + " acknowledged " +
            "publishes (one at a time, spread over the members) took " + publishMs + " ms; images copied at the cut");

        for (int i = 0; i < 3; i++)
        {
            final LoopFileSystem after = LoopFileSystem.mount(cuts[i], new File(work, "after-" + i));
            disks.add(after);
            cluster[i] = clusterNode(i, new File(after.mountPoint(), "data"), members);
        }
        awaitReady(cluster);
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.post(cluster[0].port(), "/events/orders", "next")));
        final StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= CLUSTER_EVENTS; i++)
        {
            expected.append("id: ").append(i).append("\ndata: event ").append(i).append("\n\n");
        }
        expected.append("id: ").append(CLUSTER_EVENTS + 1).append("\ndata: next\n\n");
        for (int i = 0; i < 3; i++)
        {
            try (RawSseClient replay = RawSseClient.get(cluster[i].port(), "/events/orders", "Last-Event-ID: 0"))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(replay.readHead()));
                assertEquals(expected.toString(), replay.readBytes(expected.length()), "member " + i);
            }
        }
    }

    private static void awaitReady(final HubNode[] cluster) throws IOException
    {
        try
        {
            for (final HubNode member : cluster)
            {
                member.awaitReady(READY);
            }
        }
        catch (final AssertionError ex)
        {
            final StringBuilder errors = new StringBuilder(ex.getMessage());
            for (int i = 0; i < cluster.length; i++)
            {
                errors.append("\n--- member ").append(i).append(":\n").append(cluster[i].stderr());
            }
            throw new AssertionError(errors.toString(), ex);
        }
    }

    private HubNode clusterNode(final int index, final File dataDir, final String members) throws IOException
    {
        dataDirs.add(dataDir);
        final HubNode member = new HubNode(new File(work, "node-" + index + ".stderr"), "--port", "0", "--data-dir",
            dataDir.getPath(), "--cluster-members", members, "--cluster-node", Integer.toString(index),
            "--min-free-disk-bytes", Long.toString(32L << 20));
        clusterNodes.add(member);
        return member.start();
    }

    /**
     * @param settled write everything out before the publishes (as on a node that has run a while: its catalog and
     *                directories are on disk), so that only the publishes' own writes are at stake.
     */
    private void cutThePowerAndRestart(final boolean settled) throws Exception
    {
        final String unavailable = LoopFileSystem.unavailableReason();
        assumeTrue(null == unavailable, () -> "power-loss test skipped: " + unavailable);
        work = Files.createTempDirectory("sseflow-power-loss-").toFile();
        final File stderr = new File(work, "hub.stderr");

        final LoopFileSystem disk = LoopFileSystem.create(new File(work, "disk.img"), new File(work, "disk"), IMAGE_BYTES);
        disks.add(disk);
        final File dataDir = new File(disk.mountPoint(), "data");
        dataDirs.add(dataDir);
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath()).start().awaitReady(READY);

        if (settled)
        {
            disk.sync();
        }
        final long publishStart = System.nanoTime();
        for (int i = 1; i <= EVENTS; i++)
        {
            assertEquals(i + "\n", node.publish("orders", "", "event " + i));
        }
        final long publishMs = (System.nanoTime() - publishStart) / 1_000_000;
        final File cut = new File(work, "cut.img");
        disk.copyImageTo(cut);
        node.kill();
        node = null;
        System.out.println("power loss" + (settled ? "" : " of a fresh node") + ": " + EVENTS +
            " acknowledged publishes (one at a time) took " + publishMs + " ms; image copied at the cut");

        final LoopFileSystem after = LoopFileSystem.mount(cut, new File(work, "after"));
        disks.add(after);
        final File restoredDir = new File(after.mountPoint(), "data");
        dataDirs.add(restoredDir);
        node = new HubNode(stderr, "--port", "0", "--data-dir", restoredDir.getPath()).start().awaitReady(READY);

        assertEquals((EVENTS + 1) + "\n", node.publish("orders", "", "after the cut"),
            "the id the node assigns next after the cut (a reused one names two different events)");
        try (RawSseClient replay = RawSseClient.get(node.port(), "/events/orders", "Last-Event-ID: 1"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(replay.readHead()));
            final StringBuilder expected = new StringBuilder();
            for (int i = 2; i <= EVENTS; i++)
            {
                expected.append("id: ").append(i).append("\ndata: event ").append(i).append("\n\n");
            }
            expected.append("id: ").append(EVENTS + 1).append("\ndata: after the cut\n\n");
            assertEquals(expected.toString(), replay.readBytes(expected.length()));
        }
        final String metrics = RawHttp.metrics(node.port());
        assertTrue(metrics.contains("\nsseflow_cluster_applied_seq " + (EVENTS + 1) + "\n"),
            "every event applied once, the first one too: " + metrics);
    }
}
