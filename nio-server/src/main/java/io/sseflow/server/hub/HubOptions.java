package io.sseflow.server.hub;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.http.TrustedProxies;

/**
 * The hub's command-line flags, parsed into an {@link SseServer.Builder}. Each flag takes a value, as
 * {@code --port 8080} or {@code --port=8080}; mistakes are reported with {@link IllegalArgumentException}s
 * whose message names the flag and what is expected.
 */
public final class HubOptions
{
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
        "                         never more than half the JVM's direct-memory limit)",
        "  --max-event-bytes N    largest event / publish body (default " + ServerConfig.DEFAULT_MAX_EVENT_BYTES + ")",
        "  --request-body-buffers N",
        "                         most large publish bodies read at once, each in a direct buffer of",
        "                         max-event-bytes + 9 KiB; more wait (default " +
            ServerConfig.DEFAULT_REQUEST_BODY_BUFFERS + ")",
        "  --max-topics N         topic limit (default " + ServerConfig.DEFAULT_MAX_TOPICS + ")",
        "  --max-connections-per-address N",
        "                         more connections from one IP get 429 (default " +
            ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + ")",
        "  --trusted-proxies LIST addresses or CIDRs (e.g. 10.0.0.0/8,fd00::/8) whose X-Forwarded-For or",
        "                         Forwarded header names the client that per-address limits count;",
        "                         '' trusts none (default " + TrustedProxies.DEFAULT + ")",
        "  --request-timeout-ms MS",
        "                         time to send a complete request; then 408 and close (default " +
            ServerConfig.DEFAULT_REQUEST_TIMEOUT_MS + ")",
        "  --socket-send-buffer-bytes N",
        "                         SO_SNDBUF per connection, bounds kernel memory per slow subscriber;",
        "                         default 0: the system's auto-tuned buffer",
        "  --help                 print this and exit",
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
     * Parse flags into a builder for the hub (demo page on).
     *
     * @param args command-line arguments.
     * @return the builder.
     * @throws IllegalArgumentException for an unknown flag, a missing value or a malformed number.
     */
    public static SseServer.Builder parse(final String[] args)
    {
        final SseServer.Builder builder = SseServer.builder().demoPage(true);
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (flags start with --)");
            }
            final int equals = arg.indexOf('=');
            final String flag = equals > 0 ? arg.substring(0, equals) : arg;
            final String value;
            if (equals > 0)
            {
                value = arg.substring(equals + 1);
            }
            else
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                value = args[++i];
            }

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
                    break;
                case "--subscribe-token":
                    builder.subscribeToken(nonEmpty(flag, value));
                    break;
                case "--history":
                    builder.history(intValue(flag, value, 1, Integer.MAX_VALUE));
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
                    break;
                case "--max-event-bytes":
                    builder.maxEventBytes(intValue(flag, value, 256, 64 * 1024 * 1024));
                    break;
                case "--request-body-buffers":
                    builder.requestBodyBuffers(intValue(flag, value, 1, 65536));
                    break;
                case "--max-topics":
                    builder.maxTopics(intValue(flag, value, 1, Integer.MAX_VALUE));
                    break;
                case "--max-connections-per-address":
                    builder.maxConnectionsPerAddress(intValue(flag, value, 1, Integer.MAX_VALUE));
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
                default:
                    throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return builder;
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
     * The line the hub prints on stderr at start: the history budget it runs with and the limit it was fitted to.
     *
     * @param config of the started server.
     * @return the line, without a line end.
     */
    public static String historyBudgetLine(final ServerConfig config)
    {
        return "sseflow history budget " + mib(config.historyTotalBytes()) +
            " (direct memory limit " + mib(config.directMemoryLimit()) + ", " + mib(config.historyBytes()) +
            " per topic, " + config.maxTopics() + " topics)";
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
}
