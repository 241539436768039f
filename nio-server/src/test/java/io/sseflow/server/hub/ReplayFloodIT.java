package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import io.sseflow.server.support.CpuSplit;
import io.sseflow.server.support.KernelQueues;
import io.sseflow.server.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 17, item 5: slow readers replaying a large history fill the kernel's send queues. The hub jar at its default
 * flags in a small container ({@code -Xmx128m -XX:MaxDirectMemorySize=256m}) holds an 8 MiB history on a topic that
 * gets no new events; 1,000 readers from one address ({@code 127.0.2.1}, the per-address limit) ask for all of it
 * ({@code Last-Event-ID: 0}) and never read. Their send queues together must stay within 256 MiB (the sum of
 * {@code tx_queue} of the hub's sockets, sampled every 50 ms), they must all be dropped as slow consumers once the
 * drain timeout (30 s) has passed, freeing the queues, and the {@link ControlProbe} beside them must stay unaffected.
 * The host's TCP memory ({@code /proc/net/sockstat}, both ends of every loopback connection) is printed too.
 * <p>
 * The target for everyone else is "within 2× of the quiet figure". The hub runs on half the CPUs and this
 * JVM (the readers and the probe) on the other half ({@link CpuSplit}), as an attacker on another machine would be,
 * and the quiet figure is taken by a probe on the same hub for {@code QUIET_MILLIS} before the attack, while this
 * test samples {@code /proc} and reads {@code /metrics} as it does during the attack; the test prints both and their
 * ratio. It asserts the hard bound (under 1 s); the ratio is a measured figure (the
 * README's), not an assertion: a timed assertion of a few milliseconds would fail on a busy CI machine.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ReplayFloodIT} ({@code -Dsseflow.it.replayReaders=N} for another number of readers; the bound scales).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplayFloodIT
{
    private static final int READERS = Integer.getInteger("sseflow.it.replayReaders", 1000);
    private static final int EVENTS = 140;
    private static final int DATA_BYTES = 60_000;
    private static final long SEND_QUEUE_LIMIT = (256L << 20) * READERS / 1000;
    private static final long SAMPLE_MILLIS = 50;
    /**
     * As long as the attack's window (connecting, then the 30 s drain timeout), so that the worst of each is a worst of
     * about as many samples.
     */
    private static final long QUIET_MILLIS = 32_000;

    private long peakSendQueue;
    private long peakHostTcp;

    @Test
    void shouldHoldAThousandStalledReplaysWithinTheKernelBoundAndDropThemAfterTheDrainTimeout() throws Exception
    {
        assumeTrue(KernelQueues.readable(), "needs Linux /proc/net/tcp and /proc/net/sockstat");
        final Path stderr = Files.createTempFile("sseflow-replay-flood", ".err");
        final CpuSplit cpus = CpuSplit.pinTestToLowerHalf();
        final Process hub = ChildProcess.startHubJar(cpus.hubCommandPrefix(),
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0");
        final List<SocketChannel> readers = new ArrayList<>();
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            final String data = "h".repeat(DATA_BYTES);
            for (int i = 1; i <= EVENTS; i++)
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.post(port, "/events/archive", data)), "publish " + i);
            }
            final long hostBefore = KernelQueues.hostTcpMemoryBytes();
            final long queueBefore = KernelQueues.sendQueueBytes(port);

            // the quiet figure under the same measuring as the attack's: /proc sampled, /metrics read every 250 ms
            final ControlProbe quietProbe = ControlProbe.start(port, 60_000);
            sampleUntil(port, () -> gauge(port, "sseflow_subscribers") < 0, Duration.ofMillis(QUIET_MILLIS));
            quietProbe.close();
            final ControlProbe.Figures quiet = quietProbe.assertUnaffected(1_000, "quiet");
            System.out.println("ReplayFloodIT: quiet, " + cpus.describe() + ": " + quiet);

            final long[] cyclesBefore = cycleBuckets(port);
            final ControlProbe probe = ControlProbe.start(port, 180_000);
            final byte[] replay = "GET /events/archive HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
            final long startNs = System.nanoTime();
            for (int i = 0; i < READERS; i++)
            {
                final SocketChannel reader = SocketChannel.open();
                readers.add(reader);
                reader.bind(new InetSocketAddress("127.0.2.1", 0));
                reader.connect(new InetSocketAddress("127.0.0.1", port));
                reader.write(ByteBuffer.wrap(replay));
                if (i % 50 == 0)
                {
                    sample(port);
                }
            }
            sampleUntil(port, () -> gauge(port, "sseflow_subscribers") == READERS + 1, Duration.ofSeconds(30));
            final long connectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            sampleUntil(port, () -> false, Duration.ofSeconds(3));
            final long queueStalled = peakSendQueue;
            final long hostStalled = peakHostTcp;
            System.out.println("ReplayFloodIT: while the replays were stalled: " + probe.figures());
            System.out.println("ReplayFloodIT: the hub's duty cycles since the burst began: " +
                cyclesOver(cyclesBefore, cycleBuckets(port)));

            sampleUntil(port, () -> gauge(port, "sseflow_slow_consumers_dropped_total") >= READERS,
                Duration.ofSeconds(90));
            final long droppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            final long queueAfter = Await.until(() -> KernelQueues.sendQueueBytes(port),
                (bytes) -> bytes <= 1024 * 1024, Await.DEFAULT_TIMEOUT, 50);
            final long hostAfter = KernelQueues.hostTcpMemoryBytes();
            probe.close();

            System.out.printf("ReplayFloodIT: %d readers replaying %d x %d B from one address: hub send queues " +
                    "%.1f MiB before, peak %.1f MiB (%.1f KiB each), %.1f MiB after the drop; host TCP memory " +
                    "%.1f MiB before, peak %.1f MiB, %.1f MiB after; all subscribed in %d ms, all dropped %d ms " +
                    "after the first connected%n",
                READERS, EVENTS, DATA_BYTES, mib(queueBefore), mib(queueStalled), queueStalled / 1024.0 / READERS,
                mib(queueAfter), mib(hostBefore), mib(hostStalled), mib(hostAfter), connectedMs, droppedMs);
            final ControlProbe.Figures figures = probe.assertUnaffected(1_000, READERS + " stalled replays");
            System.out.println("ReplayFloodIT: " + figures);
            System.out.printf("ReplayFloodIT: against the quiet figure (%s): worst delivery %.1fx, worst /healthz " +
                    "%.1fx; p99 delivery %.1fx, p99 /healthz %.1fx%n", cpus.describe(),
                figures.worstDeliveryMillis() / quiet.worstDeliveryMillis(),
                figures.worstHealthMillis() / quiet.worstHealthMillis(),
                figures.p99DeliveryMillis() / quiet.p99DeliveryMillis(),
                figures.p99HealthMillis() / quiet.p99HealthMillis());

            assertTrue(queueStalled <= SEND_QUEUE_LIMIT,
                "hub send queues " + queueStalled + " B, over " + SEND_QUEUE_LIMIT + " B for " + READERS + " readers");
            assertEquals(READERS, gauge(port, "sseflow_slow_consumers_dropped_total"), "every stalled reader dropped");
            assertEquals(0, gauge(port, "sseflow_subscribers"), "no stream left");
            assertTrue(hub.isAlive(), "the hub is still up");
        }
        finally
        {
            for (final SocketChannel reader : readers)
            {
                reader.close();
            }
            ChildProcess.stop(hub, Duration.ofSeconds(10));
            cpus.close();
            Files.deleteIfExists(stderr);
        }
    }

    private void sampleUntil(final int port, final BooleanSupplier done, final Duration timeout) throws IOException
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        long nextCheckNs = 0;
        while (System.nanoTime() - deadlineNs < 0)
        {
            sample(port);
            if (System.nanoTime() - nextCheckNs >= 0)
            {
                if (done.getAsBoolean())
                {
                    return;
                }
                nextCheckNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
            }
            Await.pause(SAMPLE_MILLIS);
        }
    }

    private void sample(final int port) throws IOException
    {
        peakSendQueue = Math.max(peakSendQueue, KernelQueues.sendQueueBytes(port));
        peakHostTcp = Math.max(peakHostTcp, KernelQueues.hostTcpMemoryBytes());
    }

    private static long gauge(final int port, final String name)
    {
        final String metrics;
        try
        {
            metrics = RawHttp.metrics(port);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("GET /metrics: " + ex, ex);
        }
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in " + metrics);
    }

    private static final String[] CYCLE_LABELS = {"0.001", "0.0025", "0.005", "0.01", "0.025", "+Inf"};

    /**
     * The cumulative counts of {@code sseflow_agent_cycle_seconds} at 1, 2.5, 5, 10 and 25 ms and in all.
     */
    private static long[] cycleBuckets(final int port) throws IOException
    {
        final long[] counts = new long[CYCLE_LABELS.length];
        for (final String line : RawHttp.metrics(port).split("\n"))
        {
            for (int i = 0; i < CYCLE_LABELS.length; i++)
            {
                final String prefix = "sseflow_agent_cycle_seconds_bucket{le=\"" + CYCLE_LABELS[i] + "\"} ";
                if (line.startsWith(prefix))
                {
                    counts[i] = Long.parseLong(line.substring(prefix.length()).trim());
                }
            }
        }
        return counts;
    }

    private static String cyclesOver(final long[] before, final long[] after)
    {
        final int all = CYCLE_LABELS.length - 1;
        final long total = after[all] - before[all];
        final StringBuilder text = new StringBuilder().append(total).append(" that did work");
        for (int i = 0; i < all; i++)
        {
            text.append(", ").append(total - (after[i] - before[i])).append(" over ")
                .append(Double.parseDouble(CYCLE_LABELS[i]) * 1000).append(" ms");
        }
        return text.toString();
    }

    private static double mib(final long bytes)
    {
        return bytes / 1048576.0;
    }
}
