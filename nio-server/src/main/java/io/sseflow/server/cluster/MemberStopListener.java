package io.sseflow.server.cluster;

/**
 * Told once, on the watchdog's thread, that this node's cluster member stopped by itself; never after
 * {@link ClusterNode#close()} began.
 */
@FunctionalInterface
public interface MemberStopListener
{
    /**
     * @param stop   how it stopped.
     * @param reason one line saying what stopped and why.
     */
    void onMemberStopped(MemberStop stop, String reason);
}
