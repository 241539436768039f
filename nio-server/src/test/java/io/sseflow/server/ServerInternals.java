package io.sseflow.server;

import io.sseflow.server.agent.ServerRuntime;

/**
 * Test-only access to what an {@link SseServer} keeps package-private: its {@link ServerRuntime}, through which
 * tests in {@code io.sseflow.server.agent} reach the agent, the topic registry and the counters.
 */
public final class ServerInternals
{
    /**
     * The head of every event stream's response.
     */
    public static final String STREAM_HEAD = SseServerTest.STREAM_HEAD;

    private ServerInternals()
    {
    }

    /**
     * The server's runtime.
     *
     * @param server a server.
     * @return its runtime.
     */
    public static ServerRuntime runtime(final SseServer server)
    {
        return server.runtime();
    }

    /**
     * A config concluded from a builder's settings, without building a server.
     *
     * @param builder the settings.
     * @return the concluded config.
     */
    public static ServerConfig conclude(final SseServer.Builder builder)
    {
        return builder.build().config();
    }

    /**
     * The public metrics over a runtime's counters.
     *
     * @param runtime a runtime.
     * @return metrics reading its counters.
     */
    public static ServerMetrics metrics(final ServerRuntime runtime)
    {
        return new ServerMetrics(runtime);
    }
}
