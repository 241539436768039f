package io.sseflow.benchmarks.fanout;

import org.HdrHistogram.Histogram;

/**
 * What {@link FixedRatePhase} measured: publish-to-receive latency of every delivery to a checked subscriber, in
 * nanoseconds, read from the load client's interval histogram.
 *
 * @param achievedEventsPerSecond events published per second (below the target if POSTs were answered slowly).
 * @param count                   deliveries recorded.
 * @param p50Ns                   median.
 * @param p99Ns                   99th percentile.
 * @param p999Ns                  99.9th percentile.
 * @param maxNs                   largest.
 * @param publishLagMaxNs         furthest the publisher fell behind its schedule.
 * @param nextSequence            sequence of the next event to publish.
 */
record LatencyResult(
    double achievedEventsPerSecond,
    long count,
    long p50Ns,
    long p99Ns,
    long p999Ns,
    long maxNs,
    long publishLagMaxNs,
    long nextSequence)
{
    /**
     * Summarise a histogram.
     *
     * @param achievedEventsPerSecond events published per second.
     * @param latency                 recorded latencies in nanoseconds.
     * @param publishLagMaxNs         furthest the publisher fell behind.
     * @param nextSequence            sequence of the next event to publish.
     * @return the result.
     */
    static LatencyResult of(
        final double achievedEventsPerSecond,
        final Histogram latency,
        final long publishLagMaxNs,
        final long nextSequence)
    {
        final long count = latency.getTotalCount();
        return new LatencyResult(achievedEventsPerSecond, count,
            count == 0 ? 0 : latency.getValueAtPercentile(50), count == 0 ? 0 : latency.getValueAtPercentile(99),
            count == 0 ? 0 : latency.getValueAtPercentile(99.9), count == 0 ? 0 : latency.getMaxValue(),
            publishLagMaxNs, nextSequence);
    }

    /**
     * Was any delivery recorded.
     *
     * @return true if the percentiles are measured.
     */
    boolean measured()
    {
        return count > 0;
    }
}
