package io.sseflow.server.cluster;

import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterBackup;
import io.aeron.cluster.ClusterBackupEventsListener;
import io.aeron.cluster.ClusterMember;
import io.aeron.cluster.RecordingLog;
import org.agrona.ErrorHandler;

import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Copies a member's state from the live cluster's leader into its empty data dir, with Aeron's {@link ClusterBackup}
 * on this member's own media driver and archive, before its consensus module first runs: the leader's latest
 * snapshots, then its log from there (recorded into this member's archive, with the cluster's recording log written
 * into {@code cluster/}), until the copy has reached the leader's log position as it was once the backup was live
 * (asked again every {@link #REPORT_INTERVAL_MS} while not reached, in case the leader changed or its tail was never
 * committed).
 * Then the backup is closed and the member starts as it would on its own data dir, catching up the rest from the
 * leader as any member that was down does.
 * <p>
 * The backup uses this member's own consensus and catch-up ports (its consensus module is not running yet). It waits
 * for a leader as long as it takes, saying what it waits for every {@link #REPORT_INTERVAL_MS}; it cannot restore
 * while the cluster has no leader (fewer than a majority up).
 */
final class MemberRestore
{
    /**
     * How often a restore in progress says where it is.
     */
    static final long REPORT_INTERVAL_MS = 10_000;

    private final ClusterSettings settings;
    private final ErrorHandler errorHandler;
    private final PrintStream out;
    private volatile ClusterMember source;
    private volatile String lastProblem;

    /**
     * @param settings     the member and its data dir.
     * @param errorHandler receives the backup's errors.
     * @param out          where progress is reported.
     */
    MemberRestore(final ClusterSettings settings, final ErrorHandler errorHandler, final PrintStream out)
    {
        this.settings = settings;
        this.errorHandler = errorHandler;
        this.out = out;
    }

    /**
     * Run the backup until the data dir has the leader's state, then close it.
     *
     * @throws IllegalStateException when the backup stops by itself.
     */
    void run()
    {
        final int self = settings.nodeIndex();
        final String host = settings.host(self);
        final ClusterBackup.Context context = new ClusterBackup.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .clusterDir(new File(settings.dataDir(), "cluster"))
            .deleteDirOnStart(false)
            .clusterConsensusEndpoints(otherConsensusEndpoints())
            .consensusChannel("aeron:udp?term-length=64k|endpoint=" + settings.endpoint(self, 1))
            .catchupEndpoint(settings.endpoint(self, 3))
            .archiveContext(ClusterNode.localArchiveClient(settings, errorHandler))
            .clusterArchiveContext(new AeronArchive.Context()
                .controlRequestChannel("aeron:udp?endpoint=" + settings.endpoint(self, 4))
                .controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
            .sourceType(ClusterBackup.SourceType.LEADER)
            .initialReplayStart(ClusterBackup.Configuration.ReplayStart.BEGINNING)
            .clusterBackupCoolDownIntervalNs(TimeUnit.SECONDS.toNanos(1))
            .idleStrategySupplier(ClusterNode.idleStrategies())
            .errorHandler((error) ->
            {
                lastProblem = String.valueOf(error).replace('\n', ' ');
                errorHandler.onError(error);
            })
            .eventsListener(new Listener());
        out.println("sseflow: cluster node " + self + ": restoring the data dir " + settings.dataDir() +
            " from the cluster's leader (asking members at " + otherConsensusEndpoints() + ")");
        out.flush();
        try (ClusterBackup backup = ClusterBackup.launch(context))
        {
            long target = -1;
            long reportAtMs = System.currentTimeMillis() + REPORT_INTERVAL_MS;
            while (true)
            {
                final ClusterBackup.State state = ClusterBackup.State.get(context.stateCounter());
                if (ClusterBackup.State.CLOSED == state)
                {
                    throw new IllegalStateException("the restore of cluster node " + self + " stopped" +
                        (null == lastProblem ? "" : ": " + lastProblem));
                }
                final long position = context.liveLogPositionCounter().get();
                if (ClusterBackup.State.BACKING_UP == state && target < 0)
                {
                    target = leaderLogPosition(context);
                }
                if (target >= 0 && position >= target)
                {
                    out.println("sseflow: cluster node " + self + ": restored from member " + source.id() +
                        " (log position " + position + ", " + context.snapshotRetrieveCounter().get() +
                        " snapshot set" + (1 == context.snapshotRetrieveCounter().get() ? "" : "s") + " copied)");
                    out.flush();
                    return;
                }
                if (System.currentTimeMillis() >= reportAtMs)
                {
                    reportAtMs = System.currentTimeMillis() + REPORT_INTERVAL_MS;
                    out.println("sseflow: cluster node " + self + ": restoring: " + state + ", log position " +
                        position + (target < 0 ? "" : " of " + target) +
                        (null == source ? ", no leader answered yet" : ", from member " + source.id()) +
                        (null == lastProblem ? "" : "; last problem: " + lastProblem));
                    out.flush();
                    target = -1;
                }
                sleep();
            }
        }
    }

    private long leaderLogPosition(final ClusterBackup.Context context)
    {
        final ClusterMember member = source;
        if (null == member)
        {
            return -1;
        }
        final AeronArchive.Context archiveContext = new AeronArchive.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel("aeron:udp?endpoint=" + member.archiveEndpoint())
            .controlResponseChannel("aeron:udp?endpoint=" + settings.host(settings.nodeIndex()) + ":0")
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5));
        try (AeronArchive archive = AeronArchive.connect(archiveContext))
        {
            final long[] active = { -1 };
            archive.listRecordings(0, Integer.MAX_VALUE, (controlSessionId, correlationId, recordingId,
                startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
                termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
            {
                if (streamId == context.logStreamId() && AeronArchive.NULL_POSITION == stopPosition)
                {
                    active[0] = Math.max(active[0], recordingId);
                }
            });
            return active[0] < 0 ? -1 : archive.getRecordingPosition(active[0]);
        }
        catch (final RuntimeException ex)
        {
            lastProblem = "cannot read the leader's log position: " + ex.getMessage();
            return -1;
        }
    }

    private String otherConsensusEndpoints()
    {
        final StringBuilder endpoints = new StringBuilder();
        for (int member = 0; member < settings.memberCount(); member++)
        {
            if (member != settings.nodeIndex())
            {
                endpoints.append(endpoints.length() > 0 ? "," : "").append(settings.endpoint(member, 1));
            }
        }
        return endpoints.toString();
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(50);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring", ex);
        }
    }

    private final class Listener implements ClusterBackupEventsListener
    {
        public void onBackupQuery()
        {
        }

        public void onPossibleFailure(final Exception ex)
        {
            lastProblem = String.valueOf(ex).replace('\n', ' ');
        }

        public void onBackupResponse(
            final ClusterMember[] clusterMembers,
            final ClusterMember logSourceMember,
            final List<RecordingLog.Snapshot> snapshotsToRetrieve)
        {
            source = logSourceMember;
        }

        public void onUpdatedRecordingLog(final RecordingLog recordingLog, final List<RecordingLog.Snapshot> snapshots)
        {
        }

        public void onLiveLogProgress(final long recordingId, final long recordingPosCounterId, final long logPosition)
        {
        }
    }
}
