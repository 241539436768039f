package io.sseflow.server;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The server's counters, each a cache-line-padded long in one {@link AtomicBuffer} (so two counters written
 * by different threads never share a cache line): one slot per {@link ServerCounter} (at its id), then one per {@link Refusal} (at its ordinal). The agent thread
 * writes them with release stores, any thread reads them, and {@code /metrics} renders them in the Prometheus text
 * format without allocating, from lines encoded once from the two enums.
 */
public final class ServerMetrics
{
    private static final int STRIDE = BitUtil.CACHE_LINE_LENGTH;
    private static final int COUNTER_COUNT = ServerCounter.VALUES.length;
    private static final int REFUSAL_COUNT = Refusal.VALUES.length;
    private static final int MAX_LONG_DIGITS = 20;

    private static final String REFUSED_NAME = "sseflow_requests_refused_total";
    private static final byte[] REFUSED_PREAMBLE = ascii("# HELP " + REFUSED_NAME +
        " Requests and connections refused, by reason.\n# TYPE " + REFUSED_NAME + " counter\n");
    private static final byte[][] COUNTER_PREAMBLES = new byte[COUNTER_COUNT][];
    private static final byte[][] REFUSED_LINES = new byte[REFUSAL_COUNT][];

    static
    {
        for (final ServerCounter counter : ServerCounter.VALUES)
        {
            final String name = counter.metricName();
            COUNTER_PREAMBLES[counter.id()] = ascii("# HELP " + name + " " + counter.help() + "\n" +
                "# TYPE " + name + " " + counter.type().text() + "\n" + name + " ");
        }
        for (final Refusal refusal : Refusal.VALUES)
        {
            REFUSED_LINES[refusal.ordinal()] = ascii(REFUSED_NAME + "{reason=\"" + refusal.label() + "\"} ");
        }
    }

    private final AtomicBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect((COUNTER_COUNT + REFUSAL_COUNT) * STRIDE));

    ServerMetrics()
    {
    }

    /**
     * Current value of a counter or gauge.
     *
     * @param counter which.
     * @return the value.
     */
    public long get(final ServerCounter counter)
    {
        return values.getLongVolatile(counterOffset(counter));
    }

    /**
     * Open connections.
     *
     * @return the gauge.
     */
    public long connections()
    {
        return get(ServerCounter.CONNECTIONS);
    }

    /**
     * Open event streams.
     *
     * @return the gauge.
     */
    public long subscribers()
    {
        return get(ServerCounter.SUBSCRIBERS);
    }

    /**
     * Events published.
     *
     * @return the counter.
     */
    public long eventsPublished()
    {
        return get(ServerCounter.EVENTS_PUBLISHED);
    }

    /**
     * Frames delivered.
     *
     * @return the counter.
     */
    public long framesDelivered()
    {
        return get(ServerCounter.FRAMES_DELIVERED);
    }

    /**
     * Frame bytes delivered.
     *
     * @return the counter.
     */
    public long bytesDelivered()
    {
        return get(ServerCounter.BYTES_DELIVERED);
    }

    /**
     * Slow consumers dropped.
     *
     * @return the counter.
     */
    public long slowConsumersDropped()
    {
        return get(ServerCounter.SLOW_CONSUMERS_DROPPED);
    }

    /**
     * Streams ended by {@link Topic#disconnectSubscribers()}.
     *
     * @return the counter.
     */
    public long subscribersDisconnected()
    {
        return get(ServerCounter.SUBSCRIBERS_DISCONNECTED);
    }

    /**
     * Replays requested.
     *
     * @return the counter.
     */
    public long replays()
    {
        return get(ServerCounter.REPLAYS);
    }

    /**
     * Requests or connections refused for one reason.
     *
     * @param refusal which.
     * @return the counter.
     */
    public long refused(final Refusal refusal)
    {
        return values.getLongVolatile(refusalOffset(refusal));
    }

    /**
     * Requests or connections refused for one reason, by its label.
     *
     * @param reason a label as in {@code sseflow_requests_refused_total{reason="..."}}, such as {@code topic_limit}.
     * @return the counter.
     * @throws IllegalArgumentException naming the labels when none is {@code reason}.
     */
    public long refused(final String reason)
    {
        return refused(Refusal.ofLabel(reason));
    }

    /**
     * A description of every value, for logs and tests.
     *
     * @return {@code name=value} pairs.
     */
    public String toString()
    {
        final StringBuilder builder = new StringBuilder("ServerMetrics{");
        for (final ServerCounter counter : ServerCounter.VALUES)
        {
            builder.append(counter.id() == 0 ? "" : ", ").append(counter.metricName()).append('=').append(get(counter));
        }
        for (final Refusal refusal : Refusal.VALUES)
        {
            builder.append(", refused.").append(refusal.label()).append('=').append(refused(refusal));
        }
        return builder.append('}').toString();
    }

    void increment(final ServerCounter counter)
    {
        add(counter, 1);
    }

    void decrement(final ServerCounter counter)
    {
        add(counter, -1);
    }

    /**
     * Single-writer add (the agent thread).
     */
    void add(final ServerCounter counter, final long delta)
    {
        addOrdered(counterOffset(counter), delta);
    }

    /**
     * Single-writer store of a gauge's value (the agent thread).
     */
    void set(final ServerCounter counter, final long value)
    {
        values.putLongRelease(counterOffset(counter), value);
    }

    /**
     * Multi-writer add (publisher threads).
     */
    void addAtomic(final ServerCounter counter, final long delta)
    {
        values.getAndAddLong(counterOffset(counter), delta);
    }

    /**
     * Single-writer count of a refusal (the agent thread).
     */
    void incrementRefused(final Refusal refusal)
    {
        addOrdered(refusalOffset(refusal), 1);
    }

    int renderPrometheus(final MutableDirectBuffer buffer, final int index)
    {
        int position = index;
        for (final ServerCounter counter : ServerCounter.VALUES)
        {
            position += putLine(buffer, position, COUNTER_PREAMBLES[counter.id()], get(counter));
        }
        buffer.putBytes(position, REFUSED_PREAMBLE);
        position += REFUSED_PREAMBLE.length;
        for (final Refusal refusal : Refusal.VALUES)
        {
            position += putLine(buffer, position, REFUSED_LINES[refusal.ordinal()], refused(refusal));
        }
        return position - index;
    }

    static int maxRenderedLength()
    {
        int length = REFUSED_PREAMBLE.length;
        for (final byte[] preamble : COUNTER_PREAMBLES)
        {
            length += preamble.length + MAX_LONG_DIGITS + 1;
        }
        for (final byte[] line : REFUSED_LINES)
        {
            length += line.length + MAX_LONG_DIGITS + 1;
        }
        return length;
    }

    private void addOrdered(final int offset, final long delta)
    {
        values.putLongRelease(offset, values.getLong(offset) + delta);
    }

    private static int putLine(final MutableDirectBuffer buffer, final int index, final byte[] prefix, final long value)
    {
        int position = index;
        buffer.putBytes(position, prefix);
        position += prefix.length;
        position += buffer.putLongAscii(position, value);
        buffer.putByte(position++, (byte)'\n');
        return position - index;
    }

    private static int counterOffset(final ServerCounter counter)
    {
        return counter.id() * STRIDE;
    }

    private static int refusalOffset(final Refusal refusal)
    {
        return (COUNTER_COUNT + refusal.ordinal()) * STRIDE;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
