package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.ServerMetrics;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static io.sseflow.server.agent.PrometheusText.ascii;
import static io.sseflow.server.agent.PrometheusText.putLine;

/**
 * Where the server's counters are kept and written: each a cache-line-padded long in one {@link AtomicBuffer} (so
 * two counters written by different threads never share a cache line), one slot per {@link ServerCounter} (at its
 * id), then one per {@link Refusal} (at its ordinal). The agent thread writes them with release stores (publisher
 * threads add atomically), any thread reads them (the public {@link ServerMetrics} through
 * {@link ServerRuntime#counter(ServerCounter)} and {@link ServerRuntime#refused(Refusal)}), and {@code /metrics}
 * renders them in the Prometheus text format without allocating, from lines encoded once from the two enums.
 */
final class ServerCounters
{
    private static final ServerCounter[] COUNTERS = ServerCounter.values();
    private static final Refusal[] REFUSALS = Refusal.values();
    private static final int STRIDE = BitUtil.CACHE_LINE_LENGTH;
    private static final int COUNTER_COUNT = COUNTERS.length;
    private static final int REFUSAL_COUNT = REFUSALS.length;
    private static final SelectorKind[] KINDS = SelectorKind.values();
    private static final int MAX_LONG_DIGITS = 20;

    private static final String REFUSED_NAME = "sseflow_requests_refused_total";
    private static final byte[] REFUSED_PREAMBLE = ascii("# HELP " + REFUSED_NAME +
        " Requests and connections refused, by reason.\n# TYPE " + REFUSED_NAME + " counter\n");
    private static final byte[][] COUNTER_PREAMBLES = new byte[COUNTER_COUNT][];
    private static final byte[][] REFUSED_LINES = new byte[REFUSAL_COUNT][];
    private static final String SELECTORS_NAME = "sseflow_stream_selectors_total";
    private static final byte[] SELECTORS_PREAMBLE = ascii("# HELP " + SELECTORS_NAME +
        " Topic selectors of the streams started, by kind (a topic name is exact).\n# TYPE " + SELECTORS_NAME +
        " counter\n");
    private static final byte[][] SELECTOR_LINES = new byte[KINDS.length][];
    private static final byte[] BUILD_INFO = ascii("# HELP sseflow_build_info The running build; its value is " +
        "always 1.\n# TYPE sseflow_build_info gauge\nsseflow_build_info{version=\"" +
        io.sseflow.server.BuildInfo.version() + "\"} 1\n");

    static
    {
        for (final ServerCounter counter : COUNTERS)
        {
            final String name = counter.metricName();
            COUNTER_PREAMBLES[counter.id()] = ascii("# HELP " + name + " " + counter.help() + "\n" +
                "# TYPE " + name + " " + counter.type().text() + "\n" + name + " ");
        }
        for (final Refusal refusal : REFUSALS)
        {
            REFUSED_LINES[refusal.ordinal()] = ascii(REFUSED_NAME + "{reason=\"" + refusal.label() + "\"} ");
        }
        for (final SelectorKind kind : KINDS)
        {
            SELECTOR_LINES[kind.ordinal()] = ascii(
                SELECTORS_NAME + "{kind=\"" + kind.name().toLowerCase(java.util.Locale.ROOT) + "\"} ");
        }
    }

    private final AtomicBuffer values =
        new UnsafeBuffer(ByteBuffer.allocateDirect((COUNTER_COUNT + REFUSAL_COUNT + KINDS.length) * STRIDE));

    private static final int HISTOGRAMS_LENGTH =
        new LatencyHistogram(LatencyHistogram.DELIVERY, LatencyHistogram.DELIVERY_HELP).maxRenderedLength() +
        new LatencyHistogram(LatencyHistogram.CYCLE, LatencyHistogram.CYCLE_HELP).maxRenderedLength();

    private final LatencyHistogram deliveryLatency =
        new LatencyHistogram(LatencyHistogram.DELIVERY, LatencyHistogram.DELIVERY_HELP);
    private final LatencyHistogram agentCycles =
        new LatencyHistogram(LatencyHistogram.CYCLE, LatencyHistogram.CYCLE_HELP);

    private ServerCounters[] hub;

    ServerCounters()
    {
    }

    /**
     * In a hub of several agents, every agent's counters, this one's included: {@code /metrics} renders the hub's
     * ({@link #total}). Before the agents start.
     *
     * @param hub every agent's counters.
     */
    void hub(final ServerCounters[] hub)
    {
        this.hub = hub;
    }

