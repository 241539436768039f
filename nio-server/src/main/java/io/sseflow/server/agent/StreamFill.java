package io.sseflow.server.agent;

import io.sseflow.encoder.SseFields;
import io.sseflow.server.log.BudgetShare;
import io.sseflow.server.log.TopicLog;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fills a new {@link SharedStream}'s log from the retained history of the topics it is subscribed to, merged by seq
 * (an event of several topics, kept in each of their logs, is taken once), each frame named as the stream names it:
 * an event with a hub id as it is, any other with its seq. A topic's private updates ({@link TopicState#privateLog})
 * are merged in only where the stream's link to the topic is {@link SharedStream#PRIVATE_ALLOWED}, as live delivery
 * sends them. The merge starts where every topic's history is still
 * complete: after the newest seq any of them has evicted, so what the stream replays has no gap; and it copies only
 * the newest events its log may hold ({@link #room}), so its own limits never make the log evict during the fill and
 * it holds one unbroken run of events up to the newest (when the stream-log budget is short the log may still give up
 * its oldest, keeping that run unbroken).
 * <p>
 * The fill reads topic logs and appends to a stream log, whose growth draws on the stream-log budget
 * ({@link StreamLogs}), never on the topic history budget: no append here can shrink, evict or free a log being read,
 * so every frame copied is one that was whole in its topic's log when the fill began.
 * <p>
 * Not thread-safe: owned by the server agent; runs when a stream is linked, not per event: both merges (newest first
 * to find where the fill starts, then oldest first to copy) take O(log n) per event for n topic logs.
 */
final class StreamFill
{
    private static final byte[] ID_FIELD = {'i', 'd', ':', ' '};

    /**
     * Most bytes an event's frame grows by when its id is renamed to its seq (at most 19 digits, the id it replaces
     * at least none).
     */
    static final int MAX_RENAME_GROWTH = 19;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer renamed = new UnsafeBuffer(new byte[4096 + 32]);

    /**
     * Fill a new stream's empty log with the newest part of its topics' merged history that the log may hold: at
     * most {@link TopicLog#historyLimit()} events and {@link #room(TopicLog)} bytes, so the fill never makes the log
     * evict what it has just copied.
     *
     * @param stream linked to its topics, its log empty.
     */
    void fill(final SharedStream stream)
    {
        final int count = stream.topicCount;
        final TopicLog[] logs = new TopicLog[2 * count];
        final long[] ordinals = new long[2 * count];
        final long[] ends = new long[2 * count];
        long floor = 0;
        int used = 0;
        for (int i = 0; i < count; i++)
        {
            final TopicState topic = stream.topics[i];
            final int flags = flags(topic, stream);
            if ((flags & SharedStream.SUBSCRIBED) == 0)
            {
                continue;
            }
            final TopicLog log = topic.log;
            if (null != log && !log.isEmpty())
            {
                logs[used++] = log;
                floor = raisedFloor(floor, log);
            }
            final TopicLog privateLog = topic.privateLog;
            if ((flags & SharedStream.PRIVATE_ALLOWED) != 0 && null != privateLog && !privateLog.isEmpty())
            {
                logs[used++] = privateLog;
                floor = raisedFloor(floor, privateLog);
            }
        }
        for (int i = 0; i < used; i++)
        {
            ordinals[i] = logs[i].ordinalAfterSeq(floor - 1);
            ends[i] = logs[i].nextOrdinal();
        }

        final TopicLog target = stream.log;
        final long after = newestThatFit(logs, ordinals, ends, used, room(target), target.historyLimit(), floor - 1);
        for (int i = 0; i < used; i++)
        {
            ordinals[i] = logs[i].ordinalAfterSeq(after);
        }
        final int[] heap = new int[used];
        final long[] heads = new long[used];
        int size = 0;
        for (int i = 0; i < used; i++)
        {
            if (ordinals[i] < logs[i].nextOrdinal())
            {
                heads[i] = logs[i].seq(ordinals[i]);
                size = push(heap, size, heads, i);
            }
        }
        while (size > 0)
        {
            final int from = heap[0];
            final long seq = heads[from];
            append(target, logs[from], ordinals[from], seq);
            while (size > 0 && heads[heap[0]] == seq)
            {
                final int log = heap[0];
                size = pop(heap, size, heads);
                if (++ordinals[log] < logs[log].nextOrdinal())
                {
                    heads[log] = logs[log].seq(ordinals[log]);
                    size = push(heap, size, heads, log);
                }
            }
        }
    }

    /**
     * Bytes a fill may copy into an empty log: its largest buffer, and no more than what is left of its owner's
     * share of the stream-log budget.
     *
     * @param log to fill.
     * @return bytes.
     */
    static long room(final TopicLog log)
    {
        final BudgetShare share = log.share();
        return null == share ? log.maxCapacity() : Math.min(log.maxCapacity(), share.room());
    }

    /**
     * Walk the merged history newest first, counting each event once at the most its frame takes in the stream log
     * (a renamed id is at most {@link #MAX_RENAME_GROWTH} bytes longer), until the next one would pass the room or
     * the event limit.
     *
     * @return the seq after which the fill starts: the newest one left out, or {@code floorSeq} when all fit.
     */
    private static long newestThatFit(
        final TopicLog[] logs,
        final long[] starts,
        final long[] ends,
        final int used,
        final long room,
        final int maxEvents,
        final long floorSeq)
    {
        final int[] heap = new int[used];
        final long[] heads = new long[used];
        int size = 0;
        for (int i = 0; i < used; i++)
        {
            if (ends[i] > starts[i])
            {
                heads[i] = -logs[i].seq(ends[i] - 1);
                size = push(heap, size, heads, i);
            }
        }
        long bytes = 0;
        int events = 0;
        while (size > 0)
        {
            final int from = heap[0];
            final long seq = -heads[from];
            final long ordinal = ends[from] - 1;
            final long length =
                logs[from].frameEndPosition(ordinal) - logs[from].framePosition(ordinal) + MAX_RENAME_GROWTH;
            if (events == maxEvents || bytes + length > room)
            {
                return seq;
            }
            bytes += length;
            events++;
            while (size > 0 && heads[heap[0]] == -seq)
            {
                final int log = heap[0];
                size = pop(heap, size, heads);
                if (--ends[log] > starts[log])
                {
                    heads[log] = -logs[log].seq(ends[log] - 1);
                    size = push(heap, size, heads, log);
                }
            }
        }
        return floorSeq;
    }

    /**
     * Add a log to a min-heap of logs by {@code heads} (the seq of the next event to take, negated to walk newest
     * first): each merge step then costs O(log n) for n logs, not a scan of all of them.
     */
    private static int push(final int[] heap, final int size, final long[] heads, final int log)
    {
        int at = size;
        while (at > 0)
        {
            final int parent = (at - 1) >> 1;
            if (heads[heap[parent]] <= heads[log])
            {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = log;
        return size + 1;
    }

    private static int pop(final int[] heap, final int size, final long[] heads)
    {
        final int last = heap[size - 1];
        final int count = size - 1;
        int at = 0;
        while (true)
        {
            int child = (at << 1) + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && heads[heap[child + 1]] < heads[heap[child]])
            {
                child++;
            }
            if (heads[heap[child]] >= heads[last])
            {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        if (count > 0)
        {
            heap[at] = last;
        }
        return count;
    }

    private void append(final TopicLog target, final TopicLog source, final long ordinal, final long seq)
    {
        final long position = source.framePosition(ordinal);
        final int length = (int)(source.frameEndPosition(ordinal) - position);
        if (length > frame.capacity())
        {
            frame.wrap(new byte[length]);
            renamed.wrap(new byte[length + 32]);
        }
        final UnsafeBuffer frame = this.frame;
        source.getBytes(position, length, frame, 0);
        final int idLine = idLineOffset(frame, length);
        final int idText = idLine + ID_FIELD.length;
        int idEnd = idText;
        while (frame.getByte(idEnd) != '\n')
        {
            idEnd++;
        }
        if (source.isHubId(ordinal))
        {
            final long numeric = PublishRecord.parseNumericId(frame, idText, idEnd - idText);
            target.append(frame, 0, length, idText, idEnd - idText, seq,
                numeric >= 0 ? numeric : EventSequencer.TEXT_ID, true);
            return;
        }
        final UnsafeBuffer renamed = this.renamed;
        renamed.putBytes(0, frame, 0, idLine);
        int at = idLine + SseFields.putIdField(renamed, idLine, seq);
        final int rest = length - (idEnd + 1);
        renamed.putBytes(at, frame, idEnd + 1, rest);
        at += rest;
        target.append(renamed, 0, at, idText, 0, seq, seq, false);
    }

    private static long raisedFloor(final long floor, final TopicLog log)
    {
        return log.firstOrdinal() > 0 ? Math.max(floor, log.firstSeq()) : floor;
    }

    private static int flags(final TopicState topic, final SharedStream stream)
    {
        for (int i = 0; i < topic.feedCount; i++)
        {
            if (topic.feeds[i] == stream)
            {
                return topic.feedFlags[i];
            }
        }
        return 0;
    }

    /**
     * Where the {@code id:} line of a frame the agent assembled starts: after its {@code retry:} and {@code event:}
     * lines, before its {@code data:} lines.
     */
    static int idLineOffset(final DirectBuffer frame, final int length)
    {
        int at = 0;
        while (at + ID_FIELD.length <= length)
        {
            if (frame.getByte(at) == 'i' && frame.getByte(at + 1) == 'd' && frame.getByte(at + 2) == ':')
            {
                return at;
            }
            while (frame.getByte(at) != '\n')
            {
                at++;
            }
            at++;
        }
        throw new IllegalStateException("frame without an id line");
    }
}
