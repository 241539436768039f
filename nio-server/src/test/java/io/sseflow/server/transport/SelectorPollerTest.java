package io.sseflow.server.transport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorPollerTest
{
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldHandEveryReadyKeyToTheHandlerOnBothPaths(final boolean tryReflection) throws Exception
    {
        final List<SelectionKey> selected = new ArrayList<>();
        try (SelectorPoller poller = new SelectorPoller((key) ->
        {
            selected.add(key);
            return 1;
        }, tryReflection);
            ServerSocketChannel server = ServerSocketChannel.open())
        {
            // surefire opens sun.nio.ch, so the array-backed key set must be in use when asked for
            assertEquals(tryReflection, poller.usesArrayBackedKeySet());
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            final SelectionKey acceptKey = server.register(poller.selector(), SelectionKey.OP_ACCEPT);

            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()))
            {
                int work = 0;
                for (int i = 0; i < 1000 && work == 0; i++)
                {
                    work = poller.selectNow();
                    Thread.sleep(1);
                }
                assertEquals(1, work);
                assertEquals(List.of(acceptKey), selected);
                selected.clear();
                try (SocketChannel accepted = server.accept())
                {
                    assertTrue(accepted.isConnected());
                }
                assertEquals(0, poller.selectNow());
                assertTrue(selected.isEmpty());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldHandReadyKeysOnlyWithinTheBudgetAndTheRestOnLaterCalls(final boolean tryReflection) throws Exception
    {
        final long[] now = {1_000L};
        final List<SelectionKey> handed = new ArrayList<>();
        final List<SocketChannel> channels = new ArrayList<>();
        try (SelectorPoller poller = new SelectorPoller((key) ->
        {
            handed.add(key);
            now[0] += 600;
            return 1;
        }, tryReflection, () -> now[0]);
            ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            final Selector watch = Selector.open();
            final Set<SelectionKey> readable = new HashSet<>();
            for (int i = 0; i < 10; i++)
            {
                final SocketChannel client = SocketChannel.open(server.getLocalAddress());
                final SocketChannel accepted = server.accept();
                channels.add(client);
                channels.add(accepted);
                accepted.configureBlocking(false);
                readable.add(accepted.register(poller.selector(), SelectionKey.OP_READ));
                accepted.register(watch, SelectionKey.OP_READ);
                client.write(ByteBuffer.wrap(new byte[]{'x'}));
            }
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (watch.selectNow() >= 0 && watch.selectedKeys().size() < readable.size() &&
                System.nanoTime() < until)
            {
                Thread.sleep(1);
            }
            watch.close();

            assertEquals(2, poller.selectNow(1_000), "600 ns a key: the second passes the 1,000 ns budget");
            assertEquals(2, handed.size());
            for (int call = 0; call < 4; call++)
            {
                assertEquals(2, poller.selectNow(1_000));
            }
            if (tryReflection)
            {
                assertEquals(readable, new HashSet<>(handed), "every ready key handed once within five calls");
            }
            handed.clear();
            assertEquals(10, poller.selectNow(), "no budget: every ready key");
            assertEquals(readable, new HashSet<>(handed));
        }
        finally
        {
            for (final SocketChannel channel : channels)
            {
                channel.close();
            }
        }
    }
}
