package io.sseflow.server.transport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

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
}
