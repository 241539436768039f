package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.log.BudgetShare;
import io.sseflow.server.log.HistoryBudget;
import io.sseflow.server.log.TopicLog;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The logs of {@link SharedStream}s: what subscribers make the hub hold, kept apart from what publishers do. They
 * draw on a budget of their own ({@link ServerConfig#streamHistoryTotalBytes()}), which no topic log can reach, so a
 * stream log's growth only ever shrinks stream logs, never a topic's history (nor a log a {@link StreamFill} reads).
 * Each stream log counts in the share of the client that created it (its address as admission counts it, the
 * forwarded client behind a trusted proxy), {@link ServerConfig#streamHistoryBytesPerClient()}: a client whose
 * stream logs hold that much is refused a new stream ({@link Refusal#STREAM_SHARE}, 429), and when as many streams
 * live as the budget has room for a log's first buffer, every client is ({@link Refusal#STREAM_BUDGET}, 503).
 * Joining a stream that exists is never refused here.
 * <p>
 * It cannot move a stream's memory to another client: a stream stays counted against its creator while it lives,
 * whoever else joins it.
 * <p>
 * Not thread-safe: owned by the server agent; allocates when a stream is created (its log, and a share for a client
 * new to it), never per event.
 */
final class StreamLogs
{
    /**
     * Direct memory of a stream log's first buffer and index: what the budget must have room for per live stream.
     */
    static final long FIRST_BUFFER_BYTES =
        TopicLog.INITIAL_CAPACITY + (long)TopicLog.INITIAL_INDEX_SLOTS * TopicLog.INDEX_SLOT_BYTES;

    private static final Object UNKNOWN_CLIENT = new Object();

    private final int history;
    private final int logBytes;
    private final long shareBytes;
    private final long maxStreams;
    private final HistoryBudget budget;
    private final Map<Object, BudgetShare> shares = new HashMap<>();

    StreamLogs(final ServerConfig config)
    {
        this.history = config.history();
        this.logBytes = config.streamLogBytes();
        this.shareBytes = config.streamHistoryBytesPerClient();
        this.budget = new HistoryBudget(config.streamHistoryTotalBytes());
        this.maxStreams = Math.max(1, config.streamHistoryTotalBytes() / FIRST_BUFFER_BYTES);
    }

    /**
     * May a client create another stream?
     *
     * @param client      its address (null: one share for every client of unknown address).
     * @param liveStreams streams live now.
     * @return null when it may, else the refusal to answer with.
     */
    Refusal refusal(final InetAddress client, final int liveStreams)
    {
        if (liveStreams >= maxStreams)
        {
            return Refusal.STREAM_BUDGET;
        }
        final BudgetShare share = shares.get(key(client));
        return null != share && share.isUsedUp() ? Refusal.STREAM_SHARE : null;
    }

    /**
     * A log for a new stream, counted in its creator's share.
     *
     * @param client the creator's address (null: unknown).
     * @return an empty log holding no memory yet.
     */
    TopicLog open(final InetAddress client)
    {
        final Object key = key(client);
        BudgetShare share = shares.get(key);
        if (null == share)
        {
            share = new BudgetShare(key, shareBytes);
            shares.put(key, share);
        }
        return new TopicLog(history, logBytes, budget, share);
    }

    /**
     * A stream is freed: free its log now and forget its creator once none of its streams is left.
     *
     * @param log the stream's log.
     */
    void close(final TopicLog log)
    {
        log.close();
        final BudgetShare share = log.share();
        if (null != share && 0 == share.logCount())
        {
            shares.remove(share.owner(), share);
        }
    }

    /**
     * The budget every stream log draws on.
     *
     * @return it.
     */
    HistoryBudget budget()
    {
        return budget;
    }

    /**
     * Clients with a live stream they created.
     *
     * @return the count.
     */
    int clientCount()
    {
        return shares.size();
    }

    /**
     * Most streams live at once: as many as the budget has room for a first buffer each.
     *
     * @return streams.
     */
    long maxStreams()
    {
        return maxStreams;
    }

    private static Object key(final InetAddress client)
    {
        return null == client ? UNKNOWN_CLIENT : client;
    }
}
