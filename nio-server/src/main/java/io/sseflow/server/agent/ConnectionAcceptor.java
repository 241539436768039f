package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepting connections: takes what the listening socket has pending, asks {@link ClientAdmission} whether each may
 * stay (the total and per-address limits), and registers it with the selector as a {@link Connection} reading its
 * first request: {@code TCP_NODELAY}, and {@code SO_SNDBUF} when configured. A connection over a limit is registered
 * too, to be answered {@code 503} (total) or {@code 429} (address) and closed; once {@code MAX_REJECTING} such
 * answers are in flight, further refused connections are reset at once without an answer, so a flood of
 * connections costs no more than that many.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class ConnectionAcceptor
{
    private static final int ACCEPT_LIMIT = 64;
    private static final int MAX_REJECTING = 256;
    private static final InetAddress UNKNOWN_ADDRESS = InetAddress.getLoopbackAddress();

    private final ServerConfig config;
    private final ServerSocketChannel serverChannel;
    private final Selector selector;
    private final ServerCounters metrics;
    private final ConnectionTable connections;
    private final ClientAdmission admission;
    private final ResponseWriter writer;
    private final CachedNanoClock clock;
    private final long requestTimeoutNs;
    private final ConnectionHandoff handoff;
    private final int agentIndex;
    private long nextConnectionId = 1;

    /**
     * @param context   the agent's: settings, listening socket, counters, connections, clock.
     * @param selector  the agent's, to register accepted connections with.
     * @param admission deciding whether each connection may stay.
     * @param writer    answering refused connections.
     */
    ConnectionAcceptor(
        final AgentContext context,
        final Selector selector,
        final ClientAdmission admission,
        final ResponseWriter writer)
    {
        this.config = context.config;
        this.serverChannel = context.listener;
        this.selector = selector;
        this.metrics = context.metrics;
        this.connections = context.connections;
        this.admission = admission;
        this.writer = writer;
        this.clock = context.clock;
        this.requestTimeoutNs = config.requestTimeoutNs();
        this.handoff = context.handoff;
        this.agentIndex = context.agentIndex;
    }

    /**
     * Accept what the listening socket has pending, at most {@code ACCEPT_LIMIT} connections; in a hub of several
     * agents, a connection that goes to another agent ({@link ConnectionHandoff#agentFor}) is handed to it.
     *
     * @return the number of connections accepted (admitted, refused with an answer, reset, or handed over).
     */
    int accept()
    {
        int accepted = 0;
        while (accepted < ACCEPT_LIMIT)
        {
            final SocketChannel channel;
            try
            {
                channel = serverChannel.accept();
            }
            catch (final IOException ex)
            {
                config.errorHandler().onError(ex);
                break;
            }
            if (null == channel)
            {
                break;
            }
            accepted++;
            final InetAddress address = remoteAddress(channel);
            final ConnectionHandoff handoff = this.handoff;
            if (null != handoff)
            {
                final int agent = handoff.agentFor(address);
                if (agent != agentIndex)
                {
                    if (!handoff.offer(agent, channel))
                    {
                        metrics.increment(ServerCounter.CONNECTIONS_ACCEPTED);
                        metrics.increment(ServerCounter.CONNECTIONS_REJECTED);
                        metrics.incrementRefused(Refusal.CONNECTION_LIMIT);
                        ConnectionTable.resetQuietly(channel);
                    }
                    continue;
                }
            }
            admit(channel, address);
        }
        return accepted;
    }

    /**
     * Take the connections the accepting agent handed to this one, at most {@code ACCEPT_LIMIT}.
     *
     * @return the number taken.
     */
    int acceptHandedOver()
    {
        int taken = 0;
        SocketChannel channel;
        while (taken < ACCEPT_LIMIT && null != (channel = handoff.poll(agentIndex)))
        {
            taken++;
            admit(channel, remoteAddress(channel));
        }
        return taken;
    }

    /**
     * On close: reset the connections handed over and never taken.
     */
    void closeHandedOver()
    {
        SocketChannel channel;
        while (null != (channel = handoff.poll(agentIndex)))
        {
            ConnectionTable.resetQuietly(channel);
        }
    }

    private void admit(final SocketChannel channel, final InetAddress address)
    {
        metrics.increment(ServerCounter.CONNECTIONS_ACCEPTED);
        final ClientAdmission.Decision decision = admission.onAccept(address);
        final boolean underTotal = decision != ClientAdmission.Decision.CONNECTION_LIMIT;
        final boolean admitted = decision.admitted();
        if (!admitted && connections.rejectingCount() >= MAX_REJECTING)
        {
            metrics.increment(ServerCounter.CONNECTIONS_REJECTED);
            metrics.incrementRefused(underTotal ? Refusal.ADDRESS_LIMIT : Refusal.CONNECTION_LIMIT);
            ConnectionTable.resetQuietly(channel);
            return;
        }

        final Connection connection = new Connection(
            nextConnectionId++,
            channel,
            admitted,
            null);
        try
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            if (config.socketSendBufferBytes() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferBytes());
            }
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            connection.interestOps = SelectionKey.OP_READ;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            return;
        }

        connections.add(connection);
        connection.deadlineNs = clock.nanoTime() + requestTimeoutNs;
        if (admitted)
        {
            admission.admit(connection, address, decision);
        }
        else
        {
            connections.reject();
            writer.sendError(connection, underTotal ? Refusal.ADDRESS_LIMIT : Refusal.CONNECTION_LIMIT);
        }
    }

    private static InetAddress remoteAddress(final SocketChannel channel)
    {
        try
        {
            final SocketAddress address = channel.getRemoteAddress();
            return address instanceof InetSocketAddress ? ((InetSocketAddress)address).getAddress() : UNKNOWN_ADDRESS;
        }
        catch (final IOException ex)
        {
            return UNKNOWN_ADDRESS;
        }
    }
}
