package io.sseflow.server.agent;

import io.sseflow.server.ServerCounter;
import io.sseflow.server.log.TopicLog;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Subscribers held until this node's log catches up with their {@code Last-Event-ID}: with a sequencer whose log
 * can be behind ({@link EventSequencer#canBeBehind()}, a cluster member), a client that moves here from another node
 * may bring an id this node has not applied yet. Replaying every retained event then would repeat what the client
 * has; instead its stream opens (the response head goes out, so browsers keep it) but it is not yet a subscriber of
 * the topic: every event appended meanwhile is skipped (the client has them, their ids being at or below its own),
 * and when the event with the client's id is appended the stream starts right after it (or, for a numeric id, at the
 * first event with a larger one, should the log skip it). An id that looks behind
 * instead (a numeric id at or below the largest the log has seen, once the sequencer is ready) is not held: the
 * replay-miss rule applies as before. A hold that does not catch up within {@link #HOLD_TIMEOUT_NS} ends with that
 * rule too (every retained event).
 * <p>
 * Not thread-safe: owned by the server agent; holds are kept in pre-sized arrays that grow only when more clients
 * are held at once than ever before.
 */
final class CatchUpHolds
{
    /**
     * Longest hold.
     */
    static final long HOLD_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static final int MAX_ID_BYTES = 1024;
    private static final ByteBuffer NO_HEAD = null;   // a cursor reopened here sends no control bytes

    private final EventSequencer sequencer;
    private final ServerCounters metrics;
    private final SubscriberFlusher flusher;
    private Connection[] held = new Connection[8];
    private TopicState[] heldTopics = new TopicState[8];
    private long[] targets = new long[8];
    private long[] deadlines = new long[8];
    private int[] idLengths = new int[8];
    private UnsafeBuffer ids = new UnsafeBuffer(new byte[8 * MAX_ID_BYTES]);
    private int count;

    CatchUpHolds(final EventSequencer sequencer, final ServerCounters metrics, final SubscriberFlusher flusher)
    {
        this.sequencer = sequencer;
        this.metrics = metrics;
        this.flusher = flusher;
    }

    /**
     * Should a subscriber whose {@code Last-Event-ID} the topic's log does not hold wait for it?
     *
     * @return true when the log may be behind and the id looks ahead of it.
     */
    boolean shouldHold(final TopicLog log, final DirectBuffer id, final int offset, final int length)
    {
        if (!sequencer.canBeBehind() || length > MAX_ID_BYTES)
        {
            return false;
        }
        if (!sequencer.isReady())
        {
            return true;
        }
        final long numeric = PublishRecord.parseNumericId(id, offset, length);
        return numeric > log.highestNumericId();
    }

    /**
     * Hold a connection that has just started streaming its topic (its cursor at the log's end, the head going out)
     * without being the topic's subscriber; the topic is pinned so it is not freed meanwhile.
     */
    void hold(
        final Connection connection,
        final TopicState topic,
        final DirectBuffer id,
        final int offset,
        final int length,
        final long nowNs)
    {
        if (!topic.pin())
        {
            throw new IllegalStateException("holding a subscriber of a freed topic: " + topic.name());
        }
        if (count == held.length)
        {
            final int capacity = count << 1;
            held = Arrays.copyOf(held, capacity);
            heldTopics = Arrays.copyOf(heldTopics, capacity);
            targets = Arrays.copyOf(targets, capacity);
            deadlines = Arrays.copyOf(deadlines, capacity);
            idLengths = Arrays.copyOf(idLengths, capacity);
            final UnsafeBuffer grown = new UnsafeBuffer(new byte[capacity * MAX_ID_BYTES]);
            grown.putBytes(0, ids, 0, count * MAX_ID_BYTES);
            ids = grown;
        }
        held[count] = connection;
        heldTopics[count] = topic;
        targets[count] = PublishRecord.parseNumericId(id, offset, length);
        deadlines[count] = nowNs + HOLD_TIMEOUT_NS;
        idLengths[count] = length;
        ids.putBytes(count * MAX_ID_BYTES, id, offset, length);
        count++;
        metrics.increment(ServerCounter.SUBSCRIBERS);
    }

    boolean isEmpty()
    {
        return 0 == count;
    }

    /**
     * An event was just appended to a topic's log: each connection held on that topic skips it, or, when it is the
     * event with the connection's id, starts streaming right after it.
     */
    void onAppended(final TopicState topic, final TopicLog log, final long nowNs)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            final Connection connection = held[i];
            if (heldTopics[i] != topic)
            {
                continue;
            }
            if (!connection.isStreaming())
            {
                remove(i, topic);
                continue;
            }
            if (connection.cursor.hasPendingControl())
            {
                continue;
            }
            if (TopicLog.NOT_FOUND != log.ordinalOfId(ids, i * MAX_ID_BYTES, idLengths[i]))
            {
                connection.cursor.open(log, log.nextOrdinal(), NO_HEAD, nowNs);
                release(i, topic, connection);
            }
            else if (targets[i] >= 0 && log.highestNumericId() > targets[i])
            {
                connection.cursor.open(log, log.nextOrdinal() - 1, NO_HEAD, nowNs);
                release(i, topic, connection);
            }
            else
            {
                connection.cursor.open(log, log.nextOrdinal(), NO_HEAD, nowNs);
            }
        }
    }

    /**
     * End the holds that timed out, giving those subscribers every retained event (the replay-miss rule), and let
     * go of holds whose connection has closed.
     *
     * @return holds ended.
     */
    int poll(final long nowNs)
    {
        int ended = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            final Connection connection = held[i];
            final TopicState topic = heldTopics[i];
            if (!connection.isStreaming())
            {
                remove(i, topic);
                ended++;
            }
            else if (nowNs - deadlines[i] >= 0 && !connection.cursor.hasPendingControl())
            {
                final TopicLog log = topic.logOrCreate();
                metrics.increment(ServerCounter.REPLAY_MISSES);
                connection.cursor.open(log, log.firstOrdinal(), NO_HEAD, nowNs);
                release(i, topic, connection);
                ended++;
            }
        }
        return ended;
    }

    private void release(final int i, final TopicState topic, final Connection connection)
    {
        remove(i, topic);
        topic.addSubscriber(connection);
        flusher.markDirty(topic);
    }

    private void remove(final int i, final TopicState topic)
    {
        final int last = --count;
        held[i] = held[last];
        heldTopics[i] = heldTopics[last];
        targets[i] = targets[last];
        deadlines[i] = deadlines[last];
        idLengths[i] = idLengths[last];
        ids.putBytes(i * MAX_ID_BYTES, ids, last * MAX_ID_BYTES, MAX_ID_BYTES);
        held[last] = null;
        heldTopics[last] = null;
        topic.unpin();
    }
}
