package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 items 2 and 3 as an attacker tries them, against the hub jar at {@code -Xmx128m
 * -XX:MaxDirectMemorySize=256m} with the {@link ControlProbe} beside: anonymous template subscriptions matched against
 * many live topics (long ones, and 5,000 realistic IRIs behind a closed publish), and 1,000 held template
 * subscriptions from one address. Linking runs in budgeted slices while the subscriber waits, so the control
 * subscriber and {@code /healthz} stay under 1 s worst case; template parts are bounded per address and hub-wide.
 * Run: {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=SelectorLinkingAttackIT}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SelectorLinkingAttackIT
{
    private static final List<String> SMALL = List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m");
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final String IRI_TEMPLATE = "https://example.com/users/{id}/notifications/inbox/{n}";

    @Test
    void shouldLinkHostileTemplatesAgainst2KbTopicsInSlicesWhileOthersAreServed() throws Exception
    {
        try (Hub hub = Hub.start("--port", "0", "--max-template-parts-per-address", "1000000",
            "--max-template-parts", "1000000"))
        {
            try (Socket publisher = connect(hub.port, InetAddress.getLoopbackAddress()))
            {
                for (int i = 0; i < 200; i++)
                {
                    assertEquals("200", status(publish(publisher, longTopic(i), Integer.toString(i), null)));
                }
            }
            final ControlProbe probe = ControlProbe.start(hub.port, 120_000);
            final List<Socket> streams = new ArrayList<>();
            final long started = System.nanoTime();
            for (int s = 0; s < 3; s++)
            {
                final Socket socket = connect(hub.port, InetAddress.getByName("127.0.2." + (1 + s)));
                streams.add(socket);
                send(socket, "GET /.well-known/mercure?" + hostileSelectors(s, 100) + "&lastEventID=earliest " +
                    "HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            final Socket leaving = connect(hub.port, InetAddress.getByName("127.0.2.9"));
            send(leaving, "GET /.well-known/mercure?" + hostileSelectors(9, 100) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            leaving.close();
            for (final Socket socket : streams)
            {
                socket.setSoTimeout(60_000);
                assertTrue(readHead(socket).startsWith("HTTP/1.1 200"));
                assertTrue(readUntil(socket, "data: 198\n"), "the history of the topics matched, filled once linked");
            }
            final double linkedMillis = (System.nanoTime() - started) / 1e6;
            probe.close();
            for (final Socket socket : streams)
            {
                socket.close();
            }
            Await.condition(() -> subscribers(hub) == 0, "held and streaming subscribers all gone, the one that left " +
                "while held too", Duration.ofSeconds(60));
            final ControlProbe.Figures figures =
                probe.assertUnaffected(1_000, "3 subscriptions of 100 templates x 16 expressions, 200 topics of 2 KB");
            System.out.printf("SelectorLinkingAttackIT 2 KB topics: 3 streams linked and filled in %.0f ms; %s%n",
                linkedMillis, figures);
        }
    }

    @Test
    void shouldServeOthersWhileAnonymousSubscriptionsRepeatOver5000IrisAndRefuseHeavyOnes() throws Exception
    {
        try (Hub hub = Hub.start("--port", "0", "--publish-token", "T"))
        {
            try (Socket publisher = connect(hub.port, InetAddress.getLoopbackAddress()))
            {
                for (int i = 0; i < 5_000; i++)
                {
                    assertEquals("200", status(publish(publisher,
                        "https://example.com/users/" + i + "/notifications/inbox/" + i, "x", "Authorization: Bearer T")));
                }
            }
            final ControlProbe probe = ControlProbe.start(
                hub.port, 120_000, new String[0], new String[]{"Authorization: Bearer T"});
            final InetAddress attacker = InetAddress.getByName("127.0.2.1");
            final StringBuilder realistic = new StringBuilder();
            for (int t = 0; t < 100; t++)
            {
                realistic.append(t == 0 ? "" : "&").append("topic=https://example.com/users/{id}/notifications/inbox/{n")
                    .append(t).append('}');
            }
            int streams = 0;
            int refused = 0;
            double worstHeadMillis = 0;
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < until && streams < 2_000)
            {
                final boolean heavy = streams % 4 == 0;
                final long sent = System.nanoTime();
                try (Socket socket = connect(hub.port, attacker))
                {
                    socket.setSoTimeout(30_000);
                    send(socket, "GET /.well-known/mercure?" + (heavy ? hostileSelectors(0, 100) : realistic) +
                        " HTTP/1.1\r\nHost: x\r\n\r\n");
                    final String head = readHead(socket);
                    worstHeadMillis = Math.max(worstHeadMillis, (System.nanoTime() - sent) / 1e6);
                    if (heavy)
                    {
                        assertTrue(head.startsWith("HTTP/1.1 429"), head);
                        refused++;
                    }
                    else
                    {
                        assertTrue(head.startsWith("HTTP/1.1 200"), head);
                    }
                }
                streams++;
            }
            probe.close();
            final ControlProbe.Figures figures = probe.assertUnaffected(
                1_000, "anonymous subscriptions of 100 IRI templates over 5,000 topics, one after another");
            assertTrue(hub.metrics().contains("sseflow_requests_refused_total{reason=\"address_template_limit\"} " +
                refused), "each heavy one counted");
            System.out.printf("SelectorLinkingAttackIT 5,000 IRIs: %d subscriptions in 10 s (%d heavy ones refused 429), " +
                "worst time to head %.1f ms; %s%n", streams, refused, worstHeadMillis, figures);
        }
    }

    @Test
    void shouldHold1000TemplateSubscriptionsFromOneAddressInLittleHeap() throws Exception
    {
        try (Hub hub = Hub.start("--port", "0"))
        {
            final ControlProbe probe = ControlProbe.start(hub.port, 200_000);
            final InetAddress attacker = InetAddress.getByName("127.0.2.1");
            final long before = hub.heapUsedAfterGc();
            final List<Socket> identical = hold(hub.port, attacker, 1_000, i -> "topic=" + IRI_TEMPLATE);
            final long identicalBytes = hub.heapUsedAfterGc() - before;
            final List<Socket> distinct = hold(hub.port, InetAddress.getByName("127.0.2.2"), 1_000,
                i -> "topic=" + IRI_TEMPLATE + "&topic=https://example.com/users/" + i);
            final long distinctBytes = hub.heapUsedAfterGc() - before - identicalBytes;

            int accepted = 0;
            int refused = 0;
            final InetAddress hostile = InetAddress.getByName("127.0.2.3");
            final List<Socket> hostileStreams = new ArrayList<>();
            for (int i = 0; i < 1_000; i++)
            {
                final Socket socket = connect(hub.port, hostile);
                socket.setSoTimeout(30_000);
                send(socket, "GET /.well-known/mercure?" + hostileSelectors(i, 60) + " HTTP/1.1\r\nHost: x\r\n\r\n");
                final String head = readHead(socket);
                if (head.startsWith("HTTP/1.1 200"))
                {
                    accepted++;
                    hostileStreams.add(socket);
                }
                else
                {
                    assertTrue(head.startsWith("HTTP/1.1 429"), head);
                    refused++;
                    socket.close();
                }
            }
            final long hostileBytes = hub.heapUsedAfterGc() - before - identicalBytes - distinctBytes;
            probe.close();
            for (final List<Socket> sockets : List.of(identical, distinct, hostileStreams))
            {
                for (final Socket socket : sockets)
                {
                    socket.close();
                }
            }
            final ControlProbe.Figures figures = probe.assertUnaffected(1_000, "1,000 held template subscriptions");
            assertEquals(1, accepted, "60 templates x 16 expressions: 960 parts, the first within 1,024 per address");
            assertEquals(999, refused);
            assertTrue(hub.process.isAlive());
            System.out.printf("SelectorLinkingAttackIT heap: 1,000 identical template subscriptions %d B each; 1,000 " +
                "distinct sets sharing a template %d B each; hostile (60 templates x 16 expressions) %d accepted, %d " +
                "refused, %d KB in all; %s%n", identicalBytes / 1_000, distinctBytes / 1_000, accepted, refused,
                hostileBytes / 1024, figures);
        }
    }

    @Test
    void shouldKeepNewTopicsCheapWhileTheHubsTemplateLimitIsFull() throws Exception
    {
        try (Hub hub = Hub.start("--port", "0"))
        {
            final ControlProbe probe = ControlProbe.start(hub.port, 120_000);
            final List<Socket> attackers = new ArrayList<>();
            for (int a = 0; a < 5; a++)
            {
                final Socket socket = connect(hub.port, InetAddress.getByName("127.0.2." + (1 + a)));
                socket.setSoTimeout(30_000);
                send(socket, "GET /.well-known/mercure?" + hostileSelectors(a, 64) + " HTTP/1.1\r\nHost: x\r\n\r\n");
                final String head = readHead(socket);
                assertTrue(head.startsWith(a < 4 ? "HTTP/1.1 200" : "HTTP/1.1 503"),
                    "4 x 64 templates x 16 expressions fill the 4,096 parts: " + head);
                attackers.add(socket);
            }
            final long started = System.nanoTime();
            double worstPublishMillis = 0;
            try (Socket publisher = connect(hub.port, InetAddress.getLoopbackAddress()))
            {
                for (int i = 0; i < 200; i++)
                {
                    final long sent = System.nanoTime();
                    assertEquals("200", status(publish(publisher, longTopic(2 * i + 1), "x", null)));
                    worstPublishMillis = Math.max(worstPublishMillis, (System.nanoTime() - sent) / 1e6);
                }
            }
            final double publishMillis = (System.nanoTime() - started) / 1e6;
            probe.close();
            for (final Socket socket : attackers)
            {
                socket.close();
            }
            final ControlProbe.Figures figures =
                probe.assertUnaffected(1_000, "200 new 2 KB topics against 4,096 parts of hostile templates");
            assertTrue(hub.metrics().contains("sseflow_requests_refused_total{reason=\"template_limit\"} 1"));
            System.out.printf("SelectorLinkingAttackIT new topics: 200 new 2 KB topics, each matched against 256 hostile " +
                "templates, published one after another in %.0f ms (worst %.1f ms); %s%n", publishMillis,
                worstPublishMillis, figures);
        }
    }

    private static long subscribers(final Hub hub)
    {
        try
        {
            final Matcher gauge = Pattern.compile("\nsseflow_subscribers (\\d+)").matcher(hub.metrics());
            assertTrue(gauge.find());
            return Long.parseLong(gauge.group(1));
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private interface Query
    {
        String of(int index);
    }

    private static List<Socket> hold(final int port, final InetAddress from, final int count, final Query query)
        throws IOException
    {
        final List<Socket> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final Socket socket = connect(port, from);
            socket.setSoTimeout(30_000);
            send(socket, "GET /.well-known/mercure?" + query.of(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            final String head = readHead(socket);
            assertTrue(head.startsWith("HTTP/1.1 200"), i + ": " + head);
            sockets.add(socket);
        }
        return sockets;
    }

    /**
     * {@code count} distinct templates of 16 simple expressions and no literal: each matches any run of unreserved
     * characters, at the matcher's full cost.
     */
    private static String hostileSelectors(final int variant, final int count)
    {
        final StringBuilder query = new StringBuilder();
        for (int t = 0; t < count; t++)
        {
            query.append(t == 0 ? "" : "&").append("topic={v").append(variant).append('_').append(t).append('}');
            for (char c = 'b'; c < 'b' + 15; c++)
            {
                query.append('{').append(c).append('}');
            }
        }
        return query.toString();
    }

    /**
     * 2 KB of unreserved characters: every template of {@link #hostileSelectors} matches an even one; an odd one ends
     * with a slash none of them allows, which each of its expressions finds only after walking the whole topic.
     */
    private static String longTopic(final int i)
    {
        return "t" + "a".repeat(2_000) + (i % 2 == 0 ? "" : "/") + i;
    }

    private static Socket connect(final int port, final InetAddress from) throws IOException
    {
        final Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String publish(final Socket socket, final String topic, final String data, final String header)
        throws IOException
    {
        final String body = "topic=" + topic + "&data=" + data;
        send(socket, "POST /.well-known/mercure HTTP/1.1\r\nHost: x\r\n" + (null == header ? "" : header + "\r\n") +
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        final String head = readHead(socket);
        final Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertTrue(length.find(), head);
        socket.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
        return head;
    }

    private static String status(final String head)
    {
        return head.substring(9, 12);
    }

    private static String readHead(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("EOF in response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                matched + 1 : 0;
        }
        return head.toString(StandardCharsets.UTF_8);
    }

    private static boolean readUntil(final Socket socket, final String text) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder window = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0)
        {
            window.append((char)b);
            if (window.length() > 4 * text.length())
            {
                window.delete(0, window.length() - text.length());
            }
            if (window.indexOf(text) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The hub jar in a child process, stopped on close.
     */
    private static final class Hub implements AutoCloseable
    {
        private final Process process;
        private final Path stderr;
        private final int port;

        private Hub(final Process process, final Path stderr, final int port)
        {
            this.process = process;
            this.stderr = stderr;
            this.port = port;
        }

        static Hub start(final String... arguments) throws IOException
        {
            final Path stderr = Files.createTempFile("sseflow-linking", ".err");
            final Process process = ChildProcess.startHubJar(SMALL, ProcessBuilder.Redirect.to(stderr.toFile()), arguments);
            try
            {
                return new Hub(process, stderr, ChildProcess.port(ChildProcess.awaitListening(process, stderr)));
            }
            catch (final IOException | RuntimeException | Error ex)
            {
                process.destroyForcibly();
                throw ex;
            }
        }

        String metrics() throws IOException
        {
            try (Socket socket = connect(port, InetAddress.getLoopbackAddress()))
            {
                send(socket, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        long heapUsedAfterGc() throws IOException, InterruptedException
        {
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 2; round++)
            {
                jcmd("GC.run");
                final Matcher used = USED.matcher(jcmd("GC.heap_info"));
                assertTrue(used.find());
                least = Math.min(least, Long.parseLong(used.group(1)) * 1024);
            }
            return least;
        }

        private String jcmd(final String command) throws IOException, InterruptedException
        {
            final Process jcmd = new ProcessBuilder(
                Path.of(ChildProcess.javaBinary()).resolveSibling("jcmd").toString(), Long.toString(process.pid()),
                command).redirectErrorStream(true).start();
            final String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS));
            return out;
        }

        @Override
        public void close() throws Exception
        {
            ChildProcess.stop(process, Duration.ofSeconds(10));
            final String errors = Files.readString(stderr, StandardCharsets.UTF_8);
            Files.deleteIfExists(stderr);
            assertTrue(!errors.contains("OutOfMemoryError"), errors);
        }
    }
}
