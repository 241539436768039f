package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sseflow.server.support.HubSockets.assertPortClosed;
import static io.sseflow.server.support.HubSockets.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub jar started as the README says ({@code java -jar nio-server/target/sseflow-server.jar --port 0}), its
 * start-up line parsed, driven with curl, stopped with SIGTERM; and ended by a fatal error, on the server thread or
 * at start-up, which it prints before exiting with status 70 and its port closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubJarIT
{
    @Test
    void shouldStartFromTheJarAndServeCurl() throws Exception
    {
        assumeTrue(isCurlAvailable(), "curl is not installed: skipping the hub jar test driven by curl");
        final Process hub = ChildProcess.startHubJar(
            List.of(), ProcessBuilder.Redirect.INHERIT, "--port", "0", "--heartbeat-ms", "60000");
        try
        {
            final String url = ChildProcess.awaitListening(hub, null);

            final Process stream = new ProcessBuilder("curl", "-sN", "--max-time", "30", url + "/events/demo").start();
            waitForSubscriber(url);

            assertEquals("1\n", curl("-s", "-X", "POST", "--data-binary", "hello\nworld", url + "/events/demo?event=greet"));
            assertEquals("42\n", curl("-s", "-X", "POST", "-d", "{\"n\":2}", url + "/events/demo?id=42"));
            assertEquals("43\n", curl("-s", "-X", "POST", "--data-binary", "x", url + "/events/demo"));
            assertEquals("404", curl("-s", "-o", "/dev/null", "-w", "%{http_code}", url + "/nope"));
            assertTrue(curl("-s", url + "/").contains("<title>sseflow hub</title>"));
            final String metrics = curl("-s", url + "/metrics");
            assertTrue(metrics.contains("\nsseflow_events_published_total 3\n"), metrics);

            assertTrue(ChildProcess.stop(hub, Duration.ofSeconds(15)), "hub stops on SIGTERM");
            assertTrue(stream.waitFor(15, TimeUnit.SECONDS));
            final String events = new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(
                "event: greet\nid: 1\ndata: hello\ndata: world\n\n" +
                "id: 42\ndata: {\"n\":2}\n\n" +
                "id: 43\ndata: x\n\n",
                events);
            assertEquals(0, stream.exitValue(), "curl saw a clean end of stream");
        }
        finally
        {
            ChildProcess.kill(hub);
        }
    }

    @Test
    void shouldTakeSettingsFromTheEnvironmentAndASecretFileAndPrintItsVersion() throws Exception
    {
        final java.nio.file.Path token = Files.createTempFile("sseflow-publish-token", "");
        Files.writeString(token, "env-T0ken\n");
        final List<String> command = new ArrayList<>(List.of(ChildProcess.javaBinary(), "-jar",
            ChildProcess.hubJar().getPath()));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("SSEFLOW_PORT", "0");
        builder.environment().put("SSEFLOW_PUBLISH_TOKEN_FILE", token.toString());
        final Process hub = builder.start();
        try
        {
            final String url = ChildProcess.awaitListening(hub, null);
            assertEquals("401", curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "x",
                url + "/events/t"), "the token from the file is required");
            assertEquals("1\n", curl("-s", "-X", "POST", "-H", "Authorization: Bearer env-T0ken", "-d", "x",
                url + "/events/t"));
            assertTrue(curl("-s", url + "/metrics").contains("\nsseflow_build_info{version=\""));
        }
        finally
        {
            ChildProcess.stop(hub, Duration.ofSeconds(15));
            Files.deleteIfExists(token);
        }

        final Process version = new ProcessBuilder(ChildProcess.javaBinary(), "-jar", ChildProcess.hubJar().getPath(),
            "--version").start();
        final String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(version.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, version.exitValue());
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(ChildProcess.hubJar()))
        {
            final String manifestVersion = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            assertTrue(manifestVersion.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), manifestVersion);
            assertEquals("sseflow " + manifestVersion + "\n", printed);
        }
    }

    @Test
    void shouldLogOneJsonObjectPerLineWithTheRefusalSummaryAndTheShutdown() throws Exception
    {
        final File stderr = File.createTempFile("sseflow-json-log", ".err");
        final Process hub = ChildProcess.startHubJar(List.of("-Dsseflow.hub.logSummaryMillis=300"),
            ProcessBuilder.Redirect.to(stderr), "--port", "0", "--log-format", "json");
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr.toPath()));
            try (Socket socket = new Socket("127.0.0.1", port))
            {
                socket.getOutputStream().write("BREW /events/t HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                readUntil(socket.getInputStream(), "\r\n\r\n");
            }
            Await.condition(() -> read(stderr).contains("refused 1 in the last"), "the refusal summary",
                Await.DEFAULT_TIMEOUT);
            assertTrue(ChildProcess.stop(hub, Duration.ofSeconds(15)), "hub stops on SIGTERM");
            final List<String> lines = Files.readAllLines(stderr.toPath(), StandardCharsets.UTF_8);
            for (final String line : lines)
            {
                assertTrue(line.matches("\\{\"time\":\"[0-9T:.Z-]+\",\"level\":\"(INFO|WARNING)\"," +
                    "\"logger\":\"io\\.sseflow\\.hub\",\"message\":\".*\"\\}"), line);
            }
            assertTrue(lines.get(0).contains("\"message\":\"sseflow history budget "), lines.toString());
            assertTrue(lines.stream().anyMatch((line) -> line.contains("\"level\":\"WARNING\"") &&
                line.endsWith("s: 1 not_implemented\"}")), lines.toString());
            assertTrue(lines.get(lines.size() - 2).contains("\"message\":\"sseflow: closing: "), lines.toString());
            assertTrue(lines.get(lines.size() - 1).matches(".*\"message\":\"sseflow: closed in \\d+ ms\"}"),
                lines.toString());
        }
        finally
        {
            ChildProcess.kill(hub);
            Files.deleteIfExists(stderr.toPath());
        }
    }

    @Test
    void shouldPrintAFatalErrorOnTheServerThreadAndExit70WithThePortClosed() throws Exception
    {
        final File stderr = File.createTempFile("hub-stderr", ".txt");
        final Process hub = ChildProcess.startHubJar(
            List.of("-D" + SseHub.FATAL_ERROR_TOPIC_PROPERTY + "=boom"), ProcessBuilder.Redirect.to(stderr), "--port", "0");
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, null));

            try (Socket stream = new Socket("127.0.0.1", port); Socket trigger = new Socket("127.0.0.1", port))
            {
                stream.setSoTimeout(15_000);
                stream.getOutputStream().write(ascii("GET /events/demo HTTP/1.1\r\nHost: x\r\n\r\n"));
                final String head = readUntil(stream.getInputStream(), "\r\n\r\n");
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);

                final long startNs = System.nanoTime();
                trigger.getOutputStream().write(ascii("GET /events/boom HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertTrue(hub.waitFor(20, TimeUnit.SECONDS), "the hub exits after a fatal error");
                final long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                assertEquals(SseHub.EXIT_FATAL_ERROR, hub.exitValue());
                assertEquals("", new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    "the open stream ended (EOF) with nothing more");
                assertPortClosed(port);

                final String errors = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
                final String oom = "java.lang.OutOfMemoryError: Requested array size exceeds VM limit";
                final String budgetLine = errors.substring(0, errors.indexOf('\n') + 1);
                assertTrue(budgetLine.startsWith("sseflow history budget "), errors);
                assertTrue(errors.startsWith(budgetLine + oom + "\n\tat io.sseflow.server.hub.FaultInjection"), errors);
                assertTrue(errors.endsWith("sseflow: exiting (status 70) because of a fatal error: " + oom + "\n"), errors);
                System.out.println("HubJarIT: the hub exited with status 70 " + exitMs + " ms after the request that failed it");
            }
        }
        finally
        {
            ChildProcess.kill(hub);
            Files.deleteIfExists(stderr.toPath());
        }
    }

    @Test
    void shouldPrintAnOutOfMemoryErrorAtStartUpAndExit70() throws Exception
    {
        final File stderr = File.createTempFile("hub-stderr", ".txt");
        final Process hub = ChildProcess.startHubJar(
            List.of("-XX:MaxDirectMemorySize=1m"), ProcessBuilder.Redirect.to(stderr), "--port", "0");
        try
        {
            final String stdout = new String(hub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(hub.waitFor(20, TimeUnit.SECONDS), "the hub exits when it cannot allocate its buffers");
            assertEquals(SseHub.EXIT_FATAL_ERROR, hub.exitValue());
            assertEquals("", stdout, "never said it was listening");
            final String errors = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
            final String oom = "java.lang.OutOfMemoryError: Cannot reserve ";
            assertTrue(errors.startsWith(oom), errors);
            assertTrue(errors.contains("\n\tat io.sseflow.server.SseServer.start("), errors);
            assertTrue(errors.contains("\nsseflow: exiting (status 70) because of a fatal error: " + oom), errors);
        }
        finally
        {
            ChildProcess.kill(hub);
            Files.deleteIfExists(stderr.toPath());
        }
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void waitForSubscriber(final String url) throws Exception
    {
        assertEquals(1, Await.until(() -> curl("-s", url + "/metrics").contains("\nsseflow_subscribers 1\n") ? 1 : 0,
            (subscribed) -> subscribed == 1, Await.DEFAULT_TIMEOUT, 20), "curl did not subscribe");
    }

    private static String curl(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add("curl");
        command.add("--max-time");
        command.add("10");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(15, TimeUnit.SECONDS);
        return output;
    }

    private static boolean isCurlAvailable()
    {
        try
        {
            final Process process = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }


    private static String read(final File file)
    {
        try
        {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
