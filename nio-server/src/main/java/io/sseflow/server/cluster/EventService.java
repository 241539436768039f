package io.sseflow.server.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The clustered service of a hub node: applies each committed {@link ClusterRecord} through the
 * {@link EventStateMachine} and hands what was decided to the server agent as a {@link Delivery} in a one-to-one
 * ring; writes the state machine into snapshots and loads it back, handing the retained events to the agent first.
 * When the ring is full it waits (idling) for the agent, which holds back this member's log processing, never drops.
 * When this member would decide an event while the cluster's settings (from the log's settings records or a snapshot)
 * differ from its own, or its own session's settings record finds them different, it tells the settings listener,
 * once, with the difference, and from then on applies nothing and writes no snapshot: the member must not go on.
 * Settings records and snapshots on their own are not checked, so a member replaying a log in which the settings were
 * changed is refused only if they end up different from its own. A member that changes them ({@code --change-settings}) makes its own the cluster's with its session's record;
 * an event it applies before that with different settings means the log after its snapshot holds history the new
 * settings would decide differently, and it is told so. Runs on the service container's thread.
 */
final class EventService implements ClusteredService, AppliedEventListener
{
    private static final int SNAPSHOT_CHUNK_HEADER = 2 * BitUtil.SIZE_OF_INT;
    private static final int SNAPSHOT_CHUNK = 32 * 1024;
    private static final int SNAPSHOT_BUFFER_KEPT = 1024 * 1024;

    private final EventStateMachine machine;
    private final RingBuffer deliveries;
    private final MemberStopListener settingsListener;
    private ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(4096);
    private final FragmentHandler snapshotChunkHandler = this::onSnapshotChunk;
    private volatile long localSessionId = Long.MIN_VALUE;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile long appliedSeq;
    private volatile long appliedPosition;
    private volatile long retainedBytes;
    private volatile long retainedEvents;
    private volatile int snapshotsTaken;
    private volatile long lastSnapshotAtMs;
    private volatile boolean closing;
    private volatile Thread thread;
    private Cluster cluster;
    private LogPurger purger;
    private IdleStrategy idleStrategy;
    private long messageSessionId;
    private DirectBuffer messageBuffer;
    private int messageOffset;
    private int messageLength;
    private int snapshotTotal = -1;
    private int snapshotReceived;
    private boolean settingsDiffer;
    private boolean changingSettings;

    EventService(final EventStateMachine machine, final RingBuffer deliveries)
    {
        this(machine, deliveries, false, (stop, reason) -> {});
    }

    /**
     * @param machine          the state machine.
     * @param deliveries       the ring to the agent.
     * @param changeSettings   whether this member's session makes its settings the cluster's.
     * @param settingsListener told {@link MemberStop#REFUSED} and the reason, a line that goes on from the member's
     *                         name ({@code 's settings differ ...}), when this member must not go on.
     */
    EventService(
        final EventStateMachine machine, final RingBuffer deliveries, final boolean changeSettings,
        final MemberStopListener settingsListener)
    {
        this.machine = machine;
        this.deliveries = deliveries;
        this.changingSettings = changeSettings;
        this.settingsListener = settingsListener;
    }

    /**
     * Have this member's settings been found to differ from the cluster's?
     *
     * @return true once told.
     */
    boolean settingsDiffer()
    {
        return settingsDiffer;
    }

    /**
     * The cluster session of this node's sequencer: records of that session are this node's publishes to answer.
     */
    void localSessionId(final long sessionId)
    {
        localSessionId = sessionId;
    }

    Cluster.Role role()
    {
        return role;
    }

    long appliedSeq()
    {
        return appliedSeq;
    }

    /**
     * Bytes the state machine retains, as its budget counts them, after the last message applied (any thread).
     */
    long retainedBytes()
    {
        return retainedBytes;
    }

    /**
     * Events the state machine retains, once per topic that retains them, after the last message applied (any
     * thread).
     */
    long retainedEvents()
    {
        return retainedEvents;
    }

    int snapshotsTaken()
    {
        return snapshotsTaken;
    }

    /**
     * Wall-clock time this service last wrote a snapshot, or loaded one at start.
     *
     * @return epoch milliseconds, 0 when neither.
     */
    long lastSnapshotAtMs()
    {
        return lastSnapshotAtMs;
    }

    Thread thread()
    {
        return thread;
    }

    /**
     * Told each snapshot's log position, to delete the log it makes redundant.
     */
    /**
     * Log position after the last message this service applied (any thread).
     *
     * @return the position, 0 before the first.
     */
    long appliedPosition()
    {
        return appliedPosition;
    }

    void purger(final LogPurger purger)
    {
        this.purger = purger;
    }

