package io.sseflow.server.hub;

import java.util.function.Supplier;

import io.sseflow.server.SseServer;
import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.hub.jwt.JwtSettings;

/**
 * Everything the hub's flags configure: the server's builder, and the JWT settings when JWT authorization is on.
 * Made by {@link HubOptions#parseSettings(String[])}.
 */
public final class HubSettings
{
    private final SseServer.Builder server;
    private final JwtSettings jwt;
    private final ClusterSettings cluster;
    private final LogFormat logFormat;
    private final Supplier<String> clusterRole;

    HubSettings(final SseServer.Builder server, final JwtSettings jwt)
    {
        this(server, jwt, null, LogFormat.TEXT, null);
    }

    HubSettings(
        final SseServer.Builder server, final JwtSettings jwt, final ClusterSettings cluster, final LogFormat logFormat,
        final Supplier<String> clusterRole)
    {
        this.server = server;
        this.jwt = jwt;
        this.cluster = cluster;
        this.logFormat = logFormat;
        this.clusterRole = clusterRole;
    }

    /**
     * {@code --log-format}.
     *
     * @return the format of the hub's log lines.
     */
    public LogFormat logFormat()
    {
        return logFormat;
    }

    /**
     * This member's role, {@code leader}, {@code follower} or {@code candidate}, for the log.
     *
     * @return the role's source, null without a cluster; it gives null until the member has started.
     */
    public Supplier<String> clusterRole()
    {
        return clusterRole;
    }

    /**
     * The durable or clustered node ({@code --data-dir}, {@code --cluster-members}, {@code --cluster-node}), whose
     * sequencer the server's builder already uses.
     *
     * @return the member's settings, or null when history lives in memory only.
     */
    public ClusterSettings cluster()
    {
        return cluster;
    }

    /**
     * The server's settings.
     *
     * @return the builder, with the demo page on.
     */
    public SseServer.Builder server()
    {
        return server;
    }

    /**
     * JWT authorization ({@code --jwt-key} or {@code --jwt-key-file}, {@code --jwt-algorithm},
     * {@code --allow-anonymous}), its key already read and checked.
     *
     * @return the settings, or null when no JWT key is given.
     */
    public JwtSettings jwt()
    {
        return jwt;
    }
}
