package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sseflow.server.support.HubSockets.connectFrom;
import static io.sseflow.server.support.HubSockets.readLine;
import static io.sseflow.server.support.HubSockets.residentBytes;
import static io.sseflow.server.support.HubSockets.send;
import static io.sseflow.server.support.HubSockets.skipHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub jar at its default flags in the memory of a small container ({@code -Xmx128m
 * -XX:MaxDirectMemorySize=256m}), attacked by anonymous clients the way issue 8 found it could be taken down: after
 * each attack the same process must still answer {@code /healthz}, count on {@code /metrics} and deliver a fresh
 * publish to a fresh subscriber, and its resident memory stays within heap + direct limit + JVM overhead.
 * <p>
 * The attacks run in order on one hub process, each bounded in count and time, from their own loopback source
 * addresses (127.0.2.x, 127.0.3.1) so that the per-address limit (1,000) is not what refuses them, and the figures
 * are printed
 * ({@code mvn -B -pl nio-server verify -Dit.test=SmallContainerIT}).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmallContainerIT
{
    private static final long RSS_LIMIT_BYTES = 512L << 20;
    private static final int EVENT_BYTES = 64 * 1000;

    private static Process hub;
    private static int port;
    private static Path stderr;

    @BeforeAll
    static void startHub() throws Exception
    {
        stderr = Files.createTempFile("sseflow-small-container", ".err");
        hub = ChildProcess.startHubJar(
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"), ProcessBuilder.Redirect.to(stderr.toFile()), "--port", "0");
        port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
        assertEquals("sseflow history budget 128 MiB (direct memory limit 256 MiB, 8 MiB per topic, 10000 topics); " +
            "stream logs 64 MiB (8 MiB per client, 2 MiB per stream)",
            Files.readString(stderr).lines().findFirst().orElse(""), "the budget fitted to the direct-memory limit");
        report("started");
    }

    @AfterAll
    static void stopHub() throws Exception
    {
        if (null != hub)
        {
            final boolean stopped = ChildProcess.stop(hub, Duration.ofSeconds(15));
            final String errors = Files.readString(stderr);
            Files.deleteIfExists(stderr);
            assertTrue(stopped, "hub stops on SIGTERM");
            assertTrue(!errors.contains("Error") && !errors.contains("Exception"), errors);
        }
    }

    @Test
    @Order(1)
    void shouldSurviveTenThousandAbandonedTopics() throws Exception
    {
        final String topicsBefore = gauge(metrics(), "sseflow_topics");
        for (int i = 0; i < 10_000; i++)
        {
            try (Socket socket = connect())
            {
                send(socket, "GET /events/abandoned-" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("HTTP/1.1 200 OK", readLine(socket.getInputStream()), "subscribe " + i);
            }
        }
        final long before = Long.parseLong(topicsBefore);
        assertEquals(before, Await.until(() -> Long.parseLong(gauge(metrics(), "sseflow_topics")),
            (topics) -> topics == before, Await.DEFAULT_TIMEOUT, 20), "abandoned topics are freed");
        assertStillServing("10,000 abandoned topics");
    }

    @Test
    @Order(2)
    void shouldSurviveLargeEventsIntoManyTopics() throws Exception
    {
        final String body = "x".repeat(EVENT_BYTES);
        try (Socket socket = connect())
        {
            final InputStream in = socket.getInputStream();
            for (int i = 0; i < 6_000; i++)
            {
                send(socket, "POST /events/big-" + (i % 100) + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                    EVENT_BYTES + "\r\n\r\n" + body);
                final String status = readLine(in);
                assertEquals("HTTP/1.1 200 OK", status, "publish " + i);
                skipResponse(in);
            }
        }
        assertStillServing("64 KB events into 100 topics");
    }

    @Test
    @Order(3)
    void shouldSurviveTwoThousandAnnouncedBodies() throws Exception
    {
        final List<Socket> sockets = new ArrayList<>();
        try
        {
            for (int i = 0; i < 2_000; i++)
            {
                final Socket socket = connectFrom("127.0.2." + (1 + i / 500), port);
                sockets.add(socket);
                send(socket, "POST /events/bodies HTTP/1.1\r\nHost: x\r\nContent-Length: 65000\r\n" +
                    (i % 2 == 0 ? "Expect: 100-continue\r\n" : "") + "\r\n");
            }
            assertStillServing("2,000 connections announcing 65,000-byte bodies");
        }
        finally
        {
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
    }

    @Test
    @Order(4)
    void shouldSurviveSubscribersThatNeverRead() throws Exception
    {
        final List<Socket> stalled = new ArrayList<>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                final Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.bind(new InetSocketAddress("127.0.3.1", 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                stalled.add(socket);
                send(socket, "GET /events/stalled HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            final String body = "y".repeat(EVENT_BYTES);
            try (Socket publisher = connect())
            {
                final InputStream in = publisher.getInputStream();
                for (int i = 0; i < 2_000 && !metrics().contains("\nsseflow_subscribers 0\n"); i++)
                {
                    send(publisher, "POST /events/stalled HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                        EVENT_BYTES + "\r\n\r\n" + body);
                    assertEquals("HTTP/1.1 200 OK", readLine(in), "publish " + i);
                    skipResponse(in);
                }
            }
            assertTrue(metrics().contains("\nsseflow_subscribers 0\n"), "every stalled subscriber was dropped");
            assertStillServing("200 subscribers that never read");
        }
        finally
        {
            for (final Socket socket : stalled)
            {
                socket.close();
            }
        }
    }

    private static void assertStillServing(final String after) throws Exception
    {
        assertTrue(hub.isAlive(), "hub process alive after " + after);
        try (Socket health = connect())
        {
            send(health, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", readLine(health.getInputStream()), "/healthz after " + after);
        }
        final String topic = "fresh-" + System.nanoTime();
        try (Socket subscriber = connect())
        {
            send(subscriber, "GET /events/" + topic + " HTTP/1.1\r\nHost: x\r\n\r\n");
            final InputStream in = subscriber.getInputStream();
            assertEquals("HTTP/1.1 200 OK", readLine(in), "fresh subscribe after " + after);
            skipHead(in);
            try (Socket publisher = connect())
            {
                send(publisher, "POST /events/" + topic + "?id=7 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n" +
                    "Connection: close\r\n\r\nhello");
                assertEquals("HTTP/1.1 200 OK", readLine(publisher.getInputStream()), "fresh publish after " + after);
            }
            final byte[] expected = "id: 7\ndata: hello\n\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(new String(expected, StandardCharsets.US_ASCII), readUntil(in, expected), "event after " + after);
        }
        report(after);
    }

    private static void report(final String after) throws IOException
    {
        final long rss = residentBytes(hub);
        System.out.printf("SmallContainerIT: after %s: hub RSS %.1f MiB%n", after, rss / 1048576.0);
        assertTrue(rss < RSS_LIMIT_BYTES, "hub RSS " + rss + " B after " + after);
    }

    private static String metrics() throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String gauge(final String metrics, final String name)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return line.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + metrics);
    }

    private static Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void skipResponse(final InputStream in) throws IOException
    {
        final int length = skipHead(in);
        final byte[] body = in.readNBytes(length);
        assertEquals(length, body.length);
    }

    private static String readUntil(final InputStream in, final byte[] expected) throws IOException
    {
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try
        {
            while (seen.size() < 64 * 1024)
            {
                final int b = in.read();
                if (b < 0)
                {
                    break;
                }
                seen.write(b);
                final byte[] bytes = seen.toByteArray();
                if (bytes.length >= expected.length &&
                    Arrays.equals(bytes, bytes.length - expected.length, bytes.length, expected, 0, expected.length))
                {
                    return new String(expected, StandardCharsets.US_ASCII);
                }
            }
        }
        catch (final SocketTimeoutException ex)
        {
            // report what was seen
        }
        return seen.toString(StandardCharsets.US_ASCII);
    }
}