    void closing()
    {
        closing = true;
    }

    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        this.thread = Thread.currentThread();
        this.idleStrategy = cluster.idleStrategy();
        if (null != snapshotImage)
        {
            loadSnapshot(snapshotImage);
            lastSnapshotAtMs = System.currentTimeMillis();
            machine.forEachRetained((topic, topicOffset, topicLength, record, recordOffset, recordLength, seq, id) ->
                deliver(Delivery.APPENDED, seq, id, 0, topic, topicOffset, topicLength, record, recordOffset,
                    recordLength));
            appliedSeq = machine.lastSeq();
            retainedBytes = machine.retainedBytes();
            retainedEvents = machine.retainedEvents();
        }
    }

    public void onSessionMessage(
        final ClientSession session, final long timestamp, final DirectBuffer buffer, final int offset, final int length,
        final Header header)
    {
        appliedPosition = header.position();
        if (ClusterRecord.isPositionReport(buffer, offset, length))
        {
            if (null != purger)
            {
                purger.onMemberPosition(ClusterRecord.originNode(buffer, offset), ClusterRecord.correlationId(buffer, offset));
            }
            return;
        }
        messageSessionId = null == session ? 0 : session.id();
        final boolean settingsRecord = ClusterRecord.isSettings(buffer, offset, length);
        if (settingsDiffer)
        {
            return;
        }
        if (!settingsRecord && !machine.settingsAgree())
        {
            refuseToDecide();
            return;
        }
        HeapFault.onRecord(buffer, offset, length);
        messageBuffer = buffer;
        messageOffset = offset;
        messageLength = length;
        if (ApplyOutcome.PROBE == machine.apply(buffer, offset, length, messageSessionId, this) &&
            messageSessionId == localSessionId)
        {
            deliver(Delivery.PROBED, 0, 0, localIngressSeq(), null, 0, 0, null, 0, 0);
        }
        messageBuffer = null;
        appliedSeq = machine.lastSeq();
        retainedBytes = machine.retainedBytes();
        retainedEvents = machine.retainedEvents();
        if (settingsRecord && messageSessionId == localSessionId)
        {
            changingSettings = false;
            checkSettings();
        }
    }

    /**
     * A record to decide while this member's settings differ from the cluster's: it decides nothing more, and says
     * why once.
     */
    private void refuseToDecide()
    {
        if (changingSettings)
        {
            refuse("'s settings cannot change here: " + machine.settingsDifference() + ", and the log after this " +
                "member's last snapshot holds events the cluster decided with them; stop the cluster with " +
                "ClusterTool DIR shutdown (a snapshot at the end of the log), then start every member with the " +
                "new settings and --change-settings true");
        }
        else
        {
            checkSettings();
        }
    }

    private void checkSettings()
    {
        if (!machine.settingsAgree())
        {
            final String difference = machine.settingsDifference();
            if (null != difference)
            {
                refuse("'s settings differ from the cluster's: " + difference + "; every member must run with the " +
                    "same --history, --history-total-bytes and --max-topics (they decide what is retained): start it " +
                    "with the cluster's, or change them for every member (see --change-settings)");
            }
        }
    }

    private void refuse(final String reason)
    {
        if (!settingsDiffer)
        {
            settingsDiffer = true;
            settingsListener.onMemberStopped(MemberStop.REFUSED, reason);
        }
    }

    public void onAppended(
        final int originNode, final long correlationId, final DirectBuffer topic, final int topicOffset,
        final int topicLength, final DirectBuffer record, final int recordOffset, final int recordLength, final long seq,
        final long numericId)
    {
        deliver(Delivery.APPENDED, seq, numericId, localIngressSeq(), topic, topicOffset, topicLength,
            record, recordOffset, recordLength);
    }

    public void onDuplicate(
        final int originNode, final long correlationId, final DirectBuffer record, final int recordOffset,
        final int recordLength, final long existingSeq)
    {
        if (messageSessionId == localSessionId)
        {
            deliver(Delivery.DUPLICATE, existingSeq, 0, localIngressSeq(), record, recordOffset, 0, record, recordOffset, recordLength);
        }
    }

    public void onRefused(final int originNode, final long correlationId, final ApplyOutcome outcome)
    {
        if (messageSessionId == localSessionId &&
            (ApplyOutcome.TOPIC_LIMIT == outcome || ApplyOutcome.ID_CONFLICT == outcome))
        {
            final int recordOffset = ClusterRecord.publishRecordOffset(messageBuffer, messageOffset);
            deliver(Delivery.REFUSED, 0, outcome.ordinal(), localIngressSeq(), null, 0, 0, messageBuffer, recordOffset,
                messageOffset + messageLength - recordOffset);
        }
    }

    public void onTakeSnapshot(final ExclusivePublication publication)
    {
        if (settingsDiffer)
        {
            throw new IllegalStateException("no snapshot: this member's settings differ from the cluster's and it " +
                "applied nothing since");
        }
        final int length = machine.snapshotLength();
        snapshot.checkLimit(length);
        machine.writeSnapshot(snapshot, 0);
        final int chunk = Math.min(SNAPSHOT_CHUNK, publication.maxPayloadLength()) - SNAPSHOT_CHUNK_HEADER;
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(chunk + SNAPSHOT_CHUNK_HEADER);
        int sent = 0;
        do
        {
            final int part = Math.min(chunk, length - sent);
            frame.putInt(0, length);
            frame.putInt(BitUtil.SIZE_OF_INT, sent);
            frame.putBytes(SNAPSHOT_CHUNK_HEADER, snapshot, sent, part);
            offer(publication, frame, SNAPSHOT_CHUNK_HEADER + part);
            sent += part;
        }
        while (sent < length);
        releaseSnapshotBuffer();
        lastSnapshotAtMs = System.currentTimeMillis();
        snapshotsTaken++;
        if (null != purger)
        {
            purger.onSnapshot(cluster.logPosition());
        }
    }

    public void onRoleChange(final Cluster.Role newRole)
    {
        role = newRole;
    }

    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
    }

    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        machine.onSessionClosed(session.id());
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
    }

    public void onTerminate(final Cluster cluster)
    {
    }

    /**
     * The ingress seq of the record being applied when this node's current session sent it, else 0.
     */
    private long localIngressSeq()
    {
        return messageSessionId == localSessionId ? Math.max(1, ClusterRecord.ingressSeq(messageBuffer, messageOffset)) : 0;
    }

    private void loadSnapshot(final Image image)
    {
        snapshotTotal = -1;
        snapshotReceived = 0;
        while (snapshotTotal < 0 || snapshotReceived < snapshotTotal)
        {
            final int fragments = image.poll(snapshotChunkHandler, 16);
            if (0 == fragments)
            {
                if (image.isEndOfStream() || image.isClosed())
                {
                    throw new IllegalStateException("snapshot ended after " + snapshotReceived + " of " +
                        snapshotTotal + " bytes");
                }
                cluster.idleStrategy().idle();
            }
        }
        machine.loadSnapshot(snapshot, 0, snapshotTotal);
        releaseSnapshotBuffer();
    }

    /**
     * A snapshot's copy of the state is as large as the retained history: let a large one go once written or loaded,
     * so that between snapshots the heap holds the history once.
     */
    private void releaseSnapshotBuffer()
    {
        if (snapshot.capacity() > SNAPSHOT_BUFFER_KEPT)
        {
            snapshot = new ExpandableArrayBuffer(4096);
        }
    }

    private void onSnapshotChunk(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int total = buffer.getInt(offset);
        final int at = buffer.getInt(offset + BitUtil.SIZE_OF_INT);
        if (at != snapshotReceived || (snapshotTotal >= 0 && total != snapshotTotal))
        {
            throw new IllegalStateException("snapshot chunk at " + at + " of " + total + " after " + snapshotReceived +
                " bytes");
        }
        snapshotTotal = total;
        snapshot.checkLimit(total);
        final int part = length - SNAPSHOT_CHUNK_HEADER;
        snapshot.putBytes(at, buffer, offset + SNAPSHOT_CHUNK_HEADER, part);
        snapshotReceived += part;
    }

    private void offer(final ExclusivePublication publication, final DirectBuffer buffer, final int length)
    {
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (Publication.CLOSED == result || Publication.NOT_CONNECTED == result ||
                Publication.MAX_POSITION_EXCEEDED == result)
            {
                throw new IllegalStateException("snapshot publication refused a chunk: " + result);
            }
            idleStrategy.idle();
        }
    }

    private void deliver(
        final int type, final long seq, final long numericIdOrOutcome, final long ingressSeq, final DirectBuffer topic,
        final int topicOffset, final int topicLength, final DirectBuffer record, final int recordOffset,
        final int recordLength)
    {
        final RingBuffer deliveries = this.deliveries;
        final int length = Delivery.HEADER_LENGTH + topicLength + recordLength;
        int index;
        while ((index = deliveries.tryClaim(type, length)) < 0)
        {
            if (closing)
            {
                return;
            }
            idleStrategy.idle();
        }
        idleStrategy.reset();
        final org.agrona.concurrent.AtomicBuffer buffer = deliveries.buffer();
        buffer.putLong(index + Delivery.SEQ_OFFSET, seq);
        buffer.putLong(index + Delivery.NUMERIC_ID_OFFSET, numericIdOrOutcome);
        buffer.putLong(index + Delivery.INGRESS_SEQ_OFFSET, ingressSeq);
        buffer.putLong(index + Delivery.SESSION_ID_OFFSET, 0 == ingressSeq ? 0 : messageSessionId);
        buffer.putInt(index + Delivery.NAME_LENGTH_OFFSET, topicLength);
        if (topicLength > 0)
        {
            buffer.putBytes(index + Delivery.HEADER_LENGTH, topic, topicOffset, topicLength);
        }
        if (recordLength > 0)
        {
            buffer.putBytes(index + Delivery.HEADER_LENGTH + topicLength, record, recordOffset, recordLength);
        }
        deliveries.commit(index);
    }
}
