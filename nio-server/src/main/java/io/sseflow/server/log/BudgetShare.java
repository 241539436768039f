package io.sseflow.server.log;

/**
 * The part of a {@link HistoryBudget} that the logs of one owner hold (the stream logs one client created): each
 * log made with a share adds the bytes it holds to it, by capacity, as {@link TopicLog#heldBytes()} changes. The
 * budget itself does not read it; the owner's code does, to refuse more logs to an owner over its limit. It cannot
 * make a log give memory back: the budget alone shrinks logs.
 * <p>
 * Not thread-safe: owned by the server agent, like the logs.
 */
public final class BudgetShare
{
    private final Object owner;
    private final long limit;
    private long held;
    private int logs;

    /**
     * A share with nothing held.
     *
     * @param owner who it is for (a client address), for the owner's bookkeeping.
     * @param limit the bytes the owner's code allows it, at least 0.
     */
    public BudgetShare(final Object owner, final long limit)
    {
        if (limit < 0)
        {
            throw new IllegalArgumentException("share limit must be at least 0: " + limit);
        }
        this.owner = owner;
        this.limit = limit;
    }

    /**
     * Who the share is for.
     *
     * @return the owner given.
     */
    public Object owner()
    {
        return owner;
    }

    /**
     * Bytes the owner's code allows the share.
     *
     * @return the limit.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * Bytes the share's logs hold now.
     *
     * @return bytes.
     */
    public long held()
    {
        return held;
    }

    /**
     * What is left of the limit.
     *
     * @return bytes, 0 when the share holds its limit or more.
     */
    public long room()
    {
        return Math.max(0, limit - held);
    }

    /**
     * Is the share's limit used up?
     *
     * @return true when it holds its limit or more.
     */
    public boolean isUsedUp()
    {
        return held >= limit;
    }

    /**
     * Logs made with this share and not yet closed ({@link TopicLog#close()}).
     *
     * @return the count.
     */
    public int logCount()
    {
        return logs;
    }

    void onLogMade()
    {
        logs++;
    }

    void onLogClosed()
    {
        logs--;
    }

    void add(final long bytes)
    {
        held += bytes;
    }
}
