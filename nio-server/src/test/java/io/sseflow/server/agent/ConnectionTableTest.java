package io.sseflow.server.agent;

import io.sseflow.server.ServerInternals;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.SseServer;
import io.sseflow.server.http.HttpRequestParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnectionTable} on its own: the list and its indexes, the admitted and rejecting counts, connections per
 * client address (direct and through a trusted proxy), the connections awaiting a publish, and close and reset
 * undoing all of it exactly once. Channels are unconnected {@link SocketChannel}s, or a loopback pair where the
 * peer must see FIN or RST.
 */
class ConnectionTableTest
{
    private static final InetAddress ONE = address("127.0.0.1");
    private static final InetAddress TWO = address("127.0.0.2");
    private static final InetAddress PROXY = address("127.0.0.9");

    private final ServerCounters metrics = new ServerCounters();
    private final RequestParserPool parsers = new RequestParserPool(8192, 1 << 20, 4);
    private final ConnectionTable table = new ConnectionTable(metrics, parsers);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private long nextId = 1;

    @AfterEach
    void closeChannels() throws Exception
    {
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
    }

    @Test
    void shouldAddAtTheEndAndSwapTheLastIntoARemovedSlot() throws IOException
    {
        final Connection a = admitted(ONE);
        final Connection b = admitted(ONE);
        final Connection c = admitted(ONE);
        assertEquals(3, table.count());
        assertIndexes();

        table.close(a);
        assertEquals(2, table.count());
        assertSame(c, table.get(0), "the last connection moves into the freed slot");
        assertEquals(0, c.listIndex);
        assertSame(b, table.get(1));
        assertEquals(-1, a.listIndex);

        table.close(c);
        assertEquals(1, table.count());
        assertSame(b, table.get(0));
        table.close(b);
        assertEquals(0, table.count());
    }

    @Test
    void shouldGrowPastItsInitialSizeAndKeepEveryIndex() throws IOException
    {
        final List<Connection> added = new ArrayList<>();
        for (int i = 0; i < 150; i++)
        {
            added.add(admitted(i % 2 == 0 ? ONE : TWO));
        }
        assertEquals(150, table.count());
        assertIndexes();
        for (int i = 0; i < 150; i += 3)
        {
            table.close(added.get(i));
        }
        assertEquals(100, table.count());
        assertIndexes();
        assertEquals(100, table.admittedCount());
        assertEquals(100, metrics.get(ServerCounter.CONNECTIONS));
        assertEquals(100, table.connectionsFrom(ONE) + table.connectionsFrom(TWO));
    }

    @Test
    void shouldCountAdmittedAndRejectingConnectionsApartAndReleaseEachOnce() throws IOException
    {
        final Connection admitted = admitted(ONE);
        final Connection rejecting = rejecting();
        assertEquals(1, table.admittedCount());
        assertEquals(1, table.rejectingCount());
        assertEquals(1, metrics.get(ServerCounter.CONNECTIONS));
        assertEquals(1, metrics.get(ServerCounter.CONNECTIONS_REJECTED));
        assertEquals(2, table.count());

        table.close(admitted);
        table.close(admitted);
        table.reset(admitted);
        assertEquals(0, table.admittedCount());
        assertEquals(0, metrics.get(ServerCounter.CONNECTIONS), "the gauge goes down once");
        assertEquals(0, table.connectionsFrom(ONE));
        assertEquals(1, table.rejectingCount());

        table.reset(rejecting);
        table.close(rejecting);
        assertEquals(0, table.rejectingCount());
        assertEquals(1, metrics.get(ServerCounter.CONNECTIONS_REJECTED), "a counter of refusals, not a gauge");
        assertEquals(0, table.count());
        assertFalse(admitted.channel.isOpen());
        assertFalse(rejecting.channel.isOpen());
        assertEquals(Connection.State.CLOSED, admitted.state());
        assertEquals(Connection.State.CLOSED, rejecting.state());
    }

    @Test
    void shouldCountConnectionsPerClientAddress() throws IOException
    {
        final Connection first = admitted(ONE);
        final Connection second = admitted(ONE);
        final Connection other = admitted(TWO);
        assertEquals(2, table.connectionsFrom(ONE));
        assertEquals(1, table.connectionsFrom(TWO));
        assertEquals(0, table.connectionsFrom(PROXY));

        table.close(first);
        assertEquals(1, table.connectionsFrom(ONE));
        table.reset(second);
        assertEquals(0, table.connectionsFrom(ONE));
        table.close(other);
        assertEquals(0, table.connectionsFrom(TWO));
        assertNull(other.remoteAddress, "uncounted");
    }

