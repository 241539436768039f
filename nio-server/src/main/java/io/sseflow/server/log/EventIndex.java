package io.sseflow.server.log;

import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
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
 * Beside the entries, a hash table finds a retained event by its id without a scan: open addressing with linear
 * probing over twice as many cells as slots, each cell the slot of an event plus one (0: empty), each slot's id hash
 * kept beside it so that an evicted event's cell is removed by backward-shift deletion. Ids are unique among the
 * retained events of a topic (a publish with a retained explicit id is not appended), so the first match is the one.
 * Both tables are heap arrays made when the index is resized, never on an append.
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
    private static final int[] NO_INTS = new int[0];

    private ByteBuffer byteBuffer;
    private final UnsafeBuffer entries = new UnsafeBuffer(0, 0);
    private int slots;
    private int mask;
    private int[] idCells = NO_INTS;
    private int[] idHashes = NO_INTS;
    private int cellMask;

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
     * @param idHash    {@link #hashOf(long)} of a numeric id, {@link #hashOf(DirectBuffer, int, int)} of a text id.
     */
    void put(
        final long ordinal,
        final long seq,
        final long numericId,
        final int idOffset,
        final int idLength,
        final long position,
        final boolean hubId,
        final int idHash)
    {
        final int slotIndex = (int)ordinal & mask;
        idHashes[slotIndex] = idHash;
        insertCell(slotIndex, idHash);
        final int slot = slot(ordinal);
        final UnsafeBuffer entries = this.entries;
        entries.putLong(slot + SEQ_OFFSET, seq);
        entries.putLong(slot + ID_OFFSET, (numericId == EventSequencer.TEXT_ID ?
            TEXT_ID_FLAG | ((long)idOffset << 32) | (idLength & 0xFFFF_FFFFL) : numericId) | (hubId ? HUB_ID_FLAG : 0));
        entries.putLong(slot + POSITION_OFFSET, position);
    }

    /**
     * Forget the id of the oldest retained event, about to be evicted.
     *
     * @param ordinal of the event.
     */
    void removeId(final long ordinal)
    {
        if (0 == slots)
        {
            return;
        }
        final int slotIndex = (int)ordinal & mask;
        final int[] cells = idCells;
        final int cellMask = this.cellMask;
        int cell = idHashes[slotIndex] & cellMask;
        while (cells[cell] != slotIndex + 1)
        {
            if (0 == cells[cell])
            {
                return;
            }
            cell = (cell + 1) & cellMask;
        }
        cells[cell] = 0;
        int hole = cell;
        int next = (cell + 1) & cellMask;
        int moving;
        while (0 != (moving = cells[next]))
        {
            final int home = idHashes[moving - 1] & cellMask;
            if (((next - home) & cellMask) >= ((next - hole) & cellMask))
            {
                cells[hole] = moving;
                cells[next] = 0;
                hole = next;
            }
            next = (next + 1) & cellMask;
        }
    }

    /**
     * The retained event whose id has this hash and matches, by the hash table.
     *
     * @param idHash       the id's hash.
     * @param firstOrdinal of the oldest retained event.
     * @param frames       the log's frame buffer, whose length is a power of two, holding the text ids.
     * @param numeric      the id as a number, or -1 for a text id.
     * @param id           holding the id text.
     * @param offset       of the text.
     * @param length       of the text.
     * @return the ordinal, or {@link TopicLog#NOT_FOUND}.
     */
    long ordinalOfId(
        final int idHash,
        final long firstOrdinal,
        final UnsafeBuffer frames,
        final long numeric,
        final DirectBuffer id,
        final int offset,
        final int length)
    {
        if (0 == slots)
        {
            return TopicLog.NOT_FOUND;
        }
        final int[] cells = idCells;
        final int cellMask = this.cellMask;
        final int firstSlot = (int)firstOrdinal & mask;
        int cell = idHash & cellMask;
        int entry;
        while (0 != (entry = cells[cell]))
        {
            final int slotIndex = entry - 1;
            if (idHashes[slotIndex] == idHash)
            {
                final long ordinal = firstOrdinal + ((slotIndex - firstSlot) & mask);
                if (idMatches(ordinal, frames, numeric, id, offset, length))
                {
                    return ordinal;
                }
            }
            cell = (cell + 1) & cellMask;
        }
        return TopicLog.NOT_FOUND;
    }

    /**
     * Hash of a numeric id.
     *
     * @param numericId at least 0.
     * @return the hash.
     */
    static int hashOf(final long numericId)
    {
        final long h = numericId * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 32));
    }

    /**
     * Hash of a text id.
     *
     * @param id     holding the text.
     * @param offset of the text.
     * @param length of the text.
     * @return the hash.
     */
    static int hashOf(final DirectBuffer id, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ id.getByte(offset + i)) * 0x01000193;
        }
        return h ^ (h >>> 16);
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
        final int[] newHashes = new int[newSlots];
        for (long ordinal = firstOrdinal; ordinal < nextOrdinal; ordinal++)
        {
            final int from = slot(ordinal);
            final int to = ((int)ordinal & newMask) * TopicLog.INDEX_SLOT_BYTES;
            newEntries.putBytes(to, entries, from, TopicLog.INDEX_SLOT_BYTES);
            newHashes[(int)ordinal & newMask] = idHashes[(int)ordinal & mask];
        }
        free();
        byteBuffer = newByteBuffer;
        entries.wrap(newByteBuffer);
        slots = newSlots;
        mask = newMask;
        idHashes = newHashes;
        idCells = new int[newSlots << 1];
        cellMask = (newSlots << 1) - 1;
        for (long ordinal = firstOrdinal; ordinal < nextOrdinal; ordinal++)
        {
            final int slotIndex = (int)ordinal & newMask;
            insertCell(slotIndex, newHashes[slotIndex]);
        }
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
        idCells = NO_INTS;
        idHashes = NO_INTS;
        cellMask = 0;
        BufferUtil.free(old);
        return freed;
    }

    private boolean idMatches(
        final long ordinal,
        final UnsafeBuffer frames,
        final long numeric,
        final DirectBuffer id,
        final int offset,
        final int length)
    {
        final long storedId = storedId(ordinal);
        if (numeric >= 0)
        {
            return storedId == numeric;
        }
        if (storedId >= 0 || textIdLength(storedId) != length)
        {
            return false;
        }
        final long position = position(ordinal) + textIdOffset(storedId);
        final int frameMask = frames.capacity() - 1;
        for (int i = 0; i < length; i++)
        {
            if (frames.getByte((int)(position + i) & frameMask) != id.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private void insertCell(final int slotIndex, final int idHash)
    {
        final int[] cells = idCells;
        final int cellMask = this.cellMask;
        int cell = idHash & cellMask;
        while (0 != cells[cell])
        {
            cell = (cell + 1) & cellMask;
        }
        cells[cell] = slotIndex + 1;
    }

    private int slot(final long ordinal)
    {
        return ((int)ordinal & mask) * TopicLog.INDEX_SLOT_BYTES;
    }
}
