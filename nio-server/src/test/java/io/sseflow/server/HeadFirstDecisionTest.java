package io.sseflow.server;

import io.sseflow.server.support.Memory;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publish decisions are taken on the request head (finding 4 of issue 8): a head that announces a body but fails the
 * token check is answered {@code 401} before any of its body is read, without {@code 100 Continue} and without a
 * buffer for the body; only a head that passed is given one of the bounded body buffers, and while none is free it
 * waits, not read, for one to come back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeadFirstDecisionTest
{
    private static final int CONNECTIONS = 2_000;
    private static final long DIRECT_MEMORY_BOUND = 8L * 1024 * 1024;
    private static final String TOKEN = "s3cret";

    @Test
    void shouldAnswer401BeforeAnyBodyToTwoThousandAnnouncedBodiesInBoundedDirectMemory() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).publishToken(TOKEN)
            .maxConnections(2 * CONNECTIONS).maxConnectionsPerAddress(2 * CONNECTIONS).start();
            RawSseClient bystander = RawSseClient.get(server.port(), "/events/bystander"))
        {
            bystander.readHead();
            Servers.awaitSubscribers(server, 1);
            final DirectMemoryPeak peak = new DirectMemoryPeak();
            final List<Socket> sockets = new ArrayList<>(CONNECTIONS);
            try
            {
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    final Socket socket = new Socket();
                    sockets.add(socket);
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(ascii("POST /events/t" + (i % 10) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                        "Content-Length: 65000\r\n" + (i % 2 == 0 ? "Expect: 100-continue\r\n" : "") + "\r\n"));
                }
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    final String response = readToEof(sockets.get(i));
                    assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(response), "connection " + i + ": " + response);
                    assertTrue(response.contains("\r\nWWW-Authenticate: Bearer\r\n"), response);
                    assertEquals("missing or wrong publish token\n", RawHttp.body(response), response);
                    assertFalse(response.contains("100 Continue"), "100 Continue before the refusal: " + response);
                }
            }
            finally
            {
                peak.stop();
                for (final Socket socket : sockets)
                {
                    socket.close();
                }
            }

            final long growth = peak.max() - peak.baseline();
            System.out.printf("HeadFirstDecisionTest: %,d heads announcing 65,000-byte bodies without a token: " +
                "direct memory %,d bytes before, peak %,d (+%,d bytes)%n", CONNECTIONS, peak.baseline(), peak.max(), growth);
            assertTrue(growth < DIRECT_MEMORY_BOUND, "direct memory grew by " + growth + " bytes");
            assertEquals(CONNECTIONS, server.metrics().refused(Refusal.UNAUTHORIZED));

            final String published = RawHttp.exchange(server.port(), RawHttp.request("POST", "/events/bystander",
                new String[]{"Authorization: Bearer " + TOKEN, "Connection: close"}, "still served"));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(published), published);
            assertEquals(new SseEvent("1", "message", "still served"), bystander.nextEvent());
        }
    }

    @Test
    void shouldGiveABodyBufferAnd100ContinueOnlyToAHeadThatPassed() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).publishToken(TOKEN).start();
            RawSseClient subscriber = RawSseClient.get(server.port(), "/events/big");
            RawSseClient refused = RawSseClient.open(server.port(), 0);
            RawSseClient passed = RawSseClient.open(server.port(), 0))
        {
            subscriber.readHead();
            Servers.awaitSubscribers(server, 1);
            refused.send("POST /events/big HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n" +
                "Content-Length: 60000\r\nExpect: 100-continue\r\n\r\n");
            final String refusal = refused.readToEof();
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(refusal), refusal);

            passed.send("POST /events/big HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n" +
                "Content-Length: 60000\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", passed.readHead());
            final String body = "b".repeat(60_000);
            passed.send(body);
            final String head = passed.readHead();
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertEquals("1\n", passed.readBytes(2));
            assertEvent(subscriber.nextEvent(), "1", body);
        }
    }

    @Test
    void shouldKeepEachPublishsQueryFieldsWhenAnotherHeadIsDecidedBeforeItsBody() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start();
            RawSseClient subscriber = RawSseClient.get(server.port(), "/events/fields");
            RawSseClient first = RawSseClient.open(server.port(), 0);
            RawSseClient second = RawSseClient.open(server.port(), 0))
        {
            subscriber.readHead();
            Servers.awaitSubscribers(server, 1);
            first.send("POST /events/fields?event=first&id=a-1&retry=100 HTTP/1.1\r\nHost: x\r\n" +
                "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", first.readHead(), "the first head was decided");

            second.send("POST /events/fields?event=second&id=b-2 HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n" +
                "second");
            assertTrue(second.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            assertEquals("b-2\n", second.readBytes(4));
            assertEquals("event: second\nid: b-2\ndata: second\n\n", String.join("\n", subscriber.nextFrameLines()) + "\n\n");

            first.send("first");
            assertTrue(first.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            assertEquals("a-1\n", first.readBytes(4));
            assertEquals("retry: 100\nevent: first\nid: a-1\ndata: first\n\n",
                String.join("\n", subscriber.nextFrameLines()) + "\n\n");
        }
    }

    @Test
    void shouldMakePublishesWaitInOrderForAFreeBodyBufferWithoutReadingThem() throws Exception
    {
        final String head = "POST /events/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n" +
            "Content-Length: 40000\r\n";
        try (SseServer server = SseServer.builder().port(0).publishToken(TOKEN).requestBodyBuffers(1).start();
            RawSseClient subscriber = RawSseClient.get(server.port(), "/events/queue");
            RawSseClient first = RawSseClient.open(server.port(), 0);
            RawSseClient second = RawSseClient.open(server.port(), 0))
        {
            subscriber.readHead();
            Servers.awaitSubscribers(server, 1);
            first.send(head + "\r\n" + "1".repeat(20_000));
            second.send(head + "Expect: 100-continue\r\n\r\n");
            second.timeout(300);
            assertThrows(SocketTimeoutException.class, second::readHead, "100 Continue while the only buffer is taken");
            second.timeout(10_000);

            first.send("1".repeat(20_000));
            assertTrue(first.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            assertEquals("1\n", first.readBytes(2));
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", second.readHead(), "the buffer is handed to the waiting publish");
            second.send("2".repeat(40_000));
            assertTrue(second.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            assertEquals("2\n", second.readBytes(2));
            assertEvent(subscriber.nextEvent(), "1", "1".repeat(40_000));
            assertEvent(subscriber.nextEvent(), "2", "2".repeat(40_000));
        }
    }

    @Test
    void shouldHoldAtMostTheBodyBuffersForManyLargePublishesAtOnce() throws Exception
    {
        final int publishers = 200;
        final int bodyLength = 40_000;
        try (SseServer server = SseServer.builder().port(0).publishToken(TOKEN)
            .maxConnectionsPerAddress(1000).historyBytes(256 * 1024).start())
        {
            final java.util.Set<String> ids = new java.util.HashSet<>();
            final DirectMemoryPeak peak = new DirectMemoryPeak();
            final List<Socket> sockets = new ArrayList<>(publishers);
            try
            {
                for (int i = 0; i < publishers; i++)
                {
                    final Socket socket = new Socket();
                    sockets.add(socket);
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(ascii("POST /events/many HTTP/1.1\r\nHost: x\r\n" +
                        "Authorization: Bearer " + TOKEN + "\r\nContent-Length: " + bodyLength + "\r\n\r\n" +
                        "m".repeat(bodyLength / 2)));
                }
                for (final Socket socket : sockets)
                {
                    socket.getOutputStream().write(ascii("m".repeat(bodyLength / 2)));
                }
                for (int i = 0; i < publishers; i++)
                {
                    final String head = readHead(sockets.get(i));
                    assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), "publisher " + i + ": " + head);
                    ids.add(readLine(sockets.get(i)));
                }
            }
            finally
            {
                peak.stop();
                for (final Socket socket : sockets)
                {
                    socket.close();
                }
            }
            assertEquals(publishers, ids.size(), "distinct ids assigned: " + ids);
            assertEquals(publishers, server.metrics().eventsPublished());

            final ServerConfig config = server.config();
            final long bound = (long)config.requestBodyBuffers() * config.requestBodyBufferBytes() +
                (long)publishers * config.maxRequestHeadBytes() + 2L * config.historyBytes() + 1024 * 1024;
            final long growth = peak.max() - peak.baseline();
            System.out.printf("HeadFirstDecisionTest: %d authorized %,d-byte publishes at once, %d body buffers: " +
                "direct memory peak +%,d bytes (bound %,d)%n", publishers, bodyLength, config.requestBodyBuffers(), growth, bound);
            assertTrue(growth < bound, "direct memory grew by " + growth + " bytes");
        }
    }

    static void assertEvent(final SseEvent event, final String id, final String data)
    {
        assertTrue(null != event, "no event: the stream ended");
        assertEquals(id, event.id(), "id");
        assertEquals("message", event.event(), "event");
        assertEquals(data.length(), event.data().length(), "data length");
        assertTrue(data.equals(event.data()), "data differs");
    }

    private static String readLine(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.length() < 1024)
        {
            line.append((char)b);
        }
        return line.toString();
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String readToEof(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        final byte[] chunk = new byte[512];
        int read;
        while ((read = in.read(chunk)) >= 0 && out.size() < 64 * 1024)
        {
            out.write(chunk, 0, read);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readHead(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (head.length() < 4096 && (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")))
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("EOF in response head: " + head);
            }
            head.append((char)b);
        }
        return head.toString();
    }

    /**
     * Samples the JVM's direct memory in use every millisecond until stopped, keeping the highest figure.
     */
    static final class DirectMemoryPeak
    {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong max = new AtomicLong();
        private final long baseline = Memory.directUsed();
        private final Thread sampler;

        DirectMemoryPeak()
        {
            max.set(baseline);
            sampler = new Thread(() ->
            {
                final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (running.get() && System.nanoTime() - deadline < 0)
                {
                    max.accumulateAndGet(Memory.directUsed(), Math::max);
                    try
                    {
                        Thread.sleep(1);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
            }, "direct-memory-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() throws InterruptedException
        {
            running.set(false);
            sampler.join(5_000);
            max.accumulateAndGet(Memory.directUsed(), Math::max);
        }

        long baseline()
        {
            return baseline;
        }

        long max()
        {
            return max.get();
        }
    }
}
