package io.sseflow.server.agent;

import io.sseflow.server.http.TrustedProxies;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.net.InetAddress;
import java.nio.channels.SocketChannel;

/**
 * How the accepting agent of a hub with several fan-out agents shares the connections out: a connection from an
 * address goes to the agent that address hashes to, so each address's connections are all counted by one agent and
 * the per-address limit holds for the hub; a connection from a trusted proxy (whose clients a request names later) goes
 * to the next agent in turn, so a proxy's traffic is spread over every agent. Each agent but the acceptor takes its
 * connections from a queue of its own, in its duty cycle. Offered by the acceptor's thread, taken by each agent's.
 */
final class ConnectionHandoff
{
    private static final int QUEUE_CAPACITY = 4096;

    private final OneToOneConcurrentArrayQueue<SocketChannel>[] queues;
    private final TrustedProxies trustedProxies;
    private final int agents;
    private int nextForProxy;

    /**
     * @param agents         the hub's fan-out agents, at least 2.
     * @param trustedProxies whose connections are spread in turn.
     */
    @SuppressWarnings("unchecked")
    ConnectionHandoff(final int agents, final TrustedProxies trustedProxies)
    {
        this.agents = agents;
        this.trustedProxies = trustedProxies;
        this.queues = new OneToOneConcurrentArrayQueue[agents];
        for (int i = 0; i < agents; i++)
        {
            queues[i] = new OneToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
        }
    }

    /**
     * Acceptor only: the agent a new connection from an address goes to.
     *
     * @param address the peer's.
     * @return the agent's number.
     */
    int agentFor(final InetAddress address)
    {
        if (trustedProxies.contains(address))
        {
            final int agent = nextForProxy;
            nextForProxy = agent + 1 == agents ? 0 : agent + 1;
            return agent;
        }
        final int hash = address.hashCode();
        return ((hash ^ (hash >>> 16)) & Integer.MAX_VALUE) % agents;
    }

    /**
     * Acceptor only: hand a connection to an agent.
     *
     * @param agent   its number.
     * @param channel the accepted connection.
     * @return false when the agent's queue is full (the acceptor resets the connection).
     */
    boolean offer(final int agent, final SocketChannel channel)
    {
        return queues[agent].offer(channel);
    }

    /**
     * The agent's own: the next connection handed to it.
     *
     * @param agent its number.
     * @return the connection, or null.
     */
    SocketChannel poll(final int agent)
    {
        return queues[agent].poll();
    }

    /**
     * Connections handed over and not yet taken; any thread.
     *
     * @param agent its number.
     * @return the count.
     */
    int pending(final int agent)
    {
        return queues[agent].size();
    }
}
