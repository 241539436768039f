package io.sseflow.server.log;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The circular direct buffer of a {@link TopicLog}: frames put and read at absolute positions (masked by the
 * capacity, a power of two), written to a channel in at most two writes, replaced or resized with the retained
 * range copied, and freed at once ({@link BufferUtil#free}). It holds no memory until a buffer is given to it; the
 * log decides the sizes and accounts for them in its {@link HistoryBudget}.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class FrameRing
{
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocateDirect(0);

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private ByteBuffer byteBuffer;
    private ByteBuffer writeView = NO_BYTES;
    private int capacity;
    private int mask;

    /**
     * Bytes of the current buffer; 0 while there is none.
     *
     * @return the capacity.
     */
    int capacity()
    {
        return capacity;
    }

    /**
     * The buffer itself, its capacity the ring's: positions are masked by {@code capacity - 1} (for the id index,
     * which compares text ids where they lie).
     *
     * @return the buffer; valid until the ring is replaced, resized or freed.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Put bytes at a position, wrapping around the buffer's end.
     */
    void put(final long position, final DirectBuffer source, final int offset, final int length)
    {
        final int at = (int)position & mask;
        final int firstPart = Math.min(length, capacity - at);
        buffer.putBytes(at, source, offset, firstPart);
        if (firstPart < length)
        {
            buffer.putBytes(0, source, offset + firstPart, length - firstPart);
        }
    }

    /**
     * Write {@code [from..to)} to a channel, in one write unless the range wraps around the buffer's end.
     *
     * @return bytes written, possibly fewer than asked.
     */
    long writeTo(final WritableByteChannel channel, final long from, final long to) throws IOException
    {
        final ByteBuffer view = writeView;
        final int at = (int)from & mask;
        final int length = (int)Math.min(to - from, capacity - at);
        view.clear().position(at).limit(at + length);
        final int written = channel.write(view);
        if (written == length && from + length < to)
        {
            view.clear().limit((int)(to - from - length));
            return written + channel.write(view);
        }
        return written;
    }

    /**
     * Copy {@code [from..from+length)} into a buffer, in at most two copies (the range may wrap around the end).
     */
    void getBytes(final long from, final int length, final MutableDirectBuffer destination, final int at)
    {
        final int start = (int)from & mask;
        final int firstPart = Math.min(length, capacity - start);
        destination.putBytes(at, buffer, start, firstPart);
        if (firstPart < length)
        {
            destination.putBytes(at + firstPart, buffer, 0, length - firstPart);
        }
    }

    /**
     * Swap in a new buffer without copying (nothing is retained), freeing the old one; the new one is allocated
     * first, so a failed allocation leaves the ring as it was.
     *
     * @param newCapacity a power of two.
     * @return the capacity freed (0 when there was no buffer).
     */
    int replace(final int newCapacity)
    {
        final ByteBuffer newByteBuffer = ByteBuffer.allocateDirect(newCapacity);
        final int freed = free();
        install(newByteBuffer, newCapacity);
        return freed;
    }

    /**
     * Copy the retained range {@code [tail..head)} into a new buffer of another capacity, then free the old one.
     *
     * @param newCapacity a power of two, at least {@code head - tail}.
     * @return the capacity freed.
     */
    int resize(final int newCapacity, final long tail, final long head)
    {
        final ByteBuffer newByteBuffer = ByteBuffer.allocateDirect(newCapacity);
        final UnsafeBuffer newBuffer = new UnsafeBuffer(newByteBuffer);
        final int newMask = newCapacity - 1;
        for (long position = tail; position < head; )
        {
            final int from = (int)position & mask;
            final int to = (int)position & newMask;
            final int length = (int)Math.min(head - position, Math.min(capacity - from, newCapacity - to));
            newBuffer.putBytes(to, buffer, from, length);
            position += length;
        }
        final int freed = free();
        install(newByteBuffer, newCapacity);
        return freed;
    }

    /**
     * Free the buffer now.
     *
     * @return the capacity freed (0 when there was no buffer).
     */
    int free()
    {
        final ByteBuffer old = byteBuffer;
        if (null == old)
        {
            return 0;
        }
        final int freed = capacity;
        byteBuffer = null;
        writeView = NO_BYTES;
        buffer.wrap(0, 0);
        capacity = 0;
        mask = 0;
        BufferUtil.free(old);
        return freed;
    }

    private void install(final ByteBuffer newByteBuffer, final int newCapacity)
    {
        byteBuffer = newByteBuffer;
        writeView = newByteBuffer.duplicate();
        buffer.wrap(newByteBuffer);
        capacity = newCapacity;
        mask = newCapacity - 1;
    }
}
