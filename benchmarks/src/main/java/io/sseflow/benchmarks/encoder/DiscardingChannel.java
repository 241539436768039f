package io.sseflow.benchmarks.encoder;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link WritableByteChannel} that accepts everything and keeps only a count of the bytes (which the benchmark
 * returns, so the writes cannot be optimised away), or, while checking a contender, a copy of them.
 */
final class DiscardingChannel implements WritableByteChannel
{
    private long bytesWritten;
    private ByteSink capture;

    /**
     * Copy what is written into a sink (set-up only), or stop copying with null.
     *
     * @param capture to copy into, or null.
     */
    void capture(final ByteSink capture)
    {
        this.capture = capture;
    }

    /**
     * Total bytes written.
     *
     * @return the count.
     */
    long bytesWritten()
    {
        return bytesWritten;
    }

    @Override
    public int write(final ByteBuffer source)
    {
        final int length = source.remaining();
        if (null != capture)
        {
            capture.write(source);
        }
        else
        {
            source.position(source.limit());
        }
        bytesWritten += length;
        return length;
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }

    @Override
    public void close()
    {
    }
}
