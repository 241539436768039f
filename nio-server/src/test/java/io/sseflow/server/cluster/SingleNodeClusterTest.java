package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A one-member durable cluster in this process: the single durable node's code path.
 */
class SingleNodeClusterTest
{
    private final SingleMember member = new SingleMember("single");
    private final PublishClaim claim = new PublishClaim();

    @AfterEach
    void cleanUp()
    {
        member.close();
    }

    private static void pollUntil(
        final ClusterEventSequencer sequencer, final ClusterTestSupport.Recorder recorder, final int events,
        final int answers)
    {
        Await.condition(() ->
        {
            sequencer.poll(recorder, 64);
            return recorder.events.size() >= events && recorder.answers.size() >= answers;
        }, events + " events and " + answers + " answers delivered", Duration.ofSeconds(30));
    }

    @Test
    void shouldTakeNoSnapshotBeforeTheIntervalHasPassedSinceItStarted() throws Exception
    {
        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer sequencer =
            member.start(topics, 1 << 20, settings -> settings.limits(16, 8), false);
        final ClusterTestSupport.Recorder recorder = new ClusterTestSupport.Recorder(topics);
        assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, "a", 1, null, "e1"));
        pollUntil(sequencer, recorder, 1, 1);
        // the schedule looks every 100 ms: 1 s of polls is ten looks, with the log grown and the default interval
        // (10 minutes) not passed since the start (a single node used to take a snapshot at its first look)
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() - endNs < 0)
        {
            sequencer.poll(recorder, 16);
            Thread.sleep(5);
        }
        assertEquals(0, sequencer.snapshotsTaken());
    }

    @Test
    void shouldSequenceEventsAndContinueIdsAfterARestartFromTheLog()
    {
        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer sequencer = member.start(topics, 1 << 20, settings -> settings.limits(16, 8));
        final ClusterTestSupport.Recorder recorder = new ClusterTestSupport.Recorder(topics);
        final List<String> expected = new ArrayList<>();
        final List<String> expectedAnswers = new ArrayList<>();
        for (int i = 1; i <= 10; i++)
        {
            final String topic = 0 == i % 3 ? "b" : "a";
            assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, topic, 100 + i, null, "e" + i));
        }
        assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, "b", 111, "order-1", "e11"));
        assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, "b", 112, "order-1", "retry"));
        pollUntil(sequencer, recorder, 11, 12);
        int a = 0;
        int b = 0;
        for (int i = 1; i <= 10; i++)
        {
            final boolean isB = 0 == i % 3;
            final int id = isB ? ++b : ++a;
            expected.add("seq=" + i + " " + (isB ? "b" : "a") + " id=" + id + " data: e" + i);
            expectedAnswers.add("corr=" + (100 + i) + " id=" + id);
        }
        expected.add("seq=11 b id=order-1 data: e11");
        expectedAnswers.add("corr=111 id=order-1");
        expectedAnswers.add("corr=112 duplicate of seq=11 id=order-1");
        assertEquals(expected, recorder.events);
        assertEquals(expectedAnswers, recorder.answers);
        assertEquals(0, topics.pins, "this node's own events keep their publisher's pin");

        member.stop();

        final ClusterTestSupport.Topics restartedTopics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer restarted = member.start(restartedTopics, 1 << 20, settings -> settings.limits(16, 8));
        final ClusterTestSupport.Recorder replayed = new ClusterTestSupport.Recorder(restartedTopics);
        pollUntil(restarted, replayed, 11, 0);
        assertEquals(expected, replayed.events, "history from before the restart, from the log");
        assertEquals(List.of(), replayed.answers, "events of a previous session answer nobody");
        assertEquals(11, restartedTopics.pins);

        assertEquals(PublishResult.OK,
            ClusterTestSupport.publish(restarted, claim, restartedTopics, "a", 7, null, "after restart"));
        assertEquals(PublishResult.OK,
            ClusterTestSupport.publish(restarted, claim, restartedTopics, "b", 8, "order-1", "retry after restart"));
        pollUntil(restarted, replayed, 12, 2);
        assertEquals("seq=12 a id=8 data: after restart", replayed.events.get(11));
        assertEquals(List.of("corr=7 id=8", "corr=8 duplicate of seq=11 id=order-1"), replayed.answers);
        assertEquals(List.of(), member.errors);
    }

    @Test
    void shouldRestoreRetainedHistoryAndIdsFromASnapshot()
    {
        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer sequencer = member.start(topics, 1 << 20, settings -> settings.limits(16, 3));
        final ClusterTestSupport.Recorder recorder = new ClusterTestSupport.Recorder(topics);
        for (int i = 1; i <= 6; i++)
        {
            assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, "a", i, null, "a" + i));
        }
        assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, "b", 7, "k", "b1"));
        pollUntil(sequencer, recorder, 7, 7);

        Await.condition(sequencer::requestSnapshot, "snapshot request taken", Duration.ofSeconds(10));
        Await.condition(() ->
        {
            sequencer.poll(recorder, 64);
            return sequencer.snapshotsTaken() == 1;
        }, "snapshot taken", Duration.ofSeconds(30));

        assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, "a", 8, null, "a7"));
        pollUntil(sequencer, recorder, 8, 8);
        member.stop();

        final ClusterTestSupport.Topics restartedTopics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer restarted = member.start(restartedTopics, 1 << 20, settings -> settings.limits(16, 3));
        final ClusterTestSupport.Recorder restored = new ClusterTestSupport.Recorder(restartedTopics);
        pollUntil(restarted, restored, 5, 0);
        assertEquals(List.of(
            "seq=4 a id=4 data: a4",
            "seq=5 a id=5 data: a5",
            "seq=6 a id=6 data: a6",
            "seq=7 b id=k data: b1",
            "seq=8 a id=7 data: a7"), restored.events, "retained history from the snapshot, then the log after it");

        assertEquals(PublishResult.OK, ClusterTestSupport.publish(restarted, claim, restartedTopics, "b", 9, "k", "dup"));
        assertEquals(PublishResult.OK, ClusterTestSupport.publish(restarted, claim, restartedTopics, "a", 10, null, "a8"));
        pollUntil(restarted, restored, 6, 2);
        assertEquals("seq=9 a id=8 data: a8", restored.events.get(5));
        assertEquals(List.of("corr=9 duplicate of seq=7 id=k", "corr=10 id=8"), restored.answers);
        assertEquals(List.of(), member.errors);
    }
}
