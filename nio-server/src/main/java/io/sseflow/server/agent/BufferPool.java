package io.sseflow.server.agent;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size for reading requests. At most {@code maxBuffers} exist at once: {@link #acquire()}
 * answers null when all of them are in use, so the memory a pool can take is {@code maxBuffers x bufferCapacity},
 * whatever clients do. Up to {@code maxPooled} free ones are kept for reuse, so that memory held by idle
 * connections stays small. A buffer given back can be handed straight to a waiting request by the pool's
 * {@link Handover}, which keeps the order in which requests asked for one. Agent thread only.
 */
final class BufferPool
{
    /**
     * Takes a buffer just given back for a request waiting for one.
     */
    @FunctionalInterface
    interface Handover
    {
        /**
         * A buffer was given back.
         *
         * @param buffer the buffer, to keep for a waiting request.
         * @return true when it was handed to one; false to pool it.
         */
        boolean onReleased(PooledBuffer buffer);
    }

    private final int bufferCapacity;
    private final int maxPooled;
    private final int maxBuffers;
    private final ArrayDeque<PooledBuffer> pool;
    private Handover handover;
    private int allocated;

    /**
     * A pool that allocates as many buffers as asked for, keeping {@code maxPooled} free ones.
     *
     * @param bufferCapacity bytes of each buffer.
     * @param maxPooled      free buffers kept for reuse.
     */
    BufferPool(final int bufferCapacity, final int maxPooled)
    {
        this(bufferCapacity, maxPooled, Integer.MAX_VALUE);
    }

    /**
     * A pool of at most {@code maxBuffers} buffers.
     *
     * @param bufferCapacity bytes of each buffer.
     * @param maxPooled      free buffers kept for reuse.
     * @param maxBuffers     buffers in existence at most.
     */
    BufferPool(final int bufferCapacity, final int maxPooled, final int maxBuffers)
    {
        this.bufferCapacity = bufferCapacity;
        this.maxPooled = Math.min(maxPooled, maxBuffers);
        this.maxBuffers = maxBuffers;
        this.pool = new ArrayDeque<>(Math.min(this.maxPooled, 1024));
    }

    void handover(final Handover handover)
    {
        this.handover = handover;
    }

    /**
     * A buffer, cleared.
     *
     * @return a free or new buffer, or null when {@code maxBuffers} are in use.
     */
    PooledBuffer acquire()
    {
        final PooledBuffer buffer = pool.pollFirst();
        if (null != buffer)
        {
            return buffer;
        }
        if (allocated >= maxBuffers)
        {
            return null;
        }
        allocated++;
        return new PooledBuffer(this, ByteBuffer.allocateDirect(bufferCapacity));
    }

    int bufferCapacity()
    {
        return bufferCapacity;
    }

    int inUse()
    {
        return allocated - pool.size();
    }

    void release(final PooledBuffer buffer)
    {
        buffer.byteBuffer.clear();
        if (null != handover && handover.onReleased(buffer))
        {
            return;
        }
        if (pool.size() < maxPooled)
        {
            pool.addFirst(buffer);
        }
        else
        {
            allocated--;
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
