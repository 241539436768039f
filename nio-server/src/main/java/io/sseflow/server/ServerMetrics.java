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
     * Live topics (gauge): freed topics do not count.
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
    /**
     * Streams ended by {@link Topic#disconnectSubscribers()} (closed after whole frames; clients reconnect).
     */
    public static final int SUBSCRIBERS_DISCONNECTED = 14;

    private static final int COUNT = 15;

    /**
     * Refusal kinds, rendered as {@code sseflow_requests_refused_total{reason="..."}}; see
     * {@link #refused(int)}. Request malformed or a field invalid (400).
     */
    public static final int REFUSED_BAD_REQUEST = 0;
    /**
     * Missing or wrong token (401).
     */
    public static final int REFUSED_UNAUTHORIZED = 1;
    /**
     * Refused by the subscribe authorizer (403).
     */
    public static final int REFUSED_FORBIDDEN = 2;
    /**
     * Unknown path (404).
     */
    public static final int REFUSED_NOT_FOUND = 3;
    /**
     * Method not allowed on the path (405).
     */
    public static final int REFUSED_METHOD_NOT_ALLOWED = 4;
    /**
     * Request not complete within the request timeout (408).
     */
    public static final int REFUSED_REQUEST_TIMEOUT = 5;
    /**
     * Transfer coding instead of Content-Length (411).
     */
    public static final int REFUSED_LENGTH_REQUIRED = 6;
    /**
     * Body or event over the limit (413).
     */
    public static final int REFUSED_TOO_LARGE = 7;
    /**
     * Request line over the limit (414).
     */
    public static final int REFUSED_URI_TOO_LONG = 8;
    /**
     * Per-address connection limit (429).
     */
    public static final int REFUSED_ADDRESS_LIMIT = 9;
    /**
     * Header fields over the size or count limit (431).
     */
    public static final int REFUSED_HEADERS_TOO_LARGE = 10;
    /**
     * Unknown method (501).
     */
    public static final int REFUSED_NOT_IMPLEMENTED = 11;
    /**
     * Total connection limit (503).
     */
    public static final int REFUSED_CONNECTION_LIMIT = 12;
    /**
     * Topic limit (503).
     */
    public static final int REFUSED_TOPIC_LIMIT = 13;
    /**
     * Publish ring full (503).
     */
    public static final int REFUSED_BACK_PRESSURED = 14;
    /**
     * Server shutting down (503).
     */
    public static final int REFUSED_SHUTTING_DOWN = 15;
    /**
     * HTTP version other than 1.0 and 1.1, including the HTTP/2 preface (505).
     */
    public static final int REFUSED_HTTP_VERSION = 16;

    /**
     * The subscribe authorizer failed: threw or gave no decision (500).
     */
    public static final int REFUSED_SERVER_ERROR = 17;

    private static final int REFUSAL_COUNT = 18;
    private static final String[] REFUSAL_REASONS = {
        "bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "request_timeout",
        "length_required", "too_large", "uri_too_long", "address_connection_limit", "headers_too_large",
        "not_implemented", "connection_limit", "topic_limit", "back_pressured", "shutting_down", "http_version",
        "server_error",
    };
    private static final String REFUSED_NAME = "sseflow_requests_refused_total";
    private static final byte[] REFUSED_PREAMBLE = ("# HELP " + REFUSED_NAME +
        " Requests and connections refused, by reason.\n# TYPE " + REFUSED_NAME + " counter\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[][] REFUSED_LINES = new byte[REFUSAL_COUNT][];
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
        "sseflow_subscribers_disconnected_total",
    };

    private static final String[] HELP = {
        "Open client connections, including event streams.",
        "Open event streams.",
        "Live topics (one with no subscribers and no retained events is freed).",
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
        "Streams ended on request (Topic.disconnectSubscribers), after whole frames.",
    };

    private static final boolean[] GAUGE = new boolean[COUNT];
    private static final byte[][] PREAMBLES = new byte[COUNT][];

    static
    {
        GAUGE[CONNECTIONS] = true;
        GAUGE[SUBSCRIBERS] = true;
        GAUGE[TOPICS] = true;
        for (int i = 0; i < REFUSAL_COUNT; i++)
        {
            REFUSED_LINES[i] = (REFUSED_NAME + "{reason=\"" + REFUSAL_REASONS[i] + "\"} ")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < COUNT; i++)
        {
            PREAMBLES[i] = ("# HELP " + NAMES[i] + " " + HELP[i] + "\n" +
                "# TYPE " + NAMES[i] + " " + (GAUGE[i] ? "gauge" : "counter") + "\n" +
                NAMES[i] + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private final AtomicBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect((COUNT + REFUSAL_COUNT) * STRIDE));

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
     * Streams ended by {@link Topic#disconnectSubscribers()}.
     *
     * @return the counter.
     */
    public long subscribersDisconnected()
    {
        return get(SUBSCRIBERS_DISCONNECTED);
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
     * Requests or connections refused for one reason.
     *
     * @param reason one of the {@code REFUSED_*} constants of this class.
     * @return the counter.
     */
    public long refused(final int reason)
    {
        return values.getLongVolatile((COUNT + reason) * STRIDE);
    }

    /**
     * Label value of a refusal reason, as rendered in {@code sseflow_requests_refused_total{reason="..."}}.
     *
     * @param reason one of the {@code REFUSED_*} constants of this class.
     * @return the label value.
     */
    public static String refusalReason(final int reason)
    {
        return REFUSAL_REASONS[reason];
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
        for (int i = 0; i < REFUSAL_COUNT; i++)
        {
            builder.append(", refused.").append(REFUSAL_REASONS[i]).append('=').append(refused(i));
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

    void incrementRefused(final int reason)
    {
        add(COUNT + reason, 1);
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
        buffer.putBytes(position, REFUSED_PREAMBLE);
        position += REFUSED_PREAMBLE.length;
        for (int i = 0; i < REFUSAL_COUNT; i++)
        {
            final byte[] line = REFUSED_LINES[i];
            buffer.putBytes(position, line);
            position += line.length;
            position += buffer.putLongAscii(position, refused(i));
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
        length += REFUSED_PREAMBLE.length;
        for (int i = 0; i < REFUSAL_COUNT; i++)
        {
            length += REFUSED_LINES[i].length + 21;
        }
        return length;
    }
}
