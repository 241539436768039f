package io.sseflow.server.log;

import io.sseflow.server.log.TopicLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A subscriber's whole state: a position in its topic's {@link TopicLog}, the ordinal of the first frame not
 * yet fully written, and a small piece of pending control bytes (the response head, a heartbeat). A flush writes
 * everything between the position and the log's head in one write (two when it wraps around the buffer end),
 * so events that piled up while the socket was busy leave in a single syscall; a partial write simply leaves
 * the position in the middle of a frame and the next flush resumes there.
 * <p>
 * It also keeps the subscriber's drain window: when a flush leaves bytes pending, the cursor notes what was pending
 * then (up to the log's head) and when; the window closes once all of that is written, and a new one opens if more
 * is pending by then. {@link #isBehindLongerThan} tells a reader that does not drain a backlog (a replay, a burst)
 * in time, whether or not new events arrive, which lapping alone cannot see on a quiet topic.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
public final class SubscriberCursor
{
    /**
     * What a {@link #flush} achieved.
     */
    public enum Outcome
    {
        /**
         * Everything up to the log's head is written.
         */
        CAUGHT_UP,

        /**
         * The socket took less than offered: wait until it is writable.
         */
        BLOCKED,

        /**
         * The log has evicted bytes this subscriber has not been sent yet: it is too slow for the retained
         * history and must be disconnected.
         */
        LAPPED
    }

    private static final long NOT_BEHIND = Long.MIN_VALUE;

    private TopicLog log;
    private long position;
    private long drainTarget = NOT_BEHIND;
    private long drainSinceNs;
    private long endPosition;
    private long ordinal;
    private ByteBuffer control;
    private int controlOffset;
    private long lastWriteNs;
    private long framesWritten;
    private long bytesWritten;

    /**
     * Point the cursor at a frame of a log, with control bytes to send first.
     *
     * @param log      the topic's log.
     * @param ordinal  first event to send: {@link TopicLog#nextOrdinal()} for live only, an older retained
     *                 ordinal to replay from there.
     * @param head     control bytes to send before any frame (the response head), read from position 0 to
     *                 capacity; shared between cursors, so never modified.
     * @param nowNs    current time.
     */
    public void open(final TopicLog log, final long ordinal, final ByteBuffer head, final long nowNs)
    {
        this.log = log;
        this.ordinal = ordinal;
        this.position = log.framePosition(ordinal);
        this.endPosition = Long.MAX_VALUE;
        this.control = head;
        this.controlOffset = 0;
        this.lastWriteNs = nowNs;
        this.framesWritten = 0;
        this.bytesWritten = 0;
        this.drainTarget = NOT_BEHIND;
    }

    /**
     * Detach from the log.
     */
    public void close()
    {
        log = null;
        control = null;
    }

    /**
     * Write pending control bytes, then {@code log[position..head)}.
     *
     * @param channel non-blocking channel to write to.
     * @param nowNs   current time, recorded when anything is written.
     * @return the outcome.
     * @throws IOException when the peer is gone.
     */
    public Outcome flush(final WritableByteChannel channel, final long nowNs) throws IOException
    {
        final ByteBuffer control = this.control;
        if (null != control)
        {
            control.limit(control.capacity()).position(controlOffset);
            final int written = channel.write(control);
            if (written > 0)
            {
                lastWriteNs = nowNs;
            }
            controlOffset += written;
            if (controlOffset < control.capacity())
            {
                return blocked(nowNs);
            }
            this.control = null;
        }

        final TopicLog log = this.log;
        long position = this.position;
        if (position < log.tailPosition())
        {
            return Outcome.LAPPED;
        }

        final long head = Math.min(log.headPosition(), endPosition);
        if (position < head)
        {
            final long written = log.writeTo(channel, position, head);
            if (written > 0)
            {
                position += written;
                this.position = position;
                bytesWritten += written;
                lastWriteNs = nowNs;

                long ordinal = this.ordinal;
                final long nextOrdinal = log.nextOrdinal();
                while (ordinal < nextOrdinal && log.frameEndPosition(ordinal) <= position)
                {
                    ordinal++;
                    framesWritten++;
                }
                this.ordinal = ordinal;
            }
            if (position < head)
            {
                return blocked(nowNs);
            }
        }

        drainTarget = NOT_BEHIND;
        return Outcome.CAUGHT_UP;
    }

    /**
     * Has a backlog been pending longer than a limit: bytes that were pending when a flush was last
     * {@link Outcome#BLOCKED} with nothing older outstanding, and are still not all written?
     *
     * @param nowNs   current time.
     * @param limitNs how long a backlog may take to drain.
     * @return true when the reader is behind past the limit.
     */
    public boolean isBehindLongerThan(final long nowNs, final long limitNs)
    {
        return NOT_BEHIND != drainTarget && nowNs - drainSinceNs > limitNs;
    }

    private Outcome blocked(final long nowNs)
    {
        if (NOT_BEHIND == drainTarget || (null == control && position >= drainTarget))
        {
            drainTarget = Math.min(log.headPosition(), endPosition);
            drainSinceNs = nowNs;
        }
        return Outcome.BLOCKED;
    }

    /**
     * Stop at the end of the frame being written, or where the cursor is when no frame is partly written: later
     * flushes write at most that far, and answer {@link Outcome#CAUGHT_UP} once there, so the stream can then be
     * closed after whole frames only. A lapped cursor ends where it is.
     */
    public void endAtFrameBoundary()
    {
        final TopicLog log = this.log;
        final long position = this.position;
        if (position < log.tailPosition() || ordinal >= log.nextOrdinal())
        {
            endPosition = position;
            return;
        }
        endPosition = position > log.framePosition(ordinal) ? log.frameEndPosition(ordinal) : position;
    }

    /**
     * Queue control bytes (a heartbeat comment) when the cursor is at a frame boundary, i.e. caught up.
     *
     * @param bytes shared control bytes, read from 0 to capacity.
     * @return true when queued; false when frames are pending or another control is in progress.
     */
    public boolean offerControl(final ByteBuffer bytes)
    {
        if (null != control || position != log.headPosition())
        {
            return false;
        }
        control = bytes;
        controlOffset = 0;
        return true;
    }

    /**
     * Has the cursor been lapped by the log's eviction?
     *
     * @return true when bytes it still needs are gone.
     */
    public boolean isLapped()
    {
        return position < log.tailPosition();
    }

    /**
     * Is anything waiting to be written?
     *
     * @return true when control bytes or frames are pending.
     */
    public boolean hasPending()
    {
        return null != control || position < log.headPosition();
    }

    /**
     * Are control bytes (the response head, a heartbeat) not yet fully written?
     *
     * @return true while some are pending.
     */
    public boolean hasPendingControl()
    {
        return null != control;
    }

    /**
     * When the last byte was written (or the cursor opened).
     *
     * @return nanosecond timestamp.
     */
    public long lastWriteNs()
    {
        return lastWriteNs;
    }

    /**
     * Current position in the log.
     *
     * @return the position.
     */
    public long position()
    {
        return position;
    }

    /**
     * Ordinal, in its topic's log, of the first frame not yet completely written.
     *
     * @return the ordinal.
     */
    public long ordinal()
    {
        return ordinal;
    }

    /**
     * Whole frames written since {@link #open}.
     *
     * @return frames.
     */
    public long framesWritten()
    {
        return framesWritten;
    }

    /**
     * Log bytes written since {@link #open}.
     *
     * @return bytes.
     */
    public long bytesWritten()
    {
        return bytesWritten;
    }
}
