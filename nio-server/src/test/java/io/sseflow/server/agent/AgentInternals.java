package io.sseflow.server.agent;

import io.sseflow.server.ServerInternals;
import io.sseflow.server.SseServer;
import io.sseflow.server.SubscribeRequest;
import io.sseflow.server.log.HistoryBudget;

/**
 * Test-only access, for tests of the public API in {@code io.sseflow.server}, to what the agent keeps
 * package-private.
 */
public final class AgentInternals
{
    private AgentInternals()
    {
    }

    /**
     * The server's agent thread.
     *
     * @param server a started server.
     * @return its thread.
     */
    public static Thread agentThread(final SseServer server)
    {
        return ServerInternals.runtime(server).agentThread();
    }

    /**
     * Every thread of a started server: each agent's, then the sequencer's in a hub of several agents.
     *
     * @param server a started server.
     * @return the threads.
     */
    public static Thread[] threads(final SseServer server)
    {
        return ServerInternals.runtime(server).threads();
    }

    /**
     * The history budget all of a server's topics share.
     *
     * @param server a server.
     * @return its budget.
     */
    public static HistoryBudget historyBudget(final SseServer server)
    {
        return ServerInternals.runtime(server).topics().historyBudget();
    }

    /**
     * Entries in the subscriber list of the live topic of a name (read from outside the agent thread: for a test
     * that waits until the agent is done with it).
     *
     * @param server a server.
     * @param name   the topic's name.
     * @return the entries, 0 when no topic of that name is live.
     */
    public static int subscriberCount(final SseServer server, final String name)
    {
        final TopicState topic = ServerInternals.runtime(server).topics().find(name);
        return null == topic ? 0 : topic.subscriberCount;
    }

    /**
     * Live shared streams (of several topics or selectors), read from outside the agent thread: for a test that
     * waits until the agent is done with them.
     *
     * @param server a server.
     * @return the count.
     */
    public static int sharedStreams(final SseServer server)
    {
        return ServerInternals.runtime(server).topics().streams().count();
    }

    /**
     * A subscribe request view outside any authorizer call, as one kept after the call is.
     *
     * @return the view, not wrapped.
     */
    public static SubscribeRequest unwrappedSubscribeRequest()
    {
        return new ParsedSubscribeRequest();
    }

    /**
     * Request parsers the server has made (a connection borrows one while it reads a request head), read from outside
     * the agent thread: for a test that waits until the agent is done.
     *
     * @param server a started server.
     * @return how many.
     */
    public static long requestParsersCreated(final SseServer server)
    {
        return ServerInternals.runtime(server).agent().connections().parsersCreated();
    }
}
