package io.sseflow.benchmarks.encoder;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable in-memory {@link OutputStream}: the socket a peer would write to, minus the I/O. {@link #reset()}
 * before each event keeps it from growing; it never allocates once large enough.
 */
final class ByteSink extends OutputStream
{
    private byte[] bytes = new byte[8192];
    private int size;

    /**
     * Forget what was written.
     */
    void reset()
    {
        size = 0;
    }

    /**
     * Bytes written since the last {@link #reset()}.
     *
     * @return the count.
     */
    int size()
    {
        return size;
    }

    /**
     * The backing array, valid in {@code [0, size())}.
     *
     * @return the array.
     */
    byte[] array()
    {
        return bytes;
    }

    /**
     * A copy of what was written, for checks outside the measured code.
     *
     * @return the bytes.
     */
    byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, size);
    }

    @Override
    public void write(final int b)
    {
        ensureCapacity(size + 1);
        bytes[size++] = (byte)b;
    }

    @Override
    public void write(final byte[] source, final int offset, final int length)
    {
        ensureCapacity(size + length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /**
     * Append a {@link java.nio.ByteBuffer}'s remaining bytes, consuming them.
     *
     * @param source to copy from.
     */
    void write(final java.nio.ByteBuffer source)
    {
        final int length = source.remaining();
        ensureCapacity(size + length);
        source.get(bytes, size, length);
        size += length;
    }

    /**
     * Make room for {@code length} more bytes, to be filled by the caller in {@link #array()}.
     *
     * @param length bytes to append.
     * @return the offset at which to write them.
     */
    int reserve(final int length)
    {
        ensureCapacity(size + length);
        final int offset = size;
        size += length;
        return offset;
    }

    private void ensureCapacity(final int capacity)
    {
        if (capacity > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
        }
    }
}
