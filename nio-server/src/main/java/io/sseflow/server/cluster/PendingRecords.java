package io.sseflow.server.cluster;

import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.SequencedEventHandler;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * This node's {@link ClusterRecord}s offered to the cluster's ingress and not yet applied by the clustered service,
 * oldest first, each numbered in this node's cluster session (its ingress seq). Sent from where the last send
 * stopped; sent again from the oldest after a leader change or {@link #RESEND_AFTER_NS} without an answer, since
 * the state machine applies each number of a session once and in order; let go once applied
 * ({@link #acknowledge}); numbered again from 1 for a new session.
 * <p>
 * Each entry remembers, on this node only, when it was queued and whether an offer of it ever succeeded. When the
 * oldest has waited {@link #ANSWER_TIMEOUT_NS}, or there is no leader, every entry is given up ({@link #giveUp}):
 * one never offered is refused {@link PublishResult#NO_LEADER} (it never left this node: nothing was published),
 * one offered {@link PublishResult#OUTCOME_UNKNOWN} (a leader may have logged it, so it may still be committed); a
 * probe alone is given up after {@link #PROBE_TIMEOUT_NS}. An
 * empty queue sends a probe ({@link ClusterRecord#putProbe}) when nothing was answered for {@link #PROBE_INTERVAL_NS},
 * so {@link #isAnswering} knows whether a record offered now would be committed: a round trip through the cluster's
 * log answered within {@link #ROUND_TRIP_BOUND_NS}.
 * <p>
 * Not thread-safe: owned by the server agent, as the {@link AeronCluster} client is; allocation-free once its ring
 * has grown.
 */
final class PendingRecords
{
    /**
     * Records sent but not yet answered are sent again, from the oldest, when nothing was answered for this long
     * (or at once when the leader changed): a record the old leader took but never logged is then applied, once.
     */
    static final long RESEND_AFTER_NS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * A record queued this long without an answer is given up ({@link #giveUp}): longer than a failover takes
     * (a new leader in about 3.5 s), so a publish in flight during one is still answered with its outcome.
     */
    static final long ANSWER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * A probe alone in the queue, unanswered this long, is given up at once: nobody waits for it, and a new session
     * finds out sooner whether the cluster answers (a session its leader forgot, after a quick restart, never does).
     */
    static final long PROBE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    /**
     * With nothing queued, a probe goes through the log when nothing was answered for this long.
     */
    static final long PROBE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The cluster is answering while the oldest queued entry has waited at most this long and an answer came within
     * this long after the last probe was due.
     */
    static final long ROUND_TRIP_BOUND_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Bytes before each entry's {@link ClusterRecord}, kept on this node: when it was queued (long), whether an offer
     * of it succeeded (int), whether it is a probe (int).
     */
    static final int LOCAL_HEADER_LENGTH = 16;

    private static final int QUEUED_NS_OFFSET = 0;
    private static final int OFFERED_OFFSET = 8;
    private static final int PROBE_OFFSET = 12;

    private static final int MAX_PENDING_BYTES = 16 * 1024 * 1024;
    private static final int SEND_LIMIT = 256;

    private final ExpandableRingBuffer pending = new ExpandableRingBuffer(64 * 1024, MAX_PENDING_BYTES, true);
    private final ExpandableRingBuffer.MessageConsumer sender = this::sendOne;
    private final ExpandableRingBuffer.MessageConsumer acknowledger = this::isApplied;
    private final ExpandableRingBuffer.MessageConsumer refuser = this::refuseOne;
    private final ExpandableRingBuffer.MessageConsumer renumberer = this::renumberOne;
    private final ExpandableRingBuffer.MessageConsumer oldest = this::readOldest;
    private final ExpandableRingBuffer.MessageConsumer counter = this::countOne;
    private final UnsafeBuffer probe =
        new UnsafeBuffer(new byte[LOCAL_HEADER_LENGTH + ClusterRecord.HEADER_LENGTH]);
    private long oldestQueuedNs;
    private boolean oldestIsProbe;
    private int counted;
    private long lastAnswerNs = Long.MIN_VALUE;
    private boolean anyOffered;
    private AeronCluster client;
    private SequencedEventHandler handler;
    private int sent;
    private boolean notConnected;
    private int sendOffset;
    private long nextIngressSeq = 1;
    private long acknowledged;
    private long leadershipTermId = Long.MIN_VALUE;
    private long lastProgressNs;
    private volatile long lastOfferResult;
    private long backPressured;

    /**
     * The number the next record appended gets: write it at {@link ClusterRecord#INGRESS_SEQ_OFFSET} first.
     *
     * @return the ingress seq.
     */
    long nextIngressSeq()
    {
        return nextIngressSeq;
    }

    /**
     * Queue a record, numbered with {@link #nextIngressSeq()}.
     *
     * @param entry  holding the {@link ClusterRecord} at {@link #LOCAL_HEADER_LENGTH}; the bytes before it are
     *               written here.
     * @param length of the cluster record.
     * @param nowNs  the agent's time.
     * @return false when the queue is full (try again later).
     */
    boolean append(final MutableDirectBuffer entry, final int length, final long nowNs)
    {
        return append(entry, length, nowNs, false);
    }

    /**
     * With nothing queued and nothing answered for {@link #PROBE_INTERVAL_NS}, queue a probe from this member.
     *
     * @param member this node's index.
     * @param nowNs  the agent's time.
     */
    void probeIfIdle(final int member, final long nowNs)
    {
        if (pending.isEmpty() && (Long.MIN_VALUE == lastAnswerNs || nowNs - lastAnswerNs >= PROBE_INTERVAL_NS))
        {
            ClusterRecord.putProbe(probe, LOCAL_HEADER_LENGTH, member, nextIngressSeq);
            append(probe, ClusterRecord.HEADER_LENGTH, nowNs, true);
        }
    }

    /**
     * Would a record offered now be committed? True while the cluster answers: something was answered within
     * {@link #PROBE_INTERVAL_NS} + {@link #ROUND_TRIP_BOUND_NS} and nothing queued has waited longer than
     * {@link #ROUND_TRIP_BOUND_NS}.
     *
     * @param nowNs the agent's time.
     * @return true when answering.
     */
    boolean isAnswering(final long nowNs)
    {
        if (Long.MIN_VALUE == lastAnswerNs || nowNs - lastAnswerNs > PROBE_INTERVAL_NS + ROUND_TRIP_BOUND_NS)
        {
            return false;
        }
        return pending.isEmpty() || nowNs - oldestQueuedNs() <= ROUND_TRIP_BOUND_NS;
    }

    /**
     * Has the oldest entry waited {@link #ANSWER_TIMEOUT_NS}, or a probe alone {@link #PROBE_TIMEOUT_NS}?
     *
     * @param nowNs the agent's time.
     * @return true when it is time to {@link #giveUp}.
     */
    boolean isOverdue(final long nowNs)
    {
        if (pending.isEmpty())
        {
            return false;
        }
        final long waited = nowNs - oldestQueuedNs();
        return waited >= ANSWER_TIMEOUT_NS || (waited >= PROBE_TIMEOUT_NS && oldestIsProbe && 1 == count(2));
    }

    /**
     * Give every entry up: a record never offered is refused {@link PublishResult#NO_LEADER}, one offered
     * {@link PublishResult#OUTCOME_UNKNOWN}; probes are dropped.
     *
     * @param handler told of each record.
     * @return true when some entry had been offered: the session's numbering can no longer go on (the cluster may
     * have applied it or not), so the caller must start a new session; false when nothing left this node, and the
     * numbering goes on from the last answered.
     */
    boolean giveUp(final SequencedEventHandler handler)
    {
        this.handler = handler;
        anyOffered = false;
        pending.consume(refuser, Integer.MAX_VALUE);
        sendOffset = 0;
        this.handler = null;
        if (!anyOffered)
        {
            nextIngressSeq = acknowledged + 1;
        }
        return anyOffered;
    }

    private boolean append(final MutableDirectBuffer entry, final int length, final long nowNs, final boolean isProbe)
    {
        entry.putLong(QUEUED_NS_OFFSET, nowNs);
        entry.putInt(OFFERED_OFFSET, 0);
        entry.putInt(PROBE_OFFSET, isProbe ? 1 : 0);
        if (!pending.append(entry, 0, LOCAL_HEADER_LENGTH + length))
        {
            return false;
        }
        if (pending.size() == LOCAL_HEADER_LENGTH + length + ExpandableRingBuffer.HEADER_LENGTH)
        {
            lastProgressNs = nowNs;
        }
        nextIngressSeq++;
        return true;
    }

    boolean isEmpty()
    {
        return pending.isEmpty();
    }

    /**
     * The client's session is new: number every record again from 1 and send them all from the oldest.
     *
     * @param client connected.
     */
    void onNewSession(final AeronCluster client)
    {
        nextIngressSeq = 1;
        acknowledged = 0;
        pending.forEach(renumberer, Integer.MAX_VALUE);
        sendOffset = 0;
        leadershipTermId = client.leadershipTermId();
    }

    /**
     * After the client's egress was polled: a new leader means every record is sent again from the oldest.
     *
     * @param client connected.
     */
    void checkLeader(final AeronCluster client)
    {
        if (client.leadershipTermId() != leadershipTermId)
        {
            leadershipTermId = client.leadershipTermId();
            sendOffset = 0;
        }
    }

    /**
     * Offer what was not sent yet (everything, from the oldest, when nothing was answered for
     * {@link #RESEND_AFTER_NS}), up to 256 records, until the ingress takes no more; then
     * {@link #foundNotConnected()} says whether it stopped because there is no leader to send to.
     *
     * @return records the ingress took.
     */
    int send(final AeronCluster client, final long nowNs)
    {
        if (!pending.isEmpty() && sendOffset > 0 && nowNs - lastProgressNs > RESEND_AFTER_NS)
        {
            sendOffset = 0;
            lastProgressNs = nowNs;
        }
        this.client = client;
        sent = 0;
        notConnected = false;
        pending.forEach(sendOffset, sender, SEND_LIMIT);
        this.client = null;
        return sent;
    }

    /**
     * Did the last {@link #send} stop because the ingress is not connected or closed (rather than back pressured)?
     *
     * @return true when there was no leader to send to.
     */
    boolean foundNotConnected()
    {
        return notConnected;
    }

    /**
     * The service applied this node's record with this ingress seq: it and every older one are let go.
     */
    void acknowledge(final long ingressSeq, final long nowNs)
    {
        lastAnswerNs = nowNs;
        if (ingressSeq > acknowledged)
        {
            acknowledged = ingressSeq;
            final int consumed = pending.consume(acknowledger, Integer.MAX_VALUE);
            sendOffset = Math.max(0, sendOffset - consumed);
            lastProgressNs = nowNs;
        }
    }

    /**
     * What the last offer to the cluster's ingress returned: a position, or a {@link Publication} error code.
     *
     * @return the value, 0 before the first offer.
     */
    long lastOfferResult()
    {
        return lastOfferResult;
    }

    /**
     * Offers the ingress refused as back pressured (or busy with an admin action).
     *
     * @return the count.
     */
    long backPressured()
    {
        return backPressured;
    }

    private boolean sendOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final long result =
            client.offer(buffer, offset + LOCAL_HEADER_LENGTH, length - LOCAL_HEADER_LENGTH);
        lastOfferResult = result;
        if (result > 0)
        {
            buffer.putInt(offset + OFFERED_OFFSET, 1);
            sent++;
            sendOffset = headOffset;
            return true;
        }
        if (Publication.BACK_PRESSURED == result || Publication.ADMIN_ACTION == result)
        {
            backPressured++;
        }
        if (Publication.NOT_CONNECTED == result || Publication.CLOSED == result ||
            Publication.MAX_POSITION_EXCEEDED == result)
        {
            notConnected = true;
        }
        return false;
    }

    private boolean isApplied(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        return ClusterRecord.ingressSeq(buffer, offset + LOCAL_HEADER_LENGTH) <= acknowledged;
    }

    private boolean refuseOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final boolean offered = 0 != buffer.getInt(offset + OFFERED_OFFSET);
        anyOffered |= offered;
        if (0 == buffer.getInt(offset + PROBE_OFFSET))
        {
            final int recordOffset = ClusterRecord.publishRecordOffset(buffer, offset + LOCAL_HEADER_LENGTH);
            handler.onRefused(buffer, recordOffset, offset + length - recordOffset,
                offered ? PublishResult.OUTCOME_UNKNOWN : PublishResult.NO_LEADER);
        }
        return true;
    }

    private long oldestQueuedNs()
    {
        pending.forEach(oldest, 1);
        return oldestQueuedNs;
    }

    private boolean readOldest(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        oldestQueuedNs = buffer.getLong(offset + QUEUED_NS_OFFSET);
        oldestIsProbe = 0 != buffer.getInt(offset + PROBE_OFFSET);
        return true;
    }

    private int count(final int limit)
    {
        counted = 0;
        pending.forEach(counter, limit);
        return counted;
    }

    private boolean countOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        counted++;
        return true;
    }

    private boolean renumberOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        buffer.putLong(offset + LOCAL_HEADER_LENGTH + ClusterRecord.INGRESS_SEQ_OFFSET, nextIngressSeq++);
        return true;
    }
}
