package io.sseflow.server.fanout;

import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import org.agrona.BitUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Where every publisher of a hub with several fan-out agents offers its records to the one sequencer: an Agrona
 * many-to-one ring, claimed by API threads and by every agent, read by the sequencer's thread only. It decides
 * nothing: the order of the ring is the order the sequencer takes records in.
 */
public final class PublishIngress
{
    private static final int MSG_TYPE_PUBLISH = 1;

    private final ManyToOneRingBuffer ring;
    private volatile boolean closed;

    /**
     * @param capacity bytes, a power of two; records up to an eighth of it are taken.
     */
    public PublishIngress(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("publish ring capacity must be a power of two: " + capacity);
        }
        ring = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Space for one record; any thread, as {@link io.sseflow.server.sequencer.EventSequencer#tryClaim}.
     *
     * @param length of the record.
     * @param claim  pointed at the space on {@link PublishResult#OK}.
     * @return {@link PublishResult#OK}, {@link PublishResult#BACK_PRESSURED}, {@link PublishResult#TOO_LARGE} or
     *     {@link PublishResult#CLOSED}.
     */
    public PublishResult tryClaim(final int length, final PublishClaim claim)
    {
        if (claim.isClaimed())
        {
            throw new IllegalStateException("claim still holds a record: commit or abort it first");
        }
        if (closed)
        {
            return PublishResult.CLOSED;
        }
        if (length > ring.maxMsgLength())
        {
            return PublishResult.TOO_LARGE;
        }
        final int index = ring.tryClaim(MSG_TYPE_PUBLISH, length);
        if (RingBuffer.INSUFFICIENT_CAPACITY == index)
        {
            return PublishResult.BACK_PRESSURED;
        }
        claim.wrap(ring.buffer(), index, length, index);
        return PublishResult.OK;
    }

    /**
     * Hand the claimed record to the sequencer.
     *
     * @param claim from {@link #tryClaim}.
     */
    public void commit(final PublishClaim claim)
    {
        ring.commit((int)claim.release());
    }

    /**
     * Give a claim back unused.
     *
     * @param claim from {@link #tryClaim}.
     */
    public void abort(final PublishClaim claim)
    {
        ring.abort((int)claim.release());
    }

    /**
     * Largest record taken.
     *
     * @return bytes.
     */
    public int maxRecordLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * Sequencer thread only: hand records to the handler in ring order.
     *
     * @param handler receiving each record.
     * @param limit   most records.
     * @return records read.
     */
    public int read(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /**
     * Bytes offered and not yet taken by the sequencer; any thread.
     *
     * @return bytes.
     */
    public int backlog()
    {
        return ring.size();
    }

    /**
     * Take no more claims; what was committed can still be read.
     */
    public void close()
    {
        closed = true;
    }

    /**
     * Taking claims?
     *
     * @return false once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }
}
