package io.sseflow.server;

import io.sseflow.server.agent.ServerRuntime;
import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;

import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * An embeddable Server-Sent Events server: one selector thread (an Agrona agent) serves every connection, and
 * each event is encoded once into its topic's history, whatever the number of subscribers.
 * <pre>{@code
 * try (SseServer server = SseServer.builder().port(0).start())
 * {
 *     Topic prices = server.topic("prices");
 *     prices.publish("tick", Map.of("symbol", "ACME", "price", 12.5));   // GET /events/prices receives it
 * }
 * }</pre>
 * Endpoints: {@code GET /events/{topic}} (the stream; {@code Last-Event-ID} replays), {@code POST /events/{topic}}
 * (publish over HTTP), {@code OPTIONS /events/{topic}} (CORS preflight), {@code GET /metrics} (Prometheus text)
 * and, when enabled, {@code GET /} (the demo page).
 * <p>
 * A fatal error on the agent thread (an {@code Error} such as {@code OutOfMemoryError} or
 * {@code StackOverflowError}, including one thrown by a {@link SubscribeAuthorizer} or the error handler, or any
 * other {@code Throwable} that escapes the server's duty cycle) stops the server for good rather than leaving a
 * port that answers nothing: publishing is closed ({@link PublishResult#CLOSED}), the listening socket and every
 * connection are closed, the error goes to the {@link Builder#errorHandler(ErrorHandler) error handler},
 * {@link #isRunning()} turns false, {@link #awaitClose()} returns and {@link #failure()} returns the error. The
 * server cannot be restarted; build a new one (the hub exits non-zero so that its supervisor restarts it).
 */
public final class SseServer implements AutoCloseable
{
    private final ServerConfig config;
    private final ServerRuntime runtime;
    private final ServerMetrics metrics;

    SseServer(final ServerConfig config)
    {
        this.config = config;
        this.runtime = new ServerRuntime(config);
        this.metrics = new ServerMetrics(runtime);
    }

    /**
     * A builder with every setting at its default (see {@link ServerConfig}).
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        io.sseflow.encoder.AgronaAccess.check();
        return new Builder();
    }

    /**
     * Bind and start the agent thread.
     *
     * @return this server.
     * @throws IllegalStateException when publishing is open (no token) on a non-loopback host, or when already
     *                               started.
     * @throws UncheckedIOException  when the address cannot be bound.
     * @throws Error                 such as {@code OutOfMemoryError} when the buffers or the agent thread cannot be
     *                               allocated; the listening socket is closed again and nothing is left running.
     */
    public SseServer start()
    {
        runtime.start();
        return this;
    }

    /**
     * The port the server listens on (the ephemeral one when configured with 0).
     *
     * @return the bound port.
     */
    public int port()
    {
        return runtime.port();
    }

    /**
     * The bind address.
     *
     * @return the host.
     */
    public String host()
    {
        return config.host();
    }

    /**
     * The base URL, {@code http://HOST:PORT} (IPv6 literals in brackets).
     *
     * @return the URL.
     */
    public String url()
    {
        final String host = config.host();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + runtime.port();
    }

    /**
     * The settings, as concluded when the server was built: validated, with what derives from them (the per-topic
     * history rounded, the history budget fitted to the direct-memory limit) filled in; they do not change.
     *
     * @return the configuration.
     */
    public ServerConfig config()
    {
        return config;
    }

    /**
     * Live counters, readable from any thread.
     *
     * @return the metrics.
     */
    public ServerMetrics metrics()
    {
        return metrics;
    }

    /**
     * Find or create a topic. Thread-safe. A topic with no subscribers and no retained events is freed by the server
     * (it does not count toward the topic limit), but the handle stays valid: publishing on it creates the topic
     * again.
     *
     * @param name matching {@code [A-Za-z0-9._-]{1,128}}.
     * @return the topic.
     * @throws IllegalArgumentException for an invalid name.
     * @throws IllegalStateException    when the topic limit is reached.
     */
    public Topic topic(final String name)
    {
        Objects.requireNonNull(name, "name");
        if (!runtime.ensureTopic(name))
        {
            throw new IllegalStateException("topic limit of " + config.maxTopics() + " reached");
        }
        return new Topic(name, runtime);
    }

    /**
     * Stop accepting, publish what is already in the ring, write every stream up to its end (for up to
     * {@link ServerConfig#shutdownTimeoutMs()}), then close all connections. Blocks until done; idempotent.
     */
    public void close()
    {
        runtime.close();
    }

    /**
     * Block until the server has stopped: closed by {@link #close()}, or stopped by a fatal error (then
     * {@link #failure()} says which).
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public void awaitClose() throws InterruptedException
    {
        runtime.awaitClose();
    }

    /**
     * Is the server running (started, not closed and not stopped by a fatal error)?
     *
     * @return true while running.
     */
    public boolean isRunning()
    {
        return runtime.isRunning();
    }

    /**
     * What stopped the server, when something other than {@link #close()} did: the {@code Throwable} that escaped
     * the agent thread's duty cycle (an {@code OutOfMemoryError}, a {@code StackOverflowError}, an {@code Error}
     * from a {@link SubscribeAuthorizer} or the error handler, an exception the server did not handle) or that was
     * thrown while closing. It has been passed to the error handler too. Once it is set the server is not running,
     * and after {@link #awaitClose()} returns its sockets are closed.
     *
     * @return the failure, or null while running, before start and after a clean close.
     */
    public Throwable failure()
    {
        return runtime.failure();
    }

    ServerRuntime runtime()
    {
        return runtime;
    }

    /**
     * Sets the settings of an {@link SseServer} (each setter says its default; the defaults are constants of
     * {@link ServerConfig}) into the one {@link ServerConfig} the server will read, concluded by {@link #build()}.
     */
    public static final class Builder
    {
        private final ServerConfig config = new ServerConfig();

        Builder()
        {
        }

        /**
         * Bind address, default {@value ServerConfig#DEFAULT_HOST}.
         *
         * @param host name or IP literal.
         * @return this.
         */
        public Builder host(final String host)
        {
            settings().host = host;
            return this;
        }

        /**
         * Port, default {@value ServerConfig#DEFAULT_PORT}; 0 picks a free one (read it with {@link SseServer#port()}).
         *
         * @param port the port.
         * @return this.
         */
        public Builder port(final int port)
        {
            settings().port = port;
            return this;
        }

        /**
         * Require {@code Authorization: Bearer TOKEN} on {@code POST /events/{topic}}. Without a token, HTTP
         * publishing is open, which is only allowed on a loopback host.
         *
         * @param publishToken the token, or null.
         * @return this.
         */
        public Builder publishToken(final String publishToken)
        {
            settings().publishToken = publishToken;
            return this;
        }

        /**
         * Decide each publish over HTTP on its head ({@code POST /events/{topic}}), instead of a publish token and
         * of the {@code Origin} rule of open publishing; a server with one may bind to any address. Runs on the
         * agent thread: it must not block. Default none; excludes {@link #publishToken(String)}.
         *
         * @param publishAuthorizer the hook, or null for none.
         * @return this.
         */
        public Builder publishAuthorizer(final PublishAuthorizer publishAuthorizer)
        {
            settings().publishAuthorizer = publishAuthorizer;
            return this;
        }

        /**
         * Require a token to subscribe: {@code Authorization: Bearer TOKEN}, or {@code ?access_token=TOKEN} for
         * {@code EventSource} (which cannot set headers); otherwise {@code 401}. Compared in constant time. Checked
         * before the {@link #subscribeAuthorizer(SubscribeAuthorizer) authorizer}, if both are set.
         *
         * @param subscribeToken 1..512 visible ASCII characters, or null for open subscribing.
         * @return this.
         * @see SubscribeAuthorizer#bearerToken(String)
         */
        public Builder subscribeToken(final String subscribeToken)
        {
            settings().subscribeToken = subscribeToken;
            return this;
        }

        /**
         * Decide per subscribe request, from its topic and headers, whether it may stream ({@code 401}/{@code 403}
         * otherwise), before anything is written. Runs on the agent thread: it must not block. Default none.
         *
         * @param subscribeAuthorizer the hook, or null for none.
         * @return this.
         */
        public Builder subscribeAuthorizer(final SubscribeAuthorizer subscribeAuthorizer)
        {
            settings().subscribeAuthorizerHook = subscribeAuthorizer;
            return this;
        }

        /**
         * Events retained per topic for Last-Event-ID replay, default {@value ServerConfig#DEFAULT_HISTORY}. A
         * subscriber that falls further behind than this is disconnected (slow consumer).
         *
         * @param events at least 1.
         * @return this.
         */
        public Builder history(final int events)
        {
            settings().history = events;
            return this;
        }

        /**
         * Idle time after which a stream gets a {@code : heartbeat} comment, default
         * {@value ServerConfig#DEFAULT_HEARTBEAT_MS} ms.
         *
         * @param heartbeatMs milliseconds.
         * @return this.
         */
        public Builder heartbeatMs(final long heartbeatMs)
        {
            settings().heartbeatMs = heartbeatMs;
            return this;
        }

        /**
         * Connection limit, default {@value ServerConfig#DEFAULT_MAX_CONNECTIONS}; more get {@code 503}.
         *
         * @param maxConnections connections.
         * @return this.
         */
        public Builder maxConnections(final int maxConnections)
        {
            settings().maxConnections = maxConnections;
            return this;
        }

        /**
         * CORS: {@code *} or an exact origin (then {@code Access-Control-Allow-Credentials: true} is sent too).
         * Default none.
         *
         * @param allowOrigin the origin, or null.
         * @return this.
         */
        public Builder allowOrigin(final String allowOrigin)
        {
            settings().allowOrigin = allowOrigin;
            return this;
        }

        /**
         * Largest history per topic in bytes, default {@value ServerConfig#DEFAULT_HISTORY_BYTES}; rounded up to a
         * power of two of at least twice the largest event.
         *
         * @param historyBytes bytes.
         * @return this.
         */
        public Builder historyBytes(final int historyBytes)
        {
            settings().historyBytes = historyBytes;
            settings().historyBytesSet = true;
            return this;
        }

        /**
         * Bound on the history of all topics together, default {@value ServerConfig#DEFAULT_HISTORY_TOTAL_BYTES}
         * bytes but never more than half of the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, by
         * default the heap's maximum). It counts every topic's frame buffer and index, all in direct memory, by
         * capacity; when a topic needs more, the topics holding the most first give up their oldest events and
         * their buffers shrink (freed at once). A client resuming before an evicted event is replayed from the
         * oldest one kept; a subscriber still reading evicted history is dropped as a slow consumer. For a moment,
         * while a topic's buffer is copied into one half its size, up to half of {@link #historyBytes(int)} more is
         * in use.
         *
         * @param historyTotalBytes bytes, at least twice the buffer of the largest event and at most half the
         *                          direct-memory limit (checked at {@link #build()}); 0 for the default.
         * @return this.
         */
        public Builder historyTotalBytes(final long historyTotalBytes)
        {
            settings().historyTotalBytes = historyTotalBytes;
            return this;
        }

        /**
         * Bound on the logs of all shared streams together (the streams of {@code GET /events?topic=A&topic=B} and of
         * Mercure subscriptions, one log per distinct set of selectors), default
         * {@value ServerConfig#DEFAULT_STREAM_HISTORY_TOTAL_BYTES} bytes but never more than a quarter of the JVM's
         * direct-memory limit. It is apart from {@link #historyTotalBytes(long)}: what subscribers make the hub hold
         * never evicts topic history. One client's streams may hold an eighth of it
         * ({@link ServerConfig#streamHistoryBytesPerClient()}); past that, its new streams are refused 429, and when
         * the budget has no room for another stream's first buffer, every new stream is refused 503.
         *
         * @param streamHistoryTotalBytes bytes, at least twice the buffer of the largest event; with the history
         *                                budget at most three quarters of the direct-memory limit (checked at
         *                                {@link #build()}); 0 for the default.
         * @return this.
         */
        public Builder streamHistoryTotalBytes(final long streamHistoryTotalBytes)
        {
            settings().streamHistoryTotalBytes = streamHistoryTotalBytes;
            return this;
        }

        /**
         * Largest event and HTTP publish body, default {@value ServerConfig#DEFAULT_MAX_EVENT_BYTES}.
         *
         * @param maxEventBytes bytes.
         * @return this.
         */
        public Builder maxEventBytes(final int maxEventBytes)
        {
            settings().maxEventBytes = maxEventBytes;
            return this;
        }

        /**
         * Largest request head, default {@value ServerConfig#DEFAULT_MAX_REQUEST_HEAD_BYTES}; more is {@code 431}.
         *
         * @param maxRequestHeadBytes bytes.
         * @return this.
         */
        public Builder maxRequestHeadBytes(final int maxRequestHeadBytes)
        {
            settings().maxRequestHeadBytes = maxRequestHeadBytes;
            return this;
        }

        /**
         * Most request bodies read at once that do not fit in the buffer their head arrived in (a request head
         * plus a body of more than about {@code maxRequestHeadBytes}), default
         * {@value ServerConfig#DEFAULT_REQUEST_BODY_BUFFERS}. Each is a direct buffer of
         * {@code maxRequestHeadBytes + maxEventBytes + 1024} bytes, taken only by a publish whose head passed the
         * token, Origin and size checks; when all are in use, such a publish waits for one without being read,
         * within the request timeout ({@code 408} after it).
         *
         * @param requestBodyBuffers buffers, 1..65536.
         * @return this.
         */
        public Builder requestBodyBuffers(final int requestBodyBuffers)
        {
            settings().requestBodyBuffers = requestBodyBuffers;
            return this;
        }

        /**
         * Topic limit, default {@value ServerConfig#DEFAULT_MAX_TOPICS}.
         *
         * @param maxTopics topics.
         * @return this.
         */
        public Builder maxTopics(final int maxTopics)
        {
            settings().maxTopics = maxTopics;
            return this;
        }

        /**
         * Fan-out agents, default {@value ServerConfig#DEFAULT_AGENTS}: see {@link ServerConfig#agents()}.
         *
         * @param agents 1 to {@value ServerConfig#MAX_AGENTS}.
         * @return this.
         */
        public Builder agents(final int agents)
        {
            settings().agents = agents;
            return this;
        }

        /**
         * Publish ring capacity, a power of two, default {@value ServerConfig#DEFAULT_PUBLISH_RING_BYTES}.
         *
         * @param publishRingBytes bytes.
         * @return this.
         */
        public Builder publishRingBytes(final int publishRingBytes)
        {
            settings().publishRingBytes = publishRingBytes;
            return this;
        }

        /**
         * Limit of open connections from one remote IP address, default
         * {@value ServerConfig#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}; more are answered 429 and closed. Behind a
         * trusted proxy ({@link #trustedProxies(String)}) it counts the clients the proxy names, not the proxy.
         *
         * @param maxConnectionsPerAddress connections.
         * @return this.
         */
        public Builder maxConnectionsPerAddress(final int maxConnectionsPerAddress)
        {
            settings().maxConnectionsPerAddress = maxConnectionsPerAddress;
            return this;
        }

        /**
         * Limit of the parts (literals and expressions) of the distinct URI-template selectors one client address
         * brought to the hub (it subscribed first with them) that live streams still use, default
         * {@value ServerConfig#DEFAULT_MAX_TEMPLATE_PARTS_PER_ADDRESS}: subscribing with templates already in use
         * costs nothing. A subscription that would bring more is answered 429.
         *
         * @param maxTemplatePartsPerAddress parts, 0 or more.
         * @return this.
         */
        public Builder maxTemplatePartsPerAddress(final int maxTemplatePartsPerAddress)
        {
            settings().maxTemplatePartsPerAddress = maxTemplatePartsPerAddress;
            return this;
        }

        /**
         * Limit of the parts of the distinct URI-template selectors of all live streams, default
         * {@value ServerConfig#DEFAULT_MAX_TEMPLATE_PARTS}: what matching a new topic against them costs at most
         * grows with it. A subscription that would add more is answered 503.
         *
         * @param maxTemplateParts parts, 0 or more.
         * @return this.
         */
        public Builder maxTemplateParts(final int maxTemplateParts)
        {
            settings().maxTemplateParts = maxTemplateParts;
            return this;
        }

        /**
         * Proxies whose {@code X-Forwarded-For} (or, without it, RFC 7239 {@code Forwarded}) header names the real
         * client, default {@value ServerConfig#DEFAULT_TRUSTED_PROXIES}: a comma-separated list of
         * IPv4/IPv6 addresses and CIDRs such as {@code 10.0.0.0/8} or {@code fd00::/8}; {@code ""} ignores
         * forwarding headers. A bad entry makes {@link #build()} throw an {@code IllegalArgumentException}. A connection from
         * one of them is counted against {@link #maxConnectionsPerAddress(int)} for the client its current
         * request's head names (the right-most address that is not itself a trusted proxy), and that client is
         * {@link SubscribeRequest#remoteAddress()}; over the limit, that request is answered 429.
         *
         * @param trustedProxies the list.
         * @return this.
         */
        public Builder trustedProxies(final String trustedProxies)
        {
            settings().trustedProxiesList = Objects.requireNonNull(trustedProxies, "trustedProxies");
            return this;
        }

        /**
         * Time allowed to send a complete request (a client that has sent part of one is then answered 408 and
         * closed), and to keep an idle keep-alive connection (then closed silently), default
         * {@value ServerConfig#DEFAULT_REQUEST_TIMEOUT_MS} ms.
         *
         * @param requestTimeoutMs milliseconds.
         * @return this.
         */
        public Builder requestTimeoutMs(final long requestTimeoutMs)
        {
            settings().requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        /**
         * Time {@link SseServer#close()} spends flushing streams, default
         * {@value ServerConfig#DEFAULT_SHUTDOWN_TIMEOUT_MS} ms.
         *
         * @param shutdownTimeoutMs milliseconds.
         * @return this.
         */
        public Builder shutdownTimeoutMs(final long shutdownTimeoutMs)
        {
            settings().shutdownTimeoutMs = shutdownTimeoutMs;
            return this;
        }

        /**
         * Time a stream that fell behind (its socket took less than it was offered) has to write out everything it
         * had pending at that moment, a replay or a burst of events, default
         * {@value ServerConfig#DEFAULT_DRAIN_TIMEOUT_MS} ms; a reader that does not is dropped as a slow consumer
         * (reset), even on a topic that gets no new events. Once drained, the next backlog gets the same time.
         *
         * @param drainTimeoutMs milliseconds, at least 1.
         * @return this.
         */
        public Builder drainTimeoutMs(final long drainTimeoutMs)
        {
            settings().drainTimeoutMs = drainTimeoutMs;
            return this;
        }

        /**
         * {@code SO_SNDBUF} for client sockets, default {@value ServerConfig#DEFAULT_SOCKET_SEND_BUFFER_BYTES} (Linux
         * doubles it): what a subscriber that stops reading holds in the kernel. 0 leaves the system's auto-tuned
         * buffer, up to megabytes per connection.
         *
         * @param socketSendBufferBytes bytes.
         * @return this.
         */
        public Builder socketSendBufferBytes(final int socketSendBufferBytes)
        {
            settings().socketSendBufferBytes = socketSendBufferBytes;
            return this;
        }

        /**
         * Enable {@code POST /events/{topic}}, default true.
         *
         * @param httpPublish true to accept publishes over HTTP.
         * @return this.
         */
        public Builder httpPublish(final boolean httpPublish)
        {
            settings().httpPublish = httpPublish;
            return this;
        }

        /**
         * Announce Mercure subscriptions (presence), default false: see {@link ServerConfig#subscriptions()}.
         *
         * @param subscriptions true to announce them and answer {@code GET /.well-known/mercure/subscriptions}.
         * @return this.
         */
        public Builder subscriptions(final boolean subscriptions)
        {
            settings().subscriptions = subscriptions;
            return this;
        }

        /**
         * Serve Mercure 1.0's OAuth 2.0 Protected Resource Metadata (RFC 9728) for this resource identifier at
         * {@code /.well-known/oauth-protected-resource/.well-known/mercure}; default none (the hub sets it from
         * {@code --jwt-audience}).
         *
         * @param resourceIdentifier the identifier access tokens name in {@code aud}, or null for no metadata.
         * @return this.
         */
        public Builder resourceIdentifier(final String resourceIdentifier)
        {
            settings().resourceIdentifier = resourceIdentifier;
            return this;
        }

        /**
         * Serve the demo page at {@code /}, default false (the hub turns it on).
         *
         * @param demoPage true to serve it.
         * @return this.
         */
        public Builder demoPage(final boolean demoPage)
        {
            settings().demoPage = demoPage;
            return this;
        }

        /**
         * Idle strategy of the agent thread, default a {@code BackoffIdleStrategy} (spin, yield, then park up to
         * 1 ms). A {@code BusySpinIdleStrategy} gives the lowest latency at the cost of a core.
         *
         * @param idleStrategySupplier makes the strategy.
         * @return this.
         */
        public Builder idleStrategy(final Supplier<IdleStrategy> idleStrategySupplier)
        {
            settings().idleStrategySupplier = Objects.requireNonNull(idleStrategySupplier);
            return this;
        }

        /**
         * Where events come from and who assigns ids; default an {@code InMemoryEventSequencer} over a ring of
         * {@link #publishRingBytes(int)}.
         *
         * @param eventSequencerFactory makes the sequencer from the ring capacity.
         * @return this.
         */
        public Builder eventSequencer(final IntFunction<EventSequencer> eventSequencerFactory)
        {
            settings().eventSequencerFactory = Objects.requireNonNull(eventSequencerFactory);
            return this;
        }

        /**
         * Where errors on the agent thread go, default {@code System.err}. A fatal one (see {@link SseServer}) is
         * passed here once, after the server's sockets are closed and before {@link SseServer#awaitClose()}
         * returns; it may be called on the agent thread and must not block. Whatever it throws is ignored for a
         * fatal error and is itself fatal otherwise.
         *
         * @param errorHandler the handler.
         * @return this.
         */
        public Builder errorHandler(final ErrorHandler errorHandler)
        {
            settings().errorHandler = Objects.requireNonNull(errorHandler);
            return this;
        }

        private ServerConfig settings()
        {
            if (config.isConcluded())
            {
                throw new IllegalStateException("settings are fixed once a server is built; use a new builder");
            }
            return config;
        }

        /**
         * Conclude the settings (validate them and derive what the server reads, see {@link SseServer#config()}) and
         * build a server on them. From then on this builder's settings are fixed: another {@code build()} gives a
         * server with the same settings, and a setter throws.
         *
         * @return an unstarted server.
         * @throws IllegalArgumentException naming the first invalid setting.
         */
        public SseServer build()
        {
            return new SseServer(config.conclude());
        }

        /**
         * {@link #build()} then {@link SseServer#start()}.
         *
         * @return the running server.
         */
        public SseServer start()
        {
            return build().start();
        }
    }
}
