package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No loss under random cuts: a publisher publishes steadily for {@value #PUBLISH_SECONDS} s while
 * {@value #CLIENTS} plain-socket clients are cut at random, server-side ({@link Topic#disconnectSubscribers()},
 * a FIN after whole frames) and client-side (a reset, or a close, possibly in the middle of a frame), and reconnect
 * with {@code Last-Event-ID}. The history retains every event, so at the end each client must have seen every
 * event exactly once, in order: each received id must be the previous one plus one, and its data must match.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoLossSoakTest
{
    private static final AtomicInteger reconnectsWithoutId = new AtomicInteger();

    private static final int CLIENTS = 20;
    private static final int PUBLISH_SECONDS = 20;
    private static final long SEED = Long.getLong("sseflow.soak.seed", System.nanoTime());

    @Test
    void shouldDeliverEveryEventExactlyOnceInOrderAcrossRandomCuts() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).history(1 << 17).historyBytes(32 * 1024 * 1024).start())
        {
            final Topic topic = server.topic("soak");
            final AtomicLong published = new AtomicLong();
            final AtomicLong finalCount = new AtomicLong(Long.MAX_VALUE);
            reconnectsWithoutId.set(0);
            final AtomicInteger clientCuts = new AtomicInteger();
            final AtomicInteger connects = new AtomicInteger();
            final Queue<String> failures = new ConcurrentLinkedQueue<>();
            final long[] received = new long[CLIENTS];

            final List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++)
            {
                final int index = c;
                final Thread client = new Thread(() -> runClient(
                    server.port(), new Random(SEED + index), finalCount, clientCuts, connects, failures, received, index),
                    "soak-client-" + c);
                client.setDaemon(true);
                client.start();
                clients.add(client);
            }
            Servers.awaitSubscribers(server, CLIENTS);

            final Random chaos = new Random(SEED - 1);
            int serverCuts = 0;
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PUBLISH_SECONDS);
            long nextCutNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + chaos.nextInt(1200));
            long id = 0;
            while (System.nanoTime() - end < 0 && failures.isEmpty())
            {
                // about 2,000 events a second, in small bursts
                for (int i = 0; i < 4; i++)
                {
                    id++;
                    Servers.publish(topic, "e" + id, SseOptions.NONE);
                }
                published.set(id);
                if (System.nanoTime() - nextCutNs >= 0)
                {
                    assertTrue(topic.disconnectSubscribers());
                    serverCuts++;
                    nextCutNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + chaos.nextInt(1200));
                }
                LockSupport.parkNanos(2_000_000);
            }
            finalCount.set(id);

            for (final Thread client : clients)
            {
                client.join(60_000);
            }
            final long total = id;
            System.out.printf(
                "NoLossSoakTest: seed %d, %d events published over %d s, %d clients; %d server-side cuts " +
                "(%d streams ended), %d client-side cuts, %d reconnects (%d replays with Last-Event-ID), %d replay misses%n",
                SEED, total, PUBLISH_SECONDS, CLIENTS, serverCuts, server.metrics().subscribersDisconnected(),
                clientCuts.get(), connects.get() - CLIENTS, server.metrics().replays(),
                server.metrics().get(ServerCounter.REPLAY_MISSES));

            assertTrue(failures.isEmpty(), "seed " + SEED + ": " + failures);
            for (int c = 0; c < CLIENTS; c++)
            {
                assertTrue(!clients.get(c).isAlive(), "client " + c + " still running, at " + received[c]);
                assertEquals(total, received[c], "client " + c + " (seed " + SEED + ")");
            }
            assertEquals(reconnectsWithoutId.get(), server.metrics().get(ServerCounter.REPLAY_MISSES),
                "replay misses are exactly the reconnects of clients cut before their first event");
            assertEquals(0, server.metrics().slowConsumersDropped());
            assertTrue(serverCuts > 0 && clientCuts.get() > 0, "both kinds of cut happened");
        }
    }

    private static void runClient(
        final int port,
        final Random random,
        final AtomicLong finalCount,
        final AtomicInteger clientCuts,
        final AtomicInteger connects,
        final Queue<String> failures,
        final long[] received,
        final int index)
    {
        long last = 0;
        int connectsOfThisClient = 0;
        try
        {
            while (last < finalCount.get() && failures.isEmpty())
            {
                // A client cut before its first event has no id to resume after: it asks for everything retained
                // with an id the server never assigned (counted as a replay miss), and must still get id 1 first.
                final boolean reconnectWithoutId = last == 0 && connectsOfThisClient++ > 0;
                if (reconnectWithoutId)
                {
                    reconnectsWithoutId.incrementAndGet();
                }
                connects.incrementAndGet();
                final RawSseClient client = last == 0 && !reconnectWithoutId ? RawSseClient.get(port, "/events/soak") :
                    RawSseClient.get(port, "/events/soak", "Last-Event-ID: " + last);
                // cut this connection after a random number of events (sometimes right after the head)
                final int cutAfter = random.nextInt(4) == 0 ? random.nextInt(5) : 200 + random.nextInt(3000);
                int onThisConnection = 0;
                try
                {
                    client.readHead();
                    while (last < finalCount.get())
                    {
                        if (onThisConnection == cutAfter)
                        {
                            clientCuts.incrementAndGet();
                            if (random.nextBoolean())
                            {
                                client.reset();
                            }
                            else
                            {
                                client.close();
                            }
                            break;
                        }
                        final SseEvent event = client.nextEvent();
                        if (null == event)
                        {
                            break;  // cut by the server: reconnect
                        }
                        final long id = Long.parseLong(event.id());
                        if (id != last + 1 || !event.data().equals("e" + id))
                        {
                            failures.add("client " + index + " expected " + (last + 1) + " got " + event);
                            return;
                        }
                        last = id;
                        received[index] = last;
                        onThisConnection++;
                    }
                }
                catch (final IOException ex)
                {
                    // cut in the middle of a read: reconnect
                }
                finally
                {
                    client.close();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failures.add("client " + index + " at " + last + ": " + ex);
        }
    }
}
