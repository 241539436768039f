package io.sseflow.benchmarks.fanout;

import java.util.List;

/**
 * What {@link FailoverPhase} measured, one entry per repetition that reached its kill.
 *
 * @param stallsMs        kill -9 of the leader to the first event published after it read on a surviving node, ms.
 * @param rejoinsMs       restart of the killed node on its data dir to its {@code /readyz} 200, ms.
 * @param eventsChecked   events every surviving watcher received exactly once, in order, over all repetitions.
 * @param retries         publishes sent again to another node.
 * @param failure         the first problem (an event lost or repeated, no new leader in time), or null.
 */
record FailoverResult(List<Double> stallsMs, List<Double> rejoinsMs, long eventsChecked, int retries, String failure)
{
    /**
     * The stalls sorted, for the median and the extremes.
     *
     * @return ascending.
     */
    List<Double> sortedStalls()
    {
        return stallsMs.stream().sorted().toList();
    }

    /**
     * The median stall (the mean of the middle two for an even count).
     *
     * @return ms, NaN if none was measured.
     */
    double medianStallMs()
    {
        final List<Double> sorted = sortedStalls();
        if (sorted.isEmpty())
        {
            return Double.NaN;
        }
        final int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
