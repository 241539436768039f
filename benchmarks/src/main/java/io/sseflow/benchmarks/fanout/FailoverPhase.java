package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Failover stall of a cluster, repeated {@code --failover-runs} times: with a {@link FailoverWatch} on every node
 * but the leader and a {@link FailoverPublisher} sending {@code --failover-rate} events/s to the leader (a fresh
 * topic each time), {@code kill -9} the leader after one second of events; the stall is from the kill to the first
 * event <em>published after the kill</em> being read on a surviving node (the publisher moves to the next node and
 * retries each event, stamped anew, until one answers 200). Publishing goes on for one more second, then every
 * surviving watcher must have every event exactly once, in order. The killed node is restarted on its data dir and
 * must be ready again ({@code /readyz} 200) before the next repetition. No other load runs meanwhile. Every wait is
 * bounded; the phase stops early at the run's deadline.
 */
final class FailoverPhase
{
    private static final long BEFORE_KILL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long AFTER_STALL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long STALL_LIMIT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long STEP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final FanOutSettings settings;

    /**
     * @param settings the run's settings ({@code --failover-runs}, {@code --failover-rate}, {@code --payload}).
     */
    FailoverPhase(final FanOutSettings settings)
    {
        this.settings = settings;
    }

    /**
     * Run the repetitions.
     *
     * @param hub         the cluster, every node ready.
     * @param runDeadline the run's time limit ({@link System#nanoTime()}).
     * @return the stalls measured; a failure stops the phase.
     */
    FailoverResult run(final HubNodes hub, final long runDeadline)
    {
        final List<Double> stalls = new ArrayList<>();
        final List<Double> rejoins = new ArrayList<>();
        long checked = 0;
        int retries = 0;
        String failure = null;
        for (int run = 0; run < settings.failoverRuns && failure == null && System.nanoTime() - runDeadline < 0; run++)
        {
            final Repetition repetition = new Repetition(hub, "failover-" + run);
            try
            {
                repetition.run();
            }
            catch (final IOException | RuntimeException ex)
            {
                repetition.fail(ex.toString());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                repetition.fail(ex.toString());
            }
            if (repetition.stallNs >= 0)
            {
                stalls.add(repetition.stallNs / 1e6);
            }
            if (repetition.rejoinNs >= 0)
            {
                rejoins.add(repetition.rejoinNs / 1e6);
            }
            checked += repetition.checked;
            retries += repetition.retries;
            failure = repetition.failure;
            System.out.printf("    failover %d: leader node %d killed, stall %s ms, %s events answered in the second " +
                "after, killed node ready again after %s ms, %d events checked on the surviving nodes, %d publishes " +
                "retried%s%n", run, repetition.leader,
                repetition.stallNs < 0 ? "–" : String.format("%.0f", repetition.stallNs / 1e6),
                repetition.answeredAfterStall < 0 ? "–" : Long.toString(repetition.answeredAfterStall),
                repetition.rejoinNs < 0 ? "–" : String.format("%.0f", repetition.rejoinNs / 1e6), repetition.checked,
                repetition.retries, failure == null ? "" : "; FAILED: " + failure);
        }
        return new FailoverResult(List.copyOf(stalls), List.copyOf(rejoins), checked, retries, failure);
    }

    /** One kill -9 of the leader, measured, then the killed node restarted. */
    private final class Repetition
    {
        private final HubNodes hub;
        private final String topic;
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<String> publishFailure = new AtomicReference<>();
        private volatile boolean stop;
        private int leader = -1;
        private long stallNs = -1;
        private long rejoinNs = -1;
        private long checked;
        private long answeredAfterStall = -1;
        private int retries;
        private String failure;

        Repetition(final HubNodes hub, final String topic)
        {
            this.hub = hub;
            this.topic = topic;
        }

        void fail(final String reason)
        {
            if (failure == null)
            {
                failure = reason;
            }
        }

