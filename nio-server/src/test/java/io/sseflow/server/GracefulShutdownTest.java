package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GracefulShutdownTest
{
    /**
     * With two agents the clients are shared between them, and neither may end its streams before the sequencer has
     * handed it every event offered before close.
     */
    @ParameterizedTest(name = "agents {0}")
    @ValueSource(ints = {1, 2})
    void shouldDeliverEveryFrameInFlightThenEofOnClose(final int agents) throws Exception
    {
        // the clients read only after close() returns, so the kernel must hold all 2,000 frames (280 KB) for each:
        // auto-tuned send buffers, not the default 64 KiB that bounds what a client that does not read can hold
        final SseServer server = SseServer.builder().port(0).agents(agents).socketSendBufferBytes(0).start();
        final int port = server.port();
        final Topic topic = server.topic("bye");
        final List<RawSseClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            final RawSseClient client = RawSseClient.get(port, "/events/bye");
            client.readHead();
            clients.add(client);
        }
        Servers.awaitSubscribers(server, 20);

        final int count = 2_000;
        final String data = "payload ".repeat(16);
        for (int i = 1; i <= count; i++)
        {
            Servers.publish(topic, data, SseOptions.NONE);
        }
        server.close();
        assertTrue(!server.isRunning());

        for (final RawSseClient client : clients)
        {
            for (int i = 1; i <= count; i++)
            {
                assertEquals(new SseEvent(String.valueOf(i), "message", data), client.nextEvent());
            }
            assertNull(client.nextEvent(), "EOF after the last frame");
            client.close();
        }

        assertThrows(ConnectException.class, () ->
        {
            try (Socket ignored = new Socket("127.0.0.1", port))
            {
                throw new IOException("still accepting");
            }
        });
        assertEquals(PublishResult.CLOSED, topic.publish("late"));
    }
}
