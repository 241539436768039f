package io.sseflow.server.cluster;

/**
 * How this node's cluster member stopped without being asked to by {@link ClusterNode#close()}: either way it can no
 * longer order publishes, so the process should end (the hub does), and a supervisor decides whether to start it
 * again.
 */
public enum MemberStop
{
    /**
     * Something failed: a component terminated unexpectedly, an Aeron client timed out (a pause of
     * {@link ClusterNode#DRIVER_TIMEOUT_MS} or more), an agent thread ended, or an agent stopped doing work. A
     * restarted node on the same data dir catches up by itself.
     */
    FAILED,

    /**
     * The cluster was shut down deliberately ({@code ClusterControl} SHUTDOWN or ABORT, e.g. by {@code ClusterTool}):
     * the consensus module terminated as asked, with no error.
     */
    SHUT_DOWN,

    /**
     * The member must not go on as it is, and says why (exit 2): its data dir is empty but another member has
     * cluster history, found while it waited to learn whether the cluster is new ({@link JoinRule}), so it must be
     * restored from the leader; or its settings differ from the cluster's (the state machine's limits, which decide
     * what is retained), so its decisions would differ from the other members' (the reason names the setting, its
     * value here and the cluster's). Starting it again unchanged would be refused again.
     */
    REFUSED
}
