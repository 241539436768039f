package io.sseflow.server.topic;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * History of one topic: the encoded SSE frames, back to back, in a circular direct buffer, with an index of
 * {@code [id][position][length]} per retained event. Positions are absolute byte offsets in the topic's
 * stream since the log was created, so a subscriber is nothing more than a position: it is sent
 * {@code log[position..head)} and the log never copies per subscriber.
 * <p>
 * At most {@code historyLimit} events are retained, and fewer when their bytes exceed {@code maxCapacity}:
 * the buffer starts small and doubles up to that maximum, then the oldest events are evicted. Bytes before
 * {@link #tailPosition()} may be overwritten at any time, so a position below it has been lapped.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
public final class TopicLog
{
    /**
     * Returned by {@link #sequenceAfterId} when the id is not retained.
     */
    public static final long NOT_FOUND = -1;

    private static final int INITIAL_CAPACITY = 4096;

    private final int historyLimit;
    private final int maxCapacity;
    private final int indexMask;
    private final long[] framePositions;
    private final int[] frameLengths;
    private final long[] numericIds;
    private final int[] idOffsets;
    private final int[] idLengths;

    private ByteBuffer byteBuffer;
    private ByteBuffer writeView;
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int capacity;
    private int mask;

    private long headPosition;
    private long tailPosition;
    private long firstSequence;
    private long nextSequence;

    /**
     * An empty log.
     *
     * @param historyLimit most events retained.
     * @param maxCapacity  most bytes retained, a power of two.
     */
    public TopicLog(final int historyLimit, final int maxCapacity)
    {
        if (historyLimit < 1)
        {
            throw new IllegalArgumentException("history must be at least 1 event: " + historyLimit);
        }
        if (!BitUtil.isPowerOfTwo(maxCapacity))
        {
            throw new IllegalArgumentException("history bytes must be a power of two: " + maxCapacity);
        }
        this.historyLimit = historyLimit;
        this.maxCapacity = maxCapacity;
        final int indexCapacity = BitUtil.findNextPositivePowerOfTwo(historyLimit);
        indexMask = indexCapacity - 1;
        framePositions = new long[indexCapacity];
        frameLengths = new int[indexCapacity];
        numericIds = new long[indexCapacity];
        idOffsets = new int[indexCapacity];
        idLengths = new int[indexCapacity];
        allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
    }

    /**
     * Append one whole frame.
     *
     * @param frame       holding the encoded frame.
     * @param offset      of the frame.
     * @param length      of the frame, at most the log's maximum capacity.
     * @param idOffset    offset of the id text within the frame.
     * @param idLength    length of the id text.
     * @param numericId   the id as a number, or {@link EventSequencer#TEXT_ID}.
     * @return the event's sequence number in this topic.
     */
    public long append(
        final DirectBuffer frame,
        final int offset,
        final int length,
        final int idOffset,
        final int idLength,
        final long numericId)
    {
        if (length > maxCapacity)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes exceeds history of " + maxCapacity);
        }
        if (nextSequence - firstSequence >= historyLimit)
        {
            evictOldest();
        }
        while (headPosition + length - tailPosition > capacity)
        {
            if (capacity < maxCapacity)
            {
                allocate(capacity << 1);
            }
            else
            {
                evictOldest();
            }
        }

        final long position = headPosition;
        final int index = (int)position & mask;
        final int firstPart = Math.min(length, capacity - index);
        buffer.putBytes(index, frame, offset, firstPart);
        if (firstPart < length)
        {
            buffer.putBytes(0, frame, offset + firstPart, length - firstPart);
        }

        final long sequence = nextSequence;
        final int slot = (int)sequence & indexMask;
        framePositions[slot] = position;
        frameLengths[slot] = length;
        numericIds[slot] = numericId;
        idOffsets[slot] = idOffset;
        idLengths[slot] = idLength;

        headPosition = position + length;
        nextSequence = sequence + 1;

        return sequence;
    }

    /**
     * Sequence of the event right after the one with the given id, searching newest first. Numeric ids
     * compare as numbers ({@code 42} matches an event whose id is 42); anything else compares byte for byte.
     *
     * @param id     holding the id text.
     * @param offset of the text.
     * @param length of the text.
     * @return the sequence to resume at, or {@link #NOT_FOUND}.
     */
    public long sequenceAfterId(final DirectBuffer id, final int offset, final int length)
    {
        final long numeric = PublishRecordDescriptor.parseNumericId(id, offset, length);
        for (long sequence = nextSequence - 1; sequence >= firstSequence; sequence--)
        {
            final int slot = (int)sequence & indexMask;
            if (numeric >= 0)
            {
                if (numericIds[slot] == numeric)
                {
                    return sequence + 1;
                }
            }
            else if (numericIds[slot] == EventSequencer.TEXT_ID &&
                idLengths[slot] == length &&
                idEquals(framePositions[slot] + idOffsets[slot], id, offset, length))
            {
                return sequence + 1;
            }
        }
        return NOT_FOUND;
    }

    /**
     * Position where an event's frame starts; {@link #headPosition()} for the next, not yet appended, one.
     *
     * @param sequence between {@link #firstSequence()} and {@link #nextSequence()}.
     * @return the position.
     */
    public long framePosition(final long sequence)
    {
        return sequence == nextSequence ? headPosition : framePositions[(int)sequence & indexMask];
    }

    /**
     * Position right after an event's frame.
     *
     * @param sequence between {@link #firstSequence()} and {@link #nextSequence()} - 1.
     * @return the position.
     */
    public long frameEndPosition(final long sequence)
    {
        final int slot = (int)sequence & indexMask;
        return framePositions[slot] + frameLengths[slot];
    }

    /**
     * Write {@code log[from..to)} to a channel, in one write unless the range wraps around the buffer end.
     *
     * @param channel to write to (non-blocking).
     * @param from    first position, at least {@link #tailPosition()}.
     * @param to      end position, at most {@link #headPosition()}.
     * @return bytes written, possibly fewer than asked.
     * @throws IOException from the channel.
     */
    public long writeTo(final WritableByteChannel channel, final long from, final long to) throws IOException
    {
        final ByteBuffer view = writeView;
        final int index = (int)from & mask;
        final int length = (int)Math.min(to - from, capacity - index);
        view.clear().position(index).limit(index + length);
        final int written = channel.write(view);
        if (written == length && from + length < to)
        {
            view.clear().limit((int)(to - from - length));
            return written + channel.write(view);
        }
        return written;
    }

    /**
     * Copy {@code log[from..from+length)} into a buffer (for tests and diagnostics).
     *
     * @param from        first position, at least {@link #tailPosition()}.
     * @param length      bytes.
     * @param destination to copy into.
     * @param index       in the destination.
     */
    public void getBytes(final long from, final int length, final org.agrona.MutableDirectBuffer destination, final int index)
    {
        for (int i = 0; i < length; i++)
        {
            destination.putByte(index + i, buffer.getByte((int)(from + i) & mask));
        }
    }

    /**
     * Position right after the newest frame.
     *
     * @return the head position.
     */
    public long headPosition()
    {
        return headPosition;
    }

    /**
     * Position of the oldest retained frame; bytes before it are gone.
     *
     * @return the tail position.
     */
    public long tailPosition()
    {
        return tailPosition;
    }

    /**
     * Sequence of the oldest retained event.
     *
     * @return the sequence.
     */
    public long firstSequence()
    {
        return firstSequence;
    }

    /**
     * Sequence the next appended event will get.
     *
     * @return the sequence.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * Current buffer capacity in bytes.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return capacity;
    }

    private boolean idEquals(final long position, final DirectBuffer id, final int offset, final int length)
    {
        final UnsafeBuffer buffer = this.buffer;
        final int mask = this.mask;
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte((int)(position + i) & mask) != id.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private void evictOldest()
    {
        firstSequence++;
        tailPosition = firstSequence == nextSequence ? headPosition : framePositions[(int)firstSequence & indexMask];
    }

    private void allocate(final int newCapacity)
    {
        final ByteBuffer newByteBuffer = ByteBuffer.allocateDirect(newCapacity);
        final UnsafeBuffer newBuffer = new UnsafeBuffer(newByteBuffer);
        final int newMask = newCapacity - 1;
        for (long position = tailPosition; position < headPosition; )
        {
            final int from = (int)position & mask;
            final int to = (int)position & newMask;
            final int length = (int)Math.min(headPosition - position, Math.min(capacity - from, newCapacity - to));
            newBuffer.putBytes(to, buffer, from, length);
            position += length;
        }
        byteBuffer = newByteBuffer;
        writeView = newByteBuffer.duplicate();
        buffer.wrap(newByteBuffer);
        capacity = newCapacity;
        mask = newMask;
    }
}
