package io.sseflow.server.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A non-blocking channel stand-in for a socket whose peer reads at a chosen pace: each write takes at most
 * {@code perCall} bytes and, once {@code budget} bytes are taken, 0 (a full send buffer) until more budget is
 * {@link #allow allowed}. Keeps every byte taken and counts the writes that offered bytes, so a test can assert
 * exactly what a writer sent and in how many system calls it would have.
 */
public final class FakeChannel implements WritableByteChannel
{
    private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    private int perCall;
    private long budget;
    private int writes;
    private boolean open = true;

    private FakeChannel(final int perCall, final long budget)
    {
        this.perCall = perCall;
        this.budget = budget;
    }

    /**
     * A channel that takes everything offered.
     *
     * @return the channel.
     */
    public static FakeChannel unlimited()
    {
        return new FakeChannel(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * A channel that takes at most this many bytes per write, without a total limit.
     *
     * @param perCall bytes per write, at least 1.
     * @return the channel.
     */
    public static FakeChannel perCall(final int perCall)
    {
        if (perCall < 1)
        {
            throw new IllegalArgumentException("perCall must be at least 1: " + perCall);
        }
        return new FakeChannel(perCall, Long.MAX_VALUE);
    }

    /**
     * A channel that takes this many bytes in all, then answers 0 to every write.
     *
     * @param budget bytes before it blocks.
     * @return the channel.
     */
    public static FakeChannel blockingAfter(final long budget)
    {
        return new FakeChannel(Integer.MAX_VALUE, budget);
    }

    /**
     * Let the channel take more: {@code bytes} beyond what it has taken, or everything with {@link Long#MAX_VALUE}.
     *
     * @param bytes more bytes to take.
     */
    public void allow(final long bytes)
    {
        budget = bytes == Long.MAX_VALUE ? Long.MAX_VALUE : taken.size() + bytes;
    }

    /**
     * Change the most bytes one write takes.
     *
     * @param perCall bytes per write, at least 1.
     */
    public void perCallLimit(final int perCall)
    {
        this.perCall = perCall;
    }

    @Override
    public int write(final ByteBuffer source) throws ClosedChannelException
    {
        if (!open)
        {
            throw new ClosedChannelException();
        }
        if (!source.hasRemaining())
        {
            return 0;
        }
        writes++;
        final long room = budget == Long.MAX_VALUE ? Long.MAX_VALUE : budget - taken.size();
        final int length = (int)Math.min(Math.min(source.remaining(), perCall), Math.max(0, room));
        for (int i = 0; i < length; i++)
        {
            taken.write(source.get());
        }
        return length;
    }

    /**
     * Writes that offered at least one byte, whether or not any was taken.
     *
     * @return how many.
     */
    public int writes()
    {
        return writes;
    }

    /**
     * Every byte taken so far, as text.
     *
     * @return UTF-8 text.
     */
    public String text()
    {
        return taken.toString(StandardCharsets.UTF_8);
    }

    /**
     * Bytes taken so far.
     *
     * @return how many.
     */
    public int size()
    {
        return taken.size();
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    @Override
    public void close()
    {
        open = false;
    }
}
