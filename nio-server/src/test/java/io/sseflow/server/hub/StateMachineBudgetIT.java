package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.RawHttp;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 4 against the hub jar: a single durable node at {@code -Xmx96m} is fed 96 MB of retained-size events
 * (1,600 of 60,000 bytes over 20 topics, each topic under {@code --history}), more than its heap, which the state
 * machine used to retain whole (an {@code OutOfMemoryError} in the clustered service, then exit 70, and the same on
 * every restart). It stays up and retains exactly the newest events within {@code --history-total-bytes} (16 MiB):
 * {@code sseflow_cluster_retained_bytes} within the budget and one event more would not fit, the newest retained id
 * a retry (no new seq), the newest evicted one appended again; restarted (SIGKILL, then a replay of the log after its
 * last snapshot) it comes back without running out of heap, with the same retained set.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StateMachineBudgetIT
{
    private static final List<String> JVM = List.of("-Xmx96m", "-XX:+UseSerialGC");
    private static final long BUDGET = 16L * 1024 * 1024;
    private static final int EVENTS = 1_600;
    private static final int TOPICS = 20;
    private static final String BODY = "x".repeat(60_000);
    private static final Duration READY = Duration.ofSeconds(60);

    private final File dataDir = tempDir();
    private final File stderr = tempFile();
    private Process hub;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != hub)
        {
            ChildProcess.kill(hub);
        }
        IoUtil.delete(dataDir, true);
        IoUtil.delete(new File(ClusterSettings.singleNode(dataDir, 1).aeronDirectoryName()), true);
    }

    @Test
    void shouldRetainTheNewestEventsWithinTheByteBudgetAndReplayIntoTheSameAfterARestart() throws Exception
    {
        int port = start();
        final long startedAt = System.nanoTime();
        for (int i = 1; i <= EVENTS; i++)
        {
            assertEquals("e-" + i + "\n", publish(port, i), "publish " + i);
        }
        final long feedMs = (System.nanoTime() - startedAt) / 1_000_000;
        final String fed = RawHttp.metrics(port);
        final long retainedBytes = gauge(fed, "sseflow_cluster_retained_bytes");
        final long retained = gauge(fed, "sseflow_cluster_retained_events");
        final long cost = retainedBytes / retained;
        System.out.println("state machine budget at -Xmx96m: " + EVENTS + " events (" + EVENTS * (long)BODY.length() /
            1_000_000 + " MB) fed in " + feedMs + " ms; retained " + retained + " events, " + retainedBytes +
            " B of " + BUDGET + " (" + cost + " B each); snapshots " + gauge(fed, "sseflow_cluster_snapshots_total"));
        System.out.println("heap after a full GC: " + heapUsed(hub));
        assertEquals(EVENTS, gauge(fed, "sseflow_cluster_applied_seq"));
        assertEquals(retained * cost, retainedBytes, "every event the same size");
        assertTrue(retainedBytes <= BUDGET && retainedBytes + cost > BUDGET,
            "the newest that fit the budget: " + retained + " x " + cost + " B");
        assertTrue(retained > TOPICS && retained < EVENTS / 4, "retained " + retained);

        ChildProcess.kill(hub);
        final long killedAt = System.nanoTime();
        port = start();
        final long restartMs = (System.nanoTime() - killedAt) / 1_000_000;
        final String restarted = RawHttp.metrics(port);
        System.out.println("restarted (log replayed) and ready in " + restartMs + " ms; retained " +
            gauge(restarted, "sseflow_cluster_retained_events") + " events, " +
            gauge(restarted, "sseflow_cluster_retained_bytes") + " B");
        System.out.println("heap after a full GC: " + heapUsed(hub));
        assertEquals(EVENTS, gauge(restarted, "sseflow_cluster_applied_seq"));
        assertEquals(retainedBytes, gauge(restarted, "sseflow_cluster_retained_bytes"));
        assertEquals(retained, gauge(restarted, "sseflow_cluster_retained_events"));

        final int oldestRetained = EVENTS - (int)retained + 1;
        assertEquals("e-" + oldestRetained + "\n", publish(port, oldestRetained), "the oldest retained id, retried");
        assertEquals(EVENTS, gauge(RawHttp.metrics(port), "sseflow_cluster_applied_seq"), "a retry: not appended");
        assertEquals("e-" + (oldestRetained - 1) + "\n", publish(port, oldestRetained - 1), "the newest evicted id");
        final String after = RawHttp.metrics(port);
        assertEquals(EVENTS + 1, gauge(after, "sseflow_cluster_applied_seq"), "evicted: appended again");
        assertEquals(retainedBytes, gauge(after, "sseflow_cluster_retained_bytes"));
        final String log = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
        assertTrue(!log.contains("OutOfMemoryError") && !log.contains("exiting (status"), log);
        assertTrue(log.contains("sseflow cluster history budget 16 MiB on the heap (--history-total-bytes; 1024 " +
            "events per topic, 10000 topics): every member must run with the same"), log);
    }

    private int start() throws IOException
    {
        hub = ChildProcess.startHubJar(JVM, ProcessBuilder.Redirect.appendTo(stderr),
            "--port", "0", "--data-dir", dataDir.getPath(), "--history-total-bytes", Long.toString(BUDGET),
            "--snapshot-events", "1000");
        final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr.toPath()));
        Await.condition(() -> isReady(port), "hub ready (stderr: " + stderr + ")", READY);
        return port;
    }

    private static String publish(final int port, final int i) throws IOException
    {
        final String answer = RawHttp.post(port, "/events/t" + i % TOPICS + "?id=e-" + i, BODY);
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
        return RawHttp.body(answer);
    }

    /**
     * What {@code jcmd PID GC.heap_info} says is used after {@code jcmd PID GC.run}, for the figures.
     */
    private static String heapUsed(final Process process) throws Exception
    {
        final String jcmd = new File(new File(ChildProcess.javaBinary()).getParentFile(), "jcmd").getPath();
        run(jcmd, Long.toString(process.pid()), "GC.run");
        final String info = run(jcmd, Long.toString(process.pid()), "GC.heap_info");
        final Matcher generation = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        long total = 0;
        long used = 0;
        while (generation.find())
        {
            total += Long.parseLong(generation.group(1));
            used += Long.parseLong(generation.group(2));
        }
        return 0 == total ? info : used / 1024 + " MiB used of " + total / 1024 + " MiB";
    }

    private static String run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    private static boolean isReady(final int port)
    {
        try
        {
            return RawHttp.status(RawHttp.get(port, "/readyz", "Connection: close")).equals("HTTP/1.1 200 OK");
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static long gauge(final String metrics, final String name)
    {
        final Matcher matcher = Pattern.compile("\n" + name + " (-?\\d+)\n").matcher(metrics);
        assertTrue(matcher.find(), name + " in " + metrics);
        return Long.parseLong(matcher.group(1));
    }

    private static File tempDir()
    {
        try
        {
            return Files.createTempDirectory("sseflow-budget-").toFile();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static File tempFile()
    {
        try
        {
            return File.createTempFile("sseflow-budget-", ".stderr");
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
