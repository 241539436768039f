package io.sseflow.server.cluster;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
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

    private final ClusterMembers members = new ClusterMembers("restore", MEMBERS);
    private final ServerMembers cluster = new ServerMembers(members, 64);

    @AfterEach
    void cleanUp()
    {
        cluster.close();
        members.close();
    }

    @Test
    void shouldRestoreAMemberTheOthersDeletedLogPastFromTheLeadersSnapshotAndServeEveryIdExactly() throws Exception
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            start(i, false);
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
            if (e == FILLER_EVENTS / 2)
            {
                cluster.publish(others[0], "t", "t2");
            }
        }
        // a publish returns before it is sequenced: t3, through the other node, only after t2 is applied
        cluster.awaitApplied(1 + FILLER_EVENTS + 1, others);
        cluster.publish(others[1], "t", "t3");
        final int filler = FILLER_EVENTS + cluster.fillUntilPurged(others, purgedBefore, 1 + FILLER_EVENTS + 2, FILLER,
            4 * FILLER_EVENTS);
        final long applied = 1 + filler + 2;
        cluster.awaitApplied(applied, others);
        Await.condition(() -> cluster.sequencer(others[0]).purgedSegments() > purgedBefore &&
            cluster.sequencer(others[1]).purgedSegments() > purgedBefore,
            "the members left deleted log member " + away + " had not applied", WAIT);
        System.out.println("RestoreRejoinTest: member " + away + " away for " + filler + " events of 8 KiB: " +
            "log segments deleted " + cluster.sequencer(others[0]).purgedSegments() + " and " +
            cluster.sequencer(others[1]).purgedSegments());

        ClusterTestSupport.delete(members.dataDir(away));
        assertTrue(members.dataDir(away).mkdirs());
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(away, false));
        assertTrue(refused.getMessage().startsWith("the data dir " + members.dataDir(away) + " is empty but member "),
            refused.getMessage());
        assertTrue(refused.getMessage().endsWith("start this member with --restore to copy its state from the " +
            "cluster's leader"), refused.getMessage());

        final long restoreNs = System.nanoTime();
        start(away, true);
        cluster.awaitApplied(applied, away);
        cluster.awaitReady(away);
        System.out.println("RestoreRejoinTest: member " + away + " restored and caught up in " +
            (System.nanoTime() - restoreNs) / 1_000_000 + " ms");
        cluster.publish(away, "t", "t4");
        cluster.awaitApplied(applied + 1, 0, 1, 2);

        final String expected = frame(2, "t2") + frame(3, "t3") + frame(4, "t4");
        for (int i = 0; i < MEMBERS; i++)
        {
            try (RawSseClient client = RawSseClient.get(cluster.server(i).port(), "/events/t", "Last-Event-ID: 1"))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(client.readHead()));
                assertEquals(expected, client.readBytes(expected.length()), "node " + i);
            }
        }
        assertEquals(0, cluster.server(away).metrics().get(io.sseflow.server.ServerCounter.REPLAY_MISSES));
    }

    private void start(final int i, final boolean restore)
    {
        cluster.start(i, (settings) -> settings
            .limits(4, 64)
            .snapshots(SNAPSHOT_EVERY_EVENTS, TimeUnit.MINUTES.toMillis(10))
            .archiveSegmentLength(1024 * 1024)
            .catchUpLogBytes(CATCH_UP_ALLOWANCE)
            .restore(restore));
    }

    private static String frame(final long id, final String data)
    {
        return "id: " + id + "\ndata: " + data + "\n\n";
    }
}
