package io.sseflow.server.fanout;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A circular log of entries written by one thread and read by a fixed number of readers, each at its own position
 * ({@link Reader}): every reader sees every entry, in the order written. The writer may not run more than the log's
 * capacity ahead of the slowest reader (Aeron's publication limit): {@link #tryClaim} answers
 * {@link #BACK_PRESSURED} until that reader has moved on, so no reader can see an entry overwritten under it, and a
 * stopped reader stops the writer rather than losing entries.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |           Entry Length (header included, not aligned)         |  0
 *  +---------------------------------------------------------------+
 *  |                     Type (0 = padding)                        |  4
 *  +---------------------------------------------------------------+
 *  |                       Payload ...                            ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Entries start at multiples of {@link #ALIGNMENT}; one that would not fit before the end of the buffer is preceded by a
 * padding entry to the end, and starts at 0. Positions only grow: the tail is published with an ordered store after the
 * entry is written, each reader's position with an ordered store after it is done with an entry; each sits on a cache
 * line of its own.
 * <p>
 * Thread-safety: {@link #tryClaim} and {@link #commit} from the one writer thread; each {@link Reader} from one thread.
 */
public final class SequencedLog
{
    /**
     * {@link #tryClaim}'s answer when the slowest reader is a whole capacity behind.
     */
    public static final int BACK_PRESSURED = -1;

    /**
     * Entries start at multiples of this.
     */
    public static final int ALIGNMENT = 8;

    /**
     * Bytes before an entry's payload.
     */
    public static final int HEADER_LENGTH = 8;

    static final int PADDING_TYPE = 0;
    private static final int LENGTH_OFFSET = 0;
    private static final int TYPE_OFFSET = 4;
    private static final int POSITION_STRIDE = 128;

    private final UnsafeBuffer buffer;
    private final UnsafeBuffer positions;
    private final int capacity;
    private final int mask;
    private final int maxPayloadLength;
    private final Reader[] readers;

    // writer-only
    private long tail;
    private long limit;
    private long claimedTail = -1;

    /**
     * A log of a given capacity read by a given number of readers.
     *
     * @param capacity    bytes, a power of two of at least 1 KiB.
     * @param readerCount readers, at least 1.
     */
    public SequencedLog(final int capacity, final int readerCount)
    {
        if (!BitUtil.isPowerOfTwo(capacity) || capacity < 1024)
        {
            throw new IllegalArgumentException("sequenced log capacity must be a power of two of at least 1024: " +
                capacity);
        }
        if (readerCount < 1)
        {
            throw new IllegalArgumentException("a sequenced log needs at least one reader: " + readerCount);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxPayloadLength = capacity / 8 - HEADER_LENGTH;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        this.positions = new UnsafeBuffer(ByteBuffer.allocateDirect((readerCount + 2) * POSITION_STRIDE));
        this.readers = new Reader[readerCount];
        for (int i = 0; i < readerCount; i++)
        {
            readers[i] = new Reader(i);
        }
        this.limit = capacity;
    }

    /**
     * Largest payload one entry may hold: an eighth of the capacity, less the header.
     *
     * @return bytes.
     */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * The log's capacity.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * The reader of an index; each is used by one thread.
     *
     * @param index from 0 to the reader count less one.
     * @return the reader.
     */
    public Reader reader(final int index)
    {
        return readers[index];
    }

    /**
     * Readers of this log.
     *
     * @return the count.
     */
    public int readerCount()
    {
        return readers.length;
    }

    /**
     * Writer only: could an entry of this payload length be claimed now without waiting for a reader? A writer that
     * must not fail after taking a decision from elsewhere asks first.
     *
     * @param payloadLength bytes of payload.
     * @return true when {@link #tryClaim} would give the space.
     */
    public boolean hasRoomFor(final int payloadLength)
    {
        final long newTail = newTail(tail, BitUtil.align(HEADER_LENGTH + payloadLength, ALIGNMENT));
        return newTail <= limit || newTail <= refreshLimit();
    }

    /**
     * Writer only: space for one entry; write the payload at the index returned, then {@link #commit}. Nothing is
     * seen by readers before the commit.
     *
     * @param type          the entry's type, positive.
     * @param payloadLength bytes of payload, at most {@link #maxPayloadLength()}.
     * @return the payload's index in {@link #buffer()}, or {@link #BACK_PRESSURED}.
     * @throws IllegalArgumentException for a payload too large or a type not positive.
     * @throws IllegalStateException    when the previous claim was not committed.
     */
    public int tryClaim(final int type, final int payloadLength)
    {
        if (payloadLength < 0 || payloadLength > maxPayloadLength)
        {
            throw new IllegalArgumentException("entry payload of " + payloadLength + " bytes, at most " +
                maxPayloadLength);
        }
        if (type <= PADDING_TYPE)
        {
            throw new IllegalArgumentException("entry type must be positive: " + type);
        }
        if (claimedTail >= 0)
        {
            throw new IllegalStateException("the previous entry was not committed");
        }
        final int entryLength = BitUtil.align(HEADER_LENGTH + payloadLength, ALIGNMENT);
        final long tail = this.tail;
        final int offset = (int)(tail & mask);
        final int toEnd = capacity - offset;
        final int padding = entryLength > toEnd ? toEnd : 0;
        final long newTail = tail + padding + entryLength;
        if (newTail > limit && newTail > refreshLimit())
        {
            return BACK_PRESSURED;
        }
        final UnsafeBuffer buffer = this.buffer;
        int at = offset;
        if (padding > 0)
        {
            buffer.putInt(offset + LENGTH_OFFSET, padding);
            buffer.putInt(offset + TYPE_OFFSET, PADDING_TYPE);
            at = 0;
        }
        buffer.putInt(at + LENGTH_OFFSET, HEADER_LENGTH + payloadLength);
        buffer.putInt(at + TYPE_OFFSET, type);
        claimedTail = newTail;
        return at + HEADER_LENGTH;
    }

    /**
     * Writer only: publish the entry claimed last to every reader.
     *
     * @throws IllegalStateException when nothing is claimed.
     */
    public void commit()
    {
        final long newTail = claimedTail;
        if (newTail < 0)
        {
            throw new IllegalStateException("no entry claimed");
        }
        claimedTail = -1;
        tail = newTail;
        positions.putLongOrdered(0, newTail);
    }

    /**
     * The log's memory, for the writer to fill a claimed payload.
     *
     * @return the buffer.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Bytes the slowest reader has still to read; any thread.
     *
     * @return bytes.
     */
    public long backlog()
    {
        return positions.getLongVolatile(0) - minReaderPosition();
    }

    private long refreshLimit()
    {
        return limit = minReaderPosition() + capacity;
    }

    private long minReaderPosition()
    {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < readers.length; i++)
        {
            min = Math.min(min, positions.getLongVolatile((i + 1) * POSITION_STRIDE));
        }
        return min;
    }

    private long newTail(final long tail, final int entryLength)
    {
        final int toEnd = capacity - (int)(tail & mask);
        return tail + (entryLength > toEnd ? toEnd : 0) + entryLength;
    }

    /**
     * Receives one entry's payload; valid only during the call.
     */
    @FunctionalInterface
    public interface EntryHandler
    {
        /**
         * One entry.
         *
         * @param type    its type.
         * @param buffer  holding the payload; read-only.
         * @param index   where the payload starts.
         * @param length  payload bytes, as claimed.
         */
        void onEntry(int type, DirectBuffer buffer, int index, int length);
    }

    /**
     * One reader's position in the log; used by one thread.
     */
    public final class Reader
    {
        private final int positionIndex;
        private long position;

        private Reader(final int index)
        {
            this.positionIndex = (index + 1) * POSITION_STRIDE;
        }

        /**
         * Hand up to {@code limit} entries written since the last poll to the handler, in order; the position moves on
         * after each, so the writer may reuse its space once the handler returns.
         *
         * @param handler receiving each entry.
         * @param limit   most entries.
         * @return entries handed over.
         */
        public int poll(final EntryHandler handler, final int limit)
        {
            final UnsafeBuffer positions = SequencedLog.this.positions;
            final UnsafeBuffer buffer = SequencedLog.this.buffer;
            final long tail = positions.getLongVolatile(0);
            long position = this.position;
            int count = 0;
            while (position < tail && count < limit)
            {
                final int offset = (int)(position & mask);
                final int length = buffer.getInt(offset + LENGTH_OFFSET);
                final int entryLength = BitUtil.align(length, ALIGNMENT);
                final int type = buffer.getInt(offset + TYPE_OFFSET);
                if (PADDING_TYPE != type)
                {
                    try
                    {
                        handler.onEntry(type, buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
                    }
                    finally
                    {
                        position += entryLength;
                        this.position = position;
                        positions.putLongOrdered(positionIndex, position);
                    }
                    count++;
                }
                else
                {
                    position += entryLength;
                    this.position = position;
                    positions.putLongOrdered(positionIndex, position);
                }
            }
            return count;
        }

        /**
         * Where the writer is: the bytes written to the log; any thread.
         *
         * @return the tail.
         */
        public long end()
        {
            return positions.getLongVolatile(0);
        }

        /**
         * Where this reader is: the bytes of the log it has read.
         *
         * @return the position.
         */
        public long position()
        {
            return position;
        }
    }
}
