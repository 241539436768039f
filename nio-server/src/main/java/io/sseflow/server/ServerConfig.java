package io.sseflow.server;

import io.sseflow.server.http.TrustedProxies;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static io.sseflow.server.ServerConfigRules.check;
import static io.sseflow.server.ServerConfigRules.require;

/**
 * Every setting of an {@link SseServer}, with its default, in one place: {@link SseServer.Builder} sets them,
 * {@code build()} concludes them (validates each and derives, once, what the server's parts read), and from then on
 * they are fixed; the server and each of its parts read this one object. The first seven mirror the hub's flags.
 */
public final class ServerConfig
{
    private static final IntFunction<EventSequencer> DEFAULT_SEQUENCER = ServerConfig::defaultEventSequencer;
    /**
     * Default bind address: loopback only.
     */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /**
     * Default port.
     */
    public static final int DEFAULT_PORT = 8080;
    /**
     * Default number of events retained per topic for Last-Event-ID replay.
     */
    public static final int DEFAULT_HISTORY = 1024;
    /**
     * Default idle time after which a stream is sent a heartbeat comment.
     */
    public static final long DEFAULT_HEARTBEAT_MS = 15_000;
    /**
     * Default connection limit; more are answered 503.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /**
     * Default largest history kept per topic, in bytes (older events are evicted beyond it).
     */
    public static final int DEFAULT_HISTORY_BYTES = 8 * 1024 * 1024;
    /**
     * Default bound on the history of all topics together, when half of the JVM's direct-memory limit is not less.
     */
    public static final long DEFAULT_HISTORY_TOTAL_BYTES = 256L * 1024 * 1024;
    /**
     * Default bound on the logs of all streams of several topics or selectors together, when a quarter of the JVM's
     * direct-memory limit is not less.
     */
    public static final long DEFAULT_STREAM_HISTORY_TOTAL_BYTES = 64L * 1024 * 1024;
    /**
     * The part of {@link #streamHistoryTotalBytes()} the stream logs one client created may hold: one
     * {@value #STREAM_SHARE_DIVISOR}th.
     */
    public static final int STREAM_SHARE_DIVISOR = 8;
    /**
     * The most one stream log holds: one {@value #STREAM_LOG_DIVISOR}th of a client's share (and no more than
     * {@link #historyBytes()}), so that a client's share holds several full streams.
     */
    public static final int STREAM_LOG_DIVISOR = 4;
    /**
     * Default largest event (a publish record: data lines, fields) and largest HTTP publish body.
     */
    public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
    /**
     * Default largest request head (request line and header fields); more is 431.
     */
    public static final int DEFAULT_MAX_REQUEST_HEAD_BYTES = 8 * 1024;
    /**
     * Default number of request body buffers: at most this many request bodies too large for the buffer their
     * head arrived in are read at once.
     */
    public static final int DEFAULT_REQUEST_BODY_BUFFERS = 32;
    /**
     * Default topic limit.
     */
    public static final int DEFAULT_MAX_TOPICS = 10_000;
    /**
     * Default number of fan-out agents: one, the single-agent hub (see {@link #agents()}), unless the system property
     * {@value #AGENTS_PROPERTY} names another.
     */
    public static final int DEFAULT_AGENTS = 1;
    /**
     * System property whose value, when set, replaces {@link #DEFAULT_AGENTS} (so a whole test suite can run at
     * several agents).
     */
    public static final String AGENTS_PROPERTY = "sseflow.agents";
    /**
     * Most fan-out agents.
     */
    public static final int MAX_AGENTS = 64;

