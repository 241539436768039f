package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.peers.ServerProcess;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Stalled readers ({@code --stalled-percent P}): the server's heap after GC and RSS, then P% of the connections
 * (spread evenly; opened with a small {@code SO_RCVBUF}) stop reading entirely, and the max-rate and fixed-rate
 * phases run again with only the readers checked and holding the publisher back; heap, RSS and kernel send queues
 * again; finally the stalled connections are read again to count the ones the server dropped (end of stream or
 * reset) and the ones it kept (they catch up). A dropped stalled connection is counted, never a failure.
 */
final class StalledReadersPhase
{
    private final FanOutSettings settings;
    private final MaxRatePhase maxRate;
    private final FixedRatePhase fixedRate;

    /**
     * @param settings  the run's settings.
     * @param maxRate   the max-rate phase to run again.
     * @param fixedRate the fixed-rate phase to run again.
     */
    StalledReadersPhase(final FanOutSettings settings, final MaxRatePhase maxRate, final FixedRatePhase fixedRate)
    {
        this.settings = settings;
        this.maxRate = maxRate;
        this.fixedRate = fixedRate;
    }

    /**
     * Run the phase.
     *
     * @param server      the server's process.
     * @param client      the load client.
     * @param publisher   the publisher.
     * @param subscribers subscriber count.
     * @param runDeadline the run's time limit.
     * @param expected    deliveries due per event from the stall on (the readers only).
     * @return what was measured; its phases are null if the client could not stall its connections.
     * @throws IOException if the publisher fails or the server cannot be measured.
     */
    StalledResult run(
        final ServerProcess server,
        final SseLoadClient client,
        final HttpPublisher publisher,
        final int subscribers,
        final long runDeadline,
        final Expected expected) throws IOException
    {
        final long phaseTimeoutNs = TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds);
        final int connections = client.stalled().count();
        final long heapBefore = server.heapUsedAfterGc();
        final long rssBefore = server.rssBytes();
        if (!client.stall(phaseTimeoutNs))
        {
            return new StalledResult(connections, settings.stalledReceiveBuffer, null, null, 0, heapBefore, 0,
                rssBefore, 0, -1, 0, 0, 0, 0, null);
        }
        final MaxRateResult rate = maxRate.run(server, client, publisher, subscribers, runDeadline, expected);
        long sequence = rate.nextSequence();
        LatencyResult latency = null;
        if (client.failures() == 0)
        {
            latency = fixedRate.run(client, publisher, expected, sequence);
            sequence = latency.nextSequence();
        }
        long kernelQueueBytes = -1;
        int kernelQueueConnections = 0;
        long heapAfter = 0;
        long rssAfter = 0;
        if (server.isAlive())
        {
            final long[] queued = server.kernelSendQueue(1);
            if (queued != null)
            {
                kernelQueueBytes = queued[0];
                kernelQueueConnections = (int)queued[1];
            }
            heapAfter = server.heapUsedAfterGc();
            rssAfter = server.rssBytes();
        }
        if (client.resume(sequence, phaseTimeoutNs))
        {
            Await.condition(() -> client.stalled().dropped() + client.stalled().caughtUp() >= connections,
                Math.min(phaseTimeoutNs, TimeUnit.SECONDS.toNanos(10)));
        }
        return new StalledResult(connections, settings.stalledReceiveBuffer, rate, latency,
            sequence - expected.fromSequence(), heapBefore, heapAfter, rssBefore, rssAfter, kernelQueueBytes,
            kernelQueueConnections, client.stalled().dropped(), client.stalled().caughtUp(), client.stalled().gaps(),
            client.stalled().firstDrop());
    }
}
