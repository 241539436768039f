package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.sseflow.server.support.HubSockets.connectFrom;
import static io.sseflow.server.support.HubSockets.readLine;
import static io.sseflow.server.support.HubSockets.residentBytes;
import static io.sseflow.server.support.HubSockets.send;
import static io.sseflow.server.support.HubSockets.skipHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 17, items 1 and 4, against the hub jar with a {@link ControlProbe} beside: anonymous subscribers opening
 * streams of several topics while the topics' history budget is full used to crash the hub (a stream log's fill grew
 * through the topics' budget, which shrank the very topic log being copied: {@code IndexOutOfBoundsException} in
 * {@code StreamFill}, exit 70), and 1,000 streams of distinct topic sets evicted another topic's history, so that a
 * client resuming it silently skipped most of it. Stream logs now have a budget of their own, with a share per
 * client ({@code mvn -B -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=StreamLogBudgetIT}).
 * <p>
 * Every load is bounded in count and time; attackers connect from 127.0.2.x and 127.0.4.x, the probe and the
 * publishers from 127.0.0.1.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StreamLogBudgetIT
{
    private static final int EVENT_BYTES = 16_000;
    private static final int SUBSCRIPTIONS = 400;
    private static final String SHARE_REASON =
        "too much stream history held for this address: close a stream of several topics first\n";

    @ParameterizedTest(name = "{0} flags, {1}")
    @CsvSource({"small, events", "small, mercure", "default, events", "default, mercure"})
    void shouldServeEveryStreamFilledFromAFullHistoryBudgetWithWholeFrames(final String flags, final String endpoint)
        throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-stream-fill", ".err");
        final Process hub = ChildProcess.startHubJar(
            "small".equals(flags) ? List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m") : List.of(),
            ProcessBuilder.Redirect.to(stderr.toFile()), "--port", "0");
        final List<Socket> streams = new ArrayList<>();
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            final long rssAtStart = residentBytes(hub);
            publishRoundRobin(port, "bait-", 20, 100, EVENT_BYTES);

            final ControlProbe probe = ControlProbe.start(port, 120_000);
            int framesChecked = 0;
            int refused = 0;
            // each kept open, so that the stream logs pile up; each asks for a replay (id 1 is not on the stream:
            // everything it retains, its fill), of which it reads the first frames
            for (int i = 0; i < SUBSCRIPTIONS; i++)
            {
                final String path = ("events".equals(endpoint) ? "/events?topic=" : "/.well-known/mercure?topic=") +
                    "bait-" + (i % 20) + "&topic=x-" + i;
                final Socket socket;
                final InputStream in;
                final String status;
                try
                {
                    socket = connectFrom("127.0.4." + (1 + i % 20), port);
                    streams.add(socket);
                    in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
                    send(socket, "GET " + path + " HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\n\r\n");
                    status = readLine(in);
                }
                catch (final IOException ex)
                {
                    throw new AssertionError("subscription " + i + " " + path + ": " + ex + "; " + fate(hub, stderr));
                }
                if (!"HTTP/1.1 200 OK".equals(status))
                {
                    if (!"HTTP/1.1 429 Too Many Requests".equals(status))
                    {
                        fail("subscription " + i + " " + path + ": '" + status + "'; " + fate(hub, stderr));
                    }
                    assertEquals(SHARE_REASON, new String(in.readNBytes(skipHead(in)), StandardCharsets.US_ASCII));
                    refused++;
                    continue;
                }
                skipHead(in);
                for (int f = 0; f < 3; f++)
                {
                    assertWholeAndCorrect(readFrame(in), "subscription " + i + " frame " + f);
                    framesChecked++;
                }
            }
            probe.close();
            final ControlProbe.Figures figures = probe.assertUnaffected(1_000, SUBSCRIPTIONS + " streams filled");
            assertTrue(hub.isAlive(), "hub alive");
            assertTrue(SUBSCRIPTIONS - refused >= 20, "at least one stream per address: " + refused + " refused");
            assertTrue(metrics(port).contains(
                "sseflow_requests_refused_total{reason=\"stream_share\"} " + refused + "\n"), "refusals counted");
            System.out.printf("StreamLogBudgetIT: %s flags, %s: %d streams of 2 topics from 20 addresses, %d " +
                    "refused 429 stream_share, the others filled (%d frames checked whole and correct); hub RSS " +
                    "%.1f MiB at start, %.1f after; %s; %s%n", flags, endpoint, SUBSCRIPTIONS, refused, framesChecked,
                rssAtStart / 1048576.0, residentBytes(hub) / 1048576.0, figures, budgetLine(stderr));
            assertStopsCleanly(hub, stderr);
        }
        finally
        {
            for (final Socket socket : streams)
            {
                socket.close();
            }
            ChildProcess.stop(hub, Duration.ofSeconds(15));
            Files.deleteIfExists(stderr);
        }
    }

    @Test
    void shouldKeepAnotherTopicsHistoryExactWhileAThousandDistinctStreamsAreOpened() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-distinct-streams", ".err");
        final Process hub = ChildProcess.startHubJar(
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0");
        final List<Socket> streams = new ArrayList<>();
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            final long rssAtStart = residentBytes(hub);
            publishRoundRobin(port, "bait-", 20, 100, EVENT_BYTES);
            publishRoundRobin(port, "orders", 1, 900, 1_000);
            final AtomicBoolean publishing = new AtomicBoolean(true);
            final AtomicLong lastOrder = new AtomicLong(900);
            final Thread publisher = new Thread(() -> publishOrders(port, publishing, lastOrder), "orders-publisher");
            publisher.start();
            final ControlProbe probe = ControlProbe.start(port, 120_000);

            int accepted = 0;
            int refused = 0;
            final long attackStart = System.nanoTime();
            for (int i = 0; i < 1_000; i++)
            {
                final String bait = "bait-" + (i % 20);
                final String path = i % 2 == 0 ?
                    "/events?topic=" + bait + "&topic=x-" + i : "/.well-known/mercure?topic=" + bait + "&topic=y-" + i;
                final Socket socket = connectFrom("127.0.2." + (1 + i / 100), port);
                send(socket, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                final InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
                final String status = readLine(in);
                if ("HTTP/1.1 200 OK".equals(status))
                {
                    streams.add(socket);
                    accepted++;
                    continue;
                }
                if (!"HTTP/1.1 429 Too Many Requests".equals(status))
                {
                    fail("stream " + i + " " + path + ": '" + status + "'; " + fate(hub, stderr));
                }
                final String body = new String(in.readNBytes(skipHead(in)), StandardCharsets.US_ASCII);
                assertEquals(SHARE_REASON, body, "the reason");
                socket.close();
                refused++;
            }
            final long attackMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attackStart);
            Await.pause(2_000);
            publishing.set(false);
            publisher.join(30_000);
            probe.close();
            final ControlProbe.Figures figures = probe.assertUnaffected(1_000, "1,000 distinct streams");
            final long rssAfter = residentBytes(hub);

            final String metrics = metrics(port);
            assertTrue(refused > 0 && accepted > 0, accepted + " accepted, " + refused + " refused");
            assertTrue(metrics.contains("sseflow_requests_refused_total{reason=\"stream_share\"} " + refused + "\n"),
                metrics);
            final long last = lastOrder.get();
            assertTrue(last <= 1_000, "orders stays within --history: " + last);

            final Socket resume = connectFrom("127.0.0.1", port);
            streams.add(resume);
            send(resume, "GET /events/orders HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\n\r\n");
            final InputStream in = new java.io.BufferedInputStream(resume.getInputStream(), 65536);
            assertEquals("HTTP/1.1 200 OK", readLine(in));
            skipHead(in);
            for (long id = 2; id <= last; id++)
            {
                final String frame = readFrame(in);
                assertTrue(frame.startsWith("id: " + id + "\ndata: order " + id + " "),
                    "resume after id 1 is exact: event " + id + " next, got " + frame.substring(0, 40));
            }
            assertTrue(metrics(port).contains("\nsseflow_replay_misses_total 0\n"), "no replay missed");
            System.out.printf("StreamLogBudgetIT: 1,000 distinct streams from 10 addresses in %d ms beside a " +
                    "publisher of orders: %d accepted, %d refused 429 stream_share; orders kept all %d events and " +
                    "resumed exactly after id 1; hub RSS %.1f MiB at start, %.1f after; %s; %s%n", attackMillis,
                accepted, refused, last, rssAtStart / 1048576.0, rssAfter / 1048576.0, figures, budgetLine(stderr));
            assertStopsCleanly(hub, stderr);
        }
        finally
        {
            for (final Socket socket : streams)
            {
                socket.close();
            }
            ChildProcess.stop(hub, Duration.ofSeconds(15));
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * An event as published to topic {@code bait-K}: its data names the topic and the publish, padded to 16,000 bytes;
     * a frame whose bytes came from evicted memory cannot look like one.
     */
    private static void assertWholeAndCorrect(final String frame, final String what)
    {
        assertTrue(frame.matches("id: [0-9]+\ndata: bait-[0-9]+-[0-9]+-x*\n\n"), what + ": " +
            frame.substring(0, Math.min(80, frame.length())));
        final String data = frame.substring(frame.indexOf("\ndata: ") + 7, frame.length() - 2);
        final int second = data.indexOf('-', data.indexOf('-') + 1);
        assertEquals(body(data.substring(0, data.indexOf('-', second + 1) + 1), EVENT_BYTES), data,
            what + ": the data as published");
    }

    private static String body(final String prefix, final int bytes)
    {
        return prefix + "x".repeat(bytes - prefix.length());
    }

    private static void publishRoundRobin(
        final int port, final String prefix, final int topics, final int perTopic, final int bytes) throws IOException
    {
        try (Socket socket = connectFrom("127.0.0.1", port))
        {
            final InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            for (int i = 0; i < topics * perTopic; i++)
            {
                final String topic = topics == 1 ? prefix : prefix + (i % topics);
                final String body =
                    topics == 1 ? body("order " + (i + 1) + " ", bytes) : body(topic + "-" + i + "-", bytes);
                send(socket, "POST /events/" + topic + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes +
                    "\r\n\r\n" + body);
                assertEquals("HTTP/1.1 200 OK", readLine(in), "publish " + i + " to " + topic);
                in.readNBytes(skipHead(in));
            }
        }
    }

    /**
     * Orders 901 on, one every 20 ms, at most 100 (orders then holds at most 1,000 events, within --history).
     */
    private static void publishOrders(final int port, final AtomicBoolean publishing, final AtomicLong last)
    {
        try (Socket socket = connectFrom("127.0.0.1", port))
        {
            final InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            for (long id = 901; id <= 1_000 && publishing.get(); id++)
            {
                final String body = body("order " + id + " ", 1_000);
                send(socket, "POST /events/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + body);
                if (!"HTTP/1.1 200 OK".equals(readLine(in)))
                {
                    return;
                }
                in.readNBytes(skipHead(in));
                last.set(id);
                Await.pause(20);
            }
        }
        catch (final IOException ex)
        {
            System.out.println("StreamLogBudgetIT: orders publisher: " + ex);
        }
    }

    private static void assertStopsCleanly(final Process hub, final Path stderr) throws Exception
    {
        assertTrue(ChildProcess.stop(hub, Duration.ofSeconds(15)), "hub stops on SIGTERM");
        final String errors = Files.readString(stderr);
        assertTrue(!errors.contains("Error") && !errors.contains("Exception"), errors);
    }

    /**
     * What became of the hub, for a failure's message (waits up to 2 s for it to exit: call it only on failure).
     */
    private static String fate(final Process hub, final Path stderr)
    {
        try
        {
            final boolean exited = hub.waitFor(2, TimeUnit.SECONDS);
            return "hub " + (exited ? "exited with status " + hub.exitValue() : "alive") + "; stderr: " +
                Files.readString(stderr);
        }
        catch (final IOException | InterruptedException ex)
        {
            return "hub unknown: " + ex;
        }
    }

    private static String budgetLine(final Path stderr) throws IOException
    {
        return Files.readString(stderr).lines().findFirst().orElse("");
    }

    private static String metrics(final int port) throws IOException
    {
        try (Socket socket = connectFrom("127.0.0.1", port))
        {
            send(socket, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * One frame, up to and including its blank line (at most 128 KiB).
     */
    private static String readFrame(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0 && frame.size() < 128 * 1024)
        {
            frame.write(b);
            if (b == '\n' && previous == '\n')
            {
                break;
            }
            previous = b;
        }
        return frame.toString(StandardCharsets.US_ASCII);
    }
}
