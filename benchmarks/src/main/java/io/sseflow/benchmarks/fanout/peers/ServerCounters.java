package io.sseflow.benchmarks.fanout.peers;

import java.io.IOException;

/**
 * What the max-rate phase reads of the server under test before and after its measured part: one process, or the
 * sum over the processes of a cluster.
 */
public interface ServerCounters
{
    /**
     * User plus system CPU time so far.
     *
     * @return seconds.
     * @throws IOException if /proc cannot be read.
     */
    double cpuSeconds() throws IOException;

    /**
     * Write-family system calls so far.
     *
     * @return count, or -1 if unavailable.
     */
    long writeSyscalls();
}
