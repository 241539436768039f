package io.sseflow.server.agent;

import io.sseflow.encoder.SseFields;
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
 * complete: after the newest seq any of them has evicted, so what the stream replays has no gap.
 * <p>
 * Not thread-safe: owned by the server agent; runs when a stream is created, not per event.
 */
final class StreamFill
{
    private static final byte[] ID_FIELD = {'i', 'd', ':', ' '};

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer renamed = new UnsafeBuffer(new byte[4096 + 32]);

    void fill(final SharedStream stream)
    {
        final int count = stream.topicCount;
        final TopicLog[] logs = new TopicLog[2 * count];
        final long[] ordinals = new long[2 * count];
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
        }

        final TopicLog target = stream.log;
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
     * Add a log to the min-heap of logs by the seq of their next event: the merge takes O(log n) per event.
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
