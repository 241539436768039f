package io.sseflow.server;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for reading requests, kept for reuse up to a bound so that memory held by idle
 * connections stays small. Agent thread only.
 */
final class BufferPool
{
    private final int bufferCapacity;
    private final int maxPooled;
    private final ArrayDeque<PooledBuffer> pool;

    BufferPool(final int bufferCapacity, final int maxPooled)
    {
        this.bufferCapacity = bufferCapacity;
        this.maxPooled = maxPooled;
        this.pool = new ArrayDeque<>(maxPooled);
    }

    PooledBuffer acquire()
    {
        final PooledBuffer buffer = pool.pollFirst();
        return null != buffer ? buffer : new PooledBuffer(this, ByteBuffer.allocateDirect(bufferCapacity));
    }

    void release(final PooledBuffer buffer)
    {
        if (pool.size() < maxPooled)
        {
            buffer.byteBuffer.clear();
            pool.addFirst(buffer);
        }
    }

    /**
     * A direct buffer with an Agrona view over it.
     */
    static final class PooledBuffer
    {
        final BufferPool owner;
        final ByteBuffer byteBuffer;
        final UnsafeBuffer view;

        PooledBuffer(final BufferPool owner, final ByteBuffer byteBuffer)
        {
            this.owner = owner;
            this.byteBuffer = byteBuffer;
            this.view = new UnsafeBuffer(byteBuffer);
        }

        int capacity()
        {
            return byteBuffer.capacity();
        }

        void release()
        {
            owner.release(this);
        }
    }
}
