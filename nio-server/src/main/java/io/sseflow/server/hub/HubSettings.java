package io.sseflow.server.hub;

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

    HubSettings(final SseServer.Builder server, final JwtSettings jwt)
    {
        this(server, jwt, null);
    }

    HubSettings(final SseServer.Builder server, final JwtSettings jwt, final ClusterSettings cluster)
    {
        this.server = server;
        this.jwt = jwt;
        this.cluster = cluster;
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