    /**
     * A counter of the whole hub: the agents' values summed, except what every agent counts alike from the one
     * sequence of events (events published, live topics), whose largest value is the hub's.
     *
     * @param all     every agent's counters.
     * @param counter which.
     * @return the value.
     */
    static long total(final ServerCounters[] all, final ServerCounter counter)
    {
        final boolean replicated = counter == ServerCounter.EVENTS_PUBLISHED || counter == ServerCounter.TOPICS;
        long total = 0;
        for (final ServerCounters counters : all)
        {
            final long value = counters.get(counter);
            total = replicated ? Math.max(total, value) : total + value;
        }
        return total;
    }

    /**
     * Refusals of one reason, summed over every agent.
     *
     * @param all     every agent's counters.
     * @param refusal which.
     * @return the count.
     */
    static long totalRefused(final ServerCounters[] all, final Refusal refusal)
    {
        long total = 0;
        for (final ServerCounters counters : all)
        {
            total += counters.refused(refusal);
        }
        return total;
    }

    /**
     * Stream selectors of one kind, summed over every agent.
     *
     * @param all  every agent's counters.
     * @param kind which.
     * @return the count.
     */
    static long totalSelectors(final ServerCounters[] all, final SelectorKind kind)
    {
        long total = 0;
        for (final ServerCounters counters : all)
        {
            total += counters.selectors(kind);
        }
        return total;
    }

    /**
     * @return the delivery-latency histogram, recorded by the agent thread.
     */
    LatencyHistogram deliveryLatency()
    {
        return deliveryLatency;
    }

    /**
     * @return the duty-cycle histogram, recorded by the agent thread.
     */
    LatencyHistogram agentCycles()
    {
        return agentCycles;
    }

    /**
     * Current value of a counter or gauge.
     *
     * @param counter which.
     * @return the value.
     */
    long get(final ServerCounter counter)
    {
        return values.getLongVolatile(counterOffset(counter));
    }

    /**
     * Requests or connections refused for one reason.
     *
     * @param refusal which.
     * @return the counter.
     */
    long refused(final Refusal refusal)
    {
        return values.getLongVolatile(refusalOffset(refusal));
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

    /**
     * Single-writer count of the selectors of a stream started (the agent thread).
     */
    void addSelectors(final SelectorKind kind, final int count)
    {
        if (count > 0)
        {
            addOrdered(selectorsOffset(kind), count);
        }
    }

    long selectors(final SelectorKind kind)
    {
        return values.getLongVolatile(selectorsOffset(kind));
    }

    int renderPrometheus(final MutableDirectBuffer buffer, final int index)
    {
        final ServerCounters[] hub = this.hub;
        int position = index;
        for (final ServerCounter counter : COUNTERS)
        {
            position += putLine(buffer, position, COUNTER_PREAMBLES[counter.id()],
                null == hub ? get(counter) : total(hub, counter));
        }
        buffer.putBytes(position, REFUSED_PREAMBLE);
        position += REFUSED_PREAMBLE.length;
        for (final Refusal refusal : REFUSALS)
        {
            position += putLine(buffer, position, REFUSED_LINES[refusal.ordinal()],
                null == hub ? refused(refusal) : totalRefused(hub, refusal));
        }
        buffer.putBytes(position, SELECTORS_PREAMBLE);
        position += SELECTORS_PREAMBLE.length;
        for (final SelectorKind kind : KINDS)
        {
            position += putLine(buffer, position, SELECTOR_LINES[kind.ordinal()],
                null == hub ? selectors(kind) : totalSelectors(hub, kind));
        }
        position += deliveryLatency.render(buffer, position);
        position += agentCycles.render(buffer, position);
        buffer.putBytes(position, BUILD_INFO);
        position += BUILD_INFO.length;
        return position - index;
    }

    static int maxRenderedLength()
    {
        int length = BUILD_INFO.length + REFUSED_PREAMBLE.length + HISTOGRAMS_LENGTH;
        for (final byte[] preamble : COUNTER_PREAMBLES)
        {
            length += preamble.length + MAX_LONG_DIGITS + 1;
        }
        for (final byte[] line : REFUSED_LINES)
        {
            length += line.length + MAX_LONG_DIGITS + 1;
        }
        length += SELECTORS_PREAMBLE.length;
        for (final byte[] line : SELECTOR_LINES)
        {
            length += line.length + MAX_LONG_DIGITS + 1;
        }
        return length;
    }

    private void addOrdered(final int offset, final long delta)
    {
        values.putLongRelease(offset, values.getLong(offset) + delta);
    }

    private static int counterOffset(final ServerCounter counter)
    {
        return counter.id() * STRIDE;
    }

    private static int refusalOffset(final Refusal refusal)
    {
        return (COUNTER_COUNT + refusal.ordinal()) * STRIDE;
    }

    private static int selectorsOffset(final SelectorKind kind)
    {
        return (COUNTER_COUNT + REFUSAL_COUNT + kind.ordinal()) * STRIDE;
    }
}
