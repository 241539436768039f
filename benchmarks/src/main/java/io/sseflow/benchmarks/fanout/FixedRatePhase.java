package io.sseflow.benchmarks.fanout;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed rate ({@code --fixed-rate}, default 100 events/s, for {@code --fixed-s}): one event per period, stamped just
 * before its POST is written; the load client records the publish-to-receive latency of every delivery to a
 * checked subscriber into its {@link org.HdrHistogram.SingleWriterRecorder} (written by the client thread only),
 * and this phase takes the interval histogram once the events are drained. Stops at twice its planned time.
 */
final class FixedRatePhase
{
    private final FanOutSettings settings;

    /**
     * @param settings the run's settings.
     */
    FixedRatePhase(final FanOutSettings settings)
    {
        this.settings = settings;
    }

    /**
     * Run the phase.
     *
     * @param client    the load client.
     * @param publisher the publisher.
     * @param expected  deliveries due per event published; its first sequence is the phase's first event.
     * @param first     sequence of the first event.
     * @return latency and achieved rate.
     * @throws IOException if the publisher fails.
     */
    LatencyResult run(
        final SseLoadClient client,
        final HttpPublisher publisher,
        final Expected expected,
        final long first) throws IOException
    {
        final long periodNs = 1_000_000_000L / settings.fixedRate;
        final long count = (long)settings.fixedRate * settings.fixedSeconds;
        client.startLatency();
        long sequence = first;
        final long start = System.nanoTime();
        long maxLagNs = 0;
        final long stopAt = start + TimeUnit.SECONDS.toNanos(2L * settings.fixedSeconds);
        long published = 0;
        for (long i = 0; i < count && client.failures() == 0 && System.nanoTime() - stopAt < 0; i++)
        {
            final long due = start + i * periodNs;
            long now;
            while ((now = System.nanoTime()) - due < 0)
            {
                LockSupport.parkNanos(due - now);
            }
            maxLagNs = Math.max(maxLagNs, now - due);
            publisher.publish(sequence++, 1);
            published++;
        }
        final double achieved = published / ((System.nanoTime() - start) / 1e9);
        Await.drain(client, expected.at(sequence), settings);
        final Histogram latency = client.stopLatency();
        return LatencyResult.of(achieved, latency, maxLagNs, sequence);
    }
}