    @Test
    void shouldCountAProxiedConnectionAgainstTheClientItsRequestNames() throws IOException
    {
        final Connection proxied = connection(SocketChannel.open(), true);
        table.add(proxied);
        table.admitFromProxy(proxied, PROXY);
        assertEquals(1, table.admittedCount());
        assertEquals(1, metrics.get(ServerCounter.CONNECTIONS));
        assertSame(PROXY, proxied.proxyAddress);
        assertEquals(0, table.connectionsFrom(PROXY), "the proxy itself is not counted");
        assertNull(proxied.remoteAddress);

        table.countAddress(proxied, ONE);
        assertEquals(1, table.connectionsFrom(ONE));
        assertSame(ONE, proxied.remoteAddress);

        table.uncountAddress(proxied);
        table.countAddress(proxied, TWO);
        assertEquals(0, table.connectionsFrom(ONE), "the next request named another client");
        assertEquals(1, table.connectionsFrom(TWO));

        table.uncountAddress(proxied);
        table.uncountAddress(proxied);
        assertEquals(0, table.connectionsFrom(TWO), "uncounting twice takes one away");
        final Connection direct = admitted(TWO);
        table.countAddress(proxied, TWO);
        assertEquals(2, table.connectionsFrom(TWO), "a proxied client and a direct one from the same address");

        table.close(proxied);
        assertEquals(1, table.connectionsFrom(TWO));
        assertEquals(1, table.admittedCount());
        table.close(direct);
        assertEquals(0, table.connectionsFrom(TWO));
        assertEquals(0, table.admittedCount());
        assertEquals(0, metrics.get(ServerCounter.CONNECTIONS));
    }

    @Test
    void shouldReleaseAProxiedConnectionThatNeverNamedAClient() throws IOException
    {
        final Connection proxied = connection(SocketChannel.open(), true);
        table.add(proxied);
        table.admitFromProxy(proxied, PROXY);
        table.reset(proxied);
        assertEquals(0, table.admittedCount());
        assertEquals(0, metrics.get(ServerCounter.CONNECTIONS));
        assertEquals(0, table.connectionsFrom(PROXY));
    }

    @Test
    void shouldFindAPublisherByCorrelationIdWhileItsPublishesAreInFlightOnly() throws IOException
    {
        final Connection publisher = admitted(ONE);
        final Connection other = admitted(ONE);
        publisher.keepAlive = true;
        other.keepAlive = true;
        final long first = ConnectionTable.nextCorrelationId(publisher);
        table.publishOffered(publisher);
        final long second = ConnectionTable.nextCorrelationId(publisher);
        table.publishOffered(publisher);
        table.publishOffered(other);
        assertEquals(Connection.State.PUBLISHING, publisher.state());
        assertEquals((publisher.id << PendingPublishes.NUMBER_BITS) | 1, second);
        assertEquals(first + 1, second);
        assertEquals(2, publisher.publishes.size());
        assertEquals(2, table.publishersCount());

        assertSame(publisher, table.publisher(first));
        assertSame(publisher, table.publisher(second));
        assertSame(other, table.publisher(ConnectionTable.nextCorrelationId(other) - 1));
        assertNull(table.publisher(12_345L << PendingPublishes.NUMBER_BITS), "an unknown connection");

        final PendingPublishes queue = publisher.publishes;
        table.releasePublishes(publisher);
        assertNull(publisher.publishes);
        assertNull(table.publisher(first), "no publish in flight any more");
        assertEquals(2, publisher.nextPublishNumber, "numbers go on after the queue is given back");
        assertEquals(ConnectionTable.nextCorrelationId(publisher), second + 1);
        table.publishOffered(publisher);
        assertSame(queue, publisher.publishes, "the pooled queue is taken again");
        assertEquals(1, queue.size());

        table.close(other);
        assertNull(table.publisher(ConnectionTable.nextCorrelationId(other) - 1), "a closed connection is gone");
        assertNull(other.publishes);
        assertEquals(1, table.publishersCount());
    }

    @Test
    void shouldKeepAtMostTheBoundOfFreePublishQueues() throws IOException
    {
        final int count = ConnectionTable.MAX_FREE_PUBLISH_QUEUES + 3;
        final Connection[] publishers = new Connection[count];
        for (int i = 0; i < count; i++)
        {
            publishers[i] = new Connection(1_000 + i, null, false, null);
            table.publishOffered(publishers[i]);
        }
        assertEquals(count, table.publishersCount());
        for (final Connection publisher : publishers)
        {
            table.releasePublishes(publisher);
        }
        assertEquals(0, table.publishersCount());
        assertEquals(ConnectionTable.MAX_FREE_PUBLISH_QUEUES, table.freePublishQueues());
    }

