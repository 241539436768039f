package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.SseEvent;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three hub processes from the jar on loopback, one Aeron Cluster: a subscriber on every node, publishes spread over
 * the nodes (each with an explicit id, retried on another node when a node does not answer: the duplicate rule makes
 * the retry safe), and {@code kill -9} of the leader mid-stream. Subscribers of the killed node move to another node
 * with {@code Last-Event-ID}; every subscriber ends with every id exactly once, in order; the killed node, restarted on
 * its data dir, catches up and serves an exact resume. Then a follower stopped with SIGSTOP while the leader takes
 * more events, given a client with an id from the leader before SIGCONT, holds that stream until its log has the id
 * and goes on right after it (no replay of everything). Prints the failover stall: from the kill to the next event
 * delivered.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterHubIT
{
    private static final int NODES = 3;
    private static final int EVENTS = 240;
    private static final int KILL_AFTER = 80;
    private static final Duration READY = Duration.ofSeconds(40);

    private final List<File> dataDirs = new ArrayList<>();
    private final HubNode[] nodes = new HubNode[NODES];
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();

    @AfterEach
    void cleanUp() throws Exception
    {
        subscribers.forEach(Subscriber::stop);
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
            // a killed node leaves its Aeron directory (in /dev/shm) behind
            IoUtil.delete(new File(new ClusterSettings(dataDirs.get(i), List.of("127.0.0.1:1", "127.0.0.1:6",
                "127.0.0.1:11"), i).aeronDirectoryName()), true);
        }
    }

    @Test
    void shouldDeliverEveryIdOnceInOrderOnEveryNodeAcrossAKilledLeader() throws Exception
    {
        final int base = freeBasePort(NODES * 5);
        final String members = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 5) + ",127.0.0.1:" + (base + 10);
        final String[][] arguments = new String[NODES][];
        for (int i = 0; i < NODES; i++)
        {
            final File dir = Files.createTempDirectory("sseflow-cluster-node-" + i + "-").toFile();
            dataDirs.add(dir);
            arguments[i] = new String[]{ "--port", "0", "--data-dir", dir.getPath(), "--cluster-members", members,
                "--cluster-node", Integer.toString(i), "--heartbeat-ms", "1000" };
            nodes[i] = new HubNode(File.createTempFile("sseflow-cluster-node-" + i + "-", ".stderr"), arguments[i])
                .start();
        }
        for (final HubNode node : nodes)
        {
            node.awaitReady(READY);
        }
        final int leader = leader();
        System.out.println("3-node cluster ready; leader is node " + leader);

        for (int i = 0; i < NODES; i++)
        {
            subscribers.add(new Subscriber(i).start());
        }
        Await.condition(() -> subscribers.stream().allMatch(s -> s.connected), "subscribers connected", READY);

        final AtomicInteger acknowledged = new AtomicInteger();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final Thread publisher = new Thread(() ->
        {
            try
            {
                for (int id = 1; id <= EVENTS; id++)
                {
                    publishSomewhere(id);
                    acknowledged.set(id);
                }
            }
            catch (final Throwable ex)
            {
                failures.add(ex);
            }
        }, "publisher");
        publisher.start();

        Await.condition(() -> acknowledged.get() >= KILL_AFTER, KILL_AFTER + " publishes answered", READY);
        final long killedAtNs = System.nanoTime();
        final long deliveredBeforeKill = maxDelivered();
        nodes[leader].kill();
        final int killed = leader;
        System.out.println("killed the leader, node " + killed + ", after " + acknowledged.get() + " publishes");

        publisher.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(List.of(), failures);
        assertEquals(EVENTS, acknowledged.get());
        for (final Subscriber subscriber : subscribers)
        {
            Await.condition(() -> subscriber.ids.size() >= EVENTS, "subscriber " + subscriber.number + " got every id",
                READY);
        }
        final List<Long> expected = new ArrayList<>();
        for (long id = 1; id <= EVENTS; id++)
        {
            expected.add(id);
        }
        for (final Subscriber subscriber : subscribers)
        {
            assertEquals(expected, subscriber.ids, "subscriber " + subscriber.number + " (moved " +
                subscriber.moves + " times)");
        }
        assertTrue(subscribers.get(killed).moves >= 1, "the killed node's subscriber moved to another node");
        final long stallMs = (firstDeliveryAfter(deliveredBeforeKill, killedAtNs) - killedAtNs) / 1_000_000;
        System.out.println("subscriber moves: " + subscribers.stream().map(s -> s.number + ":" + s.moves)
            .collect(java.util.stream.Collectors.joining(" ")) + "; publishes retried on another node: " + retries);
        System.out.println("failover stall (kill -9 of the leader -> next event delivered): " + stallMs + " ms");

        nodes[killed] = new HubNode(File.createTempFile("sseflow-cluster-node-" + killed + "-restart-", ".stderr"),
            arguments[killed]).start().awaitReady(READY);
        try (RawSseClient resumed = RawSseClient.get(nodes[killed].port(), "/events/s", "Last-Event-ID: 200"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(resumed.readHead()));
            final StringBuilder frames = new StringBuilder();
            for (int id = 201; id <= EVENTS; id++)
            {
                frames.append("id: ").append(id).append("\ndata: event ").append(id).append("\n\n");
            }
            assertEquals(frames.toString(), resumed.readBytes(frames.length()));
        }

        final int newLeader = leader();
        final int stopped = (newLeader + 1) % NODES;
        signal(nodes[stopped], "STOP");
        try
        {
            for (int id = EVENTS + 1; id <= EVENTS + 20; id++)
            {
                assertEquals(id + "\n", nodes[newLeader].publish("s", "?id=" + id, "event " + id));
            }
            try (RawSseClient ahead = RawSseClient.get(nodes[stopped].port(), "/events/s",
                "Last-Event-ID: " + (EVENTS + 10)))
            {
                signal(nodes[stopped], "CONT");
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(ahead.readHead()));
                final StringBuilder frames = new StringBuilder();
                for (int id = EVENTS + 11; id <= EVENTS + 20; id++)
                {
                    frames.append("id: ").append(id).append("\ndata: event ").append(id).append("\n\n");
                }
                assertEquals(frames.toString(), ahead.readBytes(frames.length()),
                    "node " + stopped + ", stopped while the leader took 20 events, holds the stream until it has " +
                    "the client's id, then goes on right after it");
            }
        }
        finally
        {
            signal(nodes[stopped], "CONT");
        }
    }

    private static void signal(final HubNode node, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process().pid()))
            .inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && 0 == kill.exitValue(), "kill -" + signal);
    }

    private int leader() throws IOException
    {
        for (int i = 0; i < NODES; i++)
        {
            if (RawHttp.metrics(nodes[i].port()).contains("\nsseflow_cluster_role 2\n"))
            {
                return i;
            }
        }
        throw new AssertionError("no node says it is the leader");
    }

    /**
     * Publish one event with its explicit id, on the nodes in turn, until one answers 200 with that id.
     */
    private void publishSomewhere(final long id) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int node = (int)(id % NODES);
        String last = "";
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                final String answer = RawHttp.post(nodes[node].port(), "/events/s?id=" + id, "event " + id);
                if (RawHttp.status(answer).equals("HTTP/1.1 200 OK"))
                {
                    assertEquals(id + "\n", RawHttp.body(answer));
                    return;
                }
                last = RawHttp.status(answer);
            }
            catch (final IOException ex)
            {
                last = ex.toString();
            }
            node = (node + 1) % NODES;
            retries.incrementAndGet();
            Await.pause(20);
        }
        throw new AssertionError("publish " + id + " not answered 200 by any node: " + last);
    }

    private long maxDelivered()
    {
        long max = 0;
        for (final Subscriber subscriber : subscribers)
        {
            final List<Long> ids = subscriber.ids;
            max = Math.max(max, ids.isEmpty() ? 0 : ids.get(ids.size() - 1));
        }
        return max;
    }

    private long firstDeliveryAfter(final long id, final long notBeforeNs)
    {
        long first = Long.MAX_VALUE;
        for (final Subscriber subscriber : subscribers)
        {
            for (int i = 0; i < subscriber.ids.size(); i++)
            {
                if (subscriber.ids.get(i) > id && subscriber.receivedAtNs.get(i) >= notBeforeNs)
                {
                    first = Math.min(first, subscriber.receivedAtNs.get(i));
                    break;
                }
            }
        }
        return first;
    }

    static int freeBasePort(final int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            boolean free = true;
            for (int port = base; port < base + count && free; port++)
            {
                try (DatagramSocket socket = new DatagramSocket(null))
                {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                catch (final IOException ex)
                {
                    free = false;
                }
            }
            if (free)
            {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free UDP ports");
    }

    /**
     * A stream of topic {@code s} starting on one node, moving to the next live node with {@code Last-Event-ID} when
     * its connection ends.
     */
    private final class Subscriber implements Runnable
    {
        final int number;
        final List<Long> ids = new CopyOnWriteArrayList<>();
        final List<Long> receivedAtNs = new CopyOnWriteArrayList<>();
        final Thread thread;
        volatile boolean connected;
        volatile boolean running = true;
        volatile int moves;
        private final AtomicLong lastId = new AtomicLong();

        Subscriber(final int number)
        {
            this.number = number;
            this.thread = new Thread(this, "subscriber-" + number);
        }

        Subscriber start()
        {
            thread.start();
            return this;
        }

        void stop()
        {
            running = false;
            thread.interrupt();
        }

        public void run()
        {
            int node = number;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (running && ids.size() < EVENTS && System.nanoTime() - deadline < 0)
            {
                final String[] headers = 0 == lastId.get() ? new String[0] :
                    new String[]{ "Last-Event-ID: " + lastId.get() };
                try (RawSseClient client = RawSseClient.get(nodes[node].port(), "/events/s", headers))
                {
                    client.timeout(30_000);
                    if (!client.readHead().startsWith("HTTP/1.1 200 OK"))
                    {
                        throw new IOException("not a stream");
                    }
                    connected = true;
                    SseEvent event;
                    while (running && ids.size() < EVENTS && null != (event = client.nextEvent()))
                    {
                        final long id = Long.parseLong(event.id());
                        receivedAtNs.add(System.nanoTime());
                        ids.add(id);
                        lastId.set(id);
                    }
                }
                catch (final IOException | RuntimeException ex)
                {
                    // the node went away: move on
                }
                if (running && ids.size() < EVENTS)
                {
                    node = (node + 1) % NODES;
                    moves++;
                    Await.pause(50);
                }
            }
        }
    }
}
