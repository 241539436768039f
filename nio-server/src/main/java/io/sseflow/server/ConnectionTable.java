package io.sseflow.server;

import io.sseflow.server.http.HttpRequestParser;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * Every open connection of the server agent: the list the timers and the drain walk, the admitted and rejecting
 * counts with connections per client address that admission ({@link ClientAdmission}) is decided on, the
 * connections waiting for a publish
 * to be sequenced by their id, the request parsers lent to connections that read requests, and
 * {@link #close(Connection)}, which undoes all of it.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class ConnectionTable
{
    private final ServerMetrics metrics;
    private final RequestParserPool parsers;
    private final Long2ObjectHashMap<Connection> awaitingPublish = new Long2ObjectHashMap<>();
    private final Object2IntHashMap<InetAddress> connectionsPerAddress = new Object2IntHashMap<>(0);
    private Connection[] connections = new Connection[64];
    private int count;
    private int admittedCount;
    private int rejectingCount;

    ConnectionTable(final ServerMetrics metrics, final RequestParserPool parsers)
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

    int admittedCount()
    {
        return admittedCount;
    }

    int rejectingCount()
    {
        return rejectingCount;
    }

    int connectionsFrom(final InetAddress address)
    {
        return connectionsPerAddress.getValue(address);
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
        connectionsPerAddress.put(address, connectionsPerAddress.getValue(address) + 1);
        admittedCount++;
        metrics.increment(ServerMetrics.CONNECTIONS);
    }

    /**
     * Admit a connection from a trusted proxy: counted in the total now, against a client address only once a
     * request head names it ({@link #countAddress}).
     */
    void admitFromProxy(final Connection connection, final InetAddress proxyAddress)
    {
        connection.proxyAddress = proxyAddress;
        admittedCount++;
        metrics.increment(ServerMetrics.CONNECTIONS);
    }

    /**
     * Count an admitted connection against the client its current request is for.
     */
    void countAddress(final Connection connection, final InetAddress address)
    {
        connection.remoteAddress = address;
        connectionsPerAddress.put(address, connectionsPerAddress.getValue(address) + 1);
    }

    /**
     * Stop counting an admitted connection against its client, as when its next request names another one.
     */
    void uncountAddress(final Connection connection)
    {
        final InetAddress address = connection.remoteAddress;
        if (null != address)
        {
            final int count = connectionsPerAddress.getValue(address);
            if (count <= 1)
            {
                connectionsPerAddress.removeKey(address);
            }
            else
            {
                connectionsPerAddress.put(address, count - 1);
            }
            connection.remoteAddress = null;
        }
    }

    void reject()
    {
        rejectingCount++;
        metrics.increment(ServerMetrics.CONNECTIONS_REJECTED);
    }

    void awaitPublish(final Connection connection)
    {
        connection.state = Connection.AWAITING_PUBLISH;
        awaitingPublish.put(connection.id, connection);
    }

    Connection takeAwaitingPublish(final long connectionId)
    {
        return awaitingPublish.remove(connectionId);
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

    void close(final Connection connection)
    {
        if (connection.state == Connection.CLOSED)
        {
            return;
        }
        if (connection.state == Connection.STREAMING)
        {
            connection.topic.removeSubscriber(connection);
            connection.cursor.close();
            metrics.decrement(ServerMetrics.SUBSCRIBERS);
        }
        else if (connection.state == Connection.ENDING_STREAM)
        {
            connection.cursor.close();
        }
        else if (connection.state == Connection.AWAITING_PUBLISH)
        {
            awaitingPublish.remove(connection.id);
        }
        connection.state = Connection.CLOSED;
        connection.topic = null;
        connection.pendingOut = null;
        connection.releaseRequest();
        releaseParser(connection);
        if (null != connection.key)
        {
            connection.key.cancel();
        }
        CloseHelper.quietClose(connection.channel);
        remove(connection);
        if (connection.admitted)
        {
            if (null != connection.remoteAddress)
            {
                final int count = connectionsPerAddress.getValue(connection.remoteAddress);
                if (count <= 1)
                {
                    connectionsPerAddress.removeKey(connection.remoteAddress);
                }
                else
                {
                    connectionsPerAddress.put(connection.remoteAddress, count - 1);
                }
                connection.remoteAddress = null;
            }
            admittedCount--;
            metrics.decrement(ServerMetrics.CONNECTIONS);
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
}
