package io.sseflow.server;

/**
 * Every counter and gauge of {@link ServerMetrics}: its id (its slot in the counters' storage and its place in
 * {@code /metrics}), its Prometheus name, help text and type. Read one with {@link ServerMetrics#get(ServerCounter)}.
 * Refusals are counted apart, by {@link Refusal}.
 */
public enum ServerCounter
{
    /**
     * Open client connections, including subscribers; a connection being refused (over a connection limit) is not
     * one.
     */
    CONNECTIONS(0, "sseflow_connections", "Open client connections, including event streams.", Type.GAUGE),

    /**
     * Open event streams.
     */
    SUBSCRIBERS(1, "sseflow_subscribers", "Open event streams.", Type.GAUGE),

    /**
     * Live topics: freed topics do not count. Sampled by the agent on its timer scan (at most 100 ms apart) and on
     * each {@code GET /metrics}.
     */
    TOPICS(2, "sseflow_topics", "Live topics (one with no subscribers and no retained events is freed).", Type.GAUGE),

    /**
     * Connections taken from the listening socket, including those then refused over a connection limit.
     */
    CONNECTIONS_ACCEPTED(3, "sseflow_connections_accepted_total", "Connections accepted.", Type.COUNTER),

    /**
     * Connections refused when accepted: over the total limit ({@code 503}, {@link Refusal#CONNECTION_LIMIT}) or
     * the per-address limit ({@code 429}, {@link Refusal#ADDRESS_LIMIT}), answered or, when too many refusals are
     * already being answered, reset. A request refused {@code 429} later, for the client a trusted proxy names, is
     * not one.
     */
    CONNECTIONS_REJECTED(
        4,
        "sseflow_connections_rejected_total",
        "Connections refused when accepted, over the connection limit (503) or the per-address limit (429).",
        Type.COUNTER),

    /**
     * Events appended to topic logs.
     */
    EVENTS_PUBLISHED(5, "sseflow_events_published_total", "Events appended to topic histories.", Type.COUNTER),

    /**
     * Publishes refused because the publish ring was full, embedded ({@link PublishResult#BACK_PRESSURED}) or over
     * HTTP ({@link Refusal#BACK_PRESSURED}).
     */
    PUBLISH_BACK_PRESSURED(
        6,
        "sseflow_publish_back_pressured_total",
        "Publishes refused because the publish ring was full.",
        Type.COUNTER),

    /**
     * Whole frames written to subscribers.
     */
    FRAMES_DELIVERED(7, "sseflow_frames_delivered_total", "Whole SSE frames written to subscribers.", Type.COUNTER),

    /**
     * Frame bytes written to subscribers (excluding response heads and heartbeats).
     */
    BYTES_DELIVERED(8, "sseflow_delivered_bytes_total", "SSE frame bytes written to subscribers.", Type.COUNTER),

    /**
     * Heartbeat comments written.
     */
    HEARTBEATS(9, "sseflow_heartbeats_total", "Heartbeat comments written to idle streams.", Type.COUNTER),

    /**
     * Subscribers disconnected because they fell behind the retained history.
     */
    SLOW_CONSUMERS_DROPPED(
        10,
        "sseflow_slow_consumers_dropped_total",
        "Subscribers disconnected for falling behind the retained history.",
        Type.COUNTER),

    /**
     * Subscriptions with a Last-Event-ID (the header or {@code ?lastEventId=}).
     */
    REPLAYS(11, "sseflow_replays_total", "Subscriptions that asked for a replay with Last-Event-ID.", Type.COUNTER),

    /**
     * Subscriptions whose Last-Event-ID was not retained (all retained history was replayed).
     */
    REPLAY_MISSES(
        12,
        "sseflow_replay_misses_total",
        "Replays whose Last-Event-ID was no longer retained (all retained events were replayed).",
        Type.COUNTER),

    /**
     * Error answers sent: one per {@link Refusal} answered, to a request or to a connection refused when accepted
     * (a refused connection that is reset gets no answer and is not counted here).
     */
    HTTP_ERRORS(
        13,
        "sseflow_http_errors_total",
        "Requests and refused connections answered with a 4xx or 5xx status.",
        Type.COUNTER),

    /**
     * Streams ended by {@link Topic#disconnectSubscribers()} (closed after whole frames; clients reconnect).
     */
    SUBSCRIBERS_DISCONNECTED(
        14,
        "sseflow_subscribers_disconnected_total",
        "Streams ended on request (Topic.disconnectSubscribers), after whole frames.",
        Type.COUNTER),

