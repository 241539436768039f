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
 * A stream of several topics or a Mercure stream ({@link SharedStream}) is held the same way, but its ids are hub
 * sequences (Mercure updates' own ids aside) and its log takes only its topics' events, so it is caught up when the
 * node has applied the client's seq, whatever the topic ({@link SharedStream#appliedSeq()}): checked every duty
 * cycle, it then starts at the first event of its log after that seq; an id that is not a number (a Mercure
 * update's) starts right after that update once the log has it.
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
    private StreamSource[] heldSources = new StreamSource[8];
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
     * Should a subscriber whose {@code Last-Event-ID} its stream's log does not hold wait for it?
     *
     * @param highest the largest numeric id the node has: the topic log's {@link TopicLog#highestNumericId()}, or
     *                for a shared stream the seq the node last applied.
     * @return true when the log may be behind and the id looks ahead of it.
     */
    boolean shouldHold(final long highest, final DirectBuffer id, final int offset, final int length)
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
        return numeric > highest;
    }

    /**
     * Hold a connection that has just started streaming its topic or shared stream (its cursor at the log's end, the
     * head going out) without being its subscriber; the source is pinned so it is not freed meanwhile.
     */
    void hold(
        final Connection connection,
        final StreamSource source,
        final DirectBuffer id,
        final int offset,
        final int length,
        final long nowNs)
    {
        if (!source.pinForHold())
        {
            throw new IllegalStateException("holding a subscriber of a freed stream source: " + source);
        }
        if (count == held.length)
        {
            final int capacity = count << 1;
            held = Arrays.copyOf(held, capacity);
            heldSources = Arrays.copyOf(heldSources, capacity);
            targets = Arrays.copyOf(targets, capacity);
            deadlines = Arrays.copyOf(deadlines, capacity);
            idLengths = Arrays.copyOf(idLengths, capacity);
            final UnsafeBuffer grown = new UnsafeBuffer(new byte[capacity * MAX_ID_BYTES]);
            grown.putBytes(0, ids, 0, count * MAX_ID_BYTES);
            ids = grown;
        }
        held[count] = connection;
        heldSources[count] = source;
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
            if (heldSources[i] != topic)
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
     * Start the held shared streams whose client's id the node now has, end the holds that timed out, giving those
     * subscribers every retained event (the replay-miss rule), and let go of holds whose connection has closed.
     *
     * @return holds ended.
     */
    int poll(final long nowNs)
    {
        int ended = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            final Connection connection = held[i];
            final StreamSource source = heldSources[i];
            if (!connection.isStreaming())
            {
                remove(i, source);
                ended++;
            }
            else if (connection.cursor.hasPendingControl())
            {
                continue;
            }
            else if (source instanceof SharedStream && caughtUp(i, (SharedStream)source, connection, nowNs))
            {
                ended++;
            }
            else if (nowNs - deadlines[i] >= 0)
            {
                final TopicLog log = source instanceof TopicState ? ((TopicState)source).logOrCreate() : source.log;
                metrics.increment(ServerCounter.REPLAY_MISSES);
                connection.cursor.open(log, log.firstOrdinal(), NO_HEAD, nowNs);
                release(i, source, connection);
                ended++;
            }
        }
        return ended;
    }

    /**
     * A held shared stream starts once the node has applied its client's seq (at its log's first event after it), or
     * once its log has the update with its client's text id (right after it); until then it skips what its log
     * takes, the client having it.
     */
    private boolean caughtUp(final int i, final SharedStream stream, final Connection connection, final long nowNs)
    {
        final TopicLog log = stream.log;
        final long target = targets[i];
        if (target >= 0 && stream.appliedSeq() >= target)
        {
            connection.cursor.open(log, log.ordinalAfterSeq(target), NO_HEAD, nowNs);
            release(i, stream, connection);
            return true;
        }
        if (target < 0)
        {
            final long ordinal = log.ordinalOfId(ids, i * MAX_ID_BYTES, idLengths[i]);
            if (TopicLog.NOT_FOUND != ordinal)
            {
                connection.cursor.open(log, ordinal + 1, NO_HEAD, nowNs);
                release(i, stream, connection);
                return true;
            }
        }
        if (connection.cursor.ordinal() < log.nextOrdinal())
        {
            connection.cursor.open(log, log.nextOrdinal(), NO_HEAD, nowNs);
        }
        return false;
    }

    private void release(final int i, final StreamSource source, final Connection connection)
    {
        source.addSubscriber(connection);
        remove(i, source);
        flusher.markDirty(source);
    }

    private void remove(final int i, final StreamSource source)
    {
        final int last = --count;
        held[i] = held[last];
        heldSources[i] = heldSources[last];
        targets[i] = targets[last];
        deadlines[i] = deadlines[last];
        idLengths[i] = idLengths[last];
        ids.putBytes(i * MAX_ID_BYTES, ids, last * MAX_ID_BYTES, MAX_ID_BYTES);
        held[last] = null;
        heldSources[last] = null;
        source.unpinForHold();
    }
}
