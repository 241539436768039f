package io.sseflow.benchmarks.fanout.peers;

/**
 * Command line of the peer servers, the same flags the sseflow hub takes where they apply:
 * {@code --host H} (default {@code 127.0.0.1}) and {@code --port P} (default 8080, 0 picks a free port).
 * Other hub flags ({@code --history}, {@code --heartbeat-ms}, {@code --max-connections}) are accepted and ignored.
 */
final class PeerServerOptions
{
    /** Address to bind. */
    final String host;
    /** Port to bind, 0 for any free port. */
    final int port;

    private PeerServerOptions(final String host, final int port)
    {
        this.host = host;
        this.port = port;
    }

    /**
     * Parse the peer server command line.
     *
     * @param args command line.
     * @return the options.
     */
    static PeerServerOptions parse(final String[] args)
    {
        String host = "127.0.0.1";
        int port = 8080;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--host":
                    host = args[++i];
                    break;
                case "--port":
                    port = Integer.parseInt(args[++i]);
                    break;
                case "--history":
                case "--heartbeat-ms":
                case "--max-connections":
                case "--max-connections-per-address":
                    i++;
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag " + args[i] + " (known: --host H --port P)");
            }
        }
        return new PeerServerOptions(host, port);
    }

    /**
     * Is the topic name valid: {@code [A-Za-z0-9._-]{1,128}}, as for the hub.
     *
     * @param topic candidate name.
     * @return true when valid.
     */
    static boolean isValidTopic(final CharSequence topic)
    {
        final int length = topic.length();
        if (length == 0 || length > 128)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = topic.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }
}
