package io.sseflow.server.cluster;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 8: a member the others deleted log past could never rejoin (Aeron Cluster catches a member up only
 * from the leader's log). Three servers in this process, 1 MiB log segments, a snapshot every 100 events and a 2 MiB
 * catch-up allowance: a follower stays away while 700 events of 8 KiB go by, so the others delete log it has not
 * applied. Its data dir emptied, it is refused (the others have history); restored ({@link ClusterSettings#restore})
 * it copies the leader's latest snapshot and the log after it ({@link MemberRestore}), catches up, and serves an exact
 * {@code Last-Event-ID} resume of ids from before it went away, from while it was away and from after.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RestoreRejoinTest
{
    private static final int MEMBERS = 3;
    private static final int SNAPSHOT_EVERY_EVENTS = 100;
    private static final int FILLER_EVENTS = 700;
    private static final long CATCH_UP_ALLOWANCE = 2 * 1024 * 1024;
    private static final String FILLER = "f".repeat(8 * 1024);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final File[] dataDirs = new File[MEMBERS];
    private final List<String> members = new ArrayList<>();
    private final List<String> aeronDirs = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final SseServer[] servers = new SseServer[MEMBERS];
    private final ClusterEventSequencer[] sequencers = new ClusterEventSequencer[MEMBERS];

    RestoreRejoinTest()
    {
        final int base = ClusterTestSupport.freeBasePort(MEMBERS * ClusterSettings.PORTS_PER_MEMBER);
        for (int i = 0; i < MEMBERS; i++)
        {
            dataDirs[i] = ClusterTestSupport.tempDir("sseflow-restore-" + i + "-");
            members.add("127.0.0.1:" + (base + i * ClusterSettings.PORTS_PER_MEMBER));
        }
    }

    @AfterEach
    void cleanUp()
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            if (null != servers[i])
            {
                servers[i].close();
            }
            ClusterTestSupport.delete(dataDirs[i]);
        }
        aeronDirs.forEach(dir -> ClusterTestSupport.delete(new File(dir)));
    }

    @Test
    void shouldRestoreAMemberTheOthersDeletedLogPastFromTheLeadersSnapshotAndServeEveryIdExactly() throws Exception
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            start(i, false);
        }
        awaitReady(0, 1, 2);
        publish(0, "t", "t1");
        awaitApplied(1, 0, 1, 2);

        final int away = closeAFollower();
        final int[] others = others(away);
        final long purgedBefore = Math.min(sequencers[others[0]].purgedSegments(), sequencers[others[1]].purgedSegments());
        for (int e = 0; e < FILLER_EVENTS; e++)
        {
            publish(others[e % 2], "bulk", FILLER);
            if (e == FILLER_EVENTS / 2)
            {
                publish(others[0], "t", "t2");
            }
        }
        // a publish returns before it is sequenced: t3, through the other node, only after t2 is applied
        awaitApplied(1 + FILLER_EVENTS + 1, others);
        publish(others[1], "t", "t3");
        final long applied = 1 + FILLER_EVENTS + 2;
        awaitApplied(applied, others);
        Await.condition(() -> sequencers[others[0]].purgedSegments() > purgedBefore &&
            sequencers[others[1]].purgedSegments() > purgedBefore,
            "the members left deleted log member " + away + " had not applied", WAIT);
        System.out.println("RestoreRejoinTest: member " + away + " away for " + FILLER_EVENTS + " events of 8 KiB: " +
            "log segments deleted " + sequencers[others[0]].purgedSegments() + " and " +
            sequencers[others[1]].purgedSegments());

        ClusterTestSupport.delete(dataDirs[away]);
        assertTrue(dataDirs[away].mkdirs());
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(away, false));
        assertTrue(refused.getMessage().startsWith("the data dir " + dataDirs[away] + " is empty but member "),
            refused.getMessage());
        assertTrue(refused.getMessage().endsWith("start this member with --restore to copy its state from the " +
            "cluster's leader"), refused.getMessage());

        final long restoreNs = System.nanoTime();
        start(away, true);
        awaitApplied(applied, away);
        awaitReady(away);
        System.out.println("RestoreRejoinTest: member " + away + " restored and caught up in " +
            (System.nanoTime() - restoreNs) / 1_000_000 + " ms");
        publish(away, "t", "t4");
        awaitApplied(applied + 1, 0, 1, 2);

        final String expected = frame(2, "t2") + frame(3, "t3") + frame(4, "t4");
        for (int i = 0; i < MEMBERS; i++)
        {
            try (RawSseClient client = RawSseClient.get(servers[i].port(), "/events/t", "Last-Event-ID: 1"))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(client.readHead()));
                assertEquals(expected, client.readBytes(expected.length()), "node " + i);
            }
        }
        assertEquals(0, servers[away].metrics().get(io.sseflow.server.ServerCounter.REPLAY_MISSES));
    }

    private void start(final int i, final boolean restore)
    {
        final String aeronDir = ClusterTestSupport.aeronDir("restore" + i);
        aeronDirs.add(aeronDir);
        final ClusterSettings settings = new ClusterSettings(dataDirs[i], members, i)
            .aeronDirectoryName(aeronDir)
            .limits(4, 64)
            .snapshots(SNAPSHOT_EVERY_EVENTS, TimeUnit.MINUTES.toMillis(10))
            .archiveSegmentLength(1024 * 1024)
            .catchUpLogBytes(CATCH_UP_ALLOWANCE)
            .restore(restore);
        servers[i] = SseServer.builder()
            .host("127.0.0.1")
            .port(0)
            .history(64)
            .eventSequencer((capacity) ->
            {
                sequencers[i] = new ClusterEventSequencer(settings, capacity, errors::add,
                    new PrintStream(System.out, true));
                return sequencers[i];
            })
            .start();
    }

    private void awaitReady(final int... nodes)
    {
        Await.condition(() ->
        {
            for (final int i : nodes)
            {
                if (!sequencers[i].isReady())
                {
                    return false;
                }
            }
            return true;
        }, "nodes ready", WAIT);
    }

    private void awaitApplied(final long seq, final int... nodes)
    {
        try
        {
            awaitAppliedOnce(seq, nodes);
        }
        catch (final AssertionError ex)
        {
            final StringBuilder state = new StringBuilder(ex.getMessage());
            for (int i = 0; i < MEMBERS; i++)
            {
                state.append("\nnode ").append(i).append(": ").append(null == servers[i] ? "closed" :
                    sequencers[i].role() + " ready=" + sequencers[i].isReady() + " applied=" +
                    sequencers[i].appliedSeq());
            }
            state.append("\nerrors: ").append(errors);
            throw new AssertionError(state.toString(), ex);
        }
    }

    private void awaitAppliedOnce(final long seq, final int... nodes)
    {
        Await.condition(() ->
        {
            for (final int i : nodes)
            {
                if (sequencers[i].appliedSeq() < seq)
                {
                    return false;
                }
            }
            return true;
        }, "seq " + seq + " applied", WAIT);
    }

    private void publish(final int node, final String topic, final String data)
    {
        final Topic handle = servers[node].topic(topic);
        Servers.publish(handle, data, SseOptions.NONE);
    }

    private int closeAFollower()
    {
        final int away = followerOf(0, 1, 2);
        servers[away].close();
        servers[away] = null;
        sequencers[away] = null;
        return away;
    }

    private int followerOf(final int... nodes)
    {
        for (final int i : nodes)
        {
            if (sequencers[i].role() != io.aeron.cluster.service.Cluster.Role.LEADER)
            {
                return i;
            }
        }
        throw new AssertionError("no follower");
    }

    private static int[] others(final int away)
    {
        return new int[]{ (away + 1) % MEMBERS, (away + 2) % MEMBERS };
    }

    private static String frame(final long id, final String data)
    {
        return "id: " + id + "\ndata: " + data + "\n\n";
    }
}
