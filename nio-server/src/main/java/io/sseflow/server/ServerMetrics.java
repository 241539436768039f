package io.sseflow.server;

import io.sseflow.server.agent.ServerRuntime;
import io.sseflow.server.selector.SelectorKind;

/**
 * The server's live counters and gauges (one per {@link ServerCounter}) and its refusals (one per {@link Refusal}),
 * readable from any thread; {@code GET /metrics} renders the same values in the Prometheus text format. Read-only:
 * the server agent writes them.
 */
public final class ServerMetrics
{
    private final ServerRuntime runtime;

    ServerMetrics(final ServerRuntime runtime)
    {
        this.runtime = runtime;
    }

    /**
     * Current value of a counter or gauge.
     *
     * @param counter which.
     * @return the value.
     */
    public long get(final ServerCounter counter)
    {
        return runtime.counter(counter);
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
        return runtime.refused(refusal);
    }

    /**
     * Topic selectors of the streams started, of one kind, as {@code sseflow_stream_selectors_total{kind="..."}}:
     * a topic name ({@code /events/{topic}}, each topic of {@code /events?topic=}, an exact Mercure selector) is
     * {@link SelectorKind#EXACT}; Mercure's {@code *} is {@link SelectorKind#WILDCARD}; a URI template is
     * {@link SelectorKind#TEMPLATE}. Bounded labels: no topic or client appears in them.
     *
     * @param kind which.
     * @return the count.
     */
    public long streamSelectors(final SelectorKind kind)
    {
        return runtime.streamSelectors(kind);
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
}
