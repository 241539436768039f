package io.sseflow.server.agent;

import io.sseflow.server.sequencer.EventSequencer;

import java.util.concurrent.TimeUnit;

/**
 * Ends the streams of a node that has lost its cluster, so that their clients reconnect (with
 * {@code Last-Event-ID}) to a node that serves: while the sequencer has not been ready ({@link EventSequencer#isReady},
 * no leader known) for {@link #LOST_AFTER_NS}, every stream is ended after its whole frames, once per such
 * interval, so streams opened meanwhile end too: those of a topic, and those of several topics or of Mercure
 * selectors ({@link SharedStream}s), whose shared log is freed only once every stream ended on it has written its
 * last frame ({@link StreamRegistry#freeDrained}, checked here every 100 ms). Nothing is ended while the sequencer
 * is ready, and the in-memory sequencer always is.
 * <p>
 * Not thread-safe: owned by the server agent; allocation-free.
 */
final class LeaderLossWatch
{
    /**
     * How long a node must be without a leader before its streams are ended: well above an election after the
     * leader died (3.2 to 3.7 s measured on a 2-vCPU VM), during which streams stay open and resume by themselves.
     */
    static final long LOST_AFTER_NS = TimeUnit.SECONDS.toNanos(10);

    private static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long READY = Long.MIN_VALUE;

    private final EventSequencer sequencer;
    private final TopicRegistry topics;
    private final SubscriberFlusher flusher;
    private long nextCheckNs;
    private long notReadySinceNs = READY;

    LeaderLossWatch(final EventSequencer sequencer, final TopicRegistry topics, final SubscriberFlusher flusher)
    {
        this.sequencer = sequencer;
        this.topics = topics;
        this.flusher = flusher;
    }

    /**
     * Check, at most every 100 ms, and end the streams when the node has been without a leader long enough.
     *
     * @param nowNs the agent's clock.
     * @return the streams ended.
     */
    int poll(final long nowNs)
    {
        if (nowNs - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        final StreamRegistry streams = topics.streams();
        final int freed = 0 == streams.drainingCount() ? 0 : streams.freeDrained();
        if (sequencer.isReady())
        {
            notReadySinceNs = READY;
            return freed;
        }
        if (notReadySinceNs == READY)
        {
            notReadySinceNs = nowNs;
            return freed;
        }
        if (nowNs - notReadySinceNs < LOST_AFTER_NS)
        {
            return freed;
        }
        notReadySinceNs = nowNs;
        return freed + endStreams(streams);
    }

    private int endStreams(final StreamRegistry streams)
    {
        int ended = 0;
        for (final TopicState topic : topics.byIndexArray())
        {
            if (null != topic)
            {
                ended += flusher.endStreams(topic);
            }
        }
        final SharedStream[] shared = streams.streamArray();
        for (int i = streams.count() - 1; i >= 0; i--)
        {
            ended += flusher.endStreams(shared[i]);
        }
        return ended;
    }
}
