package io.sseflow.server.log;

import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The index of a {@link TopicLog}: one {@link TopicLog#INDEX_SLOT_BYTES}-byte entry per retained event, in a
 * circular direct buffer of a power-of-two number of slots, at (ordinal mod slots): the seq, the id (the number,
 * or where the text id is in the frame) and the frame's position.
 * <pre>
 *   index entry, {@link TopicLog#INDEX_SLOT_BYTES} bytes, at (ordinal mod slots) * {@link TopicLog#INDEX_SLOT_BYTES}:
 *  +--------------------------------------------------------------------------------+
 *  | seq (8 bytes)                                                                  |
 *  +--------------------------------------------------------------------------------+
 *  | id: the number, or (1 &lt;&lt; 63) | idOffset &lt;&lt; 32 | idLength for a text id in the frame;  |
 *  | bit 62 set when the id names the event across topics (see {@link TopicLog#isHubId})   |
 *  +--------------------------------------------------------------------------------+
 *  | position of the frame (8 bytes); its length is the next entry's position minus it  |
 *  +--------------------------------------------------------------------------------+
 * </pre>
 * The log decides when the index grows or shrinks and accounts for its memory; this class holds
 * the entries, copies them into a new buffer and frees the old one at once.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class EventIndex
{
    private static final int SEQ_OFFSET = 0;
    private static final int ID_OFFSET = SEQ_OFFSET + BitUtil.SIZE_OF_LONG;
    private static final int POSITION_OFFSET = ID_OFFSET + BitUtil.SIZE_OF_LONG;
    private static final long TEXT_ID_FLAG = Long.MIN_VALUE;
    private static final long HUB_ID_FLAG = 1L << 62;

    private ByteBuffer byteBuffer;
    private final UnsafeBuffer entries = new UnsafeBuffer(0, 0);
    private int slots;
    private int mask;

    /**
     * Entries the index can hold; 0 while it holds no memory.
     *
     * @return slots.
     */
    int slots()
    {
        return slots;
    }

    /**
     * Direct memory held, by capacity.
     *
     * @return bytes.
     */
    long bytes()
    {
        return (long)slots * TopicLog.INDEX_SLOT_BYTES;
    }

    /**
     * Write the entry of an event.
     *
     * @param ordinal   the event's ordinal; its slot must be free (the log evicted the event it held).
     * @param seq       the hub sequence.
     * @param numericId the id as a number, or {@link EventSequencer#TEXT_ID} for the text at idOffset/idLength.
     * @param idOffset  of the id text within the frame.
     * @param idLength  of the id text.
     * @param position  where the frame starts.
     * @param hubId     whether the id names the event across topics.
     */
    void put(
        final long ordinal,
        final long seq,
        final long numericId,
        final int idOffset,
        final int idLength,
        final long position,
        final boolean hubId)
    {
        final int slot = slot(ordinal);
        final UnsafeBuffer entries = this.entries;
        entries.putLong(slot + SEQ_OFFSET, seq);
        entries.putLong(slot + ID_OFFSET, (numericId == EventSequencer.TEXT_ID ?
            TEXT_ID_FLAG | ((long)idOffset << 32) | (idLength & 0xFFFF_FFFFL) : numericId) | (hubId ? HUB_ID_FLAG : 0));
        entries.putLong(slot + POSITION_OFFSET, position);
    }

    /**
     * Hub sequence of an indexed event.
     *
     * @param ordinal of a retained event.
     * @return the seq.
     */
    long seq(final long ordinal)
    {
        return entries.getLong(slot(ordinal) + SEQ_OFFSET);
    }

    /**
     * Where an indexed event's frame starts.
     *
     * @param ordinal of a retained event.
     * @return the position.
     */
    long position(final long ordinal)
    {
        return entries.getLong(slot(ordinal) + POSITION_OFFSET);
    }

    /**
     * The stored id of an indexed event: the number (at least 0), or a negative text-id entry to read with
     * {@link #textIdOffset(long)} and {@link #textIdLength(long)}.
     *
     * @param ordinal of a retained event.
     * @return the stored id.
     */
    long storedId(final long ordinal)
    {
        return entries.getLong(slot(ordinal) + ID_OFFSET) & ~HUB_ID_FLAG;
    }

    /**
     * Does an indexed event's id name it across topics?
     *
     * @param ordinal of a retained event.
     * @return true when appended as a hub id.
     */
    boolean isHubId(final long ordinal)
    {
        return (entries.getLong(slot(ordinal) + ID_OFFSET) & HUB_ID_FLAG) != 0;
    }

    /**
     * Offset of a text id within its frame.
     *
     * @param storedId a negative {@link #storedId(long)}.
     * @return the offset.
     */
    static int textIdOffset(final long storedId)
    {
        return (int)((storedId & ~(TEXT_ID_FLAG | HUB_ID_FLAG)) >>> 32);
    }

    /**
     * Length of a text id.
     *
     * @param storedId a negative {@link #storedId(long)}.
     * @return the length.
     */
    static int textIdLength(final long storedId)
    {
        return (int)storedId;
    }

    /**
     * Copy the entries of the retained events into a new buffer of the given number of slots and free the old one.
     *
     * @param newSlots      a power of two, at least the number of retained events.
     * @param firstOrdinal  of the oldest retained event.
     * @param nextOrdinal   of the next event to be appended.
     */
    void resize(final int newSlots, final long firstOrdinal, final long nextOrdinal)
    {
        final ByteBuffer newByteBuffer = ByteBuffer.allocateDirect(newSlots * TopicLog.INDEX_SLOT_BYTES);
        final UnsafeBuffer newEntries = new UnsafeBuffer(newByteBuffer);
        final int newMask = newSlots - 1;
        for (long ordinal = firstOrdinal; ordinal < nextOrdinal; ordinal++)
        {
            final int from = slot(ordinal);
            final int to = ((int)ordinal & newMask) * TopicLog.INDEX_SLOT_BYTES;
            newEntries.putBytes(to, entries, from, TopicLog.INDEX_SLOT_BYTES);
        }
        free();
        byteBuffer = newByteBuffer;
        entries.wrap(newByteBuffer);
        slots = newSlots;
        mask = newMask;
    }

    /**
     * Free the buffer now, if there is one.
     *
     * @return the bytes freed, 0 when none were held.
     */
    long free()
    {
        final ByteBuffer old = byteBuffer;
        if (null == old)
        {
            return 0;
        }
        final long freed = bytes();
        byteBuffer = null;
        entries.wrap(0, 0);
        slots = 0;
        mask = 0;
        BufferUtil.free(old);
        return freed;
    }

    private int slot(final long ordinal)
    {
        return ((int)ordinal & mask) * TopicLog.INDEX_SLOT_BYTES;
    }
}
