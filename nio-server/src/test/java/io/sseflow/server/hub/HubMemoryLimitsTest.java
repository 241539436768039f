package io.sseflow.server.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The hub at its default flags in a small container's JVM ({@code -Xmx128m -XX:MaxDirectMemorySize=256m}), in a
 * child process: it prints the history budget it fitted (half the direct limit), then takes finding 3's attack
 * (64 KB events into 40 topics, where 790e36b died of a direct-buffer OOM after 4,264 publishes) well past that
 * point, and finding 2's (10,000 topics subscribed to and abandoned), and still answers.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HubMemoryLimitsTest
{
    private static final Pattern LISTENING = Pattern.compile("sseflow listening on (http://127\\.0\\.0\\.1:(\\d+))");
    private static final int PUBLISHES = 6_000;
    private static final int TOPICS = 40;
    private static final int ABANDONED = 10_000;
    private static final long MAX_RSS = 420L * 1024 * 1024;

    @Test
    void shouldStayUpWithinASmallContainersMemoryUnderBothAttacksAtDefaultFlags() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-hub", ".err");
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx128m");
        command.add("-XX:MaxDirectMemorySize=256m");
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-exports") || argument.startsWith("--add-opens"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SseHub.class.getName());
        command.add("--port");
        command.add("0");
        final Process hub = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try
        {
            final BufferedReader stdout = new BufferedReader(
                new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
            final String line = stdout.readLine();
            final Matcher matcher = LISTENING.matcher(null == line ? "" : line);
            assertTrue(matcher.matches(), "start-up line: " + line + "; stderr: " + Files.readString(stderr));
            final String url = matcher.group(1);
            final int port = Integer.parseInt(matcher.group(2));
            final String budgetLine = Files.readString(stderr).lines().findFirst().orElse("");
            assertEquals("sseflow history budget 128 MiB (direct memory limit 256 MiB, 8 MiB per topic, " +
                "10000 topics)", budgetLine);

            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final byte[] body = "e".repeat(64_000).getBytes(StandardCharsets.US_ASCII);
            for (int i = 1; i <= PUBLISHES; i++)
            {
                final HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create(url + "/events/big-" + (i % TOPICS))).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), "publish " + i + ": " + response.body());
            }
            final long rssAfterPublishing = rss(hub.pid());

            for (int start = 0; start < ABANDONED; start += 50)
            {
                final List<Socket> batch = new ArrayList<>();
                for (int i = start; i < start + 50; i++)
                {
                    final Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    socket.setSoTimeout(10_000);
                    final OutputStream out = socket.getOutputStream();
                    out.write(("GET /events/gone-" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    batch.add(socket);
                }
                for (final Socket socket : batch)
                {
                    final byte[] status = socket.getInputStream().readNBytes(15);
                    assertEquals("HTTP/1.1 200 OK", new String(status, StandardCharsets.US_ASCII));
                    socket.close();
                }
            }

            final String metrics = awaitMetrics(client, url, "\nsseflow_subscribers 0\n");
            assertTrue(metrics.contains("\nsseflow_events_published_total " + PUBLISHES + "\n"), metrics);
            assertTrue(metrics.contains("\nsseflow_topics " + TOPICS + "\n"), metrics);
            final long rssAtEnd = rss(hub.pid());
            System.out.printf("HubMemoryLimitsTest: hub at default flags with -Xmx128m -XX:MaxDirectMemorySize=256m: " +
                "'%s'; %d x 64 KB publishes into %d topics: RSS %.0f MB; then %d abandoned topics: RSS %.0f MB%n",
                budgetLine, PUBLISHES, TOPICS, rssAfterPublishing / 1e6, ABANDONED, rssAtEnd / 1e6);
            assertTrue(hub.isAlive(), "hub still running");
            assertTrue(rssAtEnd < MAX_RSS, "RSS " + rssAtEnd);

            hub.destroy();
            assertTrue(hub.waitFor(15, TimeUnit.SECONDS), "hub stops on SIGTERM");
            final String errors = Files.readString(stderr);
            assertTrue(!errors.contains("Error") && !errors.contains("Exception"), errors);
        }
        finally
        {
            hub.destroyForcibly();
            hub.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(stderr);
        }
    }

    private static String awaitMetrics(final HttpClient client, final String url, final String expected)
        throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final String metrics = client.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.contains(expected) || System.nanoTime() - deadline > 0)
            {
                return metrics;
            }
            Thread.sleep(20);
        }
    }

    private static long rss(final long pid) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