        void run() throws IOException, InterruptedException
        {
            leader = hub.leader(STEP_TIMEOUT_NS);
            final InetSocketAddress[] addresses = hub.addresses();
            final int capacity = (int)(settings.failoverRate *
                TimeUnit.NANOSECONDS.toSeconds(BEFORE_KILL_NS + STALL_LIMIT_NS + AFTER_STALL_NS + STEP_TIMEOUT_NS));
            final List<FailoverWatch> watches = new ArrayList<>();
            final FailoverPublisher publisher = new FailoverPublisher(addresses, topic, settings.payloadBytes, leader);
            Thread publishing = null;
            try
            {
                for (int i = 0; i < addresses.length; i++)
                {
                    if (i != leader)
                    {
                        watches.add(new FailoverWatch(i, addresses[i], topic, capacity));
                    }
                }
                final long warmUpDeadline = System.nanoTime() + STEP_TIMEOUT_NS;
                while (!watches.stream().allMatch(FailoverWatch::warmedUp) && System.nanoTime() - warmUpDeadline < 0)
                {
                    publisher.publishWarmUp(warmUpDeadline);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                if (!watches.stream().allMatch(FailoverWatch::warmedUp))
                {
                    fail("the watchers did not get a warm-up event");
                    return;
                }
                publishing = new Thread(() -> publish(publisher, capacity), "failover-publisher");
                publishing.start();
                final long preKillDeadline = System.nanoTime() + STEP_TIMEOUT_NS;
                while ((acknowledged.get() < settings.failoverRate * TimeUnit.NANOSECONDS.toSeconds(BEFORE_KILL_NS) ||
                    !watches.stream().allMatch((w) -> w.received() >= Math.min(acknowledged.get(), 1))) &&
                    publishFailure.get() == null && System.nanoTime() - preKillDeadline < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                if (publishFailure.get() != null || acknowledged.get() == 0)
                {
                    fail(publishFailure.get() != null ? publishFailure.get() : "no event answered before the kill");
                    return;
                }
                final long killNs = EventPayload.now();
                hub.kill(leader);
                final long stallDeadline = System.nanoTime() + STALL_LIMIT_NS;
                long firstRead = -1;
                while (firstRead < 0 && System.nanoTime() - stallDeadline < 0 && publishFailure.get() == null)
                {
                    firstRead = firstRead(watches, killNs);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                if (firstRead < 0)
                {
                    fail(publishFailure.get() != null ? publishFailure.get() : "no event published after the kill " +
                        "was delivered on a surviving node within " + TimeUnit.NANOSECONDS.toSeconds(STALL_LIMIT_NS) +
                        " s");
                    return;
                }
                stallNs = firstRead - killNs;
                final long answeredAtStall = acknowledged.get();
                final long until = System.nanoTime() + AFTER_STALL_NS;
                while (System.nanoTime() - until < 0 && publishFailure.get() == null)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                answeredAfterStall = acknowledged.get() - answeredAtStall;
                stop = true;
                publishing.join(TimeUnit.NANOSECONDS.toMillis(STEP_TIMEOUT_NS));
                if (publishFailure.get() != null)
                {
                    fail(publishFailure.get());
                    return;
                }
                final long published = acknowledged.get();
                final long drainDeadline = System.nanoTime() + STEP_TIMEOUT_NS;
                while (!watches.stream().allMatch((w) -> w.received() >= published || w.failure() != null) &&
                    System.nanoTime() - drainDeadline < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                for (final FailoverWatch watch : watches)
                {
                    if (watch.failure() != null)
                    {
                        fail(watch.failure());
                    }
                    else if (watch.received() != published)
                    {
                        fail("a surviving node delivered " + watch.received() + " of " + published + " events");
                    }
                }
                if (failure == null)
                {
                    checked = published;
                }
            }
            finally
            {
                stop = true;
                if (publishing != null)
                {
                    publishing.join(TimeUnit.NANOSECONDS.toMillis(STEP_TIMEOUT_NS));
                }
                retries = publisher.retries();
                publisher.close();
                watches.forEach(FailoverWatch::close);
                if (leader >= 0 && !hub.node(leader).isAlive())
                {
                    final long restart = System.nanoTime();
                    hub.restart(leader);
                    hub.awaitReady(leader, STEP_TIMEOUT_NS);
                    rejoinNs = System.nanoTime() - restart;
                }
            }
        }

        private long firstRead(final List<FailoverWatch> watches, final long killNs)
        {
            long first = -1;
            for (final FailoverWatch watch : watches)
            {
                final long read = watch.firstReadOfPublishedFrom(killNs);
                if (read >= 0 && (first < 0 || read < first))
                {
                    first = read;
                }
            }
            return first;
        }

        private void publish(final FailoverPublisher publisher, final int capacity)
        {
            final long periodNs = 1_000_000_000L / settings.failoverRate;
            final long start = System.nanoTime();
            try
            {
                for (long s = 0; s < capacity && !stop; s++)
                {
                    final long due = start + s * periodNs;
                    long now;
                    while ((now = System.nanoTime()) - due < 0 && !stop)
                    {
                        LockSupport.parkNanos(due - now);
                    }
                    if (stop)
                    {
                        break;
                    }
                    publisher.publish(s, System.nanoTime() + STALL_LIMIT_NS);
                    acknowledged.set(s + 1);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                publishFailure.compareAndSet(null, ex.toString());
            }
        }
    }
}
