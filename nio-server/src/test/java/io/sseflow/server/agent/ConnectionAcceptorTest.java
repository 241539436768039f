package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.SseServer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnectionAcceptor} on its own, over a loopback listener: an admitted connection is registered for reading
 * its first request with its socket options and request deadline; one over the total or its address's limit is
 * answered {@code 503} or {@code 429} and closed; one from a trusted proxy (127.0.0.1 by default) is admitted without
 * being counted against an address. Direct clients connect from 127.0.0.2.
 */
class ConnectionAcceptorTest
{
    private static final long NOW_NS = 1_000;
    private static final InetAddress CLIENT = address("127.0.0.2");
    private static final InetAddress PROXY = InetAddress.getLoopbackAddress();

    private final ServerCounters metrics = new ServerCounters();
    private final ConnectionTable table = new ConnectionTable(metrics, new RequestParserPool(8192, 1 << 20, 4));
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ServerSocketChannel listener;
    private Selector selector;
    private ServerConfig config;
    private ConnectionAcceptor acceptor;

    @AfterEach
    void closeChannels() throws Exception
    {
        for (int i = table.count() - 1; i >= 0; i--)
        {
            table.close(table.get(i));
        }
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
    }

    @Test
    void shouldRegisterAnAdmittedConnectionToReadItsFirstRequest() throws IOException
    {
        start(SseServer.builder().maxConnections(4).requestTimeoutMs(7));
        peer();
        assertEquals(1, acceptAll(1));
        assertEquals(0, acceptor.accept(), "nothing more pending");

        assertEquals(1, table.count());
        assertEquals(1, table.admittedCount());
        assertEquals(1, table.connectionsFrom(CLIENT));
        assertEquals(CLIENT, connection(0).remoteAddress);
        assertEquals(1, metrics.get(ServerCounter.CONNECTIONS_ACCEPTED));
        final Connection connection = connection(0);
        assertTrue(connection.isReading());
        assertTrue(connection.admitted);
        assertFalse(connection.channel.isBlocking());
        assertEquals(Boolean.TRUE, connection.channel.getOption(StandardSocketOptions.TCP_NODELAY));
        assertSame(selector, connection.key.selector());
        assertSame(connection, connection.key.attachment());
        assertEquals(SelectionKey.OP_READ, connection.key.interestOps());
        assertEquals(SelectionKey.OP_READ, connection.interestOps);
        assertEquals(NOW_NS + TimeUnit.MILLISECONDS.toNanos(7), connection.deadlineNs);
    }

    @Test
    void shouldAnswerAConnectionOverTheTotalWith503AndClose() throws IOException
    {
        start(SseServer.builder().maxConnections(1));
        peer();
        final SocketChannel refusedPeer = peer();
        assertEquals(2, acceptAll(2));

        assertEquals(1, table.admittedCount());
        assertEquals(1, table.rejectingCount());
        assertEquals(1, metrics.get(ServerCounter.CONNECTIONS_REJECTED));
        final String response = readToEnd(refusedPeer);
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
        assertTrue(response.endsWith("too many connections\n"), response);
    }

    @Test
    void shouldAnswerAConnectionOverItsAddressLimitWith429AndClose() throws IOException
    {
        start(SseServer.builder().maxConnections(10).maxConnectionsPerAddress(1));
        peer();
        final SocketChannel refusedPeer = peer();
        assertEquals(2, acceptAll(2));

        assertEquals(1, table.admittedCount());
        assertEquals(1, table.rejectingCount());
        final String response = readToEnd(refusedPeer);
        assertTrue(response.startsWith("HTTP/1.1 429 Too Many Requests\r\n"), response);
    }

    @Test
    void shouldAdmitAConnectionFromATrustedProxyWithoutCountingItAgainstAnAddressYet() throws IOException
    {
        start(SseServer.builder().maxConnections(10).maxConnectionsPerAddress(1));
        peer(PROXY);
        peer(PROXY);
        assertEquals(2, acceptAll(2));

        assertEquals(2, table.admittedCount(), "the per-address limit waits for the heads to name clients");
        assertEquals(0, table.rejectingCount());
        assertEquals(0, table.connectionsFrom(PROXY));
        assertEquals(PROXY, connection(0).proxyAddress);
        assertEquals(PROXY, connection(1).proxyAddress);
    }

    private void start(final SseServer.Builder builder) throws IOException
    {
        config = builder.build().config();
        selector = Selector.open();
        resources.add(selector);
        listener = ServerSocketChannel.open();
        resources.add(listener);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.configureBlocking(false);
        clock.update(NOW_NS);
        final AgentContext context = new AgentContext(
            config, null, metrics, null, table, clock, new AtomicBoolean(), listener, config.maxEventBytes(), 0);
        final ResponseWriter writer = new ResponseWriter(context, 64 * 1024);
        acceptor = new ConnectionAcceptor(context, selector, new ClientAdmission(config, table, writer), writer);
    }

    private SocketChannel peer() throws IOException
    {
        return peer(CLIENT);
    }

    private SocketChannel peer(final InetAddress from) throws IOException
    {
        final SocketChannel peer = SocketChannel.open();
        resources.add(peer);
        peer.bind(new InetSocketAddress(from, 0));
        peer.connect(listener.getLocalAddress());
        return peer;
    }

    private Connection connection(final int index)
    {
        return table.get(index);
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

    private int acceptAll(final int expected)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int accepted = 0;
        for (int attempt = 0; attempt < 1_000_000 && accepted < expected && System.nanoTime() - deadlineNs < 0; attempt++)
        {
            accepted += acceptor.accept();
            Thread.onSpinWait();
        }
        return accepted;
    }

    private static String readToEnd(final SocketChannel peer) throws IOException
    {
        final ByteBuffer received = ByteBuffer.allocate(4096);
        for (int reads = 0; reads < 1_000 && received.hasRemaining(); reads++)
        {
            if (peer.read(received) < 0)
            {
                return new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII);
            }
        }
        throw new AssertionError("no end of stream after " + received.position() + " bytes");
    }
}