    @Test
    void shouldReleaseAStreamsSubscriptionCursorParserAndGaugesOnce() throws IOException
    {
        try (SseServer server = SseServer.builder().port(0).build())
        {
            final TopicState topic = ServerInternals.runtime(server).topics().getOrCreate("t");
            final Connection streaming = admitted(ONE);
            final HttpRequestParser parser = streaming.parser;
            streaming.pendingOut = ByteBuffer.allocate(1);
            stream(streaming, topic);
            final Connection bystander = admitted(ONE);
            stream(bystander, topic);
            assertEquals(2, metrics.get(ServerCounter.SUBSCRIBERS));

            table.close(streaming);
            assertEquals(Connection.State.CLOSED, streaming.state());
            assertNull(streaming.topic);
            assertNull(streaming.pendingOut);
            assertNull(streaming.parser);
            assertEquals(1, topic.subscriberCount);
            assertSame(bystander, topic.subscribers[0]);
            assertEquals(0, bystander.subscriberIndex);
            assertEquals(1, metrics.get(ServerCounter.SUBSCRIBERS));
            assertEquals(1, parsers.freeCount(), "the parser is back in the pool");
            assertSame(parser, table.acquireParser(), "and lent again");

            table.close(streaming);
            table.reset(streaming);
            assertEquals(1, metrics.get(ServerCounter.SUBSCRIBERS), "released once");
            assertEquals(1, topic.subscriberCount);
            assertEquals(0, parsers.freeCount());
        }
    }

    @Test
    void shouldNotCountAnEndingStreamAsASubscriberWhenItIsReleased() throws IOException
    {
        final Connection ending = admitted(ONE);
        table.releaseParser(ending);
        ending.startStreaming(null);
        ending.endStream(0);
        metrics.increment(ServerCounter.SUBSCRIBERS);
        metrics.decrement(ServerCounter.SUBSCRIBERS);

        table.reset(ending);
        assertEquals(0, metrics.get(ServerCounter.SUBSCRIBERS), "its subscriber was counted out when the stream began to end");
        assertEquals(Connection.State.CLOSED, ending.state());
        assertEquals(0, table.admittedCount());
    }

    @Test
    void shouldGiveAStreamsParserBackOnce() throws IOException
    {
        final Connection connection = admitted(ONE);
        assertEquals(0, parsers.freeCount());
        table.releaseParser(connection);
        table.releaseParser(connection);
        assertNull(connection.parser);
        assertEquals(1, parsers.freeCount());
        table.close(connection);
        assertEquals(1, parsers.freeCount(), "nothing more to give back at close");
    }

    @Test
    void shouldEndWithFinOnCloseAndRstOnReset() throws IOException
    {
        final ServerSocketChannel listener = listener();
        final SocketChannel closedPeer = peer(listener);
        final Connection closed = admitted(listener.accept(), ONE);
        final SocketChannel resetPeer = peer(listener);
        final Connection reset = admitted(listener.accept(), ONE);

        table.close(closed);
        table.reset(reset);

        assertEquals(-1, closedPeer.read(ByteBuffer.allocate(1)), "FIN: end of stream");
        assertReset(resetPeer);
        assertEquals(0, table.count());
    }

    @Test
    void shouldResetAChannelThatNeverBecameAConnection() throws IOException
    {
        final ServerSocketChannel listener = listener();
        final SocketChannel peer = peer(listener);
        final SocketChannel refused = listener.accept();
        resources.add(refused);

        ConnectionTable.resetQuietly(refused);
        ConnectionTable.resetQuietly(refused);

        assertFalse(refused.isOpen());
        assertReset(peer);
    }

    private void stream(final Connection connection, final TopicState topic)
    {
        table.releaseParser(connection);
        connection.startStreaming(topic);
        topic.addSubscriber(connection);
        metrics.increment(ServerCounter.SUBSCRIBERS);
    }

    private Connection admitted(final InetAddress address) throws IOException
    {
        return admitted(SocketChannel.open(), address);
    }

    private Connection admitted(final SocketChannel channel, final InetAddress address)
    {
        final Connection connection = connection(channel, true);
        table.add(connection);
        table.admit(connection, address);
        return connection;
    }

    private Connection rejecting() throws IOException
    {
        final Connection connection = connection(SocketChannel.open(), false);
        table.add(connection);
        table.reject();
        return connection;
    }

    private Connection connection(final SocketChannel channel, final boolean admitted)
    {
        resources.add(channel);
        return new Connection(nextId++, channel, admitted, table.acquireParser());
    }

    private ServerSocketChannel listener() throws IOException
    {
        final ServerSocketChannel listener = ServerSocketChannel.open();
        resources.add(listener);
        listener.bind(new InetSocketAddress(ONE, 0));
        return listener;
    }

    private SocketChannel peer(final ServerSocketChannel listener) throws IOException
    {
        final SocketChannel peer = SocketChannel.open(listener.getLocalAddress());
        resources.add(peer);
        return peer;
    }

    private static void assertReset(final SocketChannel peer)
    {
        final IOException rst = assertThrows(IOException.class, () -> peer.read(ByteBuffer.allocate(1)));
        assertTrue(String.valueOf(rst.getMessage()).contains("reset"), "RST: " + rst);
    }

    private void assertIndexes()
    {
        for (int i = 0; i < table.count(); i++)
        {
            assertEquals(i, table.get(i).listIndex, "index of connection " + i);
        }
    }

    private static InetAddress address(final String literal)
    {
        try
        {
            return InetAddress.getByName(literal);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(literal, ex);
        }
    }
}
