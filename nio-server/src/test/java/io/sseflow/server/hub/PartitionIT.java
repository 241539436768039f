package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Iptables;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.SseEvent;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader of a three-member cluster cut off by iptables (issue 18's partitions, kept as regression tests), both
 * ways and one way (what it sends is lost, it still hears the others): each member runs as a group of its own
 * ({@code setpriv --regid}), its packets are marked by that group, and the marked packets between the leader's address
 * and the others' are dropped on input. While cut off, the leader answers no publish {@code 200} (it cannot commit);
 * the other two elect a leader and take publishes (retried by id through the election); once healed, every member
 * holds exactly the acknowledged events, in order, and nothing the cut-off leader took alone. Needs root, iptables
 * ({@code apt-get install -y iptables}) and setpriv; skipped otherwise.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PartitionIT
{
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String OK = "HTTP/1.1 200 OK";
    private static final String[] HOSTS = {"127.0.8.1", "127.0.8.2", "127.0.8.3"};
    private static final String[] GIDS = {"47121", "47122", "47123"};
    private static final String[] MARKS = {"0x4721", "0x4722", "0x4723"};

    private final List<File> dataDirs = new ArrayList<>();
    private final HubNode[] nodes = new HubNode[3];
    private final Iptables iptables = new Iptables();

    @AfterEach
    void cleanUp() throws Exception
    {
        iptables.close();
        for (final HubNode node : nodes)
        {
            if (null != node)
            {
                node.kill();
            }
        }
        for (int i = 0; i < dataDirs.size(); i++)
        {
            IoUtil.delete(dataDirs.get(i), true);
            IoUtil.delete(new File(new ClusterSettings(dataDirs.get(i), List.of(HOSTS[0] + ":1", HOSTS[1] + ":6",
                HOSTS[2] + ":11"), i).aeronDirectoryName()), true);
        }
    }

    @Test
    void shouldCommitNothingOnALeaderCutOffBothWaysAndLoseNothingAcknowledged() throws Exception
    {
        cutTheLeaderOff(false);
    }

    @Test
    void shouldCommitNothingOnALeaderWhoseOwnPacketsAreLostAndLoseNothingAcknowledged() throws Exception
    {
        cutTheLeaderOff(true);
    }

    private void cutTheLeaderOff(final boolean oneWay) throws Exception
    {
        Assumptions.assumeTrue(Iptables.available(), "iptables, setpriv and root are needed");
        final int base = ClusterHubIT.freeBasePort(3 * 5);
        final String members = HOSTS[0] + ":" + base + "," + HOSTS[1] + ":" + (base + 5) + "," + HOSTS[2] + ":" +
            (base + 10);
        for (int i = 0; i < 3; i++)
        {
            iptables.add("-t", "mangle", "OUTPUT", "-m", "owner", "--gid-owner", GIDS[i], "-j", "MARK", "--set-mark",
                MARKS[i]);
            final File dir = Files.createTempDirectory("sseflow-partition-node-" + i + "-").toFile();
            dataDirs.add(dir);
            nodes[i] = new HubNode(File.createTempFile("sseflow-partition-node-" + i + "-", ".stderr"), "--port", "0",
                "--data-dir", dir.getPath(), "--cluster-members", members, "--cluster-node", Integer.toString(i))
                .launchedWith("setpriv", "--regid", GIDS[i], "--clear-groups").start();
        }
        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
        }
        final int leader = leader();
        final int other = (leader + 1) % 3;
        for (int id = 1; id <= 5; id++)
        {
            assertEquals(OK, RawHttp.status(retryUntilOk(nodes[id % 3], id)), "publish " + id);
        }

        final List<String[]> cut = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            if (i == leader)
            {
                continue;
            }
            cut.add(new String[]{"INPUT", "-d", HOSTS[i], "-m", "mark", "--mark", MARKS[leader], "-j", "DROP"});
            if (!oneWay)
            {
                cut.add(new String[]{"INPUT", "-d", HOSTS[leader], "-m", "mark", "--mark", MARKS[i], "-j", "DROP"});
            }
        }
        cut.forEach(iptables::add);
        final long cutNs = System.nanoTime();
        final String onCutOff = post(nodes[leader], "/events/s?id=alone", "taken alone");
        final long answeredMs = (System.nanoTime() - cutNs) / 1_000_000;
        for (int id = 6; id <= 10; id++)
        {
            retryUntilOk(nodes[other], id);
        }
        final long othersMs = (System.nanoTime() - cutNs) / 1_000_000;
        System.out.println("PartitionIT: leader " + leader + " cut off " + (oneWay ? "one way" : "both ways") +
            ": its publish answered " + firstLine(onCutOff) + " after " + answeredMs + " ms; the other two took " +
            "events 6-10 within " + othersMs + " ms");
        assertNotEquals(OK, RawHttp.status(onCutOff), "a cut-off leader cannot commit: " + onCutOff);

        cut.forEach(iptables::delete);
        final long healedNs = System.nanoTime();
        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
        }
        final List<String> expected = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(expected, idsUpToMarker(nodes[i], i), "member " + i);
        }
        System.out.println("PartitionIT: healed; every member ready with ids 1-10 exactly, in order, within " +
            (System.nanoTime() - healedNs) / 1_000_000 + " ms");
    }

    private int leader() throws IOException
    {
        for (int i = 0; i < 3; i++)
        {
            if (RawHttp.metrics(nodes[i].port()).contains("\nsseflow_cluster_role 2\n"))
            {
                return i;
            }
        }
        throw new AssertionError("no node says it is the leader");
    }

    /**
     * Publish a marker on the member, then replay the topic from its oldest event up to it.
     */
    private static List<String> idsUpToMarker(final HubNode node, final int index) throws Exception
    {
        final String marker = "marker-" + index;
        Await.condition(() -> OK.equals(RawHttp.status(post(node, "/events/s?id=" + marker, "end"))),
            "marker published on member " + index, READY);
        final List<String> ids = new ArrayList<>();
        try (RawSseClient client = RawSseClient.get(node.port(), "/events/s", "Last-Event-ID: no-such-id"))
        {
            client.readHead();
            for (SseEvent event = client.nextEvent(); !marker.equals(event.id()); event = client.nextEvent())
            {
                if (!event.id().startsWith("marker-"))
                {
                    ids.add(event.id());
                }
            }
        }
        return ids;
    }

    private static String retryUntilOk(final HubNode node, final int id)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() - deadline < 0)
        {
            last = post(node, "/events/s?id=" + id, "event " + id);
            if (OK.equals(RawHttp.status(last)))
            {
                return last;
            }
            Await.pause(200);
        }
        throw new AssertionError("event " + id + " not answered 200 within 60 s: " + last);
    }

    private static String post(final HubNode node, final String path, final String body)
    {
        try
        {
            return RawHttp.post(node.port(), path, body);
        }
        catch (final IOException ex)
        {
            return "no answer: " + ex;
        }
    }

    private static String firstLine(final String answer)
    {
        final int end = answer.indexOf('\r');
        return end < 0 ? answer : answer.substring(0, end);
    }
}
