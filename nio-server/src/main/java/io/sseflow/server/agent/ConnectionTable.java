package io.sseflow.server.agent;

import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.HttpRequestParser;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open connection of the server agent: the list the timers and the drain walk, the admitted and rejecting
 * counts with connections per client address that admission ({@link ClientAdmission}) is decided on, the
 * connections with publishes in flight by their id (with a pool of the {@link PendingPublishes} queues they hold
 * meanwhile), the request parsers lent to connections that read requests, and the two ways to end a connection,
 * which undo all of it: {@link #close(Connection)} (FIN: the peer reads every byte already written, then EOF) for
 * the ends a client expects, and {@link #reset(Connection)} (RST: the kernel discards what is unsent and frees the
 * send queue at once) for connections dropped for misbehaving, such as slow consumers and clients that outstay
 * their timeouts.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class ConnectionTable
{
    /**
     * Free {@link PendingPublishes} queues kept for reuse at most (about 7 KB of heap each); beyond it a queue given
     * back is left to the garbage collector, so the pool does not keep the peak of connections publishing at once.
     */
    static final int MAX_FREE_PUBLISH_QUEUES = 1024;

    private final ServerCounters metrics;
    private final RequestParserPool parsers;
    private Presence presence;
    private final Long2ObjectHashMap<Connection> publishers = new Long2ObjectHashMap<>();
    private PendingPublishes[] freePublishes = new PendingPublishes[16];
    private int freePublishesCount;
    private AddressCounts connectionsPerAddress = new AddressCounts();
    private Connection[] connections = new Connection[64];
    private int count;
    private int admittedCount;
    private int rejectingCount;
    private AtomicInteger hubAdmitted;

    ConnectionTable(final ServerCounters metrics, final RequestParserPool parsers)
    {
        this.metrics = metrics;
        this.parsers = parsers;
    }

    int count()
    {
        return count;
    }

    Connection get(final int index)
    {
        return connections[index];
    }

    /**
     * Admitted connections: this agent's, or the hub's when its agents share a count ({@link #shareAdmitted}).
     *
     * @return the count.
     */
    int admittedCount()
    {
        final AtomicInteger hubAdmitted = this.hubAdmitted;
        return null == hubAdmitted ? admittedCount : hubAdmitted.get();
    }

    /**
     * Count admitted connections in one count shared by every agent of the hub as well, and connections per address
     * in one table shared by every agent, so that the connection limits hold for the hub as a whole. Before the first
     * connection.
     *
     * @param hubAdmitted  the hub's count.
     * @param perAddress   the hub's connections per address.
     */
    void shareAdmitted(final AtomicInteger hubAdmitted, final AddressCounts perAddress)
    {
        this.hubAdmitted = hubAdmitted;
        this.connectionsPerAddress = perAddress;
    }

    int rejectingCount()
    {
        return rejectingCount;
    }

    int connectionsFrom(final InetAddress address)
    {
        return connectionsPerAddress.get(address);
    }

    void add(final Connection connection)
    {
        if (count == connections.length)
        {
            connections = Arrays.copyOf(connections, count << 1);
        }
        connection.listIndex = count;
        connections[count++] = connection;
    }

    void admit(final Connection connection, final InetAddress address)
    {
        connection.remoteAddress = address;
        connectionsPerAddress.increment(address);
        countAdmitted(1);
    }

    /**
     * Admit a connection from a trusted proxy: counted in the total now, against a client address only once a
     * request head names it ({@link #countAddress}).
     */
    void admitFromProxy(final Connection connection, final InetAddress proxyAddress)
    {
        connection.proxyAddress = proxyAddress;
        countAdmitted(1);
    }

    /**
     * Count an admitted connection against the client its current request is for.
     */
    void countAddress(final Connection connection, final InetAddress address)
    {
        connection.remoteAddress = address;
        connectionsPerAddress.increment(address);
    }

    /**
     * Stop counting an admitted connection against its client, as when its next request names another one.
     */
    void uncountAddress(final Connection connection)
    {
        final InetAddress address = connection.remoteAddress;
        if (null != address)
        {
            connectionsPerAddress.decrement(address);
            connection.remoteAddress = null;
        }
    }

    void reject()
    {
        rejectingCount++;
        metrics.increment(ServerCounter.CONNECTIONS_REJECTED);
    }

    /**
     * The correlation id of a connection's next publish (its record carries it; the sequencer's decision names it).
     *
     * @param connection about to offer a publish.
     * @return the correlation id.
     */
    static long nextCorrelationId(final Connection connection)
    {
        final PendingPublishes publishes = connection.publishes;
        return PendingPublishes.correlationId(
            connection.id, null == publishes ? connection.nextPublishNumber : publishes.nextNumber());
    }

    /**
     * A publish of the connection was offered with {@link #nextCorrelationId}: its answer is queued, in order, and
     * the connection reads on (PUBLISHING).
     *
     * @param connection whose publish was offered.
     */
    void publishOffered(final Connection connection)
    {
        PendingPublishes publishes = connection.publishes;
        if (null == publishes)
        {
            publishes = connection.publishes = acquirePublishes().reset(connection.nextPublishNumber);
            publishers.put(connection.id, connection);
        }
        publishes.offered(ResponseWriter.persistence(connection));
        connection.startPublishing();
    }

    /**
     * The connection with publishes in flight that a correlation id names.
     *
     * @param correlationId of a publish record.
     * @return the connection, or null when it has none in flight (gone, or already answered).
     */
    Connection publisher(final long correlationId)
    {
        return publishers.get(PendingPublishes.connectionId(correlationId));
    }

    /**
     * The connection owes no more answers (all written, or it ends): its queue goes back to the pool and decisions
     * still to come for it are dropped.
     *
     * @param connection whose queue to let go; nothing happens when it holds none.
     */
    void releasePublishes(final Connection connection)
    {
        final PendingPublishes publishes = connection.publishes;
        if (null != publishes)
        {
            connection.publishes = null;
            connection.nextPublishNumber = publishes.nextNumber();
            publishers.remove(connection.id);
            if (freePublishesCount < MAX_FREE_PUBLISH_QUEUES)
            {
                if (freePublishesCount == freePublishes.length)
                {
                    freePublishes = Arrays.copyOf(freePublishes, freePublishesCount << 1);
                }
                freePublishes[freePublishesCount++] = publishes.reset(0);
            }
        }
    }

    int publishersCount()
    {
        return publishers.size();
    }

    int freePublishQueues()
    {
        return freePublishesCount;
    }

    private PendingPublishes acquirePublishes()
    {
        if (freePublishesCount == 0)
        {
            return new PendingPublishes();
        }
        final PendingPublishes publishes = freePublishes[--freePublishesCount];
        freePublishes[freePublishesCount] = null;
        return publishes;
    }

    /**
     * A stream has started: its connection reads no more requests, so its parser goes back to the pool.
     */
    void releaseParser(final Connection connection)
    {
        final HttpRequestParser parser = connection.parser;
        if (null != parser)
        {
            connection.parser = null;
            parsers.release(parser);
        }
    }

    HttpRequestParser acquireParser()
    {
        return parsers.acquire();
    }

    /**
     * The parser pool's {@link RequestParserPool#createdCount()}.
     *
     * @return parsers made so far.
     */
    long parsersCreated()
    {
        return parsers.createdCount();
    }

    /**
     * End a connection normally: a close that sends FIN after every byte already written, so that a client that
     * reads on sees every whole frame, then EOF. For graceful ends, closes the client asked for, and peers already
     * gone (a failed read or write).
     *
     * @param connection to close; nothing happens when it is already closed.
     */
    void close(final Connection connection)
    {
        release(connection, false);
    }

    /**
     * End a connection dropped for misbehaving (a slow consumer, a client past its request, write or linger
     * deadline): {@code SO_LINGER} 0 then close, so the peer gets RST and the kernel frees the connection's send
     * queue at once, even while the peer keeps its socket open without reading (otherwise up to the send buffer,
     * megabytes at the auto-tuned default, stays queued per socket until the peer reads or goes away).
     *
     * @param connection to reset; nothing happens when it is already closed.
     */
    void reset(final Connection connection)
    {
        release(connection, true);
    }

    /**
     * Reset a channel that never became a connection (refused at accept without a response): no FIN handshake and
     * no {@code TIME_WAIT} on the server side.
     *
     * @param channel to reset and close.
     */
    static void resetQuietly(final SocketChannel channel)
    {
        lingerZero(channel);
        CloseHelper.quietClose(channel);
    }

    private static void lingerZero(final SocketChannel channel)
    {
        try
        {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        catch (final IOException | RuntimeException ignore)
        {
            // already closed or reset by the peer: the close below frees it either way
        }
    }

    /**
     * Announce the ends of announced Mercure subscriptions to this presence (set once, before the agent runs).
     *
     * @param presence the agent's presence.
     */
    void presence(final Presence presence)
    {
        this.presence = presence;
    }

    private void endPresence(final Connection connection)
    {
        if (null != presence && null != connection.presence)
        {
            presence.ended(connection);
        }
    }

    private void release(final Connection connection, final boolean reset)
    {
        switch (connection.state())
        {
            case CLOSED:
                return;

            case STREAMING:
                connection.topic.removeSubscriber(connection);
                connection.cursor.close();
                metrics.decrement(ServerCounter.SUBSCRIBERS);
                endPresence(connection);
                break;

            case ENDING_STREAM:
                connection.cursor.close();
                endPresence(connection);
                break;

            default:
                break;
        }
        releasePublishes(connection);
        connection.markClosed();
        releaseParser(connection);
        if (null != connection.key)
        {
            connection.key.cancel();
        }
        if (reset)
        {
            lingerZero(connection.channel);
        }
        CloseHelper.quietClose(connection.channel);
        remove(connection);
        if (connection.admitted)
        {
            uncountAddress(connection);
            countAdmitted(-1);
        }
        else
        {
            rejectingCount--;
        }
    }

    private void remove(final Connection connection)
    {
        final int index = connection.listIndex;
        if (index < 0)
        {
            return;
        }
        final int last = --count;
        final Connection moved = connections[last];
        connections[index] = moved;
        moved.listIndex = index;
        connections[last] = null;
        connection.listIndex = -1;
    }

    private void countAdmitted(final int delta)
    {
        admittedCount += delta;
        metrics.add(ServerCounter.CONNECTIONS, delta);
        final AtomicInteger hubAdmitted = this.hubAdmitted;
        if (null != hubAdmitted)
        {
            hubAdmitted.getAndAdd(delta);
        }
    }
}
