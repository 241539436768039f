package io.sseflow.benchmarks.fanout;

/**
 * What {@link MaxRatePhase} measured over its measured part, final drain included. Utilisations are fractions of one
 * core; NaN where nothing was measured.
 *
 * @param window                     events the publisher stayed at most ahead of the slowest reading subscriber.
 * @param deliveriesPerSecond        deliveries to the checked subscribers per second.
 * @param eventsPerSecond            the same per subscriber: events per second.
 * @param serverCpuSecondsPerMillion server CPU seconds per million deliveries.
 * @param serverCpuUtilisation       server CPU over the phase.
 * @param clientCpuSecondsPerMillion this (load) process's CPU seconds per million deliveries.
 * @param otherCpuUtilisation        CPU of every other process on the machine.
 * @param writesPerDelivery          server write syscalls per delivery (NaN where the server uses sendmsg).
 * @param nextSequence               sequence of the next event to publish.
 */
record MaxRateResult(
    long window,
    double deliveriesPerSecond,
    double eventsPerSecond,
    double serverCpuSecondsPerMillion,
    double serverCpuUtilisation,
    double clientCpuSecondsPerMillion,
    double otherCpuUtilisation,
    double writesPerDelivery,
    long nextSequence)
{
    /**
     * The phase ended before its measured part began (a failure or the run's time limit).
     *
     * @param nextSequence sequence of the next event to publish.
     * @return a result with nothing measured.
     */
    static MaxRateResult notMeasured(final long nextSequence)
    {
        return new MaxRateResult(0, 0, 0, Double.NaN, 0, Double.NaN, 0, Double.NaN, nextSequence);
    }

    /**
     * Was the measured part reached.
     *
     * @return true if the rates are measured.
     */
    boolean measured()
    {
        return deliveriesPerSecond > 0;
    }
}
