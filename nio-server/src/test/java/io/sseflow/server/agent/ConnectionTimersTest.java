package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ConnectionTimers} takes at most {@link ConnectionTimers#ACTIONS_PER_SLICE} actions per duty cycle: a hundred
 * connections past their request deadline at once are closed over four cycles, each going on where the last one
 * stopped, and the next scan waits for the interval again.
 */
class ConnectionTimersTest
{
    private static final int CONNECTIONS = 100;
    private static final long START_NS = TimeUnit.SECONDS.toNanos(1);

    private final ServerCounters metrics = new ServerCounters();
    private final ConnectionTable table = new ConnectionTable(metrics, new RequestParserPool(8192, 1 << 20, 4));
    private final List<SocketChannel> peers = new ArrayList<>();

    @AfterEach
    void closeChannels() throws IOException
    {
        for (int i = table.count() - 1; i >= 0; i--)
        {
            table.close(table.get(i));
        }
        for (final SocketChannel peer : peers)
        {
            peer.close();
        }
    }

    @Test
    void shouldCloseAHundredTimedOutConnectionsOverSlicesOfThirtyTwo() throws IOException
    {
        final ServerConfig config = SseServer.builder().port(0).heartbeatMs(400).build().config();
        final CachedNanoClock clock = new CachedNanoClock();
        final AgentContext context = new AgentContext(config, new TopicRegistry(config), metrics, null, table, clock,
            new AtomicBoolean(), null, config.maxEventBytes(), 0);
        final ResponseWriter writer = new ResponseWriter(context, 64 * 1024);
        final ConnectionTimers timers = new ConnectionTimers(context, writer, new SubscriberFlusher(context, writer));
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int i = 0; i < CONNECTIONS; i++)
            {
                peers.add(SocketChannel.open(listener.getLocalAddress()));
                final Connection connection = new Connection(i, listener.accept(), true, null);
                table.add(connection);
                table.admit(connection, InetAddress.getLoopbackAddress());
                connection.deadlineNs = START_NS - 1;
            }
        }

        assertEquals(32, timers.poll(START_NS), "first slice");
        assertEquals(CONNECTIONS - 32, table.count());
        assertEquals(32, timers.poll(START_NS), "second slice, in the next cycle, before the interval");
        assertEquals(32, timers.poll(START_NS), "third slice");
        assertEquals(4, timers.poll(START_NS), "the rest");
        assertEquals(0, table.count(), "every connection closed");
        assertEquals(0, timers.poll(START_NS), "the next scan waits for the interval");
    }
}
