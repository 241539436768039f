package io.sseflow.server.log;

import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * History of one topic: the encoded SSE frames, back to back, in a circular direct buffer, with an index of
 * {@code [seq][id][position]} per retained event in a second, smaller direct buffer. Positions are absolute byte
 * offsets in the topic's stream since the log was created, so a subscriber is nothing more than a position: it is
 * sent {@code log[position..head)} and the log never copies per subscriber.
 * <p>
 * Two numbers name an event here, never to be confused: its <b>ordinal</b>, its place in this topic's log (0 for
 * the first event the log ever took, one more per append; what cursors count), and its <b>seq</b>, the hub
 * sequence the {@link EventSequencer} gave it, its place in the one total order of every topic's events. Seq
 * increases from one event of a topic to the next (with gaps: other topics' events are in between), so the index
 * is searched for a seq by bisection ({@link #ordinalOfSeq}, {@link #ordinalAfterSeq}). The index entry's layout
 * is {@link EventIndex}'s.
 * <p>
 * A new log holds no memory at all. The first append allocates a small buffer and index; both double as events
 * arrive, the buffer up to {@code maxCapacity} bytes and the index up to {@code historyLimit} events, and past
 * either the oldest events are evicted. All topic logs of a server share one {@link HistoryBudget}, and all its
 * stream logs another (a log's budget is fixed when it is made): when it is short, a log takes room from the logs of
 * its budget holding the most, which shrink (evicting their oldest events), or evicts its own oldest when it holds
 * the most itself. A log may also count in an owner's {@link BudgetShare}. A log whose events are all evicted frees
 * its buffers at once ({@link BufferUtil#free}), not at the next GC. Bytes before {@link #tailPosition()} may be overwritten or freed
 * at any time, so a position below it has been lapped.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
public final class TopicLog
{
    /**
     * Returned by {@link #ordinalAfterId} and {@link #ordinalOfSeq} when the event is not retained, and by
     * {@link #firstSeq()} and {@link #lastSeq()} when the log is empty.
     */
    public static final long NOT_FOUND = -1;

    /**
     * Size of the first buffer (or of the one frame it must hold, when larger).
     */
    public static final int INITIAL_CAPACITY = 4096;

    /**
     * Events the first index holds.
     */
    public static final int INITIAL_INDEX_SLOTS = 8;

    /**
     * Bytes of one index entry: the event's seq, its id (a number, or where the text id is in the frame) and the
     * frame's position.
     */
    public static final int INDEX_SLOT_BYTES = 24;

    /**
     * Most events a log retains, whatever the history setting: its index then takes 1.5 GiB.
     */
    public static final int MAX_INDEX_SLOTS = 1 << 26;

    private final int historyLimit;
    private final int maxCapacity;
    private final int maxIndexSlots;
    private final HistoryBudget budget;
    private final BudgetShare share;

    private final FrameRing ring = new FrameRing();

    private final EventIndex index = new EventIndex();

    private long headPosition;
    private long tailPosition;
    private long firstOrdinal;
    private long nextOrdinal;
    private long lastSeq;
    private long highestNumericId = -1;
    private long sharedBytes;
    private boolean closed;

    int budgetIndex = -1;

    /**
     * An empty log with no bound but its own.
     *
     * @param historyLimit most events retained.
     * @param maxCapacity  most bytes retained, a power of two.
     */
    public TopicLog(final int historyLimit, final int maxCapacity)
    {
        this(historyLimit, maxCapacity, HistoryBudget.unbounded());
    }

    /**
     * An empty log, holding no memory until its first append.
     *
     * @param historyLimit most events retained.
     * @param maxCapacity  most bytes retained, a power of two.
     * @param budget       shared by every log of the server.
     */
    public TopicLog(final int historyLimit, final int maxCapacity, final HistoryBudget budget)
    {
        this(historyLimit, maxCapacity, budget, null);
    }

    /**
     * An empty log, holding no memory until its first append, whose memory is also counted in an owner's share of
     * the budget.
     *
     * @param historyLimit most events retained.
     * @param maxCapacity  most bytes retained, a power of two.
     * @param budget       shared by every log of its kind (topic history; stream logs have their own).
     * @param share        the owner's share the log's bytes count in, or null for none.
     */
    public TopicLog(final int historyLimit, final int maxCapacity, final HistoryBudget budget, final BudgetShare share)
    {
        if (historyLimit < 1)
        {
            throw new IllegalArgumentException("history must be at least 1 event: " + historyLimit);
        }
        if (!BitUtil.isPowerOfTwo(maxCapacity))
        {
            throw new IllegalArgumentException("history bytes must be a power of two: " + maxCapacity);
        }
        this.historyLimit = Math.min(historyLimit, MAX_INDEX_SLOTS);
        this.maxCapacity = maxCapacity;
        this.maxIndexSlots = BitUtil.findNextPositivePowerOfTwo(this.historyLimit);
        this.budget = budget;
        this.share = share;
        if (null != share)
        {
            share.onLogMade();
        }
    }

    /**
     * Most events the log retains.
     *
     * @return events.
     */
    public int historyLimit()
    {
        return historyLimit;
    }

    /**
     * Most bytes of frames the log retains.
     *
     * @return bytes, a power of two.
     */
    public int maxCapacity()
    {
        return maxCapacity;
    }

    /**
     * The owner's share the log's bytes count in.
     *
     * @return the share, or null.
     */
    public BudgetShare share()
    {
        return share;
    }

    /**
     * Append one whole frame whose id names it within this topic only: {@link #append(DirectBuffer, int, int, int,
     * int, long, long, boolean)} with {@code hubId} false.
     */
    public long append(
        final DirectBuffer frame,
        final int offset,
        final int length,
        final int idOffset,
        final int idLength,
        final long seq,
        final long numericId)
    {
        return append(frame, offset, length, idOffset, idLength, seq, numericId, false);
    }

    /**
     * Append one whole frame, saying whether its id names the event across topics (a Mercure update's id, kept on
     * streams of several topics) or only within its topic (named by its seq there).
     *
     * @param frame       holding the encoded frame.
     * @param offset      of the frame.
     * @param length      of the frame, at most the log's maximum capacity.
     * @param idOffset    offset of the id text within the frame.
     * @param idLength    length of the id text.
     * @param seq         the event's hub sequence, above every seq appended before.
     * @param numericId   the id as a number, or {@link EventSequencer#TEXT_ID}.
     * @param hubId       true when the id names the event across topics; see {@link #isHubId(long)}.
     * @return the event's ordinal in this topic.
     */
    public long append(
        final DirectBuffer frame,
        final int offset,
        final int length,
        final int idOffset,
        final int idLength,
        final long seq,
        final long numericId,
        final boolean hubId)
    {
        if (length > maxCapacity)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes exceeds history of " + maxCapacity);
        }
        if (seq <= lastSeq)
        {
            throw new IllegalArgumentException("seq " + seq + " is not above the last appended seq " + lastSeq);
        }
        if (nextOrdinal - firstOrdinal >= historyLimit)
        {
            evictOldest();
        }
        ensureIndexSlot();
        ensureCapacity(length);

        final long position = headPosition;
        ring.put(position, frame, offset, length);

        final long ordinal = nextOrdinal;
        index.put(ordinal, seq, numericId, idOffset, idLength, position, hubId, numericId == EventSequencer.TEXT_ID ?
            EventIndex.hashOf(frame, offset + idOffset, idLength) : EventIndex.hashOf(numericId));

        headPosition = position + length;
        nextOrdinal = ordinal + 1;
        lastSeq = seq;
        if (numericId != EventSequencer.TEXT_ID && numericId > highestNumericId)
        {
            highestNumericId = numericId;
        }

        return ordinal;
    }

    /**
     * Ordinal of the event right after the one with the given id, searching newest first. Numeric ids
     * compare as numbers ({@code 42} matches an event whose id is 42); anything else compares byte for byte.
     *
     * @param id     holding the id text.
     * @param offset of the text.
     * @param length of the text.
     * @return the ordinal to resume at, or {@link #NOT_FOUND}.
     */
    public long ordinalAfterId(final DirectBuffer id, final int offset, final int length)
    {
        final long ordinal = ordinalOfId(id, offset, length);
        return NOT_FOUND == ordinal ? NOT_FOUND : ordinal + 1;
    }

    /**
     * Ordinal of the retained event with the given id, found through the index's hash table without a scan or an
     * allocation. Numeric ids compare as numbers; anything else compares byte for byte.
     *
     * @param id     holding the id text.
     * @param offset of the text.
     * @param length of the text.
     * @return the ordinal, or {@link #NOT_FOUND}.
     */
    public long ordinalOfId(final DirectBuffer id, final int offset, final int length)
    {
        final long numeric = PublishRecord.parseNumericId(id, offset, length);
        final int hash = numeric >= 0 ? EventIndex.hashOf(numeric) : EventIndex.hashOf(id, offset, length);
        return index.ordinalOfId(hash, firstOrdinal, ring.buffer(), numeric, id, offset, length);
    }

    /**
     * The largest numeric id this log has taken since it was created, retained or not.
     *
     * @return the id, -1 before the first numeric id.
     */
    public long highestNumericId()
    {
        return highestNumericId;
    }

    /**
     * Ordinal of the retained event with exactly this seq, by bisection of the index.
     *
     * @param seq the hub sequence.
     * @return the ordinal, or {@link #NOT_FOUND} when no retained event of this topic has that seq.
     */
    public long ordinalOfSeq(final long seq)
    {
        final long ordinal = ordinalAfterSeq(seq - 1);
        return ordinal < nextOrdinal && seq(ordinal) == seq ? ordinal : NOT_FOUND;
    }

    /**
     * Ordinal of the oldest retained event whose seq is above the given one, by bisection of the index: where a
     * stream that has seen every event up to {@code seq} resumes in this topic. Below {@link #firstSeq()} it is
     * {@link #firstOrdinal()} (whether events were evicted in between is for the caller to tell); at or above
     * {@link #lastSeq()} it is {@link #nextOrdinal()}.
     *
     * @param seq the hub sequence.
     * @return an ordinal from {@link #firstOrdinal()} to {@link #nextOrdinal()}.
     */
    public long ordinalAfterSeq(final long seq)
    {
        long low = firstOrdinal;
        long high = nextOrdinal;
        while (low < high)
        {
            final long middle = (low + high) >>> 1;
            if (seq(middle) <= seq)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Hub sequence of a retained event.
     *
     * @param ordinal from {@link #firstOrdinal()} to {@link #nextOrdinal()} - 1.
     * @return the seq.
     */
    public long seq(final long ordinal)
    {
        return index.seq(ordinal);
    }

    /**
     * Was a retained event appended with an id that names it across topics (a Mercure update's)?
     *
     * @param ordinal from {@link #firstOrdinal()} to {@link #nextOrdinal()} - 1.
     * @return true for a hub id.
     */
    public boolean isHubId(final long ordinal)
    {
        return index.isHubId(ordinal);
    }

    /**
     * Hub sequence of the oldest retained event.
     *
     * @return the seq, or {@link #NOT_FOUND} when the log is empty.
     */
    public long firstSeq()
    {
        return isEmpty() ? NOT_FOUND : seq(firstOrdinal);
    }

    /**
     * Hub sequence of the newest retained event.
     *
     * @return the seq, or {@link #NOT_FOUND} when the log is empty.
     */
    public long lastSeq()
    {
        return isEmpty() ? NOT_FOUND : lastSeq;
    }

    /**
     * Position where an event's frame starts; {@link #headPosition()} for the next, not yet appended, one.
     *
     * @param ordinal between {@link #firstOrdinal()} and {@link #nextOrdinal()}.
     * @return the position.
     */
    public long framePosition(final long ordinal)
    {
        return ordinal == nextOrdinal ? headPosition : index.position(ordinal);
    }

    /**
     * Position right after an event's frame (frames are back to back, so where the next one starts).
     *
     * @param ordinal between {@link #firstOrdinal()} and {@link #nextOrdinal()} - 1.
     * @return the position.
     */
    public long frameEndPosition(final long ordinal)
    {
        return framePosition(ordinal + 1);
    }

    /**
     * Write {@code log[from..to)} to a channel, in one write unless the range wraps around the buffer end.
     *
     * @param channel to write to (non-blocking).
     * @param from    first position, at least {@link #tailPosition()}.
     * @param to      end position, at most {@link #headPosition()}.
     * @return bytes written, possibly fewer than asked.
     * @throws IOException from the channel.
     */
    public long writeTo(final WritableByteChannel channel, final long from, final long to) throws IOException
    {
        return ring.writeTo(channel, from, to);
    }

    /**
     * Copy {@code log[from..from+length)} into a buffer (for tests and diagnostics).
     *
     * @param from        first position, at least {@link #tailPosition()}.
     * @param length      bytes, ending at most at {@link #headPosition()}.
     * @param destination to copy into.
     * @param at          index in the destination.
     */
    public void getBytes(final long from, final int length, final MutableDirectBuffer destination, final int at)
    {
        ring.getBytes(from, length, destination, at);
    }

    /**
     * Position right after the newest frame.
     *
     * @return the head position.
     */
    public long headPosition()
    {
        return headPosition;
    }

    /**
     * Position of the oldest retained frame; bytes before it are gone.
     *
     * @return the tail position.
     */
    public long tailPosition()
    {
        return tailPosition;
    }

    /**
     * Ordinal of the oldest retained event.
     *
     * @return the ordinal.
     */
    public long firstOrdinal()
    {
        return firstOrdinal;
    }

    /**
     * Ordinal the next appended event will get.
     *
     * @return the ordinal.
     */
    public long nextOrdinal()
    {
        return nextOrdinal;
    }

    /**
     * Does the log retain no event?
     *
     * @return true when empty (it then holds no memory either).
     */
    public boolean isEmpty()
    {
        return nextOrdinal == firstOrdinal;
    }

    /**
     * Current buffer capacity in bytes; 0 while the log holds no event.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return ring.capacity();
    }

    /**
     * Events the current index can hold; 0 while the log holds no event.
     *
     * @return index entries.
     */
    public int indexSlots()
    {
        return index.slots();
    }

    /**
     * Direct memory held: the buffer and the index, by capacity. This is what the {@link HistoryBudget} counts.
     *
     * @return bytes.
     */
    public long heldBytes()
    {
        return ring.capacity() + index.bytes();
    }

    /**
     * Evict every event and free the buffers now (the topic or stream is gone; its share, if any, counts one log
     * less). Positions stay where they are, so a cursor still pointing here reads nothing and sees itself lapped if it
     * had anything left to send.
     */
    public void close()
    {
        evictAll();
        if (null != share && !closed)
        {
            share.onLogClosed();
        }
        closed = true;
    }

    private void evictAll()
    {
        firstOrdinal = nextOrdinal;
        tailPosition = headPosition;
        freeAll();
    }

    /**
     * Give memory back to the budget: halve the buffer, evicting the oldest events that no longer fit, or, at the
     * smallest size, evict everything and free the buffers. Always frees something while anything is held.
     */
    void shrinkForBudget()
    {
        final int newCapacity = ring.capacity() >> 1;
        if (newCapacity >= INITIAL_CAPACITY)
        {
            while (headPosition - tailPosition > newCapacity)
            {
                evictOldest();
            }
            if (!isEmpty())
            {
                resizeBuffer(newCapacity);
                final int needed = Math.max(INITIAL_INDEX_SLOTS, BitUtil.findNextPositivePowerOfTwo(eventCount()));
                if (needed < index.slots())
                {
                    resizeIndex(needed);
                }
                return;
            }
        }
        evictAll();
    }

    private int eventCount()
    {
        return (int)(nextOrdinal - firstOrdinal);
    }

    private void ensureIndexSlot()
    {
        int indexSlots;
        while (eventCount() >= (indexSlots = index.slots()))
        {
            final boolean empty = isEmpty();
            final int newSlots = 0 == indexSlots ? Math.min(INITIAL_INDEX_SLOTS, maxIndexSlots) : indexSlots << 1;
            final long newBytes = (long)newSlots * INDEX_SLOT_BYTES;
            if (newSlots <= maxIndexSlots &&
                budget.reserve(this, newBytes, heldBytes() - index.bytes() + newBytes, empty))
            {
                resizeIndex(newSlots);
            }
            else
            {
                evictOldest();
            }
        }
    }

    private void ensureCapacity(final int length)
    {
        int capacity;
        while (headPosition + length - tailPosition > (capacity = ring.capacity()))
        {
            if (isEmpty())
            {
                final int needed = Math.min(maxCapacity, Math.max(INITIAL_CAPACITY, BitUtil.findNextPositivePowerOfTwo(length)));
                budget.reserve(this, needed, heldBytes() - capacity + needed, true);
                replaceBuffer(needed);
            }
            else if (capacity < maxCapacity &&
                budget.reserve(this, (long)capacity << 1, heldBytes() + capacity, false))
            {
                resizeBuffer(capacity << 1);
            }
            else
            {
                evictOldest();
            }
        }
    }

    private void evictOldest()
    {
        index.removeId(firstOrdinal);
        firstOrdinal++;
        tailPosition = firstOrdinal == nextOrdinal ? headPosition : framePosition(firstOrdinal);
    }

    /**
     * Swap in a buffer of the given capacity, already reserved, without copying (the log is empty).
     */
    private void replaceBuffer(final int newCapacity)
    {
        release(ring.replace(newCapacity));
        changed();
    }

    /**
     * Copy the retained frames into a buffer of the given capacity (reserved when growing, taken here when
     * shrinking) and free the old one.
     */
    private void resizeBuffer(final int newCapacity)
    {
        if (newCapacity < ring.capacity())
        {
            budget.take(newCapacity);
        }
        release(ring.resize(newCapacity, tailPosition, headPosition));
        changed();
    }

    private void resizeIndex(final int newSlots)
    {
        if (newSlots < index.slots())
        {
            budget.take((long)newSlots * INDEX_SLOT_BYTES);
        }
        final long oldBytes = index.bytes();
        index.resize(newSlots, firstOrdinal, nextOrdinal);
        if (0 != oldBytes)
        {
            budget.release(oldBytes);
        }
        changed();
    }

    private void freeAll()
    {
        freeBuffer();
        freeIndex();
        changed();
    }

    private void changed()
    {
        budget.changed(this);
        if (null != share)
        {
            final long held = heldBytes();
            share.add(held - sharedBytes);
            sharedBytes = held;
        }
    }

    private void freeBuffer()
    {
        release(ring.free());
    }

    private void release(final long bytes)
    {
        if (0 != bytes)
        {
            budget.release(bytes);
        }
    }

    private void freeIndex()
    {
        release(index.free());
    }
}
