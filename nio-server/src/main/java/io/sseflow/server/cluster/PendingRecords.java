package io.sseflow.server.cluster;

import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.SequencedEventHandler;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.TimeUnit;

/**
 * This node's {@link ClusterRecord}s offered to the cluster's ingress and not yet applied by the clustered service,
 * oldest first, each numbered in this node's cluster session (its ingress seq). Sent from where the last send
 * stopped; sent again from the oldest after a leader change or {@link #RESEND_AFTER_NS} without an answer, since
 * the state machine applies each number of a session once and in order; let go once applied
 * ({@link #acknowledge}); numbered again from 1 for a new session; refused all at once without a leader.
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

    private static final int MAX_PENDING_BYTES = 16 * 1024 * 1024;
    private static final int SEND_LIMIT = 256;

    private final ExpandableRingBuffer pending = new ExpandableRingBuffer(64 * 1024, MAX_PENDING_BYTES, true);
    private final ExpandableRingBuffer.MessageConsumer sender = this::sendOne;
    private final ExpandableRingBuffer.MessageConsumer acknowledger = this::isApplied;
    private final ExpandableRingBuffer.MessageConsumer refuser = this::refuseOne;
    private final ExpandableRingBuffer.MessageConsumer renumberer = this::renumberOne;
    private AeronCluster client;
    private SequencedEventHandler handler;
    private PublishResult refusal = PublishResult.NO_LEADER;
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
     * @return false when the queue is full (try again later).
     */
    boolean append(final MutableDirectBuffer record, final int length, final long nowNs)
    {
        if (!pending.append(record, 0, length))
        {
            return false;
        }
        if (pending.size() == length + ExpandableRingBuffer.HEADER_LENGTH)
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
        if (ingressSeq > acknowledged)
        {
            acknowledged = ingressSeq;
            final int consumed = pending.consume(acknowledger, Integer.MAX_VALUE);
            sendOffset = Math.max(0, sendOffset - consumed);
            lastProgressNs = nowNs;
        }
    }

    /**
     * Refuse every record ({@link SequencedEventHandler#onRefused}), as when there is no leader.
     */
    void refuseAll(final SequencedEventHandler handler, final PublishResult refusal)
    {
        this.handler = handler;
        this.refusal = refusal;
        pending.consume(refuser, Integer.MAX_VALUE);
        sendOffset = 0;
        this.handler = null;
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
        final long result = client.offer(buffer, offset, length);
        lastOfferResult = result;
        if (result > 0)
        {
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
        return ClusterRecord.ingressSeq(buffer, offset) <= acknowledged;
    }

    private boolean refuseOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final int recordOffset = ClusterRecord.publishRecordOffset(buffer, offset);
        handler.onRefused(buffer, recordOffset, offset + length - recordOffset, refusal);
        return true;
    }

    private boolean renumberOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        buffer.putLong(offset + ClusterRecord.INGRESS_SEQ_OFFSET, nextIngressSeq++);
        return true;
    }
}
