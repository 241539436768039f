package io.sseflow.server.cluster;

import io.sseflow.server.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Readiness is a round trip: an idle member sends a probe through the log every second and is ready once one came
 * back; the log those probes grow is snapshotted (and so purged) even when no event was published.
 */
class IdleProbeTest
{
    private final SingleMember member = new SingleMember("idle-probes");

    @AfterEach
    void cleanUp()
    {
        member.close();
    }

    @Test
    void shouldBeReadyOnceAProbeCameBackAndSnapshotTheLogItsProbesGrowWithoutEvents()
    {
        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer sequencer =
            member.start(topics, 1 << 16, settings -> settings.snapshots(1_000_000, 200));
        final ClusterTestSupport.Recorder recorder = new ClusterTestSupport.Recorder(topics);
        Await.condition(() ->
        {
            sequencer.poll(recorder, 16);
            return sequencer.isReady();
        }, "ready", Duration.ofSeconds(30));
        final long position = sequencer.node().commitPosition();
        Await.condition(() ->
        {
            sequencer.poll(recorder, 16);
            return sequencer.snapshotsTaken() >= 1 && sequencer.node().commitPosition() > position;
        }, "a snapshot of a log that only probes grew", Duration.ofSeconds(30));
        assertEquals(0, sequencer.appliedSeq());
        assertEquals(0, recorder.events.size());
        assertEquals(0, recorder.answers.size());
    }
}
