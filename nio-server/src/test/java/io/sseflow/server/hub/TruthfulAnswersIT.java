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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, items 5 and 6, against three hub processes from the jar. {@code /readyz} is {@code 200} only when a
 * publish on that node would be committed now: after the leader is killed and restarted at once, every node that
 * says ready takes a publish (before: both followers said ready for ~15 s while their publishes timed out or got
 * 503). A publish handed to the cluster and not answered is {@code 504} (before: {@code 503 no cluster leader},
 * though it may have been committed), and a retry with the same id or {@code Idempotency-Key} is published once.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=TruthfulAnswersIT}
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TruthfulAnswersIT
{
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String OK = "HTTP/1.1 200 OK";
    private static final String UNKNOWN = "HTTP/1.1 504 Gateway Timeout";

    /**
     * How long a node may still say ready after its cluster stopped answering: a probe is due 1 s after the last
     * answer and counts as unanswered 1 s later.
     */
    private static final long NOTICE_MS = 2_500;

    /**
     * The group the cut-off follower's peers run as: their packets are marked by it, and those to the follower's
     * address dropped on input.
     */
    private static final String PEER_GID = "47118";
    private static final String MARK = "0x4711";
    private static final String CUT_HOST = "127.0.7.2";
    private static final String[] MARK_RULE =
        { "-t", "mangle", "OUTPUT", "-m", "owner", "--gid-owner", PEER_GID, "-j", "MARK", "--set-mark", MARK };
    private static final String[] DROP_RULE = { "INPUT", "-d", CUT_HOST, "-m", "mark", "--mark", MARK, "-j", "DROP" };

    private final List<File> dataDirs = new ArrayList<>();
    private final Iptables iptables = new Iptables();
    private final HubNode[] nodes = new HubNode[3];
    private final String[][] arguments = new String[3][];
    private final File[] stderrs = new File[3];

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
            IoUtil.delete(new File(new ClusterSettings(dataDirs.get(i), List.of("127.0.0.1:1", "127.0.0.1:6",
                "127.0.0.1:11"), i).aeronDirectoryName()), true);
            IoUtil.delete(dataDirs.get(i), true);
        }
    }

    @Test
    void shouldSayReadyOnlyWhenAPublishWouldBeCommittedAfterTheLeaderIsRestartedAtOnce() throws Exception
    {
        startCluster();
        final int leader = leader();
        assertEquals(OK, RawHttp.status(RawHttp.post(nodes[leader].port(), "/events/r?id=warm", "warm")));

        nodes[leader].kill();
        final long killedNs = System.nanoTime();
        nodes[leader] = new HubNode(stderrs[leader], arguments[leader]).start();
        System.out.println("TruthfulAnswersIT: leader node " + leader + " killed and restarted in " +
            (System.nanoTime() - killedNs) / 1_000_000 + " ms");

        int readyAnswers = 0;
        int notReadyAnswers = 0;
        int published = 0;
        final List<String> failedAfterReady = new ArrayList<>();
        long allReadyMs = -1;
        final long[] firstReadyMs = { -1, -1, -1 };
        int round = 0;
        final long endNs = killedNs + TimeUnit.SECONDS.toNanos(25);
        while (System.nanoTime() - endNs < 0 && (allReadyMs < 0 || published < 12))
        {
            final long sinceKillMs = (System.nanoTime() - killedNs) / 1_000_000;
            int readyNow = 0;
            for (int i = 0; i < 3; i++)
            {
                if (!nodes[i].isReady())
                {
                    notReadyAnswers++;
                    continue;
                }
                readyNow++;
                if (sinceKillMs < NOTICE_MS)
                {
                    continue;
                }
                readyAnswers++;
                if (firstReadyMs[i] < 0)
                {
                    firstReadyMs[i] = sinceKillMs;
                }
                final String id = "n" + i + "-" + round;
                final String answer = post(nodes[i].port(), "/events/r?id=" + id, id);
                if (OK.equals(RawHttp.status(answer)))
                {
                    published++;
                }
                else
                {
                    failedAfterReady.add("node " + i + " at " + sinceKillMs + " ms: " + firstLine(answer));
                }
            }
            if (3 == readyNow && allReadyMs < 0 && sinceKillMs >= NOTICE_MS)
            {
                allReadyMs = sinceKillMs;
            }
            round++;
            Await.pause(100);
        }
        System.out.println("TruthfulAnswersIT: after the restart: " + readyAnswers + " ready answers (from " +
            NOTICE_MS + " ms), " + notReadyAnswers + " not ready, " + published + " publishes after a ready answer " +
            "committed, " + failedAfterReady.size() + " failed " + failedAfterReady + "; all three ready " +
            allReadyMs + " ms after the kill; first ready answer per node (ms after the kill, the restarted leader " +
            "is node " + leader + "): " + java.util.Arrays.toString(firstReadyMs));
        assertEquals(List.of(), failedAfterReady, "a node said ready while its publish failed");
        assertTrue(allReadyMs > 0, "all three nodes ready again within 25 s");
        assertTrue(published >= 12, "publishes committed after ready answers: " + published);
    }

    @Test
    void shouldAnswer504ForAPublishHandedToTheClusterAndNotAnsweredAndPublishItsRetryOnce() throws Exception
    {
        startCluster();
        final int leader = leader();
        final int asked = (leader + 1) % 3;
        final int other = (leader + 2) % 3;
        final int port = nodes[asked].port();
        assertEquals(OK, RawHttp.status(RawHttp.post(port, "/.well-known/mercure", "topic=warm&data=w",
            "Content-Type: application/x-www-form-urlencoded")));

        nodes[leader].kill();
        nodes[other].kill();
        final long cutNs = System.nanoTime();
        final CompletableFuture<String> explicit =
            CompletableFuture.supplyAsync(() -> post(port, "/events/orders?id=order-1", "first"));
        final CompletableFuture<String> keyed = CompletableFuture.supplyAsync(() -> post(port,
            "/.well-known/mercure", "topic=books&data=keyed", "Idempotency-Key: \"k-1\"",
            "Content-Type: application/x-www-form-urlencoded"));
        final String first = explicit.get(20, TimeUnit.SECONDS);
        final long firstMs = (System.nanoTime() - cutNs) / 1_000_000;
        final String firstKeyed = keyed.get(20, TimeUnit.SECONDS);
        System.out.println("TruthfulAnswersIT: with the leader and the other follower gone, answered in " + firstMs +
            " ms: " + firstLine(first) + " / " + firstLine(firstKeyed));
        assertEquals(UNKNOWN, RawHttp.status(first), first);
        assertTrue(first.contains("\r\nRetry-After: 1\r\n"), first);
        assertTrue(RawHttp.body(first).startsWith("publish outcome unknown"), first);
        assertEquals(UNKNOWN, RawHttp.status(firstKeyed), firstKeyed);
        assertTrue(RawHttp.metrics(port).contains("sseflow_requests_refused_total{reason=\"publish_outcome_unknown\"} 2\n"));

        nodes[leader] = new HubNode(stderrs[leader], arguments[leader]).start();
        nodes[other] = new HubNode(stderrs[other], arguments[other]).start();
        final String retried = retryUntilOk(port, "/events/orders?id=order-1", "first");
        assertEquals("order-1\n", RawHttp.body(retried));
        final String retriedKeyed = retryUntilOk(port, "/.well-known/mercure", "topic=books&data=keyed",
            "Idempotency-Key: \"k-1\"", "Content-Type: application/x-www-form-urlencoded");
        final String keyedId = RawHttp.body(retriedKeyed);
        assertTrue(keyedId.startsWith("urn:uuid:"), keyedId);
        final String again = retryUntilOk(port, "/.well-known/mercure", "topic=books&data=keyed",
            "Idempotency-Key: k-1", "Content-Type: application/x-www-form-urlencoded");
        assertEquals(keyedId, RawHttp.body(again), "the same key, quoted or not, is the same id");

        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
            assertEquals(List.of("order-1"), idsBeforeMarker(node, "orders"));
            assertEquals(List.of(keyedId), idsBeforeMarker(node, "books"));
        }
    }

    @Test
    void shouldAnswer504WhenTheAnswerIsCutOffThoughTheLeaderCommittedAndPublishTheRetryOnce() throws Exception
    {
        Assumptions.assumeTrue(Iptables.available(),
            "iptables, setpriv and root are needed (apt-get install -y iptables)");
        iptables.add(MARK_RULE);
        final int base = ClusterHubIT.freeBasePort(3 * 5);
        final String members = "127.0.0.1:" + base + "," + CUT_HOST + ":" + (base + 5) + ",127.0.0.1:" + (base + 10);
        for (int i = 0; i < 3; i++)
        {
            final File dir = Files.createTempDirectory("sseflow-answers-cut-node-" + i + "-").toFile();
            dataDirs.add(dir);
            arguments[i] = new String[]{ "--port", "0", "--data-dir", dir.getPath(), "--cluster-members", members,
                "--cluster-node", Integer.toString(i) };
            stderrs[i] = File.createTempFile("sseflow-answers-cut-node-" + i + "-", ".stderr");
            nodes[i] = new HubNode(stderrs[i], arguments[i]);
        }
        // the two peers first, as group PEER_GID, so that one of them leads; then node 1, the one to be cut off: a
        // member started after the others logged joins with --restore (member identity), as the README says
        nodes[0].launchedWith("setpriv", "--regid", PEER_GID, "--clear-groups").start();
        nodes[2].launchedWith("setpriv", "--regid", PEER_GID, "--clear-groups").start();
        nodes[0].awaitReady(READY);
        nodes[2].awaitReady(READY);
        final String[] restore = java.util.Arrays.copyOf(arguments[1], arguments[1].length + 1);
        restore[restore.length - 1] = "--restore";
        nodes[1] = new HubNode(stderrs[1], restore);
        nodes[1].start().awaitReady(READY);
        final int leader = leader();
        assertTrue(1 != leader, "node 1 follows");
        final int port = nodes[1].port();
        assertEquals(OK, RawHttp.status(RawHttp.post(port, "/events/warm?id=w", "w")));

        iptables.add(DROP_RULE);
        final long cutNs = System.nanoTime();
        final CompletableFuture<String> explicit =
            CompletableFuture.supplyAsync(() -> post(port, "/events/orders?id=order-1", "first"));
        final CompletableFuture<String> keyed = CompletableFuture.supplyAsync(() -> post(port,
            "/.well-known/mercure", "topic=books&data=keyed", "Idempotency-Key: k-1",
            "Content-Type: application/x-www-form-urlencoded"));
        final String first = explicit.get(20, TimeUnit.SECONDS);
        final String firstKeyed = keyed.get(20, TimeUnit.SECONDS);
        final long answeredMs = (System.nanoTime() - cutNs) / 1_000_000;
        final List<String> onLeader = idsBeforeMarker(nodes[leader], "orders");
        System.out.println("TruthfulAnswersIT: node 1 cut off from its peers' packets (one way): answered within " +
            answeredMs + " ms: " + firstLine(first) + " / " + firstLine(firstKeyed) + "; the leader, node " + leader +
            ", holds " + onLeader + " on orders");
        assertEquals(UNKNOWN, RawHttp.status(first), first);
        assertEquals(UNKNOWN, RawHttp.status(firstKeyed), firstKeyed);

        iptables.delete(DROP_RULE);
        final long healedNs = System.nanoTime();
        assertEquals("order-1\n", RawHttp.body(retryUntilOk(port, "/events/orders?id=order-1", "first")));
        final String keyedId = RawHttp.body(retryUntilOk(port, "/.well-known/mercure", "topic=books&data=keyed",
            "Idempotency-Key: k-1", "Content-Type: application/x-www-form-urlencoded"));
        System.out.println("TruthfulAnswersIT: healed; the retries answered 200 after " +
            (System.nanoTime() - healedNs) / 1_000_000 + " ms");
        assertEquals("urn:uuid:8320cb51-2442-5a1b-b747-56b7bdea21d5", keyedId);
        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
            assertEquals(List.of("order-1"), idsBeforeMarker(node, "orders"));
            assertEquals(List.of(keyedId), idsBeforeMarker(node, "books"));
        }
    }

    private void startCluster() throws IOException
    {
        final int base = ClusterHubIT.freeBasePort(3 * 5);
        final String members = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 5) + ",127.0.0.1:" + (base + 10);
        for (int i = 0; i < 3; i++)
        {
            final File dir = Files.createTempDirectory("sseflow-answers-node-" + i + "-").toFile();
            dataDirs.add(dir);
            arguments[i] = new String[]{ "--port", "0", "--data-dir", dir.getPath(), "--cluster-members", members,
                "--cluster-node", Integer.toString(i) };
            stderrs[i] = File.createTempFile("sseflow-answers-node-" + i + "-", ".stderr");
            nodes[i] = new HubNode(stderrs[i], arguments[i]).start();
        }
        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
        }
    }

    /**
     * Publish a marker on the node, then replay the topic from its oldest event up to it: the ids before it (other
     * nodes' markers left out).
     */
    private static List<String> idsBeforeMarker(final HubNode node, final String topic) throws Exception
    {
        final String marker = "marker-" + node.port();
        retryUntilOk(node.port(), "/events/" + topic + "?id=" + marker, "end");
        final List<String> ids = new ArrayList<>();
        try (RawSseClient client = RawSseClient.get(node.port(), "/events/" + topic, "Last-Event-ID: no-such-id"))
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

    private static String retryUntilOk(final int port, final String path, final String body, final String... headers)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() - deadline < 0)
        {
            last = post(port, path, body, headers);
            if (OK.equals(RawHttp.status(last)))
            {
                return last;
            }
            Await.pause(200);
        }
        throw new AssertionError("not answered 200 within 60 s: " + last);
    }

    private static String post(final int port, final String path, final String body, final String... headers)
    {
        try
        {
            return RawHttp.post(port, path, body, headers);
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
}