    /**
     * Default {@code SO_SNDBUF} of accepted sockets: 64 KiB, which Linux doubles, so a subscriber that stops reading
     * holds at most about 128 KiB of kernel send queue (1,000 of them: 128 MiB) until it is dropped as a slow
     * consumer. 0 leaves the system's auto-tuned buffer, which grows up to {@code net.ipv4.tcp_wmem}'s maximum
     * (4 MiB on many systems) per connection: faster over long fat links, but 1,000 stalled readers can then hold
     * gigabytes, past the host's TCP memory limit, which stalls TCP for every process on the machine.
     */
    public static final int DEFAULT_SOCKET_SEND_BUFFER_BYTES = 64 * 1024;
    /**
     * Default time a stream that fell behind has to write out what it had pending then (a replay, a burst of
     * events): 30 s. A reader that does not drain it in time is dropped as a slow consumer.
     */
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
    /**
     * Default publish ring capacity in bytes.
     */
    public static final int DEFAULT_PUBLISH_RING_BYTES = 4 * 1024 * 1024;
    /**
     * Default time a client has to send a complete request, and a keep-alive connection may stay idle.
     */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    /**
     * Default limit of open connections from one remote IP address; more are answered 429.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1000;
    /**
     * Default limit of the parts (literals and expressions) of the distinct URI-template selectors one client
     * address brought to the hub (it subscribed first with them) that live streams still use; a subscription that
     * would bring more is answered 429.
     */
    public static final int DEFAULT_MAX_TEMPLATE_PARTS_PER_ADDRESS = 1024;
    /**
     * Default limit of the parts of the distinct URI-template selectors of all live streams; a subscription that
     * would add more is answered 503.
     */
    public static final int DEFAULT_MAX_TEMPLATE_PARTS = 4096;
    /**
     * Default time {@link SseServer#close()} waits for streams to be flushed before closing them anyway.
     */
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
    /**
     * Default addresses whose {@code X-Forwarded-For} / {@code Forwarded} header names the real client: loopback.
     */
    public static final String DEFAULT_TRUSTED_PROXIES = TrustedProxies.DEFAULT;

    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    String publishToken;
    String subscribeToken;
    SubscribeAuthorizer subscribeAuthorizerHook;
    PublishAuthorizer publishAuthorizer;
    int history = DEFAULT_HISTORY;
    long heartbeatMs = DEFAULT_HEARTBEAT_MS;
    int maxConnections = DEFAULT_MAX_CONNECTIONS;
    int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    int maxTemplatePartsPerAddress = DEFAULT_MAX_TEMPLATE_PARTS_PER_ADDRESS;
    int maxTemplateParts = DEFAULT_MAX_TEMPLATE_PARTS;
    String trustedProxiesList = DEFAULT_TRUSTED_PROXIES;
    String allowOrigin;
    int historyBytes = DEFAULT_HISTORY_BYTES;
    boolean historyBytesSet;
    long historyTotalBytes;
    long streamHistoryTotalBytes;
    int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    int maxRequestHeadBytes = DEFAULT_MAX_REQUEST_HEAD_BYTES;
    int requestBodyBuffers = DEFAULT_REQUEST_BODY_BUFFERS;
    int maxTopics = DEFAULT_MAX_TOPICS;
    int publishRingBytes = DEFAULT_PUBLISH_RING_BYTES;
    int agents = Integer.getInteger(AGENTS_PROPERTY, DEFAULT_AGENTS);
    long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
    long shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;
    long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
    int socketSendBufferBytes = DEFAULT_SOCKET_SEND_BUFFER_BYTES;
    boolean httpPublish = true;
    boolean subscriptions;
    boolean demoPage;
    String resourceIdentifier;
    Supplier<IdleStrategy> idleStrategySupplier = ServerConfig::defaultIdleStrategy;
    IntFunction<EventSequencer> eventSequencerFactory = DEFAULT_SEQUENCER;
    ErrorHandler errorHandler = (throwable) -> throwable.printStackTrace(System.err);

    private boolean concluded;
    private SubscribeAuthorizer subscribeAuthorizer;
    private String trustedProxies;
    private long directMemoryLimit;
    private long streamHistoryBytesPerClient;
    private int streamLogBytes;
    private long heartbeatNs;
    private long requestTimeoutNs;
    private long shutdownTimeoutNs;
    private long drainTimeoutNs;
    private int requestBodyBufferBytes;
    private boolean loopbackHost;

    /**
     * Every setting at its default; {@link SseServer.Builder} sets them, then {@link #conclude()} fixes them.
     */
    ServerConfig()
    {
    }

