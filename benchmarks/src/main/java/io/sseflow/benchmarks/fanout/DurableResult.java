package io.sseflow.benchmarks.fanout;

import java.util.List;

/**
 * One hub configuration at one subscriber count in the durable scenario.
 *
 * @param configuration which hub.
 * @param leader        the node the publisher sent to (the leader when the phases began), -1 if none was found.
 * @param run           the load phases' result, as the fan-out scenario has it (no stalled readers).
 * @param footprints    each node's RSS and directories after the load phases (empty if not measured).
 * @param failover      the failover phase's result, or null where it did not run.
 */
record DurableResult(
    HubConfiguration configuration,
    int leader,
    RunResult run,
    List<NodeFootprint> footprints,
    FailoverResult failover)
{
    /**
     * Subscribers on each node: subscriber {@code i} is on node {@code i % nodes}.
     *
     * @return counts in node order.
     */
    int[] subscribersPerNode()
    {
        final int nodes = configuration.nodes();
        final int[] counts = new int[nodes];
        for (int k = 0; k < nodes; k++)
        {
            counts[k] = (run.subscribers() - k + nodes - 1) / nodes;
        }
        return counts;
    }
}
