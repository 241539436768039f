package io.sseflow.server.cluster;

import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three members in this process, the third with another {@code --history} than the cluster's: it joins, and before
 * it decides any event with its own settings it is told {@link MemberStop#REFUSED} with the line naming the setting,
 * takes no more publishes, while the two others go on.
 */
class ClusterSettingsCheckTest
{
    private static final int MEMBERS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ClusterMembers members = new ClusterMembers("settings", MEMBERS);
    private final List<String> stops = new CopyOnWriteArrayList<>();
    private final ClusterEventSequencer[] nodes = new ClusterEventSequencer[MEMBERS];
    private final ClusterTestSupport.Topics[] topics = new ClusterTestSupport.Topics[MEMBERS];
    private final ClusterTestSupport.Recorder[] recorders = new ClusterTestSupport.Recorder[MEMBERS];
    private final PublishClaim claim = new PublishClaim();

    @AfterEach
    void cleanUp()
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            if (null != nodes[i])
            {
                nodes[i].close();
            }
        }
        members.close();
    }

    @Test
    void shouldRefuseAMemberWithAnotherHistoryNamingItWhileTheOthersGoOn()
    {
        start(0, 64);
        start(1, 64);
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            return ClusterTestSupport.leaders(nodes) == 1 && nodes[0].isConnected() && nodes[1].isConnected();
        }, "a leader of two members", WAIT);
        for (int e = 1; e <= 3; e++)
        {
            publishOn(e % 2, e, "e" + e);
        }
        awaitEvents(0, 3);
        awaitEvents(1, 3);

        // a member that joins after the others logged is restored from the leader first (member identity)
        start(2, 32, true);
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            return !stops.isEmpty();
        }, "the third member refused", WAIT);
        assertEquals(1, stops.size(), stops.toString());
        final String stop = stops.get(0);
        assertTrue(stop.matches("REFUSED cluster node 2's settings differ from the cluster's: --history is 32 here, 64 " +
            "in the cluster \\(set by node [01]\\); every member must run with the same --history, " +
            "--history-total-bytes and --max-topics \\(they decide what is retained\\): start it with the cluster's, " +
            "or change them for every member \\(see --change-settings\\)"), stop);
        assertTrue(recorders[2].events.isEmpty(), "decided nothing with its own settings: " + recorders[2].events);
        assertEquals(PublishResult.CLOSED,
            ClusterTestSupport.publish(nodes[2], claim, topics[2], "orders", 9, null, "refused"));

        publishOn(0, 4, "e4");
        awaitEvents(0, 4);
        awaitEvents(1, 4);
        assertEquals(recorders[0].events, recorders[1].events);
    }

    private void start(final int i, final int history)
    {
        start(i, history, false);
    }

    private void start(final int i, final int history, final boolean restore)
    {
        final ClusterSettings settings = members.settings(i)
            .limits(16, history)
            .historyTotalBytes(1 << 20);
        settings.restore(restore);
        topics[i] = new ClusterTestSupport.Topics();
        recorders[i] = new ClusterTestSupport.Recorder(topics[i]);
        nodes[i] = new ClusterEventSequencer(settings, 1 << 20, members.errors()::add, new PrintStream(System.out, true),
            (stop, reason) -> stops.add(stop + " " + reason)).topicDirectory(topics[i]);
    }

    private void awaitEvents(final int node, final int events)
    {
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            return recorders[node].events.size() >= events;
        }, events + " events on node " + node, WAIT);
    }

    private void publishOn(final int node, final long correlationId, final String data)
    {
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            return PublishResult.OK ==
                ClusterTestSupport.publish(nodes[node], claim, topics[node], "orders", correlationId, null, data);
        }, "publish taken by node " + node, WAIT);
    }
}
