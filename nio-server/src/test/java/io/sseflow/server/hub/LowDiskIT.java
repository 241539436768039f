package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.LoopFileSystem;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.SseEvent;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.sseflow.server.support.ChildProcess.lastLine;
import static io.sseflow.server.support.ChildProcess.occurrences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 18, item 7: a full disk needed manual repair. With Aeron's low-storage threshold out of the way, a durable
 * node took publishes until a write to its full disk failed (a fault in a memory-mapped file), and every restart
 * exited 70 ("incomplete last fragment ... Run ArchiveTool verify"). Now, below {@code --min-free-disk-bytes} free,
 * publishes are refused {@code 507} with the free and needed bytes while subscribers are served, and taken again once
 * space is freed, without a restart; and a node whose log ends in a write cut short repairs it with Aeron's own
 * verification at start, saying so, instead of exiting 70 at every start.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LowDiskIT}
 * (the low-disk test needs root to loop-mount a small ext4 image, and is skipped without).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LowDiskIT
{
    private static final Duration READY = Duration.ofSeconds(40);
    private static final long IMAGE_BYTES = 96L * 1024 * 1024;
    private static final long MIN_FREE = 24L * 1024 * 1024;
    private static final String HEARTBEAT = ": heartbeat\n\n";
    /**
     * Heartbeats (200 ms apart) read while the disk is low: longer than the snapshot interval, and than the 10 s after
     * which a node that is not ready ends its streams (LeaderLossWatch): low disk must not count as not ready there.
     */
    private static final int HEARTBEATS_WHILE_LOW = 60;
    private static final long SNAPSHOT_INTERVAL_MS = 2_000;

    private final List<LoopFileSystem> disks = new ArrayList<>();
    private final List<File> dataDirs = new ArrayList<>();
    private final List<File> memberDirs = new ArrayList<>();
    private final List<HubNode> memberNodes = new ArrayList<>();
    private File work;
    private HubNode node;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != node)
        {
            node.kill();
        }
        for (final HubNode member : memberNodes)
        {
            member.kill();
        }
        for (int i = 0; i < memberDirs.size(); i++)
        {
            IoUtil.delete(memberDirs.get(i), true);
            IoUtil.delete(new File(new ClusterSettings(memberDirs.get(i), List.of("127.0.0.1:1", "127.0.0.1:6",
                "127.0.0.1:11"), i).aeronDirectoryName()), true);
        }
        for (final LoopFileSystem disk : disks)
        {
            disk.close();
        }
        for (final File dataDir : dataDirs)
        {
            IoUtil.delete(dataDir, true);
            IoUtil.delete(new File(ClusterSettings.singleNode(dataDir, 1).aeronDirectoryName()), true);
        }
        if (null != work)
        {
            IoUtil.delete(work, true);
        }
    }

    @Test
    void shouldRefusePublishesWith507WhileSubscribersAreServedAndTakeThemAgainOnceSpaceIsFreed() throws Exception
    {
        final String unavailable = LoopFileSystem.unavailableReason();
        assumeTrue(null == unavailable, () -> "low-disk test skipped: " + unavailable);
        work = Files.createTempDirectory("sseflow-low-disk-").toFile();
        final LoopFileSystem disk = LoopFileSystem.create(new File(work, "disk.img"), new File(work, "disk"), IMAGE_BYTES);
        disks.add(disk);
        final File dataDir = new File(disk.mountPoint(), "data");
        dataDirs.add(dataDir);
        final File stderr = new File(work, "hub.stderr");
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath(), "--heartbeat-ms", "200",
            "--min-free-disk-bytes", Long.toString(MIN_FREE), "--snapshot-interval-ms", Long.toString(SNAPSHOT_INTERVAL_MS))
            .start().awaitReady(READY);

        try (RawSseClient subscriber = RawSseClient.get(node.port(), "/events/orders"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(subscriber.readHead()));
            assertEquals("1\n", node.publish("orders", "", "one"));
            assertEquals("2\n", node.publish("orders", "", "two"));
            assertEquals("id: 1\ndata: one\n\nid: 2\ndata: two\n\n", readEvents(subscriber, 2));
            Await.condition(() -> snapshots(node.port()) > 0, "a first snapshot", Duration.ofSeconds(10));
            final long snapshotsBefore = snapshots(node.port());
            assertEquals("3\n", node.publish("orders", "", "three"));
            assertEquals("id: 3\ndata: three\n\n", readEvents(subscriber, 1), "and another is due " +
                SNAPSHOT_INTERVAL_MS + " ms after the first");

            final File filler = new File(disk.mountPoint(), "filler");
            final long usable = dataDir.getUsableSpace();
            // below Aeron's own threshold (half the minimum) too: a snapshot due now would stop the member
            fallocate(filler, usable - MIN_FREE / 4);
            final long lowNs = System.nanoTime();
            final List<String> acknowledged = new ArrayList<>();
            final String[] refused = new String[1];
            Await.condition(() ->
            {
                final String answer = post(node.port(), "/events/orders", "while low");
                if (RawHttp.status(answer).equals("HTTP/1.1 200 OK"))
                {
                    acknowledged.add(RawHttp.body(answer));
                    return false;
                }
                refused[0] = answer;
                return true;
            }, "a publish refused once the disk is low", Duration.ofSeconds(5));
            final long refusedAfterMs = (System.nanoTime() - lowNs) / 1_000_000;
            final String dir = Pattern.quote(dataDir.getPath());
            final String reason = "insufficient storage: \\d+ bytes free under " + dir + ", " + MIN_FREE +
                " needed \\(--min-free-disk-bytes\\); publishes are refused until space is freed";
            assertEquals("HTTP/1.1 507 Insufficient Storage", RawHttp.status(refused[0]), () -> refused[0] + "; " +
                lastLine(stderrOf(node)));
            assertTrue(Pattern.matches(reason, RawHttp.body(refused[0]).trim()), refused[0]);
            final String mercure = RawHttp.post(node.port(), "/.well-known/mercure", "topic=orders&data=while+low",
                "Content-Type: application/x-www-form-urlencoded");
            assertEquals("HTTP/1.1 507 Insufficient Storage", RawHttp.status(mercure), mercure);
            assertTrue(Pattern.matches(reason, RawHttp.body(mercure).trim()), mercure);
            final String ready = RawHttp.get(node.port(), "/readyz", "Connection: close");
            assertEquals("HTTP/1.1 503 Service Unavailable", RawHttp.status(ready), ready);
            assertTrue(Pattern.matches("not ready: " + reason + "\n", RawHttp.body(ready)), ready);
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.get(node.port(), "/healthz", "Connection: close")));
            final String metrics = RawHttp.metrics(node.port());
            assertTrue(metrics.contains("\nsseflow_requests_refused_total{reason=\"insufficient_storage\"} 2\n"), metrics);
            assertTrue(metrics.contains("\nsseflow_cluster_disk_min_free_bytes " + MIN_FREE + "\n"), metrics);
            assertTrue(Pattern.compile("\nsseflow_cluster_disk_free_bytes (\\d+)\n").matcher(metrics).results()
                .anyMatch((free) -> Long.parseLong(free.group(1)) < MIN_FREE), metrics);

            final StringBuilder pending = new StringBuilder();
            for (int i = 0; i < acknowledged.size(); i++)
            {
                pending.append("id: ").append(acknowledged.get(i).trim()).append("\ndata: while low\n\n");
            }
            assertEquals(pending.toString(), readEvents(subscriber, acknowledged.size()),
                "events taken before the watch saw the low disk are delivered");
            assertEquals(HEARTBEAT.repeat(HEARTBEATS_WHILE_LOW), subscriber.readBytes(HEARTBEATS_WHILE_LOW *
                HEARTBEAT.length()), "the subscriber is served (heartbeats) while publishes are refused, for longer " +
                "than the snapshot interval and than a node without a leader keeps its streams");
            assertTrue(node.process().isAlive(), node.stderr());
            assertEquals(snapshotsBefore, snapshots(node.port()), "the snapshot due is put off while the disk is low");

            assertTrue(filler.delete());
            final long freedNs = System.nanoTime();
            final String[] taken = new String[1];
            Await.condition(() ->
            {
                final String answer = post(node.port(), "/events/orders?id=100", "after");
                taken[0] = answer;
                return RawHttp.status(answer).equals("HTTP/1.1 200 OK");
            }, "a publish taken again once space is freed", Duration.ofSeconds(5));
            final long takenAfterMs = (System.nanoTime() - freedNs) / 1_000_000;
            assertEquals("100\n", RawHttp.body(taken[0]));
            final SseEvent after = subscriber.nextEvent();
            assertEquals("100", after.id());
            assertEquals("after", after.data());
            assertTrue(node.isReady());
            Await.condition(() -> snapshots(node.port()) > snapshotsBefore, "the snapshot put off taken once space " +
                "is back", Duration.ofSeconds(10));

            final String errors = node.stderr();
            assertEquals(1, occurrences(errors, "sseflow: cluster node 0: insufficient storage: "), errors);
            assertEquals(1, occurrences(errors, "sseflow: cluster node 0: disk space is back ("), errors);
            assertFalse(errors.contains("sseflow: exiting"), errors);
            System.out.println("LowDiskIT: " + MIN_FREE + " bytes minimum, filled to " + MIN_FREE / 4 + " free: " +
                acknowledged.size() + " publishes taken before the first 507 (" + refusedAfterMs + " ms after the " +
                "fill); subscriber got every accepted event and its heartbeats; taken again " + takenAfterMs +
                " ms after the filler was deleted, no restart");
        }
    }

    @Test
    void shouldRefuseOnlyTheLowMembersOwnPublishesWhileItsSubscriberGetsTheClustersEvents() throws Exception
    {
        final String unavailable = LoopFileSystem.unavailableReason();
        assumeTrue(null == unavailable, () -> "low-disk cluster test skipped: " + unavailable);
        work = Files.createTempDirectory("sseflow-low-disk-member-").toFile();
        final LoopFileSystem disk = LoopFileSystem.create(new File(work, "disk.img"), new File(work, "disk"), IMAGE_BYTES);
        disks.add(disk);
        final int base = ClusterHubIT.freeBasePort(3 * 5);
        final String members = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 5) + ",127.0.0.1:" + (base + 10);
        final HubNode[] cluster = new HubNode[3];
        for (int i = 0; i < 3; i++)
        {
            final File dataDir = 0 == i ? new File(disk.mountPoint(), "data") : new File(work, "data-" + i);
            memberDirs.add(dataDir);
            cluster[i] = new HubNode(new File(work, "node-" + i + ".stderr"), "--port", "0", "--data-dir",
                dataDir.getPath(), "--cluster-members", members, "--cluster-node", Integer.toString(i),
                "--min-free-disk-bytes", Long.toString(MIN_FREE)).start();
            memberNodes.add(cluster[i]);
        }
        for (final HubNode member : cluster)
        {
            member.awaitReady(Duration.ofSeconds(60));
        }
        final HubNode low = cluster[0];
        final HubNode other = cluster[1];
        try (RawSseClient subscriber = RawSseClient.get(low.port(), "/events/orders"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(subscriber.readHead()));
            assertEquals("1\n", low.publish("orders", "?id=1", "one"));
            assertEquals("id: 1\ndata: one\n\n", readEvents(subscriber, 1));

            final File filler = new File(disk.mountPoint(), "filler");
            fallocate(filler, new File(disk.mountPoint(), "data").getUsableSpace() - MIN_FREE * 3 / 4);
            final boolean[] takenBeforeTheWatchSawIt = new boolean[1];
            Await.condition(() ->
            {
                final String status = RawHttp.status(post(low.port(), "/events/orders?id=2", "two"));
                takenBeforeTheWatchSawIt[0] |= status.equals("HTTP/1.1 200 OK");
                return status.equals("HTTP/1.1 507 Insufficient Storage");
            }, "the low member refusing its own publishes", Duration.ofSeconds(5));
            assertEquals("HTTP/1.1 503 Service Unavailable",
                RawHttp.status(RawHttp.get(low.port(), "/readyz", "Connection: close")));
            assertTrue(other.isReady(), "the other members are ready");

            assertEquals("3\n", other.publish("orders", "?id=3", "three"), "another member's publish is committed");
            assertEquals((takenBeforeTheWatchSawIt[0] ? "id: 2\ndata: two\n\n" : "") + "id: 3\ndata: three\n\n",
                readEvents(subscriber, takenBeforeTheWatchSawIt[0] ? 2 : 1),
                "the low member still applies the log and serves its subscriber");

            assertTrue(filler.delete());
            Await.condition(() -> RawHttp.status(post(low.port(), "/events/orders?id=4", "four"))
                .equals("HTTP/1.1 200 OK"), "the low member taking publishes again", Duration.ofSeconds(5));
            assertEquals("id: 4\ndata: four\n\n", readEvents(subscriber, 1));
            assertTrue(low.isReady());
        }
        for (final HubNode member : cluster)
        {
            assertTrue(member.process().isAlive(), member.stderr());
        }
        System.out.println("LowDiskIT: 3-node cluster, one member's disk below the minimum: its own publishes 507, " +
            "another member's committed and delivered to its subscriber, taken again once space is freed");
    }

    @Test
    void shouldComeBackWithEveryAcknowledgedEventAfterTheDiskFilledUpWhilePublishing() throws Exception
    {
        final String unavailable = LoopFileSystem.unavailableReason();
        assumeTrue(null == unavailable, () -> "full-disk test skipped: " + unavailable);
        work = Files.createTempDirectory("sseflow-full-disk-").toFile();
        final LoopFileSystem disk = LoopFileSystem.create(new File(work, "disk.img"), new File(work, "disk"), IMAGE_BYTES);
        disks.add(disk);
        final File dataDir = new File(disk.mountPoint(), "data");
        dataDirs.add(dataDir);
        final File stderr = new File(work, "hub.stderr");
        final String[] arguments = { "--port", "0", "--data-dir", dataDir.getPath(), "--history", "4096",
            "--min-free-disk-bytes", Long.toString(MIN_FREE) };
        node = new HubNode(stderr, arguments).start().awaitReady(READY);
        final File prefill = new File(disk.mountPoint(), "prefill");
        fallocate(prefill, dataDir.getUsableSpace() - MIN_FREE - 16L * 1024 * 1024);

        final String body = "x".repeat(5000);
        final List<Integer> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
        final String[] stoppedBy = new String[1];
        final int port = node.port();
        final Thread publisher = new Thread(() ->
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int id = 1; id <= 3000 && System.nanoTime() < deadlineNs; id++)
            {
                final String answer = post(port, "/events/orders?id=" + id, body);
                if (!RawHttp.status(answer).equals("HTTP/1.1 200 OK"))
                {
                    stoppedBy[0] = id + ": " + RawHttp.status(answer);
                    return;
                }
                acknowledged.add(id);
            }
        }, "full-disk-publisher");
        publisher.start();
        Await.condition(() -> acknowledged.size() >= 50, "50 publishes acknowledged", Duration.ofSeconds(20));
        final File filler = new File(disk.mountPoint(), "filler");
        final File rest = new File(disk.mountPoint(), "filler-rest");
        fillCompletely(disk.mountPoint(), filler, rest);
        publisher.join(30_000);
        assertFalse(publisher.isAlive());
        final int lastAcknowledged = acknowledged.get(acknowledged.size() - 1);
        assertEquals(lastAcknowledged, acknowledged.size(), "acknowledged in order, none missing");

        Await.condition(() -> !node.process().isAlive() || RawHttp.status(post(port, "/events/orders?id=9999", "x"))
            .equals("HTTP/1.1 507 Insufficient Storage"), "exited or refusing", Duration.ofSeconds(20));
        final String outcome;
        if (node.process().isAlive())
        {
            outcome = "the node stayed up refusing publishes (507): the watch saw the disk low before a write failed";
            assertTrue(filler.delete() && rest.delete() && prefill.delete());
        }
        else
        {
            final String errors = node.stderr();
            assertEquals(SseHub.EXIT_FATAL_ERROR, node.process().exitValue(), errors);
            assertEquals(1, occurrences(errors, "sseflow: exiting"), errors);
            final String exitLine = lastLine(errors);

            // a supervisor's restart while the disk is still full: it cannot start (fail-stop, exit 70)
            final HubNode full = new HubNode(stderr, arguments);
            node = full;
            final Process hub = io.sseflow.server.support.ChildProcess.startHubJar(List.of("-Xmx256m",
                "-XX:+UseSerialGC"), ProcessBuilder.Redirect.appendTo(stderr), arguments);
            assertTrue(hub.waitFor(40, TimeUnit.SECONDS), "exits while the disk is full");
            assertEquals(SseHub.EXIT_FATAL_ERROR, hub.exitValue());
            final String fullStart = lastLine(node.stderr());
            assertTrue(fullStart.contains("low storage threshold=" + MIN_FREE / 2 + " <= usableSpace="), fullStart);

            assertTrue(filler.delete() && rest.delete() && prefill.delete());
            node = new HubNode(stderr, arguments).start().awaitReady(READY);
            final String restarted = node.stderr();
            outcome = "a write failed (" + exitLine + "); restarted on the full disk: exit 70 (" + fullStart + "); " +
                "after the filler was deleted: ready" + (restarted.contains("ran Aeron's ArchiveTool verify") ?
                ", the log's incomplete last fragment repaired" : "");
        }
        final int next = lastAcknowledged + 2;
        Await.condition(() -> RawHttp.status(post(node.port(), "/events/orders?id=" + next, "after"))
            .equals("HTTP/1.1 200 OK"), "a publish taken once space is freed", Duration.ofSeconds(10));
        try (RawSseClient replay = RawSseClient.get(node.port(), "/events/orders", "Last-Event-ID: 1"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(replay.readHead()));
            for (int id = 2; id <= lastAcknowledged; id++)
            {
                final SseEvent event = replay.nextEvent();
                assertEquals(Integer.toString(id), event.id());
                assertEquals(body, event.data());
            }
            SseEvent event = replay.nextEvent();
            if (event.id().equals(Integer.toString(lastAcknowledged + 1)))
            {
                event = replay.nextEvent();
            }
            assertEquals(Integer.toString(next), event.id(), "nothing else, in order");
        }
        System.out.println("LowDiskIT: disk filled completely while publishing 5000-byte events: " +
            lastAcknowledged + " acknowledged (stopped by " + stoppedBy[0] + "); " + outcome + "; every acknowledged " +
            "event replayed in order");
    }

    @Test
    void shouldRepairALogEndingInAWriteCutShortAtStartAndKeepEveryAcknowledgedEvent() throws Exception
    {
        work = Files.createTempDirectory("sseflow-cut-write-").toFile();
        final File dataDir = new File(work, "data");
        dataDirs.add(dataDir);
        final File stderr = new File(work, "hub.stderr");
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath()).start().awaitReady(READY);
        for (int i = 1; i <= 5; i++)
        {
            assertEquals(i + "\n", node.publish("orders", "", "event " + i));
        }
        node.kill();

        final File segment = new File(dataDir, "archive/0-0.rec");
        final long cutAt = appendFragmentCutShort(segment);

        final long restartNs = System.nanoTime();
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath()).start();
        Await.condition(() -> node.isReady() || !node.process().isAlive(), "ready or exited", READY);
        final String errors = node.stderr();
        assertTrue(node.process().isAlive(), "exited instead of repairing: " + lastLine(errors));
        final String repaired = "sseflow: cluster node 0: the archive would not start (io.aeron.archive.client." +
            "ArchiveException: ERROR - Found potentially incomplete last fragment straddling page boundary in file: " +
            segment.getPath() + " Run `ArchiveTool verify` for corrective action!); ran Aeron's ArchiveTool verify on " +
            new File(dataDir, "archive").getPath() + ", which truncated the incomplete last fragment of 0-0.rec (a " +
            "write cut short, never acknowledged) and reported: ";
        assertEquals(1, occurrences(errors, repaired), errors);
        assertTrue(errors.contains("(recordingId=0) OK"), errors);
        System.out.println("LowDiskIT: log ending in a fragment cut short at " + cutAt + ": repaired and ready in " +
            (System.nanoTime() - restartNs) / 1_000_000 + " ms; " + errors.substring(errors.indexOf(repaired)).lines()
            .findFirst().orElse(""));

        assertEquals("6\n", node.publish("orders", "", "event 6"), "the next id is a new one");
        try (RawSseClient replay = RawSseClient.get(node.port(), "/events/orders", "Last-Event-ID: 1"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(replay.readHead()));
            final StringBuilder expected = new StringBuilder();
            for (int i = 2; i <= 6; i++)
            {
                expected.append("id: ").append(i).append("\ndata: event ").append(i).append("\n\n");
            }
            assertEquals(expected.toString(), replay.readBytes(expected.length()));
        }
        assertTrue(RawHttp.metrics(node.port()).contains("\nsseflow_cluster_applied_seq 6\n"));
    }

    @Test
    void shouldKeepAnAcknowledgedEventWhoseBytesLookCutShortAfterACrash() throws Exception
    {
        work = Files.createTempDirectory("sseflow-nul-event-").toFile();
        final File dataDir = new File(work, "data");
        dataDirs.add(dataDir);
        final File stderr = new File(work, "hub.stderr");
        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath()).start().awaitReady(READY);
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i + "\n", node.publish("orders", "", "event " + i));
        }
        // a whole event whose bytes fill pages with zeros: what a fragment cut short looks like without checksums
        final String zeros = "\0".repeat(3 * 4096);
        assertEquals("4\n", node.publish("orders", "", zeros));
        node.kill();

        node = new HubNode(stderr, "--port", "0", "--data-dir", dataDir.getPath()).start();
        Await.condition(() -> node.isReady() || !node.process().isAlive(), "ready or exited", READY);
        final String errors = node.stderr();
        assertTrue(node.process().isAlive(), "exited: " + lastLine(errors));
        assertFalse(errors.contains("ArchiveTool verify"), errors);
        assertEquals("5\n", node.publish("orders", "", "event 5"), "the next id is a new one");
        try (RawSseClient replay = RawSseClient.get(node.port(), "/events/orders", "Last-Event-ID: 3"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(replay.readHead()));
            final String expected = "id: 4\ndata: " + zeros + "\n\nid: 5\ndata: event 5\n\n";
            assertEquals(expected, replay.readBytes(expected.length()));
        }
    }

    /**
     * Write, after the last fragment of a recording's segment file, the first page of a data fragment that crosses a
     * page boundary and none of the rest: what a write cut short by a full disk (or a crash) leaves.
     *
     * @return the offset of the fragment cut short.
     */
    private static long appendFragmentCutShort(final File segment) throws IOException
    {
        try (FileChannel channel = FileChannel.open(segment.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            long offset = 0;
            while (true)
            {
                header.clear();
                channel.read(header, offset);
                final int frameLength = header.getInt(0);
                if (frameLength <= 0)
                {
                    break;
                }
                offset += (frameLength + 31) & ~31;
            }
            final int page = 4096;
            final long nextPage = (offset / page + 1) * page;
            final int written = (int)(nextPage - offset);
            final ByteBuffer partial = ByteBuffer.allocate(written).order(ByteOrder.LITTLE_ENDIAN);
            partial.putInt(0, written + 2 * page);
            partial.put(4, (byte)0);
            partial.put(5, (byte)0xC0);
            partial.putShort(6, (short)1);
            for (int i = 32; i < written; i++)
            {
                partial.put(i, (byte)'x');
            }
            channel.write(partial, offset);
            channel.force(true);
            return offset;
        }
    }

    private static String stderrOf(final HubNode node)
    {
        try
        {
            return node.stderr();
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static long snapshots(final int port)
    {
        try
        {
            final String metrics = RawHttp.metrics(port);
            final String name = "\nsseflow_cluster_snapshots_total ";
            final int at = metrics.indexOf(name) + name.length();
            return Long.parseLong(metrics.substring(at, metrics.indexOf('\n', at)));
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static String readEvents(final RawSseClient subscriber, final int count) throws IOException
    {
        final StringBuilder frames = new StringBuilder();
        for (final SseEvent event : subscriber.nextEvents(count))
        {
            frames.append("id: ").append(event.id()).append("\ndata: ").append(event.data()).append("\n\n");
        }
        return frames.toString();
    }

    private static String post(final int port, final String path, final String body)
    {
        try
        {
            return RawHttp.post(port, path, body);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    /**
     * Take every free block of the file system, root's reserve too, at once: one {@code fallocate} of all but a
     * little (the largest that succeeds), then writes until the file system refuses one.
     */
    private static void fillCompletely(final File mountPoint, final File filler, final File rest) throws IOException
    {
        for (long margin = 64 * 1024; !filler.exists(); margin *= 2)
        {
            final long unallocated = Files.getFileStore(mountPoint.toPath()).getUnallocatedSpace();
            if (!tryFallocate(filler, unallocated - margin))
            {
                Files.deleteIfExists(filler.toPath());
            }
            assertTrue(margin < 64L * 1024 * 1024, "no fallocate succeeded");
        }
        final byte[] chunk = new byte[4096];
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(rest))
        {
            for (int i = 0; i < 16 * 1024; i++)
            {
                out.write(chunk);
            }
            out.getFD().sync();
        }
        catch (final IOException expected)
        {
            return;
        }
        throw new AssertionError("the file system still takes writes after " + rest.length() + " more bytes");
    }

    private static boolean tryFallocate(final File file, final long bytes) throws IOException
    {
        final Process process = new ProcessBuilder("fallocate", "-l", Long.toString(bytes), file.getPath())
            .redirectErrorStream(true).start();
        try
        {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "fallocate took over 30 s");
        }
        catch (final InterruptedException ex)
        {
            throw new IOException(ex);
        }
        return 0 == process.exitValue();
    }

    private static void fallocate(final File file, final long bytes) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder("fallocate", "-l", Long.toString(bytes), file.getPath())
            .redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "fallocate took over 30 s");
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
