package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.http.ForwardedFor;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.IpLiteral;
import io.sseflow.server.http.TrustedProxies;
import org.agrona.DirectBuffer;

import java.net.InetAddress;

/**
 * Admission by connection count: the total ({@code --max-connections}) at accept, and per client address
 * ({@code --max-connections-per-address}) at accept for direct clients, but after the request head for a
 * connection from a trusted proxy ({@code --trusted-proxies}), whose head names the client in
 * {@code X-Forwarded-For} or {@code Forwarded} ({@link ForwardedFor}).
 * <p>
 * A proxy's connection is counted against the client of its current request: a keep-alive connection that
 * carries another client's request is moved to that client, and {@link ConnectionTable#close} releases it. A
 * client over its limit gets {@code 429} for that request (and the connection is closed after it, as for every
 * refusal), counted in {@code sseflow_requests_refused_total{reason="address_connection_limit"}}.
 * <p>
 * Not thread-safe: owned by the server agent. Allocates only when a connection is counted against a client it
 * was not counted against before (one {@code InetAddress}).
 */
final class ClientAdmission
{
    /**
     * What accept decides.
     */
    enum Decision
    {
        /**
         * Admitted and counted against the peer's address.
         */
        ADMITTED,

        /**
         * From a trusted proxy: admitted in the total, counted against a client once its head names one.
         */
        ADMITTED_FROM_PROXY,

        /**
         * Over the peer address's limit: {@code 429}.
         */
        ADDRESS_LIMIT,

        /**
         * Over the total: {@code 503}.
         */
        CONNECTION_LIMIT;

        boolean admitted()
        {
            return this == ADMITTED || this == ADMITTED_FROM_PROXY;
        }
    }

    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final TrustedProxies trustedProxies;
    private final ConnectionTable connections;
    private final ResponseWriter writer;
    private final ForwardedFor forwardedFor;

    ClientAdmission(final ServerConfig config, final ConnectionTable connections, final ResponseWriter writer)
    {
        this.maxConnections = config.maxConnections();
        this.maxConnectionsPerAddress = config.maxConnectionsPerAddress();
        this.trustedProxies = TrustedProxies.parse(config.trustedProxies());
        this.connections = connections;
        this.writer = writer;
        this.forwardedFor = new ForwardedFor(trustedProxies);
    }

    /**
     * Decide on a connection just accepted.
     *
     * @param peer its remote address.
     * @return the decision.
     */
    Decision onAccept(final InetAddress peer)
    {
        if (connections.admittedCount() >= maxConnections)
        {
            return Decision.CONNECTION_LIMIT;
        }
        if (trustedProxies.contains(peer))
        {
            return Decision.ADMITTED_FROM_PROXY;
        }
        return connections.connectionsFrom(peer) < maxConnectionsPerAddress ? Decision.ADMITTED : Decision.ADDRESS_LIMIT;
    }

    /**
     * Record an admitted connection in the connection table.
     *
     * @param connection the connection, already added to the table.
     * @param peer       its remote address.
     * @param decision   {@link Decision#ADMITTED} or {@link Decision#ADMITTED_FROM_PROXY}.
     */
    void admit(final Connection connection, final InetAddress peer, final Decision decision)
    {
        if (decision == Decision.ADMITTED_FROM_PROXY)
        {
            connections.admitFromProxy(connection, peer);
        }
        else
        {
            connections.admit(connection, peer);
        }
    }

    /**
     * A request head is complete: for a connection from a trusted proxy, count it against the client the head
     * names, or refuse the request with {@code 429}.
     *
     * @param connection the connection.
     * @param buffer     holding the head.
     * @param parser     in the {@link HttpRequestParser.State#COMPLETE} state.
     * @return true to go on with the request, false when it was refused (the 429 is sent).
     */
    boolean onRequestHead(final Connection connection, final DirectBuffer buffer, final HttpRequestParser parser)
    {
        final InetAddress proxy = connection.proxyAddress;
        if (null == proxy)
        {
            return true;
        }
        final InetAddress current = connection.remoteAddress;
        final InetAddress client;
        if (forwardedFor.resolve(buffer, parser) == ForwardedFor.Source.FORWARDED)
        {
            final long high = forwardedFor.high();
            final long low = forwardedFor.low();
            if (null != current && current != proxy && high == connection.clientHigh && low == connection.clientLow)
            {
                return true;
            }
            client = IpLiteral.toInetAddress(high, low);
            connection.clientHigh = high;
            connection.clientLow = low;
        }
        else
        {
            if (current == proxy)
            {
                return true;
            }
            client = proxy;
        }

        connections.uncountAddress(connection);
        if (connections.connectionsFrom(client) >= maxConnectionsPerAddress)
        {
            writer.sendError(connection, Refusal.ADDRESS_LIMIT);
            return false;
        }
        connections.countAddress(connection, client);
        return true;
    }
}
