package io.sseflow.benchmarks.fanout;

/**
 * What {@link StalledReadersPhase} measured: the readers' max rate and latency while some connections stopped
 * reading, the server's memory before and after, and what became of the stalled connections.
 *
 * @param connections            connections that stopped reading.
 * @param receiveBuffer          their {@code SO_RCVBUF} in bytes.
 * @param maxRate                readers' max-rate phase (null if it did not run).
 * @param latency                readers' fixed-rate phase (null if it did not run).
 * @param eventsPublished        events published while they were stalled.
 * @param heapBefore             server heap after GC just before the stall (bytes, 0 if not measured).
 * @param heapAfter              the same after both phases.
 * @param rssBefore              server RSS just before the stall.
 * @param rssAfter               the same after both phases.
 * @param kernelQueueBytes       bytes in the server's kernel send queues after both phases (-1 if unknown).
 * @param kernelQueueConnections connections with bytes in their send queue.
 * @param dropped                stalled connections the server ended or reset.
 * @param caughtUp               stalled connections kept that, read again, caught up.
 * @param gaps                   stalled connections that skipped events without being disconnected.
 * @param firstDrop              how the first dropped connection ended, or null.
 */
record StalledResult(
    int connections,
    int receiveBuffer,
    MaxRateResult maxRate,
    LatencyResult latency,
    long eventsPublished,
    long heapBefore,
    long heapAfter,
    long rssBefore,
    long rssAfter,
    long kernelQueueBytes,
    int kernelQueueConnections,
    int dropped,
    int caughtUp,
    int gaps,
    String firstDrop)
{
    /**
     * Were the server's memory and the stalled connections measured after both phases.
     *
     * @return true if before and after are both known.
     */
    boolean memoryMeasured()
    {
        return connections > 0 && heapBefore > 0 && heapAfter > 0;
    }
}
