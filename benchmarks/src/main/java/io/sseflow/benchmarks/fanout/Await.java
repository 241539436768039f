package io.sseflow.benchmarks.fanout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits of the phases: poll a condition until it holds or a deadline passes.
 */
final class Await
{
    private Await()
    {
    }

    /**
     * Poll every 200 µs until the condition holds or the time is up.
     *
     * @param condition what to wait for.
     * @param timeoutNs longest wait.
     */
    static void condition(final BooleanSupplier condition, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Wait until the checked subscribers have this many deliveries, a failure happened, or the phase timeout.
     *
     * @param client     the load client.
     * @param deliveries deliveries due.
     * @param settings   for the phase timeout.
     */
    static void drain(final SseLoadClient client, final long deliveries, final FanOutSettings settings)
    {
        condition(() -> client.delivered() >= deliveries || client.failures() != 0,
            TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds));
    }
}
