package io.sseflow.server.hub;

import io.sseflow.server.SseServer;
import io.sseflow.server.hub.jwt.JwtSettings;

/**
 * Everything the hub's flags configure: the server's builder, and the JWT settings when JWT authorization is on.
 * Made by {@link HubOptions#parseSettings(String[])}.
 */
public final class HubSettings
{
    private final SseServer.Builder server;
    private final JwtSettings jwt;

    HubSettings(final SseServer.Builder server, final JwtSettings jwt)
    {
        this.server = server;
        this.jwt = jwt;
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
