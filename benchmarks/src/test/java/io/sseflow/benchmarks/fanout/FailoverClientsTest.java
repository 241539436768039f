package io.sseflow.benchmarks.fanout;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable scenario's clients against scripted servers on loopback: the load client spreading its subscribers
 * over several nodes, the failover publisher moving from node to node, the failover watcher checking order.
 */
class FailoverClientsTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";

    @Test
    void shouldSpreadSubscribersOverTheServersInTurn() throws Exception
    {
        try (ServerSocketChannel a = listen(); ServerSocketChannel b = listen())
        {
            final InetSocketAddress[] servers = {address(a), address(b)};
            final SseLoadClient client = new SseLoadClient(servers, new FanOutTopics("t", 1), 4, 0, 4096, TIMEOUT_NS);
            final List<SocketChannel> accepted = new ArrayList<>();
            try
            {
                client.start();
                final List<String> onA = requests(a, 2, accepted);
                final List<String> onB = requests(b, 2, accepted);
                assertEquals(List.of(request(servers[0]), request(servers[0])), onA);
                assertEquals(List.of(request(servers[1]), request(servers[1])), onB);
                awaitTrue(() -> client.connected() == 4);
            }
            finally
            {
                client.close();
                for (final SocketChannel channel : accepted)
                {
                    channel.close();
                }
            }
        }
    }

    @Test
    void shouldRefuseAClientWithoutServers()
    {
        assertEquals("no server to subscribe to", assertThrows(IllegalArgumentException.class,
            () -> new SseLoadClient(new InetSocketAddress[0], new FanOutTopics("t", 1), 1, 0, 4096, TIMEOUT_NS))
            .getMessage());
    }

    @Test
    void shouldMoveToTheNextNodeUntilOneAnswers200() throws Exception
    {
        final InetSocketAddress closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closed = new InetSocketAddress("127.0.0.1", gone.getLocalPort());
        }
        try (ServerSocket unavailable = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            ServerSocket ok = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final InetSocketAddress[] nodes = {closed, local(unavailable), local(ok)};
            final List<String> seen = new ArrayList<>();
            final Thread servers = new Thread(() ->
            {
                try
                {
                    seen.add(answer(unavailable, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n" +
                        "Content-Length: 10\r\n\r\nno leader\n"));
                    seen.add(answer(ok, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n1000000007\n"));
                }
                catch (final IOException ex)
                {
                    seen.add(ex.toString());
                }
            });
            servers.start();
            try (FailoverPublisher publisher = new FailoverPublisher(nodes, "f", 64, 0))
            {
                assertEquals(2, publisher.publish(7, System.nanoTime() + TIMEOUT_NS));
                assertEquals(2, publisher.retries());
            }
            servers.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS));
            assertEquals(2, seen.size(), seen::toString);
            for (final String request : seen)
            {
                assertTrue(request.startsWith("POST /events/f?id=1000000007 HTTP/1.1\r\n"), request);
                assertTrue(request.contains("\r\nContent-Length: 64\r\n\r\n0000000007 "), request);
            }
        }
    }

    @Test
    void shouldGiveUpOnAnEventNoNodeTakesInTime()
    {
        final InetSocketAddress closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closed = new InetSocketAddress("127.0.0.1", gone.getLocalPort());
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        try (FailoverPublisher publisher = new FailoverPublisher(new InetSocketAddress[]{closed}, "f", 64, 0))
        {
            final String message = assertThrows(IOException.class,
                () -> publisher.publish(0, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200))).getMessage();
            assertTrue(message.startsWith("publish to /events/f?id=1000000000 not answered 200 by any node in " +
                "time; last: node 0: java.net.ConnectException"), message);
        }
    }

    @Test
    void shouldRecordEveryEventInOrderAndFindTheFirstPublishedAfterATime() throws Exception
    {
        try (ServerSocketChannel node = listen())
        {
            try (FailoverWatch watch = new FailoverWatch(1, address(node), "f", 16);
                SocketChannel stream = node.accept())
            {
                readHead(stream);
                write(stream, HEAD + "id: 1\ndata: w\n\n");
                awaitTrue(watch::warmedUp);
                write(stream, event(0, 100) + event(1, 200) + event(2, 300));
                awaitTrue(() -> watch.received() == 3);
                assertNull(watch.failure());
                final long third = watch.firstReadOfPublishedFrom(300);
                assertTrue(third > 0);
                assertTrue(watch.firstReadOfPublishedFrom(150) > 0);
                assertTrue(watch.firstReadOfPublishedFrom(150) <= third);
                assertEquals(-1, watch.firstReadOfPublishedFrom(301));
                write(stream, event(4, 500));
                awaitTrue(() -> watch.failure() != null);
                assertEquals("node 1: lost events 3..3", watch.failure());
            }
        }
    }

    @Test
    void shouldFailWhenTheStreamEnds() throws Exception
    {
        try (ServerSocketChannel node = listen())
        {
            try (FailoverWatch watch = new FailoverWatch(2, address(node), "f", 16))
            {
                try (SocketChannel stream = node.accept())
                {
                    readHead(stream);
                    write(stream, HEAD + "id: 1000000000\ndata: " + payload(0, 1) + "\n\n");
                    awaitTrue(() -> watch.received() == 1);
                }
                awaitTrue(() -> watch.failure() != null);
                assertEquals("node 2 ended the stream", watch.failure());
            }
        }
    }

    private static String event(final long sequence, final long publishedNs)
    {
        return "id: " + (FailoverPublisher.ID_BASE + sequence) + "\ndata: " + payload(sequence, publishedNs) + "\n\n";
    }

    private static String payload(final long sequence, final long publishedNs)
    {
        final String fields = String.format(Locale.ROOT, "%010d %019d ", sequence, publishedNs);
        return fields + "x".repeat(64 - fields.length());
    }

    private static ServerSocketChannel listen() throws IOException
    {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        return channel;
    }

    private static InetSocketAddress address(final ServerSocketChannel channel) throws IOException
    {
        return (InetSocketAddress)channel.getLocalAddress();
    }

    private static InetSocketAddress local(final ServerSocket socket)
    {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    private static String request(final InetSocketAddress server)
    {
        return "GET /events/t HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort() +
            "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n";
    }

    private static List<String> requests(final ServerSocketChannel listener, final int count,
        final List<SocketChannel> accepted) throws IOException
    {
        final List<String> requests = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final SocketChannel channel = listener.accept();
            accepted.add(channel);
            requests.add(readHead(channel));
        }
        return requests;
    }

    private static String readHead(final SocketChannel channel) throws IOException
    {
        final ByteBuffer request = ByteBuffer.allocate(1024);
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        String text = "";
        while (!text.contains("\r\n\r\n") && System.nanoTime() - deadline < 0)
        {
            if (channel.read(request) < 0)
            {
                break;
            }
            text = new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII);
        }
        return text;
    }

    /** Accept one connection, read one request with its Content-Length body, answer, close. */
    private static String answer(final ServerSocket listener, final String answer) throws IOException
    {
        try (Socket socket = listener.accept())
        {
            socket.setSoTimeout((int)TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS));
            final byte[] bytes = new byte[4096];
            int length = 0;
            String text = "";
            while (!text.contains("\r\n\r\n") || length < text.indexOf("\r\n\r\n") + 4 + 64)
            {
                final int read = socket.getInputStream().read(bytes, length, bytes.length - length);
                if (read < 0)
                {
                    break;
                }
                length += read;
                text = new String(bytes, 0, length, StandardCharsets.US_ASCII);
            }
            socket.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return text;
        }
    }

    private static void write(final SocketChannel channel, final String text) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    private static void awaitTrue(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 10 s");
    }
}
