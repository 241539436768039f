package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.SseServer;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Servers;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A cluster of {@link SseServer}s in this process, one per member of {@link ClusterMembers}, each on its own
 * {@link ClusterEventSequencer}: started, awaited (ready, applied), published to, a follower closed, all closed.
 */
final class ServerMembers implements AutoCloseable
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ClusterMembers members;
    private final int history;
    private final SseServer[] servers;
    private final ClusterEventSequencer[] sequencers;

    /**
     * @param members the members' files and ports.
     * @param history events each server keeps per topic.
     */
    ServerMembers(final ClusterMembers members, final int history)
    {
        this.members = members;
        this.history = history;
        servers = new SseServer[members.count()];
        sequencers = new ClusterEventSequencer[members.count()];
    }

    /**
     * Start member {@code i}'s server on its data dir.
     *
     * @param i         the member.
     * @param configure adds to the member's {@link ClusterMembers#settings}.
     */
    void start(final int i, final UnaryOperator<ClusterSettings> configure)
    {
        start(i, configure, UnaryOperator.identity());
    }

    /**
     * Start member {@code i}'s server on its data dir, with more server settings.
     *
     * @param i         the member.
     * @param configure adds to the member's {@link ClusterMembers#settings}.
     * @param server    adds to the server's builder.
     */
    void start(final int i, final UnaryOperator<ClusterSettings> configure, final UnaryOperator<SseServer.Builder> server)
    {
        final ClusterSettings settings = configure.apply(members.settings(i));
        servers[i] = server.apply(SseServer.builder())
            .host("127.0.0.1")
            .port(0)
            .history(history)
            .eventSequencer((capacity) ->
            {
                sequencers[i] = new ClusterEventSequencer(settings, capacity, members.errors()::add,
                    new PrintStream(System.out, true));
                return sequencers[i];
            })
            .start();
    }

    SseServer server(final int i)
    {
        return servers[i];
    }

    ClusterEventSequencer sequencer(final int i)
    {
        return sequencers[i];
    }

    void awaitReady(final int... nodes)
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

    /**
     * Wait until these members applied {@code seq}; the failure says what every member had applied and the errors.
     */
    void awaitApplied(final long seq, final int... nodes)
    {
        try
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
        catch (final AssertionError ex)
        {
            final StringBuilder state = new StringBuilder(ex.getMessage());
            for (int i = 0; i < servers.length; i++)
            {
                state.append("\nnode ").append(i).append(": ").append(null == servers[i] ? "closed" :
                    sequencers[i].role() + " ready=" + sequencers[i].isReady() + " applied=" +
                    sequencers[i].appliedSeq());
            }
            state.append("\nerrors: ").append(members.errors());
            throw new AssertionError(state.toString(), ex);
        }
    }

    /**
     * Publish {@code data} to {@code topic} through member {@code node}'s server; returns before it is sequenced.
     */
    void publish(final int node, final String topic, final String data)
    {
        Servers.publish(servers[node].topic(topic), data, SseOptions.NONE);
    }

    /**
     * Publish filler to topic {@code bulk} through these members, 50 events at a time paced by the snapshot schedule's
     * check, until each has deleted log past {@code purgedBefore} segments or {@code maxEvents} were added: how many
     * snapshots (and so purges) a number of events makes depends on how fast they go.
     *
     * @param nodes        the members, which take turns.
     * @param purgedBefore segments each had deleted before.
     * @param applied      the seq every one of them has applied or will apply before the filler.
     * @param filler       each event's data.
     * @param maxEvents    most filler events added.
     * @return filler events added.
     * @throws InterruptedException when interrupted while pacing.
     */
    int fillUntilPurged(
        final int[] nodes, final long purgedBefore, final long applied, final String filler, final int maxEvents)
        throws InterruptedException
    {
        int added = 0;
        while (!purgedPast(nodes, purgedBefore) && added < maxEvents)
        {
            awaitApplied(applied + added, nodes);
            for (int e = 0; e < 50; e++)
            {
                publish(nodes[e % nodes.length], "bulk", filler);
            }
            added += 50;
            Thread.sleep(SnapshotSchedule.CHECK_INTERVAL_NS / 1_000_000);
        }
        awaitApplied(applied + added, nodes);
        return added;
    }

    private boolean purgedPast(final int[] nodes, final long purgedBefore)
    {
        for (final int i : nodes)
        {
            if (sequencers[i].purgedSegments() <= purgedBefore)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Close a member that is not the leader.
     *
     * @return which.
     */
    int closeAFollower()
    {
        for (int i = 0; i < servers.length; i++)
        {
            if (null != servers[i] && sequencers[i].role() != Cluster.Role.LEADER)
            {
                servers[i].close();
                servers[i] = null;
                sequencers[i] = null;
                return i;
            }
        }
        throw new AssertionError("no follower");
    }

    /**
     * The two members other than {@code away}, of three.
     */
    int[] others(final int away)
    {
        return new int[]{(away + 1) % servers.length, (away + 2) % servers.length};
    }

    public void close()
    {
        for (int i = 0; i < servers.length; i++)
        {
            if (null != servers[i])
            {
                servers[i].close();
            }
        }
    }
}
