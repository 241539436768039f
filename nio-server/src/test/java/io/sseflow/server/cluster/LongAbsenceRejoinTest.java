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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member kept down for many snapshot intervals rejoins from its data dir, catches up, and serves an exact
 * {@code Last-Event-ID} resume of ids from before it went down, from while it was away and from after: three servers
 * in this process, each a cluster member with its own driver, archive, data dir and ports on loopback, snapshotting
 * every 100 events in 1 MiB log segments. Aeron Cluster catches a member up only from the leader's log (it sends
 * followers no snapshot), so the others keep the log from the position the member last reported ({@link LogPurger}):
 * while it is away they take snapshots but delete no log it needs; once it is back and has reported, they delete the
 * log before their previous snapshot again, so disk is bounded again.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LongAbsenceRejoinTest
{
    private static final int MEMBERS = 3;
    private static final int SNAPSHOT_EVERY_EVENTS = 100;
    private static final int FILLER_EVENTS = 700;
    private static final String FILLER = "f".repeat(8 * 1024);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final File[] dataDirs = new File[MEMBERS];
    private final List<String> members = new ArrayList<>();
    private final List<String> aeronDirs = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final SseServer[] servers = new SseServer[MEMBERS];
    private final ClusterEventSequencer[] sequencers = new ClusterEventSequencer[MEMBERS];

    LongAbsenceRejoinTest()
    {
        final int base = ClusterTestSupport.freeBasePort(MEMBERS * ClusterSettings.PORTS_PER_MEMBER);
        for (int i = 0; i < MEMBERS; i++)
        {
            dataDirs[i] = ClusterTestSupport.tempDir("sseflow-absence-" + i + "-");
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
    void shouldCatchUpAMemberDownForManySnapshotIntervalsAndResumeExactly() throws Exception
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            start(i);
        }
        awaitReady(0, 1, 2);
        for (int e = 1; e <= 3; e++)
        {
            publish(0, "t", "t" + e);
        }
        awaitApplied(3, 0, 1, 2);

        final int away = closeAFollower();
        final int[] others = others(away);
        final long purgedBefore = Math.min(sequencers[others[0]].purgedSegments(), sequencers[others[1]].purgedSegments());

        for (int e = 0; e < FILLER_EVENTS; e++)
        {
            publish(others[e % 2], "bulk", FILLER);
            if (e == FILLER_EVENTS / 2)
            {
                publish(others[0], "t", "t4");
                publish(others[0], "t", "t5");
            }
        }
        // the schedule looks every 100 ms, so how many snapshots 700 events make depends on how fast they go: more
        // filler (bounded) until the members left have taken 4
        int filler = FILLER_EVENTS;
        while ((sequencers[others[0]].snapshotsTaken() < 4 || sequencers[others[1]].snapshotsTaken() < 4) &&
            filler < 5 * FILLER_EVENTS)
        {
            awaitApplied(2 + filler + 3, others);
            for (int e = 0; e < 50; e++)
            {
                publish(others[e % 2], "bulk", FILLER);
            }
            filler += 50;
            Thread.sleep(SnapshotSchedule.CHECK_INTERVAL_NS / 1_000_000);
        }
        publish(others[0], "t", "t6");
        final long applied = 3 + filler + 3;
        awaitApplied(applied, others);
        Await.condition(() -> sequencers[others[0]].snapshotsTaken() >= 4 && sequencers[others[1]].snapshotsTaken() >= 4,
            "the members left took snapshots", WAIT);
        assertEquals(purgedBefore, sequencers[others[0]].purgedSegments(), "log the member away needs was deleted");
        assertEquals(purgedBefore, sequencers[others[1]].purgedSegments(), "log the member away needs was deleted");
        System.out.println("member " + away + " away for " + filler + " events: snapshots " +
            sequencers[others[0]].snapshotsTaken() + " and " + sequencers[others[1]].snapshotsTaken() +
            ", log segments deleted " + sequencers[others[0]].purgedSegments() + " and " +
            sequencers[others[1]].purgedSegments());

        start(away);
        awaitApplied(applied, away);
        awaitReady(away);
        publish(away, "t", "t7");
        awaitApplied(applied + 1, 0, 1, 2);
        publish(others[0], "t", "t8");
        awaitApplied(applied + 2, 0, 1, 2);

        final String expected = frame(3, "t3") + frame(4, "t4") + frame(5, "t5") + frame(6, "t6") +
            frame(7, "t7") + frame(8, "t8");
        for (int i = 0; i < MEMBERS; i++)
        {
            try (RawSseClient client = RawSseClient.get(servers[i].port(), "/events/t", "Last-Event-ID: 2"))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(client.readHead()));
                assertEquals(expected, client.readBytes(expected.length()), "node " + i);
            }
        }
        try (RawSseClient client = RawSseClient.get(servers[away].port(), "/events/t", "Last-Event-ID: 5"))
        {
            client.readHead();
            final String after = frame(6, "t6") + frame(7, "t7") + frame(8, "t8");
            assertEquals(after, client.readBytes(after.length()));
        }
        assertEquals(0, servers[away].metrics().get(io.sseflow.server.ServerCounter.REPLAY_MISSES));

        // back and reporting: the log before the previous snapshot is deleted again, on every member
        final long[] purgedAway = new long[MEMBERS];
        for (int i = 0; i < MEMBERS; i++)
        {
            purgedAway[i] = sequencers[i].purgedSegments();
        }
        // a purge needs two snapshots past the position the member reported, and the schedule looks every 100 ms:
        // filler in paced chunks (bounded) until every member has deleted log again
        for (int e = 0; e < 5 * FILLER_EVENTS && !everyMemberPurgedBeyond(purgedAway); e++)
        {
            publish(e % MEMBERS, "bulk", FILLER);
            if (e % 50 == 49)
            {
                Thread.sleep(SnapshotSchedule.CHECK_INTERVAL_NS / 1_000_000);
            }
        }
        Await.condition(() -> everyMemberPurgedBeyond(purgedAway), "every member deleted log again", WAIT);
        final List<String> unexpected = new ArrayList<>();
        for (final Throwable error : errors)
        {
            unexpected.add(String.valueOf(error));
        }
        assertTrue(unexpected.isEmpty(), "errors: " + unexpected);
    }

    private void start(final int i)
    {
        start(i, ClusterSettings.DEFAULT_CATCH_UP_LOG_BYTES);
    }

    private void start(final int i, final long catchUpLogBytes)
    {
        final String aeronDir = ClusterTestSupport.aeronDir("absence" + i);
        aeronDirs.add(aeronDir);
        final ClusterSettings settings = new ClusterSettings(dataDirs[i], members, i)
            .aeronDirectoryName(aeronDir)
            .limits(4, 64)
            .snapshots(SNAPSHOT_EVERY_EVENTS, TimeUnit.MINUTES.toMillis(10))
            .archiveSegmentLength(1024 * 1024)
            .catchUpLogBytes(catchUpLogBytes);
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

    @Test
    void shouldKeepNoMoreLogForAMemberAwayThanTheCatchUpAllowanceAndSayWhichMemberCannotCatchUp() throws Exception
    {
        final long allowance = 2 * 1024 * 1024;
        for (int i = 0; i < MEMBERS; i++)
        {
            start(i, allowance);
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
        }
        awaitApplied(1 + FILLER_EVENTS, others);
        Await.condition(() -> sequencers[others[0]].purgedSegments() > purgedBefore &&
            sequencers[others[1]].purgedSegments() > purgedBefore,
            "the members left deleted log beyond the allowance though member " + away + " had not applied it", WAIT);
        Await.condition(() -> errors.stream().filter(e -> String.valueOf(e.getMessage()).contains(
            "member " + away + " (")).count() >= 2,
            "both members said which member can no longer catch up: " + errors, WAIT);
        for (final Throwable error : errors)
        {
            assertTrue(error.getMessage().matches("log below position \\d+ deleted though (member \\d \\((at \\d+|not " +
                "heard from)\\)(, )?)+ had not applied it \\(more than " + allowance + " bytes of log behind, the " +
                "catch-up allowance\\): a member that far behind can no longer catch up from this member's log"),
                String.valueOf(error));
        }
        System.out.println("member " + away + " away for " + FILLER_EVENTS + " events of 8 KiB with a " + allowance +
            " B catch-up allowance: log segments deleted " + sequencers[others[0]].purgedSegments() + " and " +
            sequencers[others[1]].purgedSegments() + "; " + errors.get(0).getMessage());
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

    private boolean everyMemberPurgedBeyond(final long[] purged)
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            if (sequencers[i].purgedSegments() <= purged[i])
            {
                return false;
            }
        }
        return true;
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
