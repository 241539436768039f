package io.sseflow.benchmarks.fanout;

/**
 * The load client's stalled connections: which ones stall ({@code floor(connections * percent / 100)} of them,
 * spread evenly: with 10%, indexes 9, 19, 29...), and what happened to them once stalled. Their events, gaps and
 * disconnects are counted here, never as failures. The counts are kept by the client thread and published to the
 * phases by {@link #publish()} once per select round (one writer, volatile reads).
 */
final class StalledReaders
{
    private final int percent;
    private final int count;

    private long stallSequence;
    private long deliveredLocal;
    private int droppedLocal;
    private int gapsLocal;

    private volatile long catchUpSequence = Long.MAX_VALUE;
    private volatile long delivered;
    private volatile int dropped;
    private volatile int gaps;
    private volatile int caughtUp;
    private volatile String firstDrop;

    /**
     * @param connections the client's connections.
     * @param percent     percentage of them that stall (0 for none).
     */
    StalledReaders(final int connections, final int percent)
    {
        this.percent = percent;
        int stalled = 0;
        for (int i = 0; i < connections; i++)
        {
            stalled += stallable(i) ? 1 : 0;
        }
        this.count = stalled;
    }

    /**
     * Is connection {@code index} one of the stalled ones.
     *
     * @param index the connection's index, from 0.
     * @return true if it stalls.
     */
    boolean stallable(final int index)
    {
        return (long)(index + 1) * percent / 100 > (long)index * percent / 100;
    }

    /**
     * Connections that stall.
     *
     * @return count of stalled (or to be stalled) connections.
     */
    int count()
    {
        return count;
    }

    /**
     * Stalled connections that ended (end of stream, reset or a broken stream): dropped by the server.
     *
     * @return count.
     */
    int dropped()
    {
        return dropped;
    }

    /**
     * Stalled connections, read again, that have every event up to the catch-up sequence.
     *
     * @return count, refreshed about every millisecond.
     */
    int caughtUp()
    {
        return caughtUp;
    }

    /**
     * Stalled connections that skipped events without being disconnected.
     *
     * @return count of connections.
     */
    int gaps()
    {
        return gaps;
    }

    /**
     * Events the stalled connections received after the stall (when read again).
     *
     * @return deliveries.
     */
    long delivered()
    {
        return delivered;
    }

    /**
     * How the first dropped stalled connection ended.
     *
     * @return description or null.
     */
    String firstDrop()
    {
        return firstDrop;
    }

    void catchUpSequence(final long sequence)
    {
        catchUpSequence = sequence;
    }

    long catchUpSequence()
    {
        return catchUpSequence;
    }

    /** On the client thread: the connections stall now, the slowest reader waiting for {@code sequence}. */
    void onStall(final long sequence)
    {
        stallSequence = sequence;
    }

    /** On the client thread: a stalled connection got an event; a skip is counted once per connection. */
    void onEvent(final Subscriber subscriber, final long sequence)
    {
        if (sequence != subscriber.expected && !subscriber.gap)
        {
            subscriber.gap = true;
            gapsLocal++;
        }
        subscriber.expected = sequence + 1;
        deliveredLocal++;
    }

    /** On the client thread: a stalled connection ended. */
    void onDropped(final Subscriber subscriber, final String reason)
    {
        droppedLocal++;
        if (firstDrop == null)
        {
            firstDrop = "connection " + subscriber.index + " at event " + subscriber.expected +
                " (stalled at " + stallSequence + "): " + reason;
        }
    }

    /** On the client thread: publish the counts. */
    void publish()
    {
        delivered = deliveredLocal;
        dropped = droppedLocal;
        gaps = gapsLocal;
    }

    /** On the client thread: publish the count of caught-up connections. */
    void publishCaughtUp(final int count)
    {
        caughtUp = count;
    }
}
