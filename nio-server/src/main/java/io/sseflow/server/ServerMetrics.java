package io.sseflow.server;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The server's counters, each a cache-line-padded long in one {@link AtomicBuffer}, as Aeron's counters are:
 * the agent thread writes them with release stores, any thread reads them, and {@code /metrics} renders them
 * in the Prometheus text format without allocating.
 */
public final class ServerMetrics
{
    /**
     * Open client connections (gauge), including subscribers.
     */
    public static final int CONNECTIONS = 0;
    /**
     * Open event streams (gauge).
     */
    public static final int SUBSCRIBERS = 1;
    /**
     * Topics (gauge).
     */
    public static final int TOPICS = 2;
    /**
     * Connections accepted.
     */
    public static final int CONNECTIONS_ACCEPTED = 3;
    /**
     * Connections answered 503 because of the connection limit.
     */
    public static final int CONNECTIONS_REJECTED = 4;
    /**
     * Events appended to topic logs.
     */
    public static final int EVENTS_PUBLISHED = 5;
    /**
     * Publishes refused because the publish ring was full.
     */
    public static final int PUBLISH_BACK_PRESSURED = 6;
    /**
     * Whole frames written to subscribers.
     */
    public static final int FRAMES_DELIVERED = 7;
    /**
     * Frame bytes written to subscribers (excluding response heads and heartbeats).
     */
    public static final int BYTES_DELIVERED = 8;
    /**
     * Heartbeat comments written.
     */
    public static final int HEARTBEATS = 9;
    /**
     * Subscribers disconnected because they fell behind the retained history.
     */
    public static final int SLOW_CONSUMERS_DROPPED = 10;
    /**
     * Subscriptions with a Last-Event-ID.
     */
    public static final int REPLAYS = 11;
    /**
     * Subscriptions whose Last-Event-ID was not retained (all retained history was replayed).
     */
    public static final int REPLAY_MISSES = 12;
    /**
     * Requests answered with a 4xx or 5xx status.
     */
    public static final int HTTP_ERRORS = 13;

    private static final int COUNT = 14;
    private static final int STRIDE = BitUtil.CACHE_LINE_LENGTH;

    private static final String[] NAMES = {
        "sseflow_connections",
        "sseflow_subscribers",
        "sseflow_topics",
        "sseflow_connections_accepted_total",
        "sseflow_connections_rejected_total",
        "sseflow_events_published_total",
        "sseflow_publish_back_pressured_total",
        "sseflow_frames_delivered_total",
        "sseflow_bytes_delivered_total",
        "sseflow_heartbeats_total",
        "sseflow_slow_consumers_dropped_total",
        "sseflow_replays_total",
        "sseflow_replay_misses_total",
        "sseflow_http_errors_total",
    };

    private static final String[] HELP = {
        "Open client connections, including event streams.",
        "Open event streams.",
        "Topics.",
        "Connections accepted.",
        "Connections answered 503 because of the connection limit.",
        "Events appended to topic histories.",
        "Publishes refused because the publish ring was full.",
        "Whole SSE frames written to subscribers.",
        "SSE frame bytes written to subscribers.",
        "Heartbeat comments written to idle streams.",
        "Subscribers disconnected for falling behind the retained history.",
        "Subscriptions that asked for a replay with Last-Event-ID.",
        "Replays whose Last-Event-ID was no longer retained (all retained events were replayed).",
        "Requests answered with a 4xx or 5xx status.",
    };

    private static final boolean[] GAUGE = new boolean[COUNT];
    private static final byte[][] PREAMBLES = new byte[COUNT][];

    static
    {
        GAUGE[CONNECTIONS] = true;
        GAUGE[SUBSCRIBERS] = true;
        GAUGE[TOPICS] = true;
        for (int i = 0; i < COUNT; i++)
        {
            PREAMBLES[i] = ("# HELP " + NAMES[i] + " " + HELP[i] + "\n" +
                "# TYPE " + NAMES[i] + " " + (GAUGE[i] ? "gauge" : "counter") + "\n" +
                NAMES[i] + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private final AtomicBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(COUNT * STRIDE));

    ServerMetrics()
    {
    }

    /**
     * Current value of a metric.
     *
     * @param metric one of the constants of this class.
     * @return the value.
     */
    public long get(final int metric)
    {
        return values.getLongVolatile(metric * STRIDE);
    }

    /**
     * Open connections.
     *
     * @return the gauge.
     */
    public long connections()
    {
        return get(CONNECTIONS);
    }

    /**
     * Open event streams.
     *
     * @return the gauge.
     */
    public long subscribers()
    {
        return get(SUBSCRIBERS);
    }

    /**
     * Events published.
     *
     * @return the counter.
     */
    public long eventsPublished()
    {
        return get(EVENTS_PUBLISHED);
    }

    /**
     * Frames delivered.
     *
     * @return the counter.
     */
    public long framesDelivered()
    {
        return get(FRAMES_DELIVERED);
    }

    /**
     * Frame bytes delivered.
     *
     * @return the counter.
     */
    public long bytesDelivered()
    {
        return get(BYTES_DELIVERED);
    }

    /**
     * Slow consumers dropped.
     *
     * @return the counter.
     */
    public long slowConsumersDropped()
    {
        return get(SLOW_CONSUMERS_DROPPED);
    }

    /**
     * Replays requested.
     *
     * @return the counter.
     */
    public long replays()
    {
        return get(REPLAYS);
    }

    /**
     * Prometheus name of a metric.
     *
     * @param metric one of the constants of this class.
     * @return the name.
     */
    public static String name(final int metric)
    {
        return NAMES[metric];
    }

    /**
     * A description of every value, for logs and tests.
     *
     * @return {@code name=value} pairs.
     */
    public String toString()
    {
        final StringBuilder builder = new StringBuilder("ServerMetrics{");
        for (int i = 0; i < COUNT; i++)
        {
            builder.append(i == 0 ? "" : ", ").append(NAMES[i]).append('=').append(get(i));
        }
        return builder.append('}').toString();
    }

    void increment(final int metric)
    {
        add(metric, 1);
    }

    void decrement(final int metric)
    {
        add(metric, -1);
    }

    /**
     * Single-writer add (the agent thread).
     */
    void add(final int metric, final long delta)
    {
        final int offset = metric * STRIDE;
        values.putLongRelease(offset, values.getLong(offset) + delta);
    }

    /**
     * Multi-writer add (publisher threads).
     */
    void addAtomic(final int metric, final long delta)
    {
        values.getAndAddLong(metric * STRIDE, delta);
    }

    int renderPrometheus(final MutableDirectBuffer buffer, final int index)
    {
        int position = index;
        for (int i = 0; i < COUNT; i++)
        {
            final byte[] preamble = PREAMBLES[i];
            buffer.putBytes(position, preamble);
            position += preamble.length;
            position += buffer.putLongAscii(position, get(i));
            buffer.putByte(position++, (byte)'\n');
        }
        return position - index;
    }

    static int maxRenderedLength()
    {
        int length = 0;
        for (int i = 0; i < COUNT; i++)
        {
            length += PREAMBLES[i].length + 21;
        }
        return length;
    }
}
