package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.peers.ServerCounters;
import io.sseflow.benchmarks.fanout.peers.ServerProcess;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Maximum rate: publish as fast as the slowest reading subscriber allows (at most a window of events ahead of it),
 * warm up, then count deliveries/s and CPU over the measured part including the final drain. The load client's
 * select rounds are spaced ({@code --read-interval-us}) so that each read takes many events.
 */
final class MaxRatePhase
{
    private static final boolean TRACE = Boolean.getBoolean("fanout.trace");

    private final FanOutSettings settings;

    /**
     * @param settings the run's settings.
     */
    MaxRatePhase(final FanOutSettings settings)
    {
        this.settings = settings;
    }

    /**
     * Run the phase.
     *
     * @param server      the server's process (or a cluster's processes), for its CPU and write syscalls.
     * @param client      the load client.
     * @param publisher   the publisher.
     * @param subscribers subscriber count (the window is in events: deliveries bound over this).
     * @param runDeadline the run's time limit ({@link System#nanoTime()}).
     * @param expected    deliveries due per event published.
     * @return what was measured; {@link MaxRateResult#notMeasured} if the measured part was not reached.
     * @throws IOException if the publisher fails or the server's counters cannot be read.
     */
    MaxRateResult run(
        final ServerCounters server,
        final SseLoadClient client,
        final HttpPublisher publisher,
        final int subscribers,
        final long runDeadline,
        final Expected expected) throws IOException
    {
        final long window = Math.max(4, Math.min(settings.history / 4, settings.windowDeliveries / subscribers));
        final int maxBatch = publisher.maxBatch();
        final long start = System.nanoTime();
        final long measureFrom = start + TimeUnit.SECONDS.toNanos(settings.warmupSeconds);
        final long end = Math.min(measureFrom + TimeUnit.SECONDS.toNanos(settings.measureSeconds), runDeadline);
        long sequence = expected.fromSequence();
        boolean measuring = false;
        long lastTrace = 0;
        long t0 = start;
        long delivered0 = 0;
        double cpu0 = server.cpuSeconds();
        double clientCpu0 = selfCpuSeconds();
        double machine0 = ServerProcess.machineBusySeconds();
        long writes0 = server.writeSyscalls();
        client.readInterval(TimeUnit.MICROSECONDS.toNanos(settings.maxRateReadIntervalMicros));
        while (client.failures() == 0)
        {
            final long now = System.nanoTime();
            if (!measuring && now - measureFrom >= 0)
            {
                measuring = true;
                t0 = now;
                delivered0 = client.delivered();
                cpu0 = server.cpuSeconds();
                clientCpu0 = selfCpuSeconds();
                machine0 = ServerProcess.machineBusySeconds();
                writes0 = server.writeSyscalls();
            }
            if (now - end >= 0)
            {
                break;
            }
            if (TRACE && now - lastTrace > 500_000_000L)
            {
                lastTrace = now;
                System.out.printf(Locale.ROOT, "    trace: published %d, slowest at %d, mean at %d, server CPU %.2f s%n",
                    sequence, client.slowestExpected(), client.delivered() / subscribers, server.cpuSeconds());
                if (expected.perEvent() < subscribers)
                {
                    System.out.printf(Locale.ROOT, "    trace: stalled connections dropped %d%n",
                        client.stalled().dropped());
                }
            }
            final long room = window - (sequence - client.slowestExpected());
            if (room <= 0)
            {
                LockSupport.parkNanos(20_000);
                continue;
            }
            final int batch = (int)Math.min(room, maxBatch);
            publisher.publish(sequence, batch);
            sequence += batch;
        }
        Await.drain(client, expected.at(sequence), settings);
        final long t1 = System.nanoTime();
        final double cpu1 = server.cpuSeconds();
        final double clientCpu1 = selfCpuSeconds();
        final double machine1 = ServerProcess.machineBusySeconds();
        final long writes1 = server.writeSyscalls();
        client.readInterval(0);
        if (!measuring)
        {
            return MaxRateResult.notMeasured(sequence);
        }
        final double seconds = (t1 - t0) / 1e9;
        final long deliveries = client.delivered() - delivered0;
        final double deliveriesPerSecond = deliveries / seconds;
        return new MaxRateResult(
            window,
            deliveriesPerSecond,
            deliveriesPerSecond / expected.perEvent(),
            deliveries == 0 ? Double.NaN : (cpu1 - cpu0) / (deliveries / 1e6),
            (cpu1 - cpu0) / seconds,
            deliveries == 0 ? Double.NaN : (clientCpu1 - clientCpu0) / (deliveries / 1e6),
            ((machine1 - machine0) - (cpu1 - cpu0) - (clientCpu1 - clientCpu0)) / seconds,
            writes0 < 0 || writes1 == writes0 || deliveries == 0 ? Double.NaN : (double)(writes1 - writes0) / deliveries,
            sequence);
    }

    private static double selfCpuSeconds() throws IOException
    {
        return ServerProcess.cpuSeconds(ProcessHandle.current().pid());
    }
}
