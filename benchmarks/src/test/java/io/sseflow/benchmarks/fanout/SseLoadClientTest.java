package io.sseflow.benchmarks.fanout;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load client against a scripted server on loopback: one subscriber, the test writes its response.
 */
class SseLoadClientTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";

    @Test
    void shouldCountEveryEventReceivedInOrder() throws Exception
    {
        final String response = HEAD + warmUp(1) + event(2, 0) + ": heartbeat\n\n" + event(3, 1) + event(4, 2);
        try (Scripted server = new Scripted())
        {
            final SseLoadClient client = server.client();
            try
            {
                server.respond(response);
                awaitTrue(() -> client.delivered() == 3 || client.failures() != 0);
                assertEquals(3, client.delivered());
                assertEquals(1, client.warmedUp());
                assertEquals(0, client.failures(), client::firstFailure);
                awaitTrue(() -> client.slowestExpected() == 3);
                assertEquals(3, client.slowestExpected());
            }
            finally
            {
                client.close();
            }
        }
    }

    @Test
    void shouldSubscribeToOneTopicByItsPath() throws Exception
    {
        try (Scripted server = new Scripted())
        {
            final SseLoadClient client = server.client();
            try
            {
                assertEquals("GET /events/t HTTP/1.1", server.requestLine);
            }
            finally
            {
                client.close();
            }
        }
    }

    @Test
    void shouldSubscribeToEveryTopicOnOneStreamAndCheckTheirEventsInPublishOrder() throws Exception
    {
        // a multi-topic stream: ids are the hub's sequence across topics, the data's sequence counts every event
        final String response = HEAD + warmUp(1) + event(2, 0) + event(3, 1) + event(4, 2) + event(5, 3);
        try (Scripted server = new Scripted(new FanOutTopics("fanout-5", 3)))
        {
            final SseLoadClient client = server.client();
            try
            {
                assertEquals("GET /events?topic=fanout-5-0&topic=fanout-5-1&topic=fanout-5-2 HTTP/1.1",
                    server.requestLine);
                server.respond(response);
                awaitTrue(() -> client.delivered() == 4 || client.failures() != 0);
                assertEquals(4, client.delivered());
                assertEquals(0, client.failures(), client::firstFailure);
            }
            finally
            {
                client.close();
            }
        }
    }

    @Test
    void shouldFailOnALostEvent() throws Exception
    {
        assertEquals("connection 0: lost events 1..1", firstFailure(HEAD + event(1, 0) + event(2, 2), false));
    }

    @Test
    void shouldFailOnARepeatedSequence() throws Exception
    {
        assertEquals("connection 0: event 0 out of order or repeated, expected 1",
            firstFailure(HEAD + event(1, 0) + event(2, 0), false));
    }

    @Test
    void shouldFailWithTheDecodersReasonOnAWrongByte() throws Exception
    {
        final String corrupted = event(2, 1).replace(" xxx", " xyx");
        assertEquals("connection 0: padding of a data line: unexpected byte 'y' after id 2 (1 events decoded)",
            firstFailure(HEAD + event(1, 0) + corrupted, false));
    }

    @Test
    void shouldFailWhenTheServerClosesTheStream() throws Exception
    {
        assertEquals("connection 0: closed by the server", firstFailure(HEAD + event(1, 0), true));
    }

    /** The client's first failure once the server wrote the response (and closed the connection if asked). */
    private static String firstFailure(final String response, final boolean close) throws Exception
    {
        try (Scripted server = new Scripted())
        {
            final SseLoadClient client = server.client();
            try
            {
                server.respond(response);
                if (close)
                {
                    server.closeConnection();
                }
                awaitTrue(() -> client.failures() != 0);
                assertEquals(1, client.failures(), client::firstFailure);
                return client.firstFailure();
            }
            finally
            {
                client.close();
            }
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

    private static String event(final long id, final long sequence)
    {
        final String fields = String.format(Locale.ROOT, "%010d %019d ", sequence, EventPayload.now());
        return "id: " + id + "\ndata: " + fields + "x".repeat(64 - fields.length()) + "\n\n";
    }

    private static String warmUp(final long id)
    {
        return "id: " + id + "\ndata: w\n\n";
    }

    /** A loopback server that accepts the client's one connection and writes what the test says. */
    private static final class Scripted implements AutoCloseable
    {
        private final ServerSocketChannel listener = ServerSocketChannel.open();
        private final FanOutTopics topics;
        private SocketChannel connection;
        private String requestLine;

        Scripted() throws IOException
        {
            this(new FanOutTopics("t", 1));
        }

        Scripted(final FanOutTopics topics) throws IOException
        {
            this.topics = topics;
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
        }

        SseLoadClient client() throws IOException
        {
            final SseLoadClient client = new SseLoadClient(
                new InetSocketAddress[]{(InetSocketAddress)listener.getLocalAddress()}, topics, 1, 0, 4096, TIMEOUT_NS);
            client.start();
            connection = listener.accept();
            final ByteBuffer request = ByteBuffer.allocate(1024);
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (!new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII).contains("\r\n\r\n") &&
                System.nanoTime() - deadline < 0)
            {
                connection.read(request);
            }
            final String text = new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII);
            requestLine = text.substring(0, text.indexOf("\r\n"));
            return client;
        }

        void respond(final String response) throws IOException
        {
            final ByteBuffer bytes = ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining())
            {
                connection.write(bytes);
            }
        }

        void closeConnection() throws IOException
        {
            connection.close();
        }

        public void close() throws IOException
        {
            if (connection != null)
            {
                connection.close();
            }
            listener.close();
        }
    }
}