    /**
     * Validate every setting and derive, once, what the server's parts read: the subscribe authorizer (token check
     * first), the checked trusted proxies, the history budget fitted to the direct-memory limit and the per-topic
     * history rounded to a power of two within it, the timeouts in nanoseconds, the size of a request body buffer
     * and whether the host is a loopback address. From then on the settings do not change. Idempotent.
     *
     * @return this, concluded.
     * @throws IllegalArgumentException naming the first invalid setting; nothing is concluded then.
     */
    ServerConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(host, "host");
        check(port >= 0 && port <= 65535, "port must be 0..65535: " + port);
        check(history >= 1, "history must be at least 1 event: " + history);
        check(heartbeatMs >= 1, "heartbeat must be at least 1 ms: " + heartbeatMs);
        check(maxConnections >= 1, "max connections must be at least 1: " + maxConnections);
        check(maxConnectionsPerAddress >= 1,
            "max connections per address must be at least 1: " + maxConnectionsPerAddress);
        check(maxTemplatePartsPerAddress >= 0,
            "max template parts per address must be at least 0: " + maxTemplatePartsPerAddress);
        check(maxTemplateParts >= 0, "max template parts must be at least 0: " + maxTemplateParts);
        final TrustedProxies proxies = TrustedProxies.parse(require(trustedProxiesList, "trusted proxies"));
        check(maxEventBytes >= 256 && maxEventBytes <= 64 * 1024 * 1024,
            "max event bytes must be 256..67108864: " + maxEventBytes);
        check(maxRequestHeadBytes >= 256, "max request head bytes must be at least 256: " + maxRequestHeadBytes);
        check(requestBodyBuffers >= 1 && requestBodyBuffers <= 65536,
            "request body buffers must be 1..65536: " + requestBodyBuffers);
        check(maxTopics >= 1, "max topics must be at least 1: " + maxTopics);
        check(BitUtil.isPowerOfTwo(publishRingBytes) && publishRingBytes >= 8 * maxEventBytes,
            "publish ring bytes must be a power of two of at least 8 x max event bytes: " + publishRingBytes);
        check(agents >= 1 && agents <= MAX_AGENTS, "agents must be 1.." + MAX_AGENTS + ": " + agents);
        check(1 == agents || isDefaultSequencer(), "agents above 1 need the in-memory sequencer: a durable or clustered hub " +
            "(--data-dir, --cluster-members) or another event sequencer runs one agent in this version");
        check(1 == agents || !subscriptions, "agents above 1 do not announce Mercure subscriptions (--subscriptions) " +
            "in this version: each agent would list only its own");
        check(requestTimeoutMs >= 1, "request timeout must be at least 1 ms: " + requestTimeoutMs);
        check(shutdownTimeoutMs >= 0, "shutdown timeout must be >= 0 ms: " + shutdownTimeoutMs);
        check(drainTimeoutMs >= 1, "drain timeout must be at least 1 ms: " + drainTimeoutMs);
        check(socketSendBufferBytes >= 0, "socket send buffer bytes must be >= 0: " + socketSendBufferBytes);
        check(historyBytes >= 1, "history bytes must be positive: " + historyBytes);
        check(null == allowOrigin || ServerConfigRules.isValidOrigin(allowOrigin),
            "allow-origin must be * or an origin such as https://example.com (no path, no CR/LF): " + allowOrigin);
        check(null == publishToken || ServerConfigRules.isValidToken(publishToken),
            "publish token must be 1..512 visible ASCII characters without spaces");
        check(null == publishToken || null == publishAuthorizer,
            "a publish token and a publish authorizer exclude each other: set one");
        final SubscribeAuthorizer authorizer =
            ServerConfigRules.composeAuthorizer(subscribeToken, subscribeAuthorizerHook);
        check(historyTotalBytes >= 0,
            "history total bytes must be positive, or 0 for the default: " + historyTotalBytes);
        final int minimumHistoryBytes = 2 * BitUtil.findNextPositivePowerOfTwo(maxEventBytes + 1024);
        final int perTopic = BitUtil.findNextPositivePowerOfTwo(Math.max(historyBytes, minimumHistoryBytes));
        final long directLimit = JvmMemoryLimits.maxDirectMemory();
        final long totalBytes =
            ServerConfigRules.fitHistoryTotalBytes(historyTotalBytes, directLimit, minimumHistoryBytes);
        check(!historyBytesSet || historyBytes <= totalBytes,
            "history bytes (" + historyBytes + ") must not exceed history total bytes (" + totalBytes +
            "), the bound on all topics' history together");
        check(streamHistoryTotalBytes >= 0,
            "stream history total bytes must be positive, or 0 for the default: " + streamHistoryTotalBytes);
        final long streamBytes = ServerConfigRules.fitStreamHistoryTotalBytes(
            streamHistoryTotalBytes, totalBytes, directLimit, minimumHistoryBytes);
        final long perClient = Math.max(minimumHistoryBytes, streamBytes / STREAM_SHARE_DIVISOR);
        final int history = (int)Math.min(perTopic, Long.highestOneBit(totalBytes));

