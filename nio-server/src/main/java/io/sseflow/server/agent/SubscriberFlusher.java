package io.sseflow.server.agent;

import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.log.SubscriberCursor;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Arrays;

/**
 * Moves subscribers' cursors forward: after events are appended, every subscriber of the topics and shared streams
 * ({@link StreamSource}s) that grew gets
 * one write of {@code log[cursor..head]}; a blocked subscriber waits for {@code OP_WRITE}; a lapped one (too slow
 * for the history), and one that does not drain a backlog within the drain timeout (a replay it does not read, on a
 * topic that may get no new events), is dropped as a slow consumer and reset, so the kernel frees what it still had
 * queued for it.
 * Also sends heartbeats to idle streams and ends streams at a frame boundary when their topic's subscribers are
 * disconnected or their credentials expire. Counts frames and bytes delivered.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class SubscriberFlusher
{
    private static final byte[] HEARTBEAT = HttpResponses.ascii(": heartbeat\n\n");

    private final ServerCounters metrics;
    private final ConnectionTable connections;
    private final ResponseWriter writer;
    private final CachedNanoClock clock;
    private final long requestTimeoutNs;
    private final long heartbeatNs;
    private final long drainTimeoutNs;
    private final ByteBuffer heartbeat;
    private StreamSource[] dirtyTopics = new StreamSource[16];
    private int dirtyCount;

    /**
     * @param context the agent's: settings (request timeout, heartbeat interval), counters, connections, clock.
     * @param writer  closing the write side (linger) of a stream that ended.
     */
    SubscriberFlusher(final AgentContext context, final ResponseWriter writer)
    {
        this.metrics = context.metrics;
        this.connections = context.connections;
        this.writer = writer;
        this.clock = context.clock;
        this.requestTimeoutNs = context.config.requestTimeoutNs();
        this.heartbeatNs = context.config.heartbeatNs();
        this.drainTimeoutNs = context.config.drainTimeoutNs();
        heartbeat = ByteBuffer.allocateDirect(HEARTBEAT.length);
        heartbeat.put(HEARTBEAT).flip();
    }

    boolean hasDirtyTopics()
    {
        return dirtyCount > 0;
    }

    void markDirty(final StreamSource topic)
    {
        topic.appendedNs = System.nanoTime();
        if (!topic.dirty && topic.subscriberCount > 0)
        {
            topic.dirty = true;
            if (dirtyCount == dirtyTopics.length)
            {
                dirtyTopics = Arrays.copyOf(dirtyTopics, dirtyCount << 1);
            }
            dirtyTopics[dirtyCount++] = topic;
        }
    }

    int flushDirtyTopics()
    {
        final StreamSource[] dirtyTopics = this.dirtyTopics;
        final int count = dirtyCount;
        int workCount = 0;
        for (int i = 0; i < count; i++)
        {
            final StreamSource topic = dirtyTopics[i];
            dirtyTopics[i] = null;
            topic.dirty = false;
            final Connection[] subscribers = topic.subscribers;
            for (int j = topic.subscriberCount - 1; j >= 0; j--)
            {
                final Connection connection = subscribers[j];
                if ((connection.interestOps & SelectionKey.OP_WRITE) != 0)
                {
                    if (connection.cursor.isLapped())
                    {
                        dropSlowConsumer(connection);
                    }
                }
                else
                {
                    flush(connection);
                    workCount++;
                }
            }
        }
        dirtyCount = 0;
        return workCount;
    }

    /**
     * Send a heartbeat comment to a stream idle for the heartbeat interval, unless a write is already pending.
     *
     * @param connection in the {@link Connection.State#STREAMING} state.
     * @param nowNs      of this duty cycle.
     * @return true when a heartbeat was sent.
     */
    boolean heartbeatIfIdle(final Connection connection, final long nowNs)
    {
        if (connection.interestOps == SelectionKey.OP_READ &&
            nowNs - connection.cursor.lastWriteNs() >= heartbeatNs &&
            connection.cursor.offerControl(heartbeat))
        {
            metrics.increment(ServerCounter.HEARTBEATS);
            flush(connection);
            return true;
        }
        return false;
    }

    /**
     * Drop, as a slow consumer, a stream that has not written out within the drain timeout what it had pending when
     * it fell behind ({@link SubscriberCursor#isBehindLongerThan}).
     *
     * @param connection in the {@link Connection.State#STREAMING} state.
     * @param nowNs      of this duty cycle.
     * @return true when it was dropped.
     */
    boolean dropIfNotDraining(final Connection connection, final long nowNs)
    {
        if (connection.cursor.isBehindLongerThan(nowNs, drainTimeoutNs))
        {
            dropSlowConsumer(connection);
            return true;
        }
        return false;
    }

    void flush(final Connection connection)
    {
        final SubscriberCursor.Outcome outcome = flushCursor(connection);
        if (null == outcome)
        {
            return;
        }
        switch (outcome)
        {
            case CAUGHT_UP:
                connection.setInterest(SelectionKey.OP_READ);
                break;

            case BLOCKED:
                connection.setInterest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                break;

            case LAPPED:
            default:
                dropSlowConsumer(connection);
                break;
        }
    }

    /**
     * End every stream of a topic or shared stream after its whole frames ({@link #endStream} for each subscriber).
     *
     * @param topic whose streams end.
     * @return the streams ended.
     */
    int endStreams(final StreamSource topic)
    {
        final Connection[] subscribers = topic.subscribers;
        final int count = topic.subscriberCount;
        for (int i = count - 1; i >= 0; i--)
        {
            endStream(subscribers[i], ServerCounter.SUBSCRIBERS_DISCONNECTED);
        }
        return count;
    }

    /**
     * End one stream after its whole frames: the frame in flight is finished, then the connection lingers.
     *
     * @param connection streaming.
     * @param reason     the counter of streams ended this way.
     */
    void endStream(final Connection connection, final ServerCounter reason)
    {
        final StreamSource source = connection.topic;
        connection.endStream(clock.nanoTime() + requestTimeoutNs);
        source.onStreamEnding(connection);
        source.removeSubscriber(connection);
        metrics.decrement(ServerCounter.SUBSCRIBERS);
        metrics.increment(reason);
        connection.cursor.endAtFrameBoundary();
        flushEndingStream(connection);
    }

    void flushEndingStream(final Connection connection)
    {
        final SubscriberCursor.Outcome outcome = flushCursor(connection);
        if (null == outcome)
        {
            return;
        }
        switch (outcome)
        {
            case CAUGHT_UP:
                connection.cursor.close();
                writer.startLinger(connection);
                break;

            case BLOCKED:
                connection.setInterest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                break;

            case LAPPED:
            default:
                dropSlowConsumer(connection);
                break;
        }
    }

    private SubscriberCursor.Outcome flushCursor(final Connection connection)
    {
        final SubscriberCursor cursor = connection.cursor;
        final long framesBefore = cursor.framesWritten();
        final long bytesBefore = cursor.bytesWritten();
        final SubscriberCursor.Outcome outcome;
        try
        {
            outcome = cursor.flush(connection.channel, clock.nanoTime());
        }
        catch (final IOException ex)
        {
            connections.close(connection);
            return null;
        }

        final long frames = cursor.framesWritten() - framesBefore;
        if (frames > 0)
        {
            metrics.add(ServerCounter.FRAMES_DELIVERED, frames);
            final StreamSource source = connection.topic;
            if (SubscriberCursor.Outcome.CAUGHT_UP == outcome && null != source &&
                source.appendedNs - connection.streamingSinceNs > 0)
            {
                metrics.deliveryLatency().record(System.nanoTime() - source.appendedNs);
            }
        }
        final long bytes = cursor.bytesWritten() - bytesBefore;
        if (bytes > 0)
        {
            metrics.add(ServerCounter.BYTES_DELIVERED, bytes);
        }
        return outcome;
    }

    private void dropSlowConsumer(final Connection connection)
    {
        metrics.increment(ServerCounter.SLOW_CONSUMERS_DROPPED);
        connections.reset(connection);
    }
}
