package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.HttpRequestParser;

import java.util.concurrent.TimeUnit;

/**
 * The timer scan, every {@code heartbeat / 4} milliseconds (between 1 and 100): a slow-consumer drop for each stream
 * that has not drained its backlog within the drain timeout, the end, after whole frames, of each stream whose
 * credentials have expired ({@link Connection#credentialsExpireNs}), a heartbeat comment for each stream idle for the
 * heartbeat interval, {@code 408} (or a quiet close when nothing was sent) for a request not received
 * in time, and a reset (RST, see {@link ConnectionTable#reset(Connection)}) for a response, linger or ending stream
 * past its deadline: a peer that has not read or closed by then is not reading. Also sweeps part of the
 * topic table for idle topics to free, and refreshes the topics gauge (live topics).
 * <p>
 * A scan takes at most {@link #ACTIONS_PER_SLICE} actions (drops, heartbeats, refusals, resets) per duty cycle and
 * goes on from where it stopped in the next: a thousand streams dropped or heartbeated at once (each a write or a
 * close of a socket with a queue, 10-50 µs) would otherwise hold the cycle, and every other client's delivery, for
 * tens of milliseconds. Connections that are due but not yet reached wait a few cycles more.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class ConnectionTimers
{
    private static final int SWEEP_SLOTS = 1024;
    /**
     * Most timer actions one duty cycle takes; the scan resumes in the next cycle.
     */
    static final int ACTIONS_PER_SLICE = 32;

    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final ConnectionTable connections;
    private final ResponseWriter writer;
    private final SubscriberFlusher flusher;
    private final long intervalNs;
    private long nextScanNs;
    private int resumeIndex = -1;

    ConnectionTimers(final AgentContext context, final ResponseWriter writer, final SubscriberFlusher flusher)
    {
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.connections = context.connections;
        this.writer = writer;
        this.flusher = flusher;
        intervalNs = TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(100, context.config.heartbeatMs() / 4)));
    }

    /**
     * Scan every connection when the timer interval has passed since the last scan began, or go on with a scan cut
     * short in the last cycle, taking at most {@link #ACTIONS_PER_SLICE} actions.
     *
     * @param nowNs of this duty cycle.
     * @return work done.
     */
    int poll(final long nowNs)
    {
        int workCount = 0;
        int start = resumeIndex;
        if (start < 0)
        {
            if (nowNs - nextScanNs < 0)
            {
                return 0;
            }
            nextScanNs = nowNs + intervalNs;
            workCount += topics.sweep(SWEEP_SLOTS);
            final long topicCount = topics.count();
            if (topicCount != metrics.get(ServerCounter.TOPICS))
            {
                metrics.set(ServerCounter.TOPICS, topicCount);
            }
            start = Integer.MAX_VALUE;
        }
        resumeIndex = -1;
        final ConnectionTable connections = this.connections;
        int actions = 0;
        for (int i = Math.min(start, connections.count() - 1); i >= 0; i--)
        {
            if (actions >= ACTIONS_PER_SLICE)
            {
                resumeIndex = i;
                break;
            }
            final Connection connection = connections.get(i);
            final int before = workCount;
            switch (connection.state())
            {
                case STREAMING:
                    if (flusher.dropIfNotDraining(connection, nowNs))
                    {
                        workCount++;
                    }
                    else if (connection.credentialsExpire && nowNs - connection.credentialsExpireNs >= 0)
                    {
                        flusher.endStream(connection, ServerCounter.STREAMS_CREDENTIALS_EXPIRED);
                        workCount++;
                    }
                    else if (flusher.heartbeatIfIdle(connection, nowNs))
                    {
                        workCount++;
                    }
                    break;

                case READING:
                    if (nowNs - connection.deadlineNs >= 0)
                    {
                        if (connection.readLimit > 0 ||
                            (null != connection.parser && connection.parser.state() != HttpRequestParser.State.METHOD))
                        {
                            writer.sendError(connection, Refusal.REQUEST_TIMEOUT);
                        }
                        else
                        {
                            connections.close(connection);
                        }
                        workCount++;
                    }
                    break;

                case WRITING:
                case LINGERING:
                case ENDING_STREAM:
                    if (nowNs - connection.deadlineNs >= 0)
                    {
                        connections.reset(connection);
                        workCount++;
                    }
                    break;

                default:
                    break;
            }
            actions += workCount - before;
        }
        return workCount;
    }
}