        trustedProxies = proxies.toString();
        subscribeAuthorizer = authorizer;
        directMemoryLimit = directLimit;
        historyTotalBytes = totalBytes;
        historyBytes = history;
        streamHistoryTotalBytes = streamBytes;
        streamHistoryBytesPerClient = perClient;
        streamLogBytes = (int)Math.min(history,
            Math.max(minimumHistoryBytes, Long.highestOneBit(perClient / STREAM_LOG_DIVISOR)));
        heartbeatNs = TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
        requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        shutdownTimeoutNs = TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMs);
        drainTimeoutNs = TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
        requestBodyBufferBytes = maxRequestHeadBytes + maxEventBytes + 1024;
        loopbackHost = ServerConfigRules.resolvesToLoopback(host);
        concluded = true;
        return this;
    }

    /**
     * Has {@link #conclude()} fixed the settings?
     *
     * @return true once concluded.
     */
    boolean isConcluded()
    {
        return concluded;
    }

    /**
     * Token required to subscribe ({@code Authorization: Bearer} or {@code ?access_token=}).
     *
     * @return the token, or null when none is required.
     */
    public String subscribeToken()
    {
        return subscribeToken;
    }

    /**
     * What decides whether a subscribe request may stream: the subscribe token's check, then the configured hook.
     *
     * @return the authorizer, or null when subscribing is open.
     */
    public SubscribeAuthorizer subscribeAuthorizer()
    {
        return subscribeAuthorizer;
    }

    /**
     * What decides whether a publish over HTTP may go ahead, instead of the publish token.
     *
     * @return the authorizer, or null when the publish token (or open publishing) decides.
     */
    public PublishAuthorizer publishAuthorizer()
    {
        return publishAuthorizer;
    }

    /**
     * Bind address.
     *
     * @return host name or IP literal.
     */
    public String host()
    {
        return host;
    }

    /**
     * Port to bind, 0 for an ephemeral one.
     *
     * @return the port.
     */
    public int port()
    {
        return port;
    }

    /**
     * Token required as {@code Authorization: Bearer TOKEN} on HTTP publish.
     *
     * @return the token, or null when HTTP publishing is open (loopback hosts only).
     */
    public String publishToken()
    {
        return publishToken;
    }

    /**
     * Events retained per topic for replay.
     *
     * @return events.
     */
    public int history()
    {
        return history;
    }

    /**
     * Idle time after which a heartbeat comment is sent.
     *
     * @return milliseconds.
     */
    public long heartbeatMs()
    {
        return heartbeatMs;
    }

    /**
     * Connection limit.
     *
     * @return connections.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    /**
     * CORS origin.
     *
     * @return {@code *}, an exact origin, or null for no CORS.
     */
    public String allowOrigin()
    {
        return allowOrigin;
    }

    /**
     * Largest history per topic in bytes (a power of two, at least twice the largest event, at most
     * {@link #historyTotalBytes()}).
     *
     * @return bytes.
     */
    public int historyBytes()
    {
        return historyBytes;
    }

    /**
     * Bound on the history of all topics together: every topic's frame buffer and index (direct memory), counted by
     * capacity. Past it, the topics holding the most give up their oldest events. The one set, or
     * {@link #DEFAULT_HISTORY_TOTAL_BYTES} but never more than half of {@link #directMemoryLimit()}.
     *
     * @return bytes.
     */
    public long historyTotalBytes()
    {
        return historyTotalBytes;
    }

    /**
     * Bound on the logs of all shared streams together (the streams of {@code GET /events?topic=A&topic=B} and of
     * Mercure subscriptions, one per distinct set of selectors): their frame buffers and indexes (direct memory), by
     * capacity, apart from {@link #historyTotalBytes()}, which they never draw on. Past it, the stream logs holding the
     * most give up their oldest events. The one set, or {@link #DEFAULT_STREAM_HISTORY_TOTAL_BYTES} but never more
     * than a quarter of {@link #directMemoryLimit()}; with the history budget, at most three quarters of it.
     *
     * @return bytes.
     */
    public long streamHistoryTotalBytes()
    {
        return streamHistoryTotalBytes;
    }

    /**
     * The bytes the stream logs one client created may hold before that client is refused a new stream (429):
     * {@link #streamHistoryTotalBytes()} / {@value #STREAM_SHARE_DIVISOR}, and at least two of the largest events'
     * buffers.
     *
     * @return bytes.
     */
    public long streamHistoryBytesPerClient()
    {
        return streamHistoryBytesPerClient;
    }

    /**
     * The most one shared stream's log holds (a power of two): a {@value #STREAM_LOG_DIVISOR}th of
     * {@link #streamHistoryBytesPerClient()}, at least two of the largest events' buffers, at most
     * {@link #historyBytes()}.
     *
     * @return bytes.
     */
    public int streamLogBytes()
    {
        return streamLogBytes;
    }

    /**
     * The JVM's direct-memory limit the history budget was fitted to, as read at build time.
     *
     * @return bytes.
     */
    public long directMemoryLimit()
    {
        return directMemoryLimit;
    }

    /**
     * Largest event and largest HTTP publish body.
     *
     * @return bytes.
     */
    public int maxEventBytes()
    {
        return maxEventBytes;
    }

    /**
     * Largest request head.
     *
     * @return bytes.
     */
    public int maxRequestHeadBytes()
    {
        return maxRequestHeadBytes;
    }

    /**
     * Most request bodies read at once that do not fit in the buffer their head arrived in; each takes a direct
     * buffer of {@link #requestBodyBufferBytes()}. A publish whose head passed waits for a free one without being
     * read, within the request timeout.
     *
     * @return buffers.
     */
    public int requestBodyBuffers()
    {
        return requestBodyBuffers;
    }

    /**
     * Size of each request body buffer: the largest head, the largest body and room for chunked framing.
     *
     * @return bytes.
     */
    public int requestBodyBufferBytes()
    {
        return requestBodyBufferBytes;
    }

    /**
     * Topic limit.
     *
     * @return topics.
     */
    public int maxTopics()
    {
        return maxTopics;
    }

    /**
     * Publish ring capacity.
     *
     * @return bytes.
     */
    public int publishRingBytes()
    {
        return publishRingBytes;
    }

    /**
     * Fan-out agents, each a thread serving its share of the connections from its own copy of the topics' history,
     * fed by one sequencer thread that decides seq, ids and duplicates once; 1 (the default) is the single-agent hub,
     * which sequences on its own thread. Above 1 only with the in-memory sequencer.
     *
     * @return agents.
     */
    public int agents()
    {
        return agents;
    }

    /**
     * Limit of open connections from one remote IP address.
     *
     * @return connections.
     */
    public int maxConnectionsPerAddress()
    {
        return maxConnectionsPerAddress;
    }

    /**
     * Limit of the parts of the distinct template selectors one client address brought that live streams use.
     *
     * @return parts (0: no template selector).
     */
    public int maxTemplatePartsPerAddress()
    {
        return maxTemplatePartsPerAddress;
    }

    /**
     * Limit of the parts of the distinct template selectors of all live streams.
     *
     * @return parts (0: no template selector).
     */
    public int maxTemplateParts()
    {
        return maxTemplateParts;
    }

    /**
     * Proxies whose {@code X-Forwarded-For} / {@code Forwarded} header names the client that per-address limits
     * count and {@link SubscribeRequest#remoteAddress()} reports: addresses and CIDR ranges, checked at conclude.
     *
     * @return the list, comma-separated as given (trimmed), {@code ""} when forwarding headers are ignored.
     */
    public String trustedProxies()
    {
        return trustedProxies;
    }

    /**
     * Time to receive a request, and keep-alive idle time.
     *
     * @return milliseconds.
     */
    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    /**
     * Time allowed to flush streams on close.
     *
     * @return milliseconds.
     */
    public long shutdownTimeoutMs()
    {
        return shutdownTimeoutMs;
    }

    /**
     * Time a stream that fell behind has to write out what it had pending then, before it is dropped as a slow
     * consumer; {@link #DEFAULT_DRAIN_TIMEOUT_MS} unless set.
     *
     * @return milliseconds.
     */
    public long drainTimeoutMs()
    {
        return drainTimeoutMs;
    }

    /**
     * {@code SO_SNDBUF} for accepted sockets, {@link #DEFAULT_SOCKET_SEND_BUFFER_BYTES} unless set.
     *
     * @return bytes, 0 for the system default (auto-tuned).
     */
    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    /**
     * Does the hub announce Mercure subscriptions (presence, {@code --subscriptions})? Each Mercure subscription then
     * gets a subscriber id, a private update to {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}} when
     * it starts and when it ends, and {@code GET /.well-known/mercure/subscriptions} lists what this node knows.
     *
     * @return true when on; off by default.
     */
    public boolean subscriptions()
    {
        return subscriptions;
    }

    /**
     * Is {@code POST /events/{topic}} enabled?
     *
     * @return true when HTTP publishing is on.
     */
    public boolean httpPublish()
    {
        return httpPublish;
    }

    /**
     * The hub's OAuth 2.0 resource identifier, whose Protected Resource Metadata (Mercure 1.0) is served at
     * {@code /.well-known/oauth-protected-resource/.well-known/mercure}.
     *
     * @return the identifier, or null when no metadata is served.
     */
    public String resourceIdentifier()
    {
        return resourceIdentifier;
    }

    /**
     * Is the demo page served at {@code /}?
     *
     * @return true when it is.
     */
    public boolean demoPage()
    {
        return demoPage;
    }

    /**
     * What makes the agent's idle strategy; called once, when the server starts.
     *
     * @return the supplier.
     */
    public Supplier<IdleStrategy> idleStrategySupplier()
    {
        return idleStrategySupplier;
    }

    /**
     * What makes the server's event sequencer from {@link #publishRingBytes()}; called once, when the server starts.
     *
     * @return the factory.
     */
    public IntFunction<EventSequencer> eventSequencerFactory()
    {
        return eventSequencerFactory;
    }

    /**
     * Where errors on the agent thread go.
     *
     * @return the handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * Is the bind address a loopback address? Resolved once, when the settings were concluded.
     *
     * @return true for 127.0.0.0/8, ::1 and names resolving to them.
     */
    public boolean isLoopbackHost()
    {
        return loopbackHost;
    }

    /**
     * {@link #heartbeatMs()} in nanoseconds.
     *
     * @return nanoseconds.
     */
    public long heartbeatNs()
    {
        return heartbeatNs;
    }

    /**
     * {@link #requestTimeoutMs()} in nanoseconds.
     *
     * @return nanoseconds.
     */
    public long requestTimeoutNs()
    {
        return requestTimeoutNs;
    }

    /**
     * {@link #shutdownTimeoutMs()} in nanoseconds.
     *
     * @return nanoseconds.
     */
    public long shutdownTimeoutNs()
    {
        return shutdownTimeoutNs;
    }

    /**
     * {@link #drainTimeoutMs()} in nanoseconds.
     *
     * @return nanoseconds.
     */
    public long drainTimeoutNs()
    {
        return drainTimeoutNs;
    }

    static IdleStrategy defaultIdleStrategy()
    {
        return new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    private boolean isDefaultSequencer()
    {
        return DEFAULT_SEQUENCER == eventSequencerFactory;
    }

    static EventSequencer defaultEventSequencer(final int capacity)
    {
        return new InMemoryEventSequencer(capacity);
    }
}
