package io.sseflow.server.hub;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.http.TrustedProxies;
import io.sseflow.server.hub.jwt.JwtAlgorithm;
import io.sseflow.server.hub.jwt.JwtAuthorizer;
import io.sseflow.server.hub.jwt.JwtSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The hub's command-line flags, parsed into an {@link SseServer.Builder} and, for JWT authorization, a
 * {@link JwtSettings} ({@link #parseSettings(String[])}). Each flag takes a value, as {@code --port 8080} or
 * {@code --port=8080}, except {@code --allow-anonymous} and {@code --restore}, which stand alone (or take
 * {@code =true} / {@code =false}); mistakes are reported with {@link IllegalArgumentException}s whose message names
 * the flag and what is expected.
 */
public final class HubOptions
{
    static final String LOG_FORMAT = "--log-format";

    /**
     * The usage text.
     */
    public static final String USAGE = String.join("\n",
        "usage: java -jar sseflow-server.jar [flags]",
        "",
        "  --host H               bind address (default " + ServerConfig.DEFAULT_HOST + ")",
        "  --port P               port, 0 picks a free one (default " + ServerConfig.DEFAULT_PORT + ")",
        "  --publish-token T      require 'Authorization: Bearer T' on POST /events/{topic};",
        "                         without it publishing is open, allowed only on a loopback host",
        "  --subscribe-token T    require 'Authorization: Bearer T' or '?access_token=T' on",
        "                         GET /events/{topic} (default none: subscribing is open)",
        "  --publish-token-file F --publish-token read from file F (its content without the line end)",
        "  --subscribe-token-file F",
        "                         --subscribe-token read from file F",
        "  --history N            events kept per topic for Last-Event-ID replay (default " +
            ServerConfig.DEFAULT_HISTORY + ")",
        "  --heartbeat-ms MS      comment sent to a stream idle that long (default " +
            ServerConfig.DEFAULT_HEARTBEAT_MS + ")",
        "  --max-connections N    more connections get 503 (default " + ServerConfig.DEFAULT_MAX_CONNECTIONS + ")",
        "  --allow-origin O       CORS origin allowed: * or an exact origin (default none)",
        "  --history-bytes N      most bytes of history per topic (default " +
            ServerConfig.DEFAULT_HISTORY_BYTES + ")",
        "  --history-total-bytes N",
        "                         most bytes of history of all topics together; past it the oldest",
        "                         events of the topics holding the most go first (default " +
            ServerConfig.DEFAULT_HISTORY_TOTAL_BYTES + ",",
        "                         never more than half the JVM's direct-memory limit; with --data-dir",
        "                         also the cluster state machine's, on the heap: at most a quarter of",
        "                         -Xmx, the same on every member)",
        "  --stream-history-total-bytes N",
        "                         most bytes of the logs of streams of several topics or selectors",
        "                         together, apart from topic history; one client's streams may hold an",
        "                         eighth (more new streams: 429), and a full budget refuses new ones (503)",
        "                         (default " + ServerConfig.DEFAULT_STREAM_HISTORY_TOTAL_BYTES +
            ", never more than a quarter of the direct-memory limit)",
        "  --max-event-bytes N    largest event / publish body (default " + ServerConfig.DEFAULT_MAX_EVENT_BYTES + ")",
        "  --request-body-buffers N",
        "                         most large publish bodies read at once, each in a direct buffer of",
        "                         max-event-bytes + 9 KiB; more wait (default " +
            ServerConfig.DEFAULT_REQUEST_BODY_BUFFERS + ")",
        "  --max-topics N         topic limit (default " + ServerConfig.DEFAULT_MAX_TOPICS + ")",
        "  --agents N             fan-out agents, each a thread serving its share of the connections,",
        "                         fed by one sequencer thread; 1 is the single-agent hub (default " +
            ServerConfig.DEFAULT_AGENTS + ", at most " + ServerConfig.MAX_AGENTS + "; above 1 not with",
        "                         --data-dir, --cluster-members or --subscriptions)",
        "  --max-connections-per-address N",
        "                         more connections from one IP get 429 (default " +
            ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + ")",
        "  --max-template-parts-per-address N",
        "                         parts of the distinct URI templates one IP brought that streams",
        "                         still use; more get 429 (default " +
            ServerConfig.DEFAULT_MAX_TEMPLATE_PARTS_PER_ADDRESS + ")",
        "  --max-template-parts N parts of the distinct URI-template selectors of all streams; more",
        "                         get 503 (default " + ServerConfig.DEFAULT_MAX_TEMPLATE_PARTS + ")",
        "  --trusted-proxies LIST addresses or CIDRs (e.g. 10.0.0.0/8,fd00::/8) whose X-Forwarded-For or",
        "                         Forwarded header names the client that per-address limits count;",
        "                         '' trusts none (default " + TrustedProxies.DEFAULT + ")",
        "  --request-timeout-ms MS",
        "                         time to send a complete request; then 408 and close (default " +
            ServerConfig.DEFAULT_REQUEST_TIMEOUT_MS + ")",
        "  --socket-send-buffer-bytes N",
        "                         SO_SNDBUF per connection, bounds kernel memory per slow subscriber to",
        "                         about 2N (default " + ServerConfig.DEFAULT_SOCKET_SEND_BUFFER_BYTES +
            "; 0: the system's auto-tuned buffer)",
        "  --drain-timeout-ms MS  time a stream that fell behind has to write out what it had pending (a",
        "                         replay); then it is dropped as a slow consumer (default " +
            ServerConfig.DEFAULT_DRAIN_TIMEOUT_MS + ")",
        "  --jwt-key K            HS256 secret (at least 32 bytes) of publisher and subscriber JWTs, whose",
        "                         'mercure' claim lists the topic selectors to 'publish' and 'subscribe'",
        "  --jwt-secret-file F    --jwt-key read from file F (its content without the line end)",
        "  --jwt-key-file F       PEM public key (or certificate) of RS256 / ES256 JWTs, instead of --jwt-key",
        "  --jwt-algorithm A      HS256, RS256 or ES256 (default HS256); tokens with any other alg are refused",
        "  --jwt-audience A       the hub's resource identifier: Mercure 1.0 access tokens (typ at+jwt, their",
        "                         grants in authorization_details) must name it in 'aud'; with --jwt-issuer",
        "  --jwt-issuer I         the issuer ('iss') Mercure 1.0 access tokens must come from (same JWT key)",
        "  --allow-anonymous      with a JWT key, subscribers without a token still get public updates",
        "                         (tokens: 'Authorization: Bearer', ?authorization= or ?access_token=, or",
        "                         the mercureAuthorization cookie; a JWT key excludes --publish-token and",
        "                         --subscribe-token, and allows a non-loopback --host)",
        "  --subscriptions true|false",
        "                         presence (default false): each Mercure subscription announced by a private",
        "                         update to /.well-known/mercure/subscriptions/{topic}/{subscriber} when it",
        "                         starts and ends (at most 1,000 start updates a second), listed by",
        "                         GET /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]] (this node's)",
        "  --data-dir DIR         keep the event log on disk under DIR: history and ids survive a crash",
        "                         or restart (alone: a single durable node on free loopback UDP ports)",
        "  --cluster-members LIST host:port of every cluster member, the same list in the same order on",
        "                         every node; each member uses UDP ports port to port+" +
            (ClusterSettings.PORTS_PER_MEMBER - 1) + " (needs --data-dir)",
        "  --cluster-node N       this node's 0-based index in --cluster-members",
        "  --snapshot-events N    the leader takes a snapshot every N events applied; log before the",
        "                         previous snapshot that no member still needs is then deleted",
        "                         (default " + ClusterSettings.DEFAULT_SNAPSHOT_EVERY_EVENTS + ", needs --data-dir)",
        "  --snapshot-interval-ms MS",
        "                         and at most MS after the last one when events were applied since",
        "                         (default " + ClusterSettings.DEFAULT_SNAPSHOT_INTERVAL_MS + ", at least " +
            ClusterFlags.MIN_SNAPSHOT_INTERVAL_MS + ", needs --data-dir)",
        "  --catch-up-log-bytes N most log kept beyond the snapshots for members that are down or behind,",
        "                         so they can catch up; past it they no longer can (default " +
            ClusterSettings.DEFAULT_CATCH_UP_LOG_BYTES + ", needs --data-dir)",
        "  --fsync true|false     true: a publish is answered 200 once its event is on stable storage on",
        "                         a majority of members; false: once in their page cache, faster but it",
        "                         survives process crashes, not machine crashes (default true, needs",
        "                         --data-dir)",
        "  --min-free-disk-bytes N",
        "                         below N bytes free on the data dir's file system, publishes get 507",
        "                         and /readyz 503 while subscribers are served; taken again once space",
        "                         is freed. Aeron's own threshold is N/2: a node that starts with less,",
        "                         or must start a recording below it, exits 70 (default " +
            ClusterSettings.DEFAULT_MIN_FREE_DISK_BYTES + ",",
        "                         at least " + ClusterSettings.MIN_MIN_FREE_DISK_BYTES + ", needs --data-dir)",
        "  --restore              replace this member's data: copy the latest snapshot and the log from",
        "                         the cluster's leader into its empty --data-dir, then start; the way",
        "                         back for a member whose disk was lost or replaced, or one the others",
        "                         deleted log past (needs --cluster-members of several members)",
        "  --change-settings true|false",
        "                         true: this member's --history, --history-total-bytes and --max-topics",
        "                         become the cluster's when it joins, right after ClusterTool shutdown",
        "                         (default false: a member whose settings differ exits 2; needs --data-dir)",
        "  --log-format F         text (default: each line as it always was) or json (one object per",
        "                         line: time, level, logger, message) for the log on standard error",
        "  --config FILE          read settings from FILE, a Java properties file whose keys are these",
        "                         flags' names without -- (port=8080); also SSEFLOW_CONFIG",
        "  --print-config         print the effective settings (secrets masked) and where each came",
        "                         from, then exit",
        "  --version              print the version and exit",
        "  --help                 print this and exit",
        "",
        "Every flag may also be given as an environment variable: SSEFLOW_ and its name in upper case",
        "with _ for - (--jwt-key: SSEFLOW_JWT_KEY). Flags win over the environment, the environment over",
        "the file, the file over the defaults; unknown keys and SSEFLOW_ variables are refused.",
        "",
        "Endpoints: GET / (demo page), GET /events/{topic} (stream), POST /events/{topic} (publish),",
        "OPTIONS /events/{topic} (CORS preflight), GET /metrics (Prometheus), GET /healthz, GET /readyz.",
        "");

    private HubOptions()
    {
    }

    /**
     * Is help asked for?
     *
     * @param args command-line arguments.
     * @return true when {@code --help} or {@code -h} is among them.
     */
    public static boolean wantsHelp(final String[] args)
    {
        for (final String arg : args)
        {
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Parse flags into a builder for the hub (demo page on, JWT authorization applied when a key is given): the
     * server of {@link #parseSettings(String[])}.
     *
     * @param args command-line arguments.
     * @return the builder.
     * @throws IllegalArgumentException for an unknown flag, a missing value, a malformed number, or JWT flags that
     *                                  do not fit together or name an unusable key.
     */
    public static SseServer.Builder parse(final String[] args)
    {
        return parseSettings(args).server();
    }

    /**
     * Parse flags into the hub's settings: the server's builder (demo page on) and the JWT settings, whose key is
     * read and checked now. With a JWT key, the builder's subscribe and publish authorizer is a
     * {@link JwtAuthorizer}, and {@code --publish-token} / {@code --subscribe-token} are refused: with JWTs, every
     * publisher and subscriber presents a token whose {@code mercure} claim names its topics.
     *
     * @param args command-line arguments.
     * @return the settings.
     * @throws IllegalArgumentException for an unknown flag, a missing value, a malformed number, or JWT flags that
     *                                  do not fit together or name an unusable key.
     */
    public static HubSettings parseSettings(final String[] args)
    {
        return parseSettings(ConfigSources.resolve(args, Map.of()).settings());
    }

    /**
     * Parse settings resolved from their sources ({@link ConfigSources}) into the hub's settings, as
     * {@link #parseSettings(String[])} does; a bad value's message names its source unless it is a flag.
     *
     * @param settings one per flag.
     * @return the settings.
     * @throws IllegalArgumentException for an unknown flag, a malformed value, or JWT flags that do not fit together
     *                                  or name an unusable key.
     */
    public static HubSettings parseSettings(final List<ConfigSources.Setting> settings)
    {
        final SseServer.Builder builder = SseServer.builder().demoPage(true);
        final JwtFlags jwt = new JwtFlags();
        final ClusterFlags cluster = new ClusterFlags();
        LogFormat logFormat = LogFormat.TEXT;
        for (final ConfigSources.Setting setting : settings)
        {
            try
            {
                if (LOG_FORMAT.equals(setting.flag()))
                {
                    logFormat = LogFormat.of(setting.value());
                    continue;
                }
                apply(setting.flag(), setting.value(), builder, jwt, cluster);
            }
            catch (final IllegalArgumentException ex)
            {
                if ("flag".equals(setting.source()))
                {
                    throw ex;
                }
                throw new IllegalArgumentException(ex.getMessage() + " (" + setting.source() + ")", ex);
            }
        }
        final JwtSettings jwtSettings = jwt.settings();
        if (null != jwtSettings)
        {
            final JwtAuthorizer authorizer = new JwtAuthorizer(jwtSettings);
            builder.subscribeAuthorizer(authorizer).publishAuthorizer(authorizer)
                .resourceIdentifier(jwtSettings.audience());
        }
        final ClusterSettings clusterSettings =
            cluster.applyTo(builder, logFormat == LogFormat.TEXT ? System.err : new HubLog().lines());
        return new HubSettings(
            builder, jwtSettings, clusterSettings, logFormat, null == clusterSettings ? null : cluster::role);
    }

    private static void apply(
        final String flag, final String value, final SseServer.Builder builder, final JwtFlags jwt,
        final ClusterFlags cluster)
    {
        switch (flag)
        {
            case "--host":
                builder.host(nonEmpty(flag, value));
                break;
            case "--port":
                builder.port(intValue(flag, value, 0, 65535));
                break;
            case "--publish-token":
                builder.publishToken(nonEmpty(flag, value));
                jwt.staticToken = flag;
                break;
            case "--subscribe-token":
                builder.subscribeToken(nonEmpty(flag, value));
                jwt.staticToken = flag;
                break;
            case "--history":
                builder.history(intValue(flag, value, 1, Integer.MAX_VALUE));
                cluster.history(intValue(flag, value, 1, Integer.MAX_VALUE));
                break;
            case "--heartbeat-ms":
                builder.heartbeatMs(intValue(flag, value, 1, Integer.MAX_VALUE));
                break;
            case "--max-connections":
                builder.maxConnections(intValue(flag, value, 1, Integer.MAX_VALUE));
                break;
            case "--allow-origin":
                builder.allowOrigin(nonEmpty(flag, value));
                break;
            case "--history-bytes":
                builder.historyBytes(intValue(flag, value, 1, 1 << 30));
                break;
            case "--history-total-bytes":
                builder.historyTotalBytes(longValue(flag, value, 1, 1L << 40));
                cluster.historyTotalBytes(longValue(flag, value, 1, 1L << 40));
                break;
            case "--stream-history-total-bytes":
                builder.streamHistoryTotalBytes(longValue(flag, value, 1, 1L << 40));
                break;
            case "--max-event-bytes":
                builder.maxEventBytes(intValue(flag, value, 256, 64 * 1024 * 1024));
                break;
            case "--request-body-buffers":
                builder.requestBodyBuffers(intValue(flag, value, 1, 65536));
                break;
            case "--agents":
                builder.agents(intValue(flag, value, 1, ServerConfig.MAX_AGENTS));
                break;
            case "--max-topics":
                builder.maxTopics(intValue(flag, value, 1, Integer.MAX_VALUE));
                cluster.maxTopics(intValue(flag, value, 1, Integer.MAX_VALUE));
                break;
            case "--max-connections-per-address":
                builder.maxConnectionsPerAddress(intValue(flag, value, 1, Integer.MAX_VALUE));
                break;
            case "--max-template-parts-per-address":
                builder.maxTemplatePartsPerAddress(intValue(flag, value, 0, Integer.MAX_VALUE));
                break;
            case "--max-template-parts":
                builder.maxTemplateParts(intValue(flag, value, 0, Integer.MAX_VALUE));
                break;
            case "--trusted-proxies":
                builder.trustedProxies(trustedProxies(flag, value));
                break;
            case "--request-timeout-ms":
                builder.requestTimeoutMs(intValue(flag, value, 1, Integer.MAX_VALUE));
                break;
            case "--socket-send-buffer-bytes":
                builder.socketSendBufferBytes(intValue(flag, value, 0, 64 * 1024 * 1024));
                break;
            case "--drain-timeout-ms":
                builder.drainTimeoutMs(intValue(flag, value, 1, Integer.MAX_VALUE));
                break;
            case ClusterFlags.SNAPSHOT_EVENTS:
                cluster.snapshotEvents(longValue(flag, value, 1, ClusterFlags.MAX_SNAPSHOT_EVENTS));
                break;
            case ClusterFlags.SNAPSHOT_INTERVAL_MS:
                cluster.snapshotIntervalMs(longValue(flag, value,
                    ClusterFlags.MIN_SNAPSHOT_INTERVAL_MS, ClusterFlags.MAX_SNAPSHOT_INTERVAL_MS));
                break;
            case ClusterFlags.CATCH_UP_LOG_BYTES:
                cluster.catchUpLogBytes(longValue(flag, value, 0, 1L << 50));
                break;
            case ClusterFlags.CHANGE_SETTINGS:
                cluster.changeSettings(trueOrFalse(flag, value));
                break;
            case "--subscriptions":
                builder.subscriptions(trueOrFalse(flag, value));
                break;
            case ClusterFlags.FSYNC:
                cluster.fsync(trueOrFalse(flag, value));
                break;
            case ClusterFlags.MIN_FREE_DISK_BYTES:
                cluster.minFreeDiskBytes(longValue(flag, value, ClusterSettings.MIN_MIN_FREE_DISK_BYTES, 1L << 50));
                break;
            case ClusterFlags.RESTORE:
                cluster.restore(booleanValue(flag, value));
                break;
            case JwtFlags.KEY:
                jwt.key = nonEmpty(flag, value);
                break;
            case JwtFlags.KEY_FILE:
                jwt.keyFile = nonEmpty(flag, value);
                break;
            case JwtFlags.ALGORITHM:
                jwt.algorithm = jwtAlgorithm(flag, value);
                break;
            case JwtFlags.ALLOW_ANONYMOUS:
                jwt.allowAnonymous = booleanValue(flag, value);
                break;
            case JwtFlags.AUDIENCE:
                jwt.audience = nonEmpty(flag, value);
                break;
            case JwtFlags.ISSUER:
                jwt.issuer = nonEmpty(flag, value);
                break;
            default:
                if (!cluster.accept(flag, value))
                {
                    throw new IllegalArgumentException("unknown flag " + flag);
                }
                break;
        }
    }

    private static JwtAlgorithm jwtAlgorithm(final String flag, final String value)
    {
        try
        {
            return JwtAlgorithm.of(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(flag + ": " + ex.getMessage(), ex);
        }
    }

    static boolean booleanValue(final String flag, final String value)
    {
        if ("true".equals(value) || "false".equals(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(flag + " stands alone, or takes =true or =false, got '" + value + "'");
    }

    private static boolean trueOrFalse(final String flag, final String value)
    {
        if ("true".equals(value) || "false".equals(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(flag + " takes true or false, got '" + value + "'");
    }

    private static String nonEmpty(final String flag, final String value)
    {
        if (value.isEmpty())
        {
            throw new IllegalArgumentException(flag + " needs a non-empty value");
        }
        return value;
    }

    /**
     * The line the hub prints on stderr at start: the history budget it runs with and the limit it was fitted to, then
     * the stream-log budget with its share per client and its bound per stream.
     *
     * @param config of the started server.
     * @return the line, without a line end.
     */
    public static String historyBudgetLine(final ServerConfig config)
    {
        return "sseflow history budget " + mib(config.historyTotalBytes()) +
            " (direct memory limit " + mib(config.directMemoryLimit()) + ", " + mib(config.historyBytes()) +
            " per topic, " + config.maxTopics() + " topics); stream logs " + mib(config.streamHistoryTotalBytes()) +
            " (" + mib(config.streamHistoryBytesPerClient()) + " per client, " + mib(config.streamLogBytes()) +
            " per stream)";
    }

    private static String mib(final long bytes)
    {
        if (bytes < 1024 * 1024 && bytes % 1024 == 0)
        {
            return bytes / 1024 + " KiB";
        }
        final double mib = bytes / (1024.0 * 1024.0);
        return mib == Math.rint(mib) ? (long)mib + " MiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", mib);
    }

    private static long longValue(final String flag, final String value, final long min, final long max)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + value + "'");
        }
        if (parsed < min || parsed > max)
        {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + value);
        }
        return parsed;
    }

    private static String trustedProxies(final String flag, final String value)
    {
        return TrustedProxies.parse(value, flag).toString();
    }

    private static int intValue(final String flag, final String value, final int min, final int max)
    {
        return (int)longValue(flag, value, min, max);
    }

    /**
     * The JWT flags as given, checked together once all are read.
     */
    private static final class JwtFlags
    {
        static final String KEY = "--jwt-key";
        static final String KEY_FILE = "--jwt-key-file";
        static final String ALGORITHM = "--jwt-algorithm";
        static final String ALLOW_ANONYMOUS = "--allow-anonymous";
        static final String AUDIENCE = "--jwt-audience";
        static final String ISSUER = "--jwt-issuer";

        String key;
        String audience;
        String issuer;
        String keyFile;
        JwtAlgorithm algorithm;
        boolean allowAnonymous;
        String staticToken;

        JwtSettings settings()
        {
            if (null == key && null == keyFile)
            {
                if (null != algorithm)
                {
                    throw new IllegalArgumentException(ALGORITHM + " needs " + KEY + " (HS256) or " + KEY_FILE +
                        " (RS256, ES256)");
                }
                if (allowAnonymous)
                {
                    throw new IllegalArgumentException(ALLOW_ANONYMOUS + " needs " + KEY + " or " + KEY_FILE +
                        ": without a JWT key every subscriber is served already");
                }
                if (null != audience || null != issuer)
                {
                    throw new IllegalArgumentException(AUDIENCE + " and " + ISSUER + " need " + KEY + " or " +
                        KEY_FILE + ": the key that verifies Mercure 1.0 access tokens");
                }
                return null;
            }
            if (null != staticToken)
            {
                throw new IllegalArgumentException(staticToken + " and a JWT key (" + KEY + ", " + KEY_FILE + ") " +
                    "exclude each other: with a JWT key, publishers and subscribers present JWTs whose 'mercure' " +
                    "claim lists their topics");
            }
            if (null != key && null != keyFile)
            {
                throw new IllegalArgumentException(KEY + " and " + KEY_FILE + " exclude each other: give a shared " +
                    "secret (HS256) or a public key file (RS256, ES256)");
            }
            final JwtAlgorithm chosen = null == algorithm ? JwtAlgorithm.HS256 : algorithm;
            final JwtSettings settings;
            if (null != key)
            {
                if (chosen.usesPublicKey())
                {
                    throw new IllegalArgumentException(KEY + " is an HS256 secret; " + ALGORITHM + " " + chosen +
                        " verifies with a public key: give it with " + KEY_FILE);
                }
                try
                {
                    settings = JwtSettings.sharedSecret(key);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(KEY + ": " + ex.getMessage(), ex);
                }
            }
            else
            {
                if (!chosen.usesPublicKey())
                {
                    throw new IllegalArgumentException(KEY_FILE + " holds a public key: it needs " + ALGORITHM +
                        " RS256 or ES256 (an HS256 secret is given with " + KEY + ")");
                }
                try
                {
                    settings = JwtSettings.publicKeyFile(chosen, Path.of(keyFile));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(KEY_FILE + ": " + ex.getMessage(), ex);
                }
            }
            if ((null == audience) != (null == issuer))
            {
                throw new IllegalArgumentException(AUDIENCE + " and " + ISSUER + " go together: Mercure 1.0 access " +
                    "tokens are checked for both");
            }
            final JwtSettings anonymous = settings.allowAnonymous(allowAnonymous);
            return null == audience ? anonymous : anonymous.accessTokens(audience, issuer);
        }
    }
}
