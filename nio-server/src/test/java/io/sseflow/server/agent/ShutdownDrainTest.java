package io.sseflow.server.agent;

import io.sseflow.server.ServerCounter;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ShutdownDrain} on its own, over a {@link ConnectionTable} of loopback connections: the first step stops
 * accepting; the drain waits while the agent is busy or a connection has output pending, and ends (every connection
 * closed with FIN, then {@link AgentTerminationException}) once nothing is pending or at the shutdown deadline.
 */
class ShutdownDrainTest
{
    private static final long TIMEOUT_MS = 1_000;
    private static final long TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);

    private final ServerCounters metrics = new ServerCounters();
    private final ConnectionTable table = new ConnectionTable(metrics, new RequestParserPool(8192, 1 << 20, 4));
    private final ServerConfig config = SseServer.builder().shutdownTimeoutMs(TIMEOUT_MS).build().config();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Selector selector;
    private ServerSocketChannel listener;
    private SelectionKey acceptKey;
    private ShutdownDrain drain;

    @AfterEach
    void closeChannels() throws Exception
    {
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
    }

    @Test
    void shouldStopAcceptingThenWaitUntilNothingIsPendingAndCloseEveryConnectionWithFin() throws IOException
    {
        start();
        final SocketChannel peer = peer();
        final Connection connection = connection(acceptOne());

        assertEquals(1, drain.poll(0, true));
        assertFalse(listener.isOpen(), "no more connections are accepted");
        assertFalse(acceptKey.isValid());

        assertEquals(0, drain.poll(1, false), "the agent still has events to append or subscribers to flush");
        connection.startWriting(ByteBuffer.allocate(1), true, 0);
        assertEquals(0, drain.poll(2, true), "a response is being written");
        assertEquals(1, table.count());
        assertTrue(connection.channel.isOpen());

        connection.readNextRequest(0);
        assertThrows(AgentTerminationException.class, () -> drain.poll(3, true));
        assertEquals(0, table.count());
        assertTrue(connection.isClosed());
        assertEquals(-1, peer.read(ByteBuffer.allocate(1)), "FIN: end of stream");
    }

    @Test
    void shouldCloseEveryConnectionAtTheDeadlineWhateverIsPending() throws IOException
    {
        start();
        final SocketChannel peer = peer();
        final Connection awaiting = connection(acceptOne());
        table.publishOffered(awaiting);
        final SocketChannel readingPeer = peer();
        final Connection reading = connection(acceptOne());

        final long startNs = 5;
        assertEquals(1, drain.poll(startNs, true));
        assertEquals(0, drain.poll(startNs + TIMEOUT_NS - 1, false), "one nanosecond before the deadline");
        assertEquals(2, table.count());

        assertThrows(AgentTerminationException.class, () -> drain.poll(startNs + TIMEOUT_NS, false));
        assertEquals(0, table.count());
        assertTrue(awaiting.isClosed());
        assertTrue(reading.isClosed());
        assertEquals(-1, peer.read(ByteBuffer.allocate(1)), "FIN: end of stream");
        assertEquals(-1, readingPeer.read(ByteBuffer.allocate(1)));
        assertEquals(0, metrics.get(ServerCounter.CONNECTIONS));
    }

    private void start() throws IOException
    {
        selector = Selector.open();
        resources.add(selector);
        listener = ServerSocketChannel.open();
        resources.add(listener);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.configureBlocking(false);
        acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        final AgentContext context = new AgentContext(config, null, metrics, new InMemoryEventSequencer(1 << 16), table,
            new CachedNanoClock(), new AtomicBoolean(), listener, config.maxEventBytes(), 0);
        drain = new ShutdownDrain(context, selector);
    }

    private SocketChannel peer() throws IOException
    {
        final SocketChannel peer = SocketChannel.open(listener.getLocalAddress());
        resources.add(peer);
        return peer;
    }

    private SocketChannel acceptOne() throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int attempt = 0; attempt < 1_000_000 && System.nanoTime() - deadlineNs < 0; attempt++)
        {
            final SocketChannel channel = listener.accept();
            if (null != channel)
            {
                return channel;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no connection to accept within 5 s");
    }

    private Connection connection(final SocketChannel channel)
    {
        resources.add(channel);
        final Connection connection = new Connection(table.count() + 1, channel, true, table.acquireParser());
        table.add(connection);
        table.admit(connection, InetAddress.getLoopbackAddress());
        return connection;
    }
}