    /**
     * Streams ended because the credentials they were opened with expired (a JWT's {@code exp}), after whole frames;
     * their clients reconnect with {@code Last-Event-ID} and fresh credentials.
     */
    STREAMS_CREDENTIALS_EXPIRED(
        15,
        "sseflow_streams_credentials_expired_total",
        "Streams ended when their credentials (a JWT's exp) expired, after whole frames.",
        Type.COUNTER),

    /**
     * Streams authorized by credentials in the URL's query ({@code ?authorization=}, {@code ?access_token=}), whose
     * heads say {@code Cache-Control: private, no-cache} (as do the answers to such {@code HEAD} requests, not
     * counted here).
     */
    STREAMS_CREDENTIALS_IN_URL(
        16,
        "sseflow_streams_credentials_in_url_total",
        "Streams authorized by credentials in the URL query, answered Cache-Control: private.",
        Type.COUNTER),

    /**
     * Mercure subscriptions that resumed from the {@code lastEventId} query parameter (the spelling of
     * {@code event-source-polyfill} and of {@code /events}), there being no {@code Last-Event-ID} header nor
     * {@code lastEventID} parameter.
     */
    MERCURE_LAST_EVENT_ID_ALIAS(
        17,
        "sseflow_mercure_last_event_id_alias_total",
        "Mercure subscriptions resumed from the lastEventId query parameter (lastEventID's polyfill spelling).",
        Type.COUNTER),

    /**
     * Direct memory the topics' retained history holds (frames and index), within {@code --history-total-bytes}.
     */
    HISTORY_BYTES(18, "sseflow_history_bytes",
        "Direct memory the topics' retained history holds (frames and index), within --history-total-bytes.",
        Type.GAUGE),

    /**
     * Direct memory the logs of streams of several topics or selectors hold, within
     * {@code --stream-history-total-bytes}.
     */
    STREAM_LOG_BYTES(19, "sseflow_stream_log_bytes",
        "Direct memory the logs of streams of several topics or selectors hold, within --stream-history-total-bytes.",
        Type.GAUGE),

    /**
     * Subscription updates (presence, {@code --subscriptions}) offered to the sequencer: one per topic selector of a
     * Mercure subscription when it starts and when it ends.
     */
    SUBSCRIPTION_UPDATES(20, "sseflow_subscription_updates_total",
        "Presence updates published (one per selector when a Mercure subscription starts and when it ends).",
        Type.COUNTER),

    /**
     * Mercure subscriptions not announced (presence): over the start updates a second or the table's size, or an
     * update refused (topic limit, back-pressure, no leader); also an announced one whose end could not be published.
     */
    SUBSCRIPTIONS_UNANNOUNCED(21, "sseflow_subscriptions_unannounced_total",
        "Mercure subscriptions whose start (or end) was not announced: over the presence bounds or refused.",
        Type.COUNTER);

    /**
     * How Prometheus treats a value.
     */
    public enum Type
    {
        /**
         * Only grows (a {@code _total}).
         */
        COUNTER("counter"),

        /**
         * Goes up and down.
         */
        GAUGE("gauge");

        private final String text;

        Type(final String text)
        {
            this.text = text;
        }

        /**
         * The type as written on a {@code # TYPE} line.
         *
         * @return {@code counter} or {@code gauge}.
         */
        public String text()
        {
            return text;
        }
    }

    static final ServerCounter[] VALUES = values();

    static
    {
        for (int i = 0; i < VALUES.length; i++)
        {
            if (VALUES[i].id != i)
            {
                throw new IllegalStateException("counter ids must be 0.. in declaration order: " + VALUES[i]);
            }
        }
    }

    private final int id;
    private final String metricName;
    private final String help;
    private final Type type;

    ServerCounter(final int id, final String metricName, final String help, final Type type)
    {
        this.id = id;
        this.metricName = metricName;
        this.help = help;
        this.type = type;
    }

    /**
     * Stable id: the counter's slot in the storage and its place in {@code /metrics}.
     *
     * @return the id, 0 and up in declaration order.
     */
    public int id()
    {
        return id;
    }

    /**
     * Prometheus metric name.
     *
     * @return e.g. {@code sseflow_events_published_total}.
     */
    public String metricName()
    {
        return metricName;
    }

    /**
     * Text of the {@code # HELP} line.
     *
     * @return the help.
     */
    public String help()
    {
        return help;
    }

    /**
     * Counter or gauge.
     *
     * @return the type.
     */
    public Type type()
    {
        return type;
    }
}
