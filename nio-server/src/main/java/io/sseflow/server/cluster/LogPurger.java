package io.sseflow.server.cluster;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.cluster.ConsensusModule;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NoOpLock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a member's disk bounded: once a snapshot is written, the log before the snapshot ahead of it (and every
 * snapshot recording but the newest two) is redundant, since a restart loads the latest snapshot and replays the log
 * from its position; this deletes those log segments from the archive ({@link AeronArchive#purgeSegments}) and the
 * old snapshot recordings ({@link AeronArchive#purgeRecording}: every recording but the log's is a snapshot, two per
 * snapshot, and the newest two snapshots are kept). One snapshot interval of log is kept on purpose, so
 * that a member that was away for less than that still catches up from this one's log.
 * <p>
 * With several members, nothing a member may still need is deleted either: Aeron Cluster catches a member up only
 * from the leader's log (it sends followers no snapshot), so a member asking for log this one has deleted would never
 * catch up. Each member reports the log position its service has applied ({@link #onMemberPosition}, through the
 * log, so every member hears the same); the log is deleted only below the lowest position every other member has
 * reported. While a member is down, this one's log therefore grows (by what is published meanwhile) and is purged
 * again once the member is back and has reported; a member never heard from since this one started holds the
 * purge back. It holds it back by at most {@link ClusterSettings#catchUpLogBytes()}: past that the log is deleted
 * anyway, and the error handler is told which member can no longer catch up from it.
 * <p>
 * Runs on its own thread, with its own archive client (through the archive's local IPC control channel), so that
 * neither the server agent nor the clustered service ever waits for the archive or allocates for it. Woken by
 * {@link #onSnapshot} from the service's thread.
 */
final class LogPurger implements Runnable, AutoCloseable
{
    private static final long IDLE_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int SNAPSHOT_RECORDINGS_KEPT = 4;   // two snapshots: the consensus module's and the service's
    private static final long UNKNOWN = 0;

    private final ClusterSettings settings;
    private final ErrorHandler errorHandler;
    private final Thread thread;
    private final RecordingDescriptorConsumer logRecordings = this::onLogRecording;
    private final RecordingDescriptorConsumer snapshotRecordings = this::onSnapshotRecording;
    private volatile long purgeBelow;
    private volatile boolean running = true;
    private volatile long purgedSegments;
    private final AtomicLongArray memberPositions;
    private long latestSnapshotPosition;
    private long purgedTo;
    private long snapshotsPurgedFor;
    private long behindReportedBelow;
    private AeronArchive archive;
    private long logRecordingId;
    private long logStartPosition;
    private int logTermLength;
    private int logSegmentLength;
    private final long[] snapshotIds = new long[64];
    private int snapshotCount;

    LogPurger(final ClusterSettings settings, final ErrorHandler errorHandler)
    {
        this.settings = settings;
        this.errorHandler = errorHandler;
        memberPositions = new AtomicLongArray(settings.memberCount());
        for (int i = 0; i < settings.memberCount(); i++)
        {
            memberPositions.set(i, i == settings.nodeIndex() ? Long.MAX_VALUE : UNKNOWN);
        }
        thread = new Thread(this, "sseflow-cluster-purge-" + settings.nodeIndex());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A snapshot is being written at this log position (service thread): the log before the previous snapshot's
     * position is now redundant.
     */
    void onSnapshot(final long logPosition)
    {
        final long previous = latestSnapshotPosition;
        latestSnapshotPosition = logPosition;
        if (previous > 0)
        {
            purgeBelow = previous;
            LockSupport.unpark(thread);
        }
    }

    /**
     * A member reported the log position its service has applied (service thread, in log order).
     *
     * @param member      its index.
     * @param logPosition the position.
     */
    void onMemberPosition(final int member, final long logPosition)
    {
        if (member >= 0 && member < memberPositions.length() && member != settings.nodeIndex())
        {
            memberPositions.set(member, logPosition);
            LockSupport.unpark(thread);
        }
    }

    /**
     * Log segments deleted since start.
     */
    long purgedSegments()
    {
        return purgedSegments;
    }

    public void run()
    {
        while (running)
        {
            LockSupport.parkNanos(IDLE_NS);
            final long snapshotBelow = purgeBelow;
            final long below = purgeLimit(snapshotBelow, lowestMemberPosition());
            if (running && (below > purgedTo || snapshotBelow > snapshotsPurgedFor))
            {
                try
                {
                    purge(below);
                    purgedTo = Math.max(purgedTo, below);
                    snapshotsPurgedFor = snapshotBelow;
                }
                catch (final RuntimeException ex)
                {
                    if (running)
                    {
                        errorHandler.onError(ex);
                    }
                    CloseHelper.quietClose(archive);
                    archive = null;
                }
            }
        }
        CloseHelper.quietClose(archive);
    }

    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where the log may be deleted up to: below the previous snapshot, held back for the slowest other member by at
     * most the catch-up allowance.
     */
    private long purgeLimit(final long snapshotBelow, final long lowestMember)
    {
        final long floor = snapshotBelow - settings.catchUpLogBytes();
        if (lowestMember >= floor)
        {
            return Math.min(snapshotBelow, lowestMember);
        }
        if (floor > behindReportedBelow && running)
        {
            behindReportedBelow = floor;
            errorHandler.onError(new IllegalStateException("log below position " + floor + " deleted though " +
                membersBelow(floor) + " had not applied it (more than " + settings.catchUpLogBytes() + " bytes of " +
                "log behind, the catch-up allowance): a member that far behind can no longer catch up from this " +
                "member's log"));
        }
        return floor;
    }

    private String membersBelow(final long position)
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < memberPositions.length(); i++)
        {
            final long reported = memberPositions.get(i);
            if (reported < position)
            {
                members.append(members.length() == 0 ? "" : ", ").append("member ").append(i)
                    .append(reported == UNKNOWN ? " (not heard from)" : " (at " + reported + ")");
            }
        }
        return members.toString();
    }

    private long lowestMemberPosition()
    {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < memberPositions.length(); i++)
        {
            lowest = Math.min(lowest, memberPositions.get(i));
        }
        return lowest;
    }

    private void purge(final long below)
    {
        if (null == archive)
        {
            archive = AeronArchive.connect(new AeronArchive.Context()
                .lock(NoOpLock.INSTANCE)
                .aeronDirectoryName(settings.aeronDirectoryName())
                .controlRequestChannel("aeron:ipc?term-length=64k")
                .controlResponseChannel("aeron:ipc?term-length=64k")
                .errorHandler(errorHandler));
        }
        logRecordingId = -1;
        archive.listRecordingsForUri(0, Integer.MAX_VALUE, "aeron:", ConsensusModule.Configuration.logStreamId(),
            logRecordings);
        if (logRecordingId >= 0)
        {
            final long base = AeronArchive.segmentFileBasePosition(
                logStartPosition, below, logTermLength, logSegmentLength);
            if (base > logStartPosition)
            {
                final long segments = (base - logStartPosition) / logSegmentLength;
                archive.purgeSegments(logRecordingId, base);
                purgedSegments += segments;
            }
        }
        snapshotCount = 0;
        archive.listRecordings(0, Integer.MAX_VALUE, snapshotRecordings);
        for (int i = 0; i < snapshotCount - SNAPSHOT_RECORDINGS_KEPT; i++)
        {
            archive.purgeRecording(snapshotIds[i]);
        }
    }

    private void onLogRecording(
        final long controlSessionId, final long correlationId, final long recordingId, final long startTimestamp,
        final long stopTimestamp, final long startPosition, final long stopPosition, final int initialTermId,
        final int segmentFileLength, final int termBufferLength, final int mtuLength, final int sessionId,
        final int streamId, final String strippedChannel, final String originalChannel, final String sourceIdentity)
    {
        if (recordingId > logRecordingId)
        {
            logRecordingId = recordingId;
            logStartPosition = startPosition;
            logTermLength = termBufferLength;
            logSegmentLength = segmentFileLength;
        }
    }

    private void onSnapshotRecording(
        final long controlSessionId, final long correlationId, final long recordingId, final long startTimestamp,
        final long stopTimestamp, final long startPosition, final long stopPosition, final int initialTermId,
        final int segmentFileLength, final int termBufferLength, final int mtuLength, final int sessionId,
        final int streamId, final String strippedChannel, final String originalChannel, final String sourceIdentity)
    {
        if (streamId != ConsensusModule.Configuration.logStreamId() && snapshotCount < snapshotIds.length &&
            stopPosition >= 0)
        {
            snapshotIds[snapshotCount++] = recordingId;
        }
    }
}
