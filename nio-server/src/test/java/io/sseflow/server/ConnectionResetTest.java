package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Connections dropped for misbehaving are reset ({@code SO_LINGER} 0), read from the server side's sockets in
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}. Subscribers that never read but keep their sockets open are
 * dropped as slow consumers: the kernel's send queues toward them (the {@code tx_queue} of every socket whose
 * local port is the server's) fall to about nothing at once, instead of staying queued (up to the auto-tuned send
 * buffer, megabytes, each) while the peer holds its end; readers of the same topic still get every event in order.
 * A client that outstays its {@code 408} keeps no server socket either.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionResetTest
{
    private static final int STUCK = 50;
    private static final int READERS = 2;
    private static final int HISTORY = 64;
    private static final int DATA_BYTES = 16 * 1024;
    private static final int MAX_EVENTS = 20_000;
    private static final long QUEUED_AFTER_DROP_LIMIT = 512 * 1024;

    @Test
    void shouldFreeTheKernelSendQueuesOfDroppedSlowConsumersAndKeepServingReaders() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
        try (SseServer server = SseServer.builder().port(0).history(HISTORY).heartbeatMs(3_600_000).start())
        {
            final int port = server.port();
            final Topic topic = server.topic("flood");
            final List<SocketChannel> stuck = new ArrayList<>();
            final List<RawSseClient> readers = new ArrayList<>();
            final List<Thread> readerThreads = new ArrayList<>();
            final AtomicInteger[] received = new AtomicInteger[READERS];
            final Queue<String> failures = new ConcurrentLinkedQueue<>();
            try
            {
                for (int i = 0; i < STUCK; i++)
                {
                    final SocketChannel channel = SocketChannel.open();
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024);
                    channel.connect(new InetSocketAddress("127.0.0.1", port));
                    channel.write(ByteBuffer.wrap(
                        "GET /events/flood HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    stuck.add(channel);
                }
                final String data = "q".repeat(DATA_BYTES);
                for (int r = 0; r < READERS; r++)
                {
                    final RawSseClient reader = RawSseClient.get(port, "/events/flood");
                    reader.readHead();
                    readers.add(reader);
                    final AtomicInteger count = received[r] = new AtomicInteger();
                    final Thread thread = new Thread(() -> readInOrder(reader, count, data, failures));
                    thread.setDaemon(true);
                    readerThreads.add(thread);
                }
                Servers.awaitSubscribers(server, STUCK + READERS);
                readerThreads.forEach(Thread::start);

                long peakQueued = 0;
                int events = 0;
                while (server.metrics().slowConsumersDropped() < STUCK && events < MAX_EVENTS && failures.isEmpty())
                {
                    // pace by the slowest reader, which stays well within the history
                    while (events - minimum(received) > HISTORY / 4 && failures.isEmpty())
                    {
                        Thread.onSpinWait();
                    }
                    Servers.publish(topic, data, SseOptions.NONE);
                    events++;
                    if (events % 32 == 0)
                    {
                        peakQueued = Math.max(peakQueued, queuedBytesFromLocalPort(port));
                    }
                }
                assertTrue(failures.isEmpty(), failures.toString());
                assertEquals(STUCK, server.metrics().slowConsumersDropped(), "dropped after " + events + " events");

                final long queued = Await.until(() -> queuedBytesFromLocalPort(port),
                    (bytes) -> bytes <= QUEUED_AFTER_DROP_LIMIT, Await.DEFAULT_TIMEOUT, 20);
                System.out.printf(
                    "ConnectionResetTest: %d stuck subscribers dropped after %d events of %d B; kernel send queue " +
                    "from the server's port: peak %.1f MB while they were stuck, %d B after the drop%n",
                    STUCK, events, DATA_BYTES, peakQueued / 1e6, queued);
                assertTrue(queued <= QUEUED_AFTER_DROP_LIMIT,
                    "kernel still queues " + queued + " B toward dropped subscribers");

                final int total = events;
                for (final AtomicInteger count : received)
                {
                    Await.value(() -> failures.isEmpty() ? count.get() : -1, total, "events read by a reader");
                }
                assertEquals(READERS, server.metrics().subscribers());
                for (final SocketChannel channel : stuck)
                {
                    assertTrue(channel.isOpen(), "the stuck clients kept their sockets open throughout");
                }
            }
            finally
            {
                for (final SocketChannel channel : stuck)
                {
                    channel.close();
                }
                for (final RawSseClient reader : readers)
                {
                    reader.close();
                }
            }
        }
    }

    @Test
    void shouldResetAClientThatKeepsItsSocketOpenAfterA408() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
        try (SseServer server = SseServer.builder().port(0).requestTimeoutMs(300).start();
            Socket slowloris = new Socket("127.0.0.1", server.port()))
        {
            slowloris.setSoTimeout(10_000);
            slowloris.getOutputStream().write("GET /events/x HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            final String response = new String(slowloris.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 408 Request Timeout\r\n"), response);

            // it read the 408 and the server's FIN but keeps its socket: the server's side is reset after the linger
            // time instead of waiting, half-closed, for the client to close (FIN_WAIT2 until tcp_fin_timeout)
            final int clientPort = slowloris.getLocalPort();
            assertEquals(0, Await.until(() -> serverSockets(server.port(), clientPort), (sockets) -> sockets == 0,
                Await.DEFAULT_TIMEOUT, 20), "the server's socket toward the client is gone");
            assertTrue(!slowloris.isClosed());
        }
    }

    private static void readInOrder(
        final RawSseClient reader,
        final AtomicInteger received,
        final String data,
        final Queue<String> failures)
    {
        try
        {
            for (int i = 1; i <= MAX_EVENTS; i++)
            {
                final SseEvent event = reader.nextEvent();
                if (null == event || !event.equals(new SseEvent(String.valueOf(i), "message", data)))
                {
                    failures.add("reader got " + (null == event ? "EOF" : "event " + event.id()) + " at " + i);
                    return;
                }
                received.set(i);
            }
        }
        catch (final IOException ex)
        {
            failures.add("reader failed: " + ex);
        }
    }

    private static int minimum(final AtomicInteger[] received)
    {
        int minimum = Integer.MAX_VALUE;
        for (final AtomicInteger count : received)
        {
            minimum = Math.min(minimum, count.get());
        }
        return minimum;
    }

    private static int serverSockets(final int localPort, final int remotePort) throws IOException
    {
        int count = 0;
        for (final String[] fields : sockets())
        {
            if (port(fields[1]) == localPort && port(fields[2]) == remotePort)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Sum of {@code tx_queue} (bytes written and not yet acknowledged, unsent ones included) over every socket
     * whose local port is the given one, from {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
     */
    static long queuedBytesFromLocalPort(final int port) throws IOException
    {
        long total = 0;
        for (final String[] fields : sockets())
        {
            if (port(fields[1]) == port)
            {
                final String queues = fields[4];
                total += Long.parseLong(queues.substring(0, queues.indexOf(':')), 16);
            }
        }
        return total;
    }

    private static List<String[]> sockets() throws IOException
    {
        final List<String[]> sockets = new ArrayList<>();
        for (final String table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"})
        {
            final Path path = Path.of(table);
            if (Files.isReadable(path))
            {
                final List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
                for (int i = 1; i < lines.size(); i++)
                {
                    sockets.add(lines.get(i).trim().split("\\s+"));
                }
            }
        }
        return sockets;
    }

    private static int port(final String address)
    {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
