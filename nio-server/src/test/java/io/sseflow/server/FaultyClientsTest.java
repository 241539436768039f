package io.sseflow.server;

import io.sseflow.server.agent.AgentInternals;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that reset mid-stream, half-close, or connect and disconnect in a storm: afterwards the server's
 * connection and subscriber counts, the topic's subscriber entries and the process's open file descriptors are
 * back to their baseline. The storm is capped in count (100,000) and time ({@value #CYCLE_CAP_SECONDS} s); the
 * number of cycles done is printed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FaultyClientsTest
{
    private static final int CYCLES = 100_000;
    private static final int CYCLE_CAP_SECONDS = 60;
    private static final int FD_SLACK = 8;
    private static final byte[] SUBSCRIBE =
        "GET /events/t HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldFreeEverythingAfterResetsHalfClosesAndConnectStorms() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            final Topic topic = server.topic("t");
            warmUp(server);
            final long baselineFds = openFileDescriptors();

            // resets mid-stream: subscribers that received events then vanish with RST (SO_LINGER 0)
            final List<RawSseClient> resetting = subscribe(server, 50);
            for (int i = 0; i < 20; i++)
            {
                Servers.publish(topic, "event " + i, io.sseflow.encoder.SseOptions.NONE);
            }
            for (final RawSseClient client : resetting)
            {
                client.nextEvent();
                client.reset();
            }
            Servers.awaitSubscribers(server, 0);

            // half-close: the client shuts its output; the server treats the stream as gone
            final List<RawSseClient> halfClosing = subscribe(server, 50);
            for (final RawSseClient client : halfClosing)
            {
                client.shutdownOutput();
            }
            Servers.awaitSubscribers(server, 0);
            for (final RawSseClient client : halfClosing)
            {
                client.close();
            }

            // connect/disconnect storm: mostly RST closes (no TIME_WAIT left on loopback ports), one in ten graceful;
            // a third of them subscribe first
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CYCLE_CAP_SECONDS);
            int cycles = 0;
            while (cycles < CYCLES && System.nanoTime() - deadline < 0)
            {
                try (Socket socket = new Socket())
                {
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    if (cycles % 3 == 0)
                    {
                        socket.getOutputStream().write(SUBSCRIBE);
                    }
                    if (cycles % 10 != 0)
                    {
                        socket.setSoLinger(true, 0);
                    }
                }
                cycles++;
            }
            System.out.println("FaultyClientsTest: " + cycles + " connect/disconnect cycles in at most " +
                CYCLE_CAP_SECONDS + " s (cap " + CYCLES + ")");
            assertTrue(cycles >= 1_000, "too few cycles: " + cycles);

            Await.value(() -> server.metrics().connections(), 0, "connections");
            Servers.awaitSubscribers(server, 0);
            assertEquals(0, AgentInternals.subscriberCount(server, topic.name()), "topic subscriber entries");
            awaitFileDescriptorsAtMost(baselineFds + FD_SLACK);

            // and the server still serves
            final RawSseClient after = RawSseClient.get(server.port(), "/events/t");
            after.readHead();
            Servers.awaitSubscribers(server, 1);
            after.close();
        }
    }

    private static void warmUp(final SseServer server) throws IOException
    {
        final RawSseClient client = RawSseClient.get(server.port(), "/events/t");
        client.readHead();
        Servers.awaitSubscribers(server, 1);
        client.close();
        Servers.awaitSubscribers(server, 0);
        Await.value(() -> server.metrics().connections(), 0, "connections");
    }

    private static List<RawSseClient> subscribe(final SseServer server, final int count) throws IOException
    {
        final List<RawSseClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final RawSseClient client = RawSseClient.get(server.port(), "/events/t");
            client.readHead();
            clients.add(client);
        }
        Servers.awaitSubscribers(server, count);
        return clients;
    }

    private static long openFileDescriptors()
    {
        final String[] fds = new File("/proc/self/fd").list();
        return null == fds ? -1 : fds.length;
    }

    private static void awaitFileDescriptorsAtMost(final long limit) throws Exception
    {
        final long fds = Await.until(FaultyClientsTest::openFileDescriptors, (open) -> open <= limit,
            Await.DEFAULT_TIMEOUT, 50);
        assertTrue(fds <= limit, "open file descriptors " + fds + " > " + limit);
    }
}
