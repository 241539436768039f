package io.sseflow.server.cluster;

import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One member of a three-member cluster alone can never have a leader: what was published is refused
 * {@link PublishResult#NO_LEADER} (so the HTTP publisher gets a 503 with Retry-After), and so are new claims.
 */
class NoLeaderTest
{
    private final File dataDir = ClusterTestSupport.tempDir("sseflow-cluster-alone-");
    private final String aeronDir = ClusterTestSupport.aeronDir("alone");
    private final PublishClaim claim = new PublishClaim();
    private ClusterEventSequencer sequencer;

    @AfterEach
    void cleanUp()
    {
        if (null != sequencer)
        {
            sequencer.close();
        }
        ClusterTestSupport.delete(dataDir);
        ClusterTestSupport.delete(new File(aeronDir));
    }

    @Test
    void shouldRefuseWhatWasPublishedAndNewClaimsWithNoLeader()
    {
        final int base = ClusterTestSupport.freeBasePort(3 * ClusterSettings.PORTS_PER_MEMBER);
        final List<String> members = List.of(
            "127.0.0.1:" + base,
            "127.0.0.1:" + (base + ClusterSettings.PORTS_PER_MEMBER),
            "127.0.0.1:" + (base + 2 * ClusterSettings.PORTS_PER_MEMBER));
        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final ClusterTestSupport.Recorder recorder = new ClusterTestSupport.Recorder(topics);
        sequencer = new ClusterEventSequencer(
            new ClusterSettings(dataDir, members, 0).aeronDirectoryName(aeronDir), 1 << 16, ex -> { },
            new PrintStream(System.out, true)).topicDirectory(topics);

        assertEquals(PublishResult.OK, ClusterTestSupport.publish(sequencer, claim, topics, "t", 5, null, "lost?"));
        Await.condition(() ->
        {
            sequencer.poll(recorder, 16);
            return !recorder.answers.isEmpty();
        }, "the publish answered", Duration.ofSeconds(30));
        assertEquals(List.of("corr=5 NO_LEADER"), recorder.answers);
        assertEquals(List.of(), recorder.events);
        assertEquals(PublishResult.NO_LEADER,
            ClusterTestSupport.publish(sequencer, claim, topics, "t", 6, null, "refused at once"));
    }
}
