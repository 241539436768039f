package io.sseflow.server.cluster;

import io.sseflow.server.sequencer.EventIds;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.RetainedIdCheck;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One topic's state in the {@link EventStateMachine}: its name, its place among the machine's topics (its ordinal,
 * in the order they were created), the largest numeric id it has assigned or seen in a public event, and its retained
 * events (seq, id, the ordinal of the event's first topic, publish record) oldest first, at most {@code maxCount} of
 * them. An event of several topics is retained by each of them, its record followed by its further topics' names
 * ({@link ClusterRecord}), and names its first topic, which may be another.
 * <p>
 * Its retained bytes ({@link #retainedBytes()}) are counted as each event's record length plus
 * {@link #EVENT_OVERHEAD_BYTES}: a figure of the log alone, the same on every member and after a snapshot, which the
 * machine's byte budget counts. What it holds on the heap follows it: the slot arrays grow by doubling from
 * {@value #INITIAL_SLOTS} up to {@code maxCount} and halve when a quarter full, and a slot's buffer is at most a
 * quarter (plus 64 bytes) larger than its record, is kept when the slot is reused for a record of about its size (so a
 * warmed topic appends without allocating) and let go when its event is evicted by the machine's budget.
 */
final class TopicHistory
{
    /**
     * Bytes counted per retained event besides its record: its slot (seq, id, first topic, length, buffer
     * reference) with the arrays' slack, and the buffer's object and array headers.
     */
    static final int EVENT_OVERHEAD_BYTES = 128;

    /**
     * Slots a topic starts with.
     */
    static final int INITIAL_SLOTS = 8;

    private final UnsafeBuffer name;
    private final int nameLength;
    private final int hash;
    private final int ordinal;
    private final int maxCount;
    private long[] seqs;
    private int[] firstTopics;
    private long[] ids;
    private int[] lengths;
    private UnsafeBuffer[] records;
    private final PublishRecord retained = new PublishRecord();
    private long lastId;
    private long retainedBytes;
    private int head;
    private int count;
    int heapIndex = -1;

    TopicHistory(
        final DirectBuffer name, final int nameOffset, final int nameLength, final int hash, final int maxCount,
        final int ordinal)
    {
        final byte[] bytes = new byte[nameLength];
        name.getBytes(nameOffset, bytes);
        this.name = new UnsafeBuffer(bytes);
        this.nameLength = nameLength;
        this.hash = hash;
        this.ordinal = ordinal;
        this.maxCount = maxCount;
        allocateSlots(Math.min(INITIAL_SLOTS, maxCount));
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int h = 1;
        for (int i = 0; i < length; i++)
        {
            h = 31 * h + buffer.getByte(offset + i);
        }
        return h ^ (h >>> 16);
    }

    boolean nameEquals(final int hash, final DirectBuffer buffer, final int offset, final int length)
    {
        if (hash != this.hash || length != nameLength)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name.getByte(i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    DirectBuffer name()
    {
        return name;
    }

    int nameLength()
    {
        return nameLength;
    }

    int hash()
    {
        return hash;
    }

    /**
     * This topic's place among the state machine's topics, in the order they were created.
     */
    int ordinal()
    {
        return ordinal;
    }

    long lastId()
    {
        return lastId;
    }

    void lastId(final long lastId)
    {
        this.lastId = lastId;
    }

    int count()
    {
        return count;
    }

    /**
     * Slots held now, at most {@code maxCount}.
     */
    int capacity()
    {
        return seqs.length;
    }

    /**
     * Most events retained.
     */
    int maxCount()
    {
        return maxCount;
    }

    /**
     * Bytes the retained events count: record lengths plus {@link #EVENT_OVERHEAD_BYTES} each.
     */
    long retainedBytes()
    {
        return retainedBytes;
    }

    /**
     * Seq of the oldest retained event.
     *
     * @return the seq, {@link Long#MAX_VALUE} when none is retained.
     */
    long oldestSeq()
    {
        return 0 == count ? Long.MAX_VALUE : seqs[head];
    }

    /**
     * The id of a record of which this topic is the first: the next after {@link #lastId()} when it has none, its
     * number when numeric, {@link EventSequencer#TEXT_ID} for a text id. Moves no counter for an explicit id: see
     * {@link #raiseFor}.
     */
    long decideId(final PublishRecord record)
    {
        if (!record.hasId())
        {
            return ++lastId;
        }
        return record.isNumericId() ? record.numericId() : EventSequencer.TEXT_ID;
    }

    /**
     * Raise {@link #lastId()} to a public record's explicit numeric id ({@link EventIds#raised}), so that later assigned
     * ids stay larger; a private update's id moves nothing public subscribers see.
     */
    void raiseFor(final PublishRecord record)
    {
        if (record.hasId() && record.isNumericId() && !record.isPrivate())
        {
            lastId = EventIds.raised(lastId, record.numericId());
        }
    }

    /**
     * Tell the check what this topic retains under the record's explicit id ({@link RetainedIdCheck#onTopic}): the seq
     * of the retained event of the record's kind (public or private) with that id, and whether one of the other kind
     * holds it with both ids naming their events across topics.
     */
    void checkRetained(final PublishRecord record, final RetainedIdCheck check)
    {
        final boolean numeric = record.isNumericId();
        final long numericId = record.numericId();
        final DirectBuffer idBuffer = record.buffer();
        final int idOffset = record.idOffset();
        final int idLength = record.idLength();
        final boolean isPrivate = record.isPrivate();
        final boolean hubId = record.isHubId();
        final int capacity = seqs.length;
        long sameKindSeq = 0;
        boolean clash = false;
        for (int i = 0; i < count && 0 == sameKindSeq; i++)
        {
            final int slot = (head + i) % capacity;
            final boolean matches;
            final PublishRecord retained = this.retained.wrap(records[slot], 0);
            if (numeric)
            {
                matches = ids[slot] == numericId;
            }
            else
            {
                matches = ids[slot] == EventSequencer.TEXT_ID && retained.idLength() == idLength &&
                    equalBytes(records[slot], retained.idOffset(), idBuffer, idOffset, idLength);
            }
            if (matches)
            {
                if (retained.isPrivate() == isPrivate)
                {
                    sameKindSeq = seqs[slot];
                }
                else if (hubId && retained.isHubId())
                {
                    clash = true;
                }
            }
        }
        check.onTopic(sameKindSeq, clash);
    }

    /**
     * Retain an event, evicting the oldest when {@code maxCount} are retained.
     *
     * @param seq        its hub sequence.
     * @param id         its id.
     * @param firstTopic ordinal of its first topic (this one's for an event of this topic alone).
     * @param record     the publish record, followed by its further topics' names when it has several.
     * @param offset     where it starts.
     * @param length     its length, names included.
     */
    void append(
        final long seq, final long id, final int firstTopic, final DirectBuffer record, final int offset, final int length)
    {
        if (count == maxCount)
        {
            final int oldest = head;
            retainedBytes -= lengths[oldest] + EVENT_OVERHEAD_BYTES;
            head = (head + 1) % seqs.length;
            count--;
        }
        else if (count == seqs.length)
        {
            resize(Math.min(maxCount, seqs.length << 1));
        }
        final int slot = (head + count) % seqs.length;
        UnsafeBuffer buffer = records[slot];
        if (null == buffer || buffer.capacity() < length || buffer.capacity() > length + (length >> 2) + 64)
        {
            buffer = records[slot] = new UnsafeBuffer(new byte[BitUtil.align(Math.max(length, 1), 64)]);
        }
        buffer.putBytes(0, record, offset, length);
        seqs[slot] = seq;
        ids[slot] = id;
        firstTopics[slot] = firstTopic;
        lengths[slot] = length;
        retainedBytes += length + EVENT_OVERHEAD_BYTES;
        count++;
    }

    /**
     * Evict the oldest retained event, letting its buffer go (the machine's budget needs the memory back).
     */
    void evictOldest()
    {
        final int oldest = head;
        retainedBytes -= lengths[oldest] + EVENT_OVERHEAD_BYTES;
        records[oldest] = null;
        head = (head + 1) % seqs.length;
        count--;
        if (seqs.length > INITIAL_SLOTS && count < seqs.length >> 2)
        {
            resize(Math.max(INITIAL_SLOTS, seqs.length >> 1));
        }
    }

    long seqAt(final int i)
    {
        return seqs[(head + i) % seqs.length];
    }

    long idAt(final int i)
    {
        return ids[(head + i) % seqs.length];
    }

    int firstTopicAt(final int i)
    {
        return firstTopics[(head + i) % seqs.length];
    }

    DirectBuffer recordAt(final int i)
    {
        return records[(head + i) % seqs.length];
    }

    int recordLengthAt(final int i)
    {
        return lengths[(head + i) % seqs.length];
    }

    private void allocateSlots(final int slots)
    {
        seqs = new long[slots];
        firstTopics = new int[slots];
        ids = new long[slots];
        lengths = new int[slots];
        records = new UnsafeBuffer[slots];
    }

    private void resize(final int slots)
    {
        final long[] oldSeqs = seqs;
        final int[] oldFirstTopics = firstTopics;
        final long[] oldIds = ids;
        final int[] oldLengths = lengths;
        final UnsafeBuffer[] oldRecords = records;
        final int oldLength = oldSeqs.length;
        allocateSlots(slots);
        for (int i = 0; i < count; i++)
        {
            final int from = (head + i) % oldLength;
            seqs[i] = oldSeqs[from];
            firstTopics[i] = oldFirstTopics[from];
            ids[i] = oldIds[from];
            lengths[i] = oldLengths[from];
            records[i] = oldRecords[from];
        }
        head = 0;
    }

    private static boolean equalBytes(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
