package io.sseflow.server.agent;

import io.sseflow.server.log.TopicLog;

import java.util.Arrays;

/**
 * What a streaming connection reads: a log and the subscribers whose cursors are in it, with whether the log has
 * frames not yet flushed to them. A {@link TopicState} is the source of {@code /events/{topic}} streams (the
 * topic's own log); a {@link SharedStream} the source of streams of several topics or selectors, shared by every
 * subscriber with the same selectors and rights.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
abstract class StreamSource
{
    TopicLog log;
    Connection[] subscribers = new Connection[4];
    int subscriberCount;
    boolean dirty;
    /**
     * When the newest frame was appended to the log (the agent's clock), for the delivery-latency histogram.
     */
    long appendedNs;

    void addSubscriber(final Connection connection)
    {
        if (subscriberCount == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, subscriberCount << 1);
        }
        connection.subscriberIndex = subscriberCount;
        subscribers[subscriberCount++] = connection;
    }

    void removeSubscriber(final Connection connection)
    {
        final int index = connection.subscriberIndex;
        if (index < 0 || index >= subscriberCount || subscribers[index] != connection)
        {
            return;
        }
        final int last = --subscriberCount;
        final Connection moved = subscribers[last];
        subscribers[index] = moved;
        moved.subscriberIndex = index;
        subscribers[last] = null;
        connection.subscriberIndex = -1;
        if (0 == last)
        {
            onLastSubscriberLeft();
        }
    }

    /**
     * A subscriber's stream is being ended after its whole frames (the connection is ending its stream and is still
     * in the subscriber list): its cursor keeps reading the log until they are written.
     *
     * @param connection whose stream ends.
     */
    void onStreamEnding(final Connection connection)
    {
    }

    /**
     * Keep this source from being freed while a connection is held on it, not yet its subscriber
     * ({@link CatchUpHolds}).
     *
     * @return false when it is already freed.
     */
    abstract boolean pinForHold();

    /**
     * A held connection was let go (it became a subscriber first, or was closed).
     */
    abstract void unpinForHold();

    /**
     * The last subscriber left: free what is idle.
     */
    abstract void onLastSubscriberLeft();
}
