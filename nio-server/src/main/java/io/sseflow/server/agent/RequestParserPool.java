package io.sseflow.server.agent;

import io.sseflow.server.http.HttpRequestParser;

/**
 * Request parsers for connections that read requests. A connection takes one when its first request bytes arrive,
 * not when it is accepted, and a stream needs none once it has started, so its parser goes back here: a burst of
 * subscribers whose heads arrive whole shares a few parsers, and an idle subscriber holds a socket and a cursor,
 * nothing more. Agent thread only.
 */
final class RequestParserPool
{
    private final int maxHeadLength;
    private final long maxContentLength;
    private final int maxPooled;
    private HttpRequestParser[] free = new HttpRequestParser[16];
    private int count;
    private long created;

    /**
     * A pool of parsers with the server's limits.
     *
     * @param maxHeadLength    the parsers' head limit.
     * @param maxContentLength the parsers' body limit.
     * @param maxPooled        most free parsers kept; more are left to the garbage collector.
     */
    RequestParserPool(final int maxHeadLength, final long maxContentLength, final int maxPooled)
    {
        this.maxHeadLength = maxHeadLength;
        this.maxContentLength = maxContentLength;
        this.maxPooled = maxPooled;
    }

    /**
     * A reset parser: a pooled one, or a new one when none is free.
     *
     * @return a parser ready for a request at offset 0.
     */
    HttpRequestParser acquire()
    {
        if (count == 0)
        {
            created++;
            return new HttpRequestParser(maxHeadLength, maxContentLength);
        }
        final HttpRequestParser parser = free[--count];
        free[count] = null;
        parser.reset();
        return parser;
    }

    /**
     * Give a parser back.
     *
     * @param parser no longer used by its connection.
     */
    void release(final HttpRequestParser parser)
    {
        if (count < maxPooled)
        {
            if (count == free.length)
            {
                free = java.util.Arrays.copyOf(free, Math.min(maxPooled, free.length * 2));
            }
            free[count++] = parser;
        }
    }

    /**
     * Free parsers held.
     *
     * @return how many.
     */
    int freeCount()
    {
        return count;
    }

    /**
     * Parsers made because none was free, since the pool was made: how many connections read requests at once, at
     * most.
     *
     * @return how many.
     */
    long createdCount()
    {
        return created;
    }
}
