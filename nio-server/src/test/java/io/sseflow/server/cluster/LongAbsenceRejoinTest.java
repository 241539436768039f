package io.sseflow.server.cluster;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final ClusterMembers members = new ClusterMembers("absence", MEMBERS);
    private final ServerMembers cluster = new ServerMembers(members, 64);

    @AfterEach
    void cleanUp()
    {
        cluster.close();
        members.close();
    }

    @Test
    void shouldCatchUpAMemberDownForManySnapshotIntervalsAndResumeExactly() throws Exception
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            start(i);
        }
        cluster.awaitReady(0, 1, 2);
        for (int e = 1; e <= 3; e++)
        {
            cluster.publish(0, "t", "t" + e);
        }
        cluster.awaitApplied(3, 0, 1, 2);

        final int away = cluster.closeAFollower();
        final int[] others = cluster.others(away);
        final long purgedBefore = Math.min(cluster.sequencer(others[0]).purgedSegments(), cluster.sequencer(others[1]).purgedSegments());

        for (int e = 0; e < FILLER_EVENTS; e++)
        {
            cluster.publish(others[e % 2], "bulk", FILLER);
            if (e == FILLER_EVENTS / 2)
            {
                cluster.publish(others[0], "t", "t4");
                cluster.publish(others[0], "t", "t5");
            }
        }
        // the schedule looks every 100 ms, so how many snapshots 700 events make depends on how fast they go: more
        // filler (bounded) until the members left have taken 4
        int filler = FILLER_EVENTS;
        while ((cluster.sequencer(others[0]).snapshotsTaken() < 4 || cluster.sequencer(others[1]).snapshotsTaken() < 4) &&
            filler < 5 * FILLER_EVENTS)
        {
            cluster.awaitApplied(2 + filler + 3, others);
            for (int e = 0; e < 50; e++)
            {
                cluster.publish(others[e % 2], "bulk", FILLER);
            }
            filler += 50;
            Thread.sleep(SnapshotSchedule.CHECK_INTERVAL_NS / 1_000_000);
        }
        cluster.publish(others[0], "t", "t6");
        final long applied = 3 + filler + 3;
        cluster.awaitApplied(applied, others);
        Await.condition(() -> cluster.sequencer(others[0]).snapshotsTaken() >= 4 && cluster.sequencer(others[1]).snapshotsTaken() >= 4,
            "the members left took snapshots", WAIT);
        assertEquals(purgedBefore, cluster.sequencer(others[0]).purgedSegments(), "log the member away needs was deleted");
        assertEquals(purgedBefore, cluster.sequencer(others[1]).purgedSegments(), "log the member away needs was deleted");
        System.out.println("member " + away + " away for " + filler + " events: snapshots " +
            cluster.sequencer(others[0]).snapshotsTaken() + " and " + cluster.sequencer(others[1]).snapshotsTaken() +
            ", log segments deleted " + cluster.sequencer(others[0]).purgedSegments() + " and " +
            cluster.sequencer(others[1]).purgedSegments());

        start(away);
        cluster.awaitApplied(applied, away);
        cluster.awaitReady(away);
        cluster.publish(away, "t", "t7");
        cluster.awaitApplied(applied + 1, 0, 1, 2);
        cluster.publish(others[0], "t", "t8");
        cluster.awaitApplied(applied + 2, 0, 1, 2);

        final String expected = frame(3, "t3") + frame(4, "t4") + frame(5, "t5") + frame(6, "t6") +
            frame(7, "t7") + frame(8, "t8");
        for (int i = 0; i < MEMBERS; i++)
        {
            try (RawSseClient client = RawSseClient.get(cluster.server(i).port(), "/events/t", "Last-Event-ID: 2"))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(client.readHead()));
                assertEquals(expected, client.readBytes(expected.length()), "node " + i);
            }
        }
        try (RawSseClient client = RawSseClient.get(cluster.server(away).port(), "/events/t", "Last-Event-ID: 5"))
        {
            client.readHead();
            final String after = frame(6, "t6") + frame(7, "t7") + frame(8, "t8");
            assertEquals(after, client.readBytes(after.length()));
        }
        assertEquals(0, cluster.server(away).metrics().get(io.sseflow.server.ServerCounter.REPLAY_MISSES));

        // back and reporting: the log before the previous snapshot is deleted again, on every member
        final long[] purgedAway = new long[MEMBERS];
        for (int i = 0; i < MEMBERS; i++)
        {
            purgedAway[i] = cluster.sequencer(i).purgedSegments();
        }
        // a purge needs two snapshots past the position the member reported, and the schedule looks every 100 ms:
        // filler in paced chunks (bounded) until every member has deleted log again
        for (int e = 0; e < 5 * FILLER_EVENTS && !everyMemberPurgedBeyond(purgedAway); e++)
        {
            cluster.publish(e % MEMBERS, "bulk", FILLER);
            if (e % 50 == 49)
            {
                Thread.sleep(SnapshotSchedule.CHECK_INTERVAL_NS / 1_000_000);
            }
        }
        Await.condition(() -> everyMemberPurgedBeyond(purgedAway), "every member deleted log again", WAIT);
        final List<String> unexpected = new ArrayList<>();
        for (final Throwable error : members.errors())
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
        cluster.start(i, (settings) -> settings
            .limits(4, 64)
            .snapshots(SNAPSHOT_EVERY_EVENTS, TimeUnit.MINUTES.toMillis(10))
            .archiveSegmentLength(1024 * 1024)
            .catchUpLogBytes(catchUpLogBytes));
    }

    @Test
    void shouldKeepNoMoreLogForAMemberAwayThanTheCatchUpAllowanceAndSayWhichMemberCannotCatchUp() throws Exception
    {
        final long allowance = 2 * 1024 * 1024;
        for (int i = 0; i < MEMBERS; i++)
        {
            start(i, allowance);
        }
        cluster.awaitReady(0, 1, 2);
        cluster.publish(0, "t", "t1");
        cluster.awaitApplied(1, 0, 1, 2);

        final int away = cluster.closeAFollower();
        final int[] others = cluster.others(away);
        final long purgedBefore = Math.min(cluster.sequencer(others[0]).purgedSegments(), cluster.sequencer(others[1]).purgedSegments());

        for (int e = 0; e < FILLER_EVENTS; e++)
        {
            cluster.publish(others[e % 2], "bulk", FILLER);
        }
        cluster.fillUntilPurged(others, purgedBefore, 1 + FILLER_EVENTS, FILLER, 4 * FILLER_EVENTS);
        Await.condition(() -> cluster.sequencer(others[0]).purgedSegments() > purgedBefore &&
            cluster.sequencer(others[1]).purgedSegments() > purgedBefore,
            "the members left deleted log beyond the allowance though member " + away + " had not applied it", WAIT);
        Await.condition(() -> members.errors().stream().filter(e -> String.valueOf(e.getMessage()).contains(
            "member " + away + " (")).count() >= 2,
            "both members said which member can no longer catch up: " + members.errors(), WAIT);
        for (final Throwable error : members.errors())
        {
            assertTrue(error.getMessage().matches("log below position \\d+ deleted though (member \\d \\((at \\d+|not " +
                "heard from)\\)(, )?)+ had not applied it \\(more than " + allowance + " bytes of log behind, the " +
                "catch-up allowance\\): a member that far behind can no longer catch up from this member's log"),
                String.valueOf(error));
        }
        System.out.println("member " + away + " away for " + FILLER_EVENTS + " events of 8 KiB with a " + allowance +
            " B catch-up allowance: log segments deleted " + cluster.sequencer(others[0]).purgedSegments() + " and " +
            cluster.sequencer(others[1]).purgedSegments() + "; " + members.errors().get(0).getMessage());
    }

    private boolean everyMemberPurgedBeyond(final long[] purged)
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            if (cluster.sequencer(i).purgedSegments() <= purged[i])
            {
                return false;
            }
        }
        return true;
    }

    private static String frame(final long id, final String data)
    {
        return "id: " + id + "\ndata: " + data + "\n\n";
    }
}
