package io.sseflow.server.sequencer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Space an {@link EventSequencer} reserved for one publish record: the publisher writes the record straight into
 * {@link #buffer()}, a view of exactly the claimed bytes (so a write past them fails instead of reaching the next
 * record), through a {@link PublishRecord} flyweight at offset 0, then hands the claim back with
 * {@link EventSequencer#commit} or, when encoding failed, {@link EventSequencer#abort}. Until then the sequencer
 * cannot deliver what was claimed after it, so the space is held for as short a time as the encoding takes.
 * Reused: one per publishing thread, not thread-safe.
 */
public final class PublishClaim
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;
    private long handle;
    private boolean claimed;

    /**
     * A claim of no space until a sequencer's {@code tryClaim} wraps it.
     */
    public PublishClaim()
    {
    }

    /**
     * Point the claim at reserved space; for {@link EventSequencer} implementations, in {@code tryClaim}.
     *
     * @param source holding the space (a ring's buffer, for instance).
     * @param offset where the record goes in {@code source}.
     * @param length bytes reserved, the record's length.
     * @param handle what the sequencer needs to commit or abort (a ring index, for instance).
     */
    public void wrap(final DirectBuffer source, final int offset, final int length, final long handle)
    {
        buffer.wrap(source, offset, length);
        this.length = length;
        this.handle = handle;
        this.claimed = true;
    }

    /**
     * Let go of the space; for {@link EventSequencer} implementations, in {@code commit} and {@code abort}.
     *
     * @return the handle given to {@link #wrap}.
     * @throws IllegalStateException when nothing is claimed (committed or aborted twice).
     */
    public long release()
    {
        if (!claimed)
        {
            throw new IllegalStateException("no publish record claimed");
        }
        claimed = false;
        buffer.wrap(0, 0);
        return handle;
    }

    /**
     * Is space claimed, not yet committed or aborted?
     *
     * @return true between a successful {@code tryClaim} and its {@code commit} or {@code abort}.
     */
    public boolean isClaimed()
    {
        return claimed;
    }

    /**
     * The claimed space: the record goes at offset 0, and the view ends where the claim does.
     *
     * @return a view of exactly {@link #length()} bytes.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Bytes claimed.
     *
     * @return the length.
     */
    public int length()
    {
        return length;
    }
}
