package io.sseflow.benchmarks.fanout;

/**
 * A hub node's role as its {@code /metrics} says: the {@code sseflow_cluster_role} gauge (0 follower, 1 candidate,
 * 2 leader; a single durable node is its own leader), absent on an in-memory hub.
 */
enum ClusterRole
{
    /** The gauge is 0. */
    FOLLOWER,
    /** The gauge is 1: an election is under way. */
    CANDIDATE,
    /** The gauge is 2: this node sequences the events. */
    LEADER,
    /** No gauge: the hub keeps its history in memory and is alone. */
    NOT_CLUSTERED;

    private static final String GAUGE = "sseflow_cluster_role";

    /**
     * Read the role from a {@code /metrics} body (Prometheus text format).
     *
     * @param metrics the body.
     * @return the role, {@link #NOT_CLUSTERED} if the gauge is absent.
     * @throws IllegalArgumentException if the gauge has a value other than 0, 1 or 2.
     */
    static ClusterRole of(final String metrics)
    {
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(GAUGE) && line.length() > GAUGE.length() && line.charAt(GAUGE.length()) == ' ')
            {
                final String value = line.substring(GAUGE.length() + 1).trim();
                switch (value)
                {
                    case "0":
                        return FOLLOWER;
                    case "1":
                        return CANDIDATE;
                    case "2":
                        return LEADER;
                    default:
                        throw new IllegalArgumentException(GAUGE + " is not 0, 1 or 2: '" + value + "'");
                }
            }
        }
        return NOT_CLUSTERED;
    }
}
