package io.sseflow.server.hub;

import io.sseflow.server.support.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sseflow.server.support.ChildProcess.lastLine;
import static io.sseflow.server.support.ChildProcess.occurrences;
import static io.sseflow.server.support.HubSockets.assertPortClosed;
import static io.sseflow.server.support.HubSockets.readUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 3's fail-stop half: a real heap exhaustion in a small container ({@code -Xmx128m}), where whatever
 * handles the error finds no heap left. It used to end the hub with status 1 and {@code OutOfMemoryError thrown from
 * the UncaughtExceptionHandler} (the failure was reported, then printing the exit line ran out of memory on the main
 * thread). Now, on the server thread ({@value SseHub#HEAP_EXHAUSTION_TOPIC_PROPERTY}) and on another thread
 * ({@value SseHub#THREAD_HEAP_EXHAUSTION_TOPIC_PROPERTY}), the hub ends with status 70, the one-line reason last on
 * stderr, the open stream ended and the port closed.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=HeapExhaustionIT}
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeapExhaustionIT
{
    private static final String LINE = "sseflow: exiting (status 70) because of a fatal error: java.lang.OutOfMemoryError";

    @Test
    void shouldExit70WithItsReasonWhenTheServerThreadExhaustsTheHeap() throws Exception
    {
        exhaustHeapAndExpectExit70(SseHub.HEAP_EXHAUSTION_TOPIC_PROPERTY, "server thread");
    }

    @Test
    void shouldExit70WithItsReasonWhenAnotherThreadExhaustsTheHeap() throws Exception
    {
        exhaustHeapAndExpectExit70(SseHub.THREAD_HEAP_EXHAUSTION_TOPIC_PROPERTY, "another thread");
    }

    @Test
    void shouldExit70WithItsReasonWhenAnotherThreadExhaustsTheHeapOfADurableHub(@TempDir final Path dataDir)
        throws Exception
    {
        exhaustHeapAndExpectExit70(SseHub.THREAD_HEAP_EXHAUSTION_TOPIC_PROPERTY, "another thread, durable hub",
            "--data-dir", dataDir.toString());
    }

    @Test
    void shouldExit70WithItsReasonWhenTheClusteredServiceThreadExhaustsTheHeap(@TempDir final Path dataDir)
        throws Exception
    {
        exhaustHeapAndExpectExit70(io.sseflow.server.cluster.HeapFault.SERVICE_TOPIC_PROPERTY,
            "clustered-service thread, durable hub", "--data-dir", dataDir.toString());
    }

    private static void exhaustHeapAndExpectExit70(final String property, final String where, final String... flags)
        throws Exception
    {
        final boolean publish = io.sseflow.server.cluster.HeapFault.SERVICE_TOPIC_PROPERTY.equals(property);
        final File stderr = File.createTempFile("hub-stderr", ".txt");
        final List<String> arguments = new ArrayList<>(List.of("--port", "0"));
        arguments.addAll(List.of(flags));
        final Process hub = ChildProcess.startHubJar(
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m", "-D" + property + "=hog"),
            ProcessBuilder.Redirect.to(stderr), arguments.toArray(new String[0]));
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr.toPath()));
            try (Socket stream = new Socket("127.0.0.1", port); Socket trigger = new Socket("127.0.0.1", port))
            {
                stream.setSoTimeout(60_000);
                stream.getOutputStream().write(ascii("GET /events/demo HTTP/1.1\r\nHost: x\r\n\r\n"));
                final String head = readUntil(stream.getInputStream(), "\r\n\r\n");
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);

                final long startNs = System.nanoTime();
                trigger.getOutputStream().write(ascii(publish ?
                    "POST /events/hog HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx" :
                    "GET /events/hog HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertTrue(hub.waitFor(60, TimeUnit.SECONDS), "the hub exits after exhausting its heap");
                final long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

                final String errors = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
                System.out.printf("HeapExhaustionIT: heap exhausted on the %s: exit %d %d ms after the request; " +
                    "stderr ends: %s%n", where, hub.exitValue(), exitMs, lastLine(errors));
                assertEquals(SseHub.EXIT_FATAL_ERROR, hub.exitValue(), errors);
                assertTrue(lastLine(errors).startsWith(LINE), errors);
                assertEquals(1, occurrences(errors, "sseflow: exiting"), "one exit line: " + errors);
                assertFalse(errors.contains("thrown from the UncaughtExceptionHandler"), errors);
                assertEquals(-1, readToEnd(stream.getInputStream()), "the open stream ended");
                assertPortClosed(port);
            }
        }
        finally
        {
            ChildProcess.kill(hub);
            Files.deleteIfExists(stderr.toPath());
        }
    }

    private static int readToEnd(final InputStream in) throws IOException
    {
        final byte[] buffer = new byte[8192];
        int read;
        try
        {
            do
            {
                read = in.read(buffer);
            }
            while (read > 0);
        }
        catch (final java.net.SocketException ex)
        {
            return -1;
        }
        return read;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
