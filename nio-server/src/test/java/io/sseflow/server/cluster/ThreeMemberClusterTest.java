package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three members in this process, each with its own driver, archive, consensus module, data dir and ports, talking
 * UDP on loopback as three processes would: a leader is elected, every member applies the same order, a member
 * that leaves is replaced as leader and, restarted on its data dir, catches up.
 */
class ThreeMemberClusterTest
{
    private static final int MEMBERS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ClusterMembers members = new ClusterMembers("cluster", MEMBERS);
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

    private void start(final int i)
    {
        final ClusterSettings settings = members.settings(i)
            .limits(16, 64);
        topics[i] = new ClusterTestSupport.Topics();
        recorders[i] = new ClusterTestSupport.Recorder(topics[i]);
        nodes[i] = new ClusterEventSequencer(settings, 1 << 20, members.errors()::add, new PrintStream(System.out, true))
            .topicDirectory(topics[i]);
    }

    private boolean allConnected()
    {
        for (final ClusterEventSequencer node : nodes)
        {
            if (null != node && !node.isConnected())
            {
                return false;
            }
        }
        return true;
    }

    private void awaitEvents(final int events, final String what)
    {
        try
        {
            awaitEventsOnce(events, what);
        }
        catch (final AssertionError ex)
        {
            final StringBuilder state = new StringBuilder(ex.getMessage());
            for (int i = 0; i < MEMBERS; i++)
            {
                state.append("\nnode ").append(i).append(": ").append(null == nodes[i] ? "closed" :
                    nodes[i].role() + " connected=" + nodes[i].isConnected() + " lastOffer=" + nodes[i].lastOfferResult() +
                    " leaderMember=" + nodes[i].leaderMemberId() + " events=" + recorders[i].events.size() +
                    " answers=" + recorders[i].answers);
            }
            state.append("\nerrors: ").append(members.errors());
            throw new AssertionError(state.toString(), ex);
        }
    }

    private void awaitEventsOnce(final int events, final String what)
    {
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            for (int i = 0; i < MEMBERS; i++)
            {
                if (null != nodes[i] && recorders[i].events.size() < events)
                {
                    return false;
                }
            }
            return true;
        }, what, WAIT);
    }

    private void publishOn(final int node, final long correlationId, final String topic, final String data)
    {
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            return PublishResult.OK ==
                ClusterTestSupport.publish(nodes[node], claim, topics[node], topic, correlationId, null, data);
        }, "publish taken by node " + node, WAIT);
    }

    @Test
    void shouldApplyTheSameOrderOnEveryMemberAndCatchUpARestartedFollower()
    {
        runScenario(false);
    }

    @Test
    void shouldApplyEveryPublishOnceAcrossALeaderChangeAndCatchUpTheOldLeaderRestarted()
    {
        runScenario(true);
    }

    private void runScenario(final boolean closeLeader)
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            start(i);
        }
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            return 1 == ClusterTestSupport.leaders(nodes) && allConnected();
        }, "one leader elected and every node connected", WAIT);

        for (int e = 1; e <= 30; e++)
        {
            publishOn(e % MEMBERS, e, 0 == e % 2 ? "even" : "odd", "e" + e);
        }
        awaitEvents(30, "30 events on every member");
        assertEquals(recorders[0].events, recorders[1].events);
        assertEquals(recorders[0].events, recorders[2].events);
        for (int i = 0; i < MEMBERS; i++)
        {
            final List<String> seqs = new ArrayList<>();
            for (int e = 0; e < 30; e++)
            {
                seqs.add(recorders[i].events.get(e).substring(0, recorders[i].events.get(e).indexOf(' ')));
                assertEquals("seq=" + (e + 1), seqs.get(e));
            }
            assertEquals(10, recorders[i].answers.size(), "node " + i + " answers its own publishes only");
            for (final String answer : recorders[i].answers)
            {
                final long corr = Long.parseLong(answer.substring("corr=".length(), answer.indexOf(' ')));
                assertEquals(i, corr % MEMBERS, "node " + i + " answered " + answer);
            }
        }

        int leader = -1;
        for (int i = 0; i < MEMBERS; i++)
        {
            if (nodes[i].role() == Cluster.Role.LEADER)
            {
                leader = i;
            }
        }
        final int left = closeLeader ? leader : (leader + 1) % MEMBERS;
        final long closedNs = System.nanoTime();
        nodes[left].close();
        nodes[left] = null;
        Await.condition(() ->
        {
            ClusterTestSupport.pollAll(nodes, recorders);
            return 1 == ClusterTestSupport.leaders(nodes) && allConnected();
        }, "a leader among the two members left", WAIT);
        System.out.println((closeLeader ? "leader" : "follower") + " " + left + " closed: a leader among the others, " +
            "both connected, after " + (System.nanoTime() - closedNs) / 1_000_000 + " ms");

        for (int e = 31; e <= 40; e++)
        {
            int node = e % MEMBERS;
            if (node == left)
            {
                node = (node + 1) % MEMBERS;
            }
            publishOn(node, e, "odd", "e" + e);
        }
        awaitEvents(40, "40 events on the two members left");
        final List<String> order = new ArrayList<>(recorders[(left + 1) % MEMBERS].events);
        assertEquals(order, recorders[(left + 2) % MEMBERS].events);
        final List<String> data = new ArrayList<>();
        for (int e = 0; e < 40; e++)
        {
            final String event = order.get(e);
            assertEquals("seq=" + (e + 1), event.substring(0, event.indexOf(' ')));
            data.add(event.substring(event.indexOf("data: ") + "data: ".length()));
        }
        data.sort(java.util.Comparator.comparingInt(d -> Integer.parseInt(d.substring(1))));
        final List<String> expectedData = new ArrayList<>();
        for (int e = 1; e <= 40; e++)
        {
            expectedData.add("e" + e);
        }
        assertEquals(expectedData, data, "every event exactly once");
        assertEquals("seq=40 odd id=25", order.get(39).substring(0, order.get(39).indexOf(" data")));

        start(left);
        awaitEvents(40, "the restarted member caught up");
        assertEquals(order, recorders[left].events, "the restarted member replays the same order from its log");
        final List<String> unexpected = new ArrayList<>();
        for (final Throwable error : members.errors())
        {
            final boolean failoverWarning = closeLeader && error instanceof io.aeron.cluster.client.ClusterEvent &&
                String.valueOf(error.getMessage()).contains("leader heartbeat timeout");
            if (!failoverWarning)
            {
                unexpected.add(String.valueOf(error));
            }
        }
        assertEquals(List.of(), unexpected);
    }
}
