package io.sseflow.server.cluster;

import java.util.concurrent.TimeUnit;

/**
 * When the leader asks for a periodic snapshot (open-source Aeron Cluster takes none by itself): every
 * {@link ClusterSettings#snapshotEveryEvents()} events applied, or {@link ClusterSettings#snapshotIntervalMs()}
 * after the last request when events were applied since or the log grew (the members' readiness probes, position
 * reports: without events their log would otherwise grow for ever, never purged). Every member then writes one. Checked at most every
 * {@link #CHECK_INTERVAL_NS} from the sequencer's poll, on the agent thread; followers leave it to the leader. A
 * snapshot due while this node's disk has no more free space than Aeron's archive needs to start recording it
 * ({@link ClusterNode#canStartRecording()}) is put off until it has: asked for, it would stop the member.
 */
final class SnapshotSchedule
{
    /**
     * How often {@link #poll} looks.
     */
    static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final long LEADER = 2;

    private final ClusterNode node;
    private final EventService service;
    private final long everyEvents;
    private final long intervalNs;
    private long requestedSeq;
    private long requestedPosition;
    private long requestedNs;
    private long nextCheckNs;

    SnapshotSchedule(final ClusterSettings settings, final ClusterNode node, final EventService service)
    {
        this.node = node;
        this.service = service;
        this.everyEvents = settings.snapshotEveryEvents();
        this.intervalNs = TimeUnit.MILLISECONDS.toNanos(settings.snapshotIntervalMs());
        // the interval counts from the start: a member that is leader at its first poll (a single node elects itself
        // while it starts) used to find the last request at 0 ns and ask for a snapshot at once
        this.requestedNs = System.nanoTime();
    }

    /**
     * Ask for a snapshot when one is due.
     *
     * @param nowNs the agent's time.
     */
    void poll(final long nowNs)
    {
        if (nowNs - nextCheckNs < 0)
        {
            return;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        if (LEADER != node.roleCode())
        {
            requestedNs = nowNs;
            return;
        }
        final long applied = service.appliedSeq();
        final long position = service.appliedPosition();
        final long since = applied - requestedSeq;
        final boolean grew = since > 0 || position != requestedPosition;
        if ((since >= everyEvents || (grew && nowNs - requestedNs >= intervalNs)) && node.canStartRecording() &&
            node.requestSnapshot())
        {
            requestedSeq = applied;
            requestedPosition = position;
            requestedNs = nowNs;
        }
    }
}
