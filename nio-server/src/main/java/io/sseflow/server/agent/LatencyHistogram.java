package io.sseflow.server.agent;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static io.sseflow.server.agent.PrometheusText.ascii;
import static io.sseflow.server.agent.PrometheusText.putLine;
import static io.sseflow.server.agent.PrometheusText.putSeconds;

/**
 * A Prometheus histogram of durations with fixed buckets from 50 µs to 10 s, recorded by the agent thread without
 * allocating and read by any thread. Two are kept ({@link ServerCounters}):
 * <ul>
 * <li>{@code sseflow_delivery_latency_seconds}: for each write that brings a live stream up to its log's head, the
 * time since the newest event it carries was appended to this node's log (for a clustered hub: since this member
 * applied it); replays of events older than the stream are not counted;</li>
 * <li>{@code sseflow_agent_cycle_seconds}: how long each duty cycle of the agent that did work took; a long one is
 * time every other client waited.</li>
 * </ul>
 */
final class LatencyHistogram
{
    static final String DELIVERY = "sseflow_delivery_latency_seconds";
    static final String DELIVERY_HELP = "Time from an event's append to this node's log to the write that brings a " +
        "live stream up to it.";
    static final String CYCLE = "sseflow_agent_cycle_seconds";
    static final String CYCLE_HELP = "Duration of the agent's duty cycles that did work.";
    private static final long[] BOUNDS_NS = {
        50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};
    private static final String[] LABELS = {
        "0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
        "0.5", "1", "2.5", "5", "10", "+Inf"};
    private static final int BUCKETS = LABELS.length;
    private static final int STRIDE = BitUtil.SIZE_OF_LONG;
    private static final int SUM_OFFSET = BUCKETS * STRIDE;
    private static final int MAX_LONG_DIGITS = 20;

    private final byte[] preamble;
    private final byte[][] bucketLines = new byte[BUCKETS][];
    private final byte[] sumLine;
    private final byte[] countLine;

    /**
     * @param name the metric's name.
     * @param help its help text.
     */
    LatencyHistogram(final String name, final String help)
    {
        preamble = ascii("# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n");
        for (int i = 0; i < BUCKETS; i++)
        {
            bucketLines[i] = ascii(name + "_bucket{le=\"" + LABELS[i] + "\"} ");
        }
        sumLine = ascii(name + "_sum ");
        countLine = ascii(name + "_count ");
    }

    private final AtomicBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(SUM_OFFSET + STRIDE));

    /**
     * Count one duration (the agent thread).
     *
     * @param latencyNs the duration.
     */
    void record(final long latencyNs)
    {
        final long latency = Math.max(0, latencyNs);
        int bucket = 0;
        while (bucket < BOUNDS_NS.length && latency > BOUNDS_NS[bucket])
        {
            bucket++;
        }
        final int offset = bucket * STRIDE;
        values.putLongRelease(offset, values.getLong(offset) + 1);
        values.putLongRelease(SUM_OFFSET, values.getLong(SUM_OFFSET) + latency);
    }

    /**
     * @return durations counted so far.
     */
    long count()
    {
        long count = 0;
        for (int i = 0; i < BUCKETS; i++)
        {
            count += values.getLongVolatile(i * STRIDE);
        }
        return count;
    }

    /**
     * Append the histogram in the Prometheus text format.
     *
     * @param buffer to write to.
     * @param index  where.
     * @return bytes written.
     */
    int render(final MutableDirectBuffer buffer, final int index)
    {
        int position = index;
        buffer.putBytes(position, preamble);
        position += preamble.length;
        long cumulative = 0;
        for (int i = 0; i < BUCKETS; i++)
        {
            cumulative += values.getLongVolatile(i * STRIDE);
            position += putLine(buffer, position, bucketLines[i], cumulative);
        }
        position += putSeconds(buffer, position, sumLine, values.getLongVolatile(SUM_OFFSET), 1_000_000_000L);
        position += putLine(buffer, position, countLine, cumulative);
        return position - index;
    }

    int maxRenderedLength()
    {
        int length = preamble.length + sumLine.length + MAX_LONG_DIGITS + 11 + countLine.length + MAX_LONG_DIGITS + 1;
        for (final byte[] line : bucketLines)
        {
            length += line.length + MAX_LONG_DIGITS + 1;
        }
        return length;
    }
}
