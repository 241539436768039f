package io.sseflow.server.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A clustered service that beats a {@link MemberWatch.Heartbeat} on every duty cycle of its container (Aeron calls
 * {@link #doBackgroundWork} once per cycle) and otherwise is the service it wraps.
 */
final class HeartbeatService implements ClusteredService
{
    private final ClusteredService service;
    private final MemberWatch.Heartbeat heartbeat;

    HeartbeatService(final ClusteredService service, final MemberWatch.Heartbeat heartbeat)
    {
        this.service = service;
        this.heartbeat = heartbeat;
    }

    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        service.onStart(cluster, snapshotImage);
    }

    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        service.onSessionOpen(session, timestamp);
    }

    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        service.onSessionClose(session, timestamp, closeReason);
    }

    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        service.onSessionMessage(session, timestamp, buffer, offset, length, header);
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        service.onTimerEvent(correlationId, timestamp);
    }

    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        service.onTakeSnapshot(snapshotPublication);
    }

    public void onRoleChange(final Cluster.Role newRole)
    {
        service.onRoleChange(newRole);
    }

    public void onTerminate(final Cluster cluster)
    {
        service.onTerminate(cluster);
    }

    public void onNewLeadershipTermEvent(
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final long termBaseLogPosition,
        final int leaderMemberId,
        final int logSessionId,
        final TimeUnit timeUnit,
        final int appVersion)
    {
        service.onNewLeadershipTermEvent(leadershipTermId, logPosition, timestamp, termBaseLogPosition,
            leaderMemberId, logSessionId, timeUnit, appVersion);
    }

    public int doBackgroundWork(final long nowNs)
    {
        heartbeat.beat();
        return service.doBackgroundWork(nowNs);
    }
}
