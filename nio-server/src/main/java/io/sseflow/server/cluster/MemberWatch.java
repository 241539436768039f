package io.sseflow.server.cluster;

import io.aeron.exceptions.AeronException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Decides that this node's cluster member stopped by itself, and says so once to a {@link MemberStopListener}: the
 * fail-stop rule for every way Aeron's components stop without an {@code Error} (those {@code FatalExit} ends at
 * once). What it hears, through what {@link ClusterNode} wires into each component's context:
 * <ul>
 *     <li>an error handler per component: an unexpected {@link AgentTerminationException} (Aeron's
 *     {@code ClusterTerminationException} included) or an {@link AeronException} of category {@code FATAL} (an Aeron
 *     client's {@code ConductorServiceTimeoutException} after a pause, {@code DriverTimeoutException}) is a failure;
 *     the last other error is kept as the likely cause ({@code low storage threshold ...});</li>
 *     <li>the termination hooks: the consensus module terminating with no failure reported within
 *     {@link #TERMINATION_GRACE_MS} is a deliberate cluster shutdown; the clustered service alone, or the driver,
 *     terminating is a failure;</li>
 *     <li>a watchdog thread, every {@link #TICK_MS}, for anything that slips through: an agent thread that ended, a
 *     component's Aeron client closed, or the consensus module or service not completing a duty cycle for
 *     {@link #STALL_MS} once they had started (counted on the watchdog's own clock, so a pause of the whole process
 *     is not a stall: Aeron's own timeouts decide whether it was fatal).</li>
 * </ul>
 * After {@link #closing()} (the node's own close) nothing is reported. Cannot see a component that is alive and
 * cycling but making no progress (an election that never ends is the cluster's to resolve).
 */
final class MemberWatch implements AutoCloseable
{
    /**
     * The parts of a member.
     */
    enum Component
    {
        MEDIA_DRIVER("the media driver"),
        ARCHIVE("the archive"),
        CONSENSUS_MODULE("the consensus module"),
        CLUSTERED_SERVICE("the clustered service");

        private final String description;

        Component(final String description)
        {
            this.description = description;
        }

        /**
         * @return what the reason line calls it.
         */
        String description()
        {
            return description;
        }
    }

    /**
     * How often the watchdog looks.
     */
    static final long TICK_MS = 200;

    /**
     * How long after a termination hook a failure may still be reported before the termination counts as asked for.
     */
    static final long TERMINATION_GRACE_MS = 1_000;

    /**
     * A started consensus module or service that completes no duty cycle for this long has stalled.
     */
    static final long STALL_MS = 15_000;

    /**
     * A gap this long between two looks means the whole process was paused: stall clocks start again.
     */
    static final long PAUSE_MS = 2_000;

    /**
     * An error reported at most this long before the failure is named in the reason as what came before it.
     */
    static final long CAUSE_MS = 10_000;

    /**
     * Counts duty cycles of one component; written by its agent thread only.
     */
    static final class Heartbeat
    {
        private final Component component;
        private volatile long beats;
        private long seenBeats;
        private long changedAtMs;

        private Heartbeat(final Component component)
        {
            this.component = component;
        }

        /**
         * One duty cycle done; on the component's agent thread.
         */
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        void beat()
        {
            beats = beats + 1;
        }
    }

    private final int nodeIndex;
    private final MemberStopListener listener;
    private final LongSupplier clockMs;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Component> threadComponents = new CopyOnWriteArrayList<>();
    private final List<Heartbeat> heartbeats = new ArrayList<>();
    private final List<BooleanSupplier> clientsClosed = new ArrayList<>();
    private final List<Component> clientComponents = new ArrayList<>();
    private final long[] terminatedSeenAtMs = new long[Component.values().length];
    private final boolean[] terminated = new boolean[Component.values().length];
    private String failure;
    private String lastError;
    private long lastErrorAtMs;
    private long lastCheckMs;
    private boolean closing;
    private boolean decided;
    private volatile boolean stopped;
    private Thread watchdog;

    /**
     * @param nodeIndex names the node in reasons.
     * @param listener  told once.
     * @param clockMs   milliseconds, the watchdog's clock.
     */
    MemberWatch(final int nodeIndex, final MemberStopListener listener, final LongSupplier clockMs)
    {
        this.nodeIndex = nodeIndex;
        this.listener = listener;
        this.clockMs = clockMs;
    }

    /**
     * An error handler for a component: passes every error to {@code delegate}, then notes failures.
     *
     * @param component whose errors it takes.
     * @param delegate  reports them.
     * @return the handler.
     */
    ErrorHandler errorHandler(final Component component, final ErrorHandler delegate)
    {
        return (error) ->
        {
            try
            {
                delegate.onError(error);
            }
            finally
            {
                onError(component, error);
            }
        };
    }

    /**
     * A component's termination hook.
     *
     * @param component that runs it.
     * @return the hook.
     */
    Runnable terminationHook(final Component component)
    {
        return () -> onTermination(component);
    }

    /**
     * A thread factory for a component's agent threads, whose ending the watchdog notices.
     *
     * @param component whose threads it makes.
     * @return the factory.
     */
    ThreadFactory threadFactory(final Component component)
    {
        return (runnable) ->
        {
            final Thread thread = new Thread(runnable);
            threadComponents.add(component);
            threads.add(thread);
            return thread;
        };
    }

    /**
     * A heartbeat the component beats once per duty cycle; must be made before {@link #start()}.
     *
     * @param component that beats it.
     * @return the heartbeat.
     */
    Heartbeat heartbeat(final Component component)
    {
        final Heartbeat heartbeat = new Heartbeat(component);
        heartbeats.add(heartbeat);
        return heartbeat;
    }

    /**
     * Watch a component's Aeron client; must be called before {@link #start()}.
     *
     * @param component whose client it is.
     * @param isClosed  true once the client closed.
     */
    void client(final Component component, final BooleanSupplier isClosed)
    {
        clientComponents.add(component);
        clientsClosed.add(isClosed);
    }

    /**
     * Forget the agent threads that ended: those of components a failed launch attempt closed again.
     */
    synchronized void forgetEndedThreads()
    {
        for (int i = threads.size() - 1; i >= 0; i--)
        {
            if (Thread.State.TERMINATED == threads.get(i).getState())
            {
                threads.remove(i);
                threadComponents.remove(i);
            }
        }
    }

    /**
     * Start the watchdog thread.
     */
    void start()
    {
        final Thread thread = new Thread(this::run, "sseflow-cluster-watchdog-" + nodeIndex);
        thread.setDaemon(true);
        watchdog = thread;
        thread.start();
    }

    /**
     * The node is closing itself: nothing is reported from now on.
     */
    synchronized void closing()
    {
        closing = true;
    }

    /**
     * Stop the watchdog thread (without waiting: it may be the thread that is ending the process).
     */
    public void close()
    {
        closing();
        stopped = true;
    }

    /**
     * Look once, and tell the listener when the member stopped.
     *
     * @return true once it has been told (or the node is closing): there is nothing more to watch.
     */
    boolean check()
    {
        final long nowMs = clockMs.getAsLong();
        final String stoppedReason;
        final MemberStop stop;
        synchronized (this)
        {
            if (closing || decided)
            {
                return true;
            }
            if (0 != lastCheckMs && nowMs - lastCheckMs > PAUSE_MS)
            {
                for (final Heartbeat heartbeat : heartbeats)
                {
                    heartbeat.changedAtMs = nowMs;
                }
            }
            lastCheckMs = nowMs;
            final String found = find(nowMs);
            if (null == found)
            {
                return false;
            }
            stop = terminated[Component.CONSENSUS_MODULE.ordinal()] && null == failure ?
                MemberStop.SHUT_DOWN : MemberStop.FAILED;
            stoppedReason = "cluster node " + nodeIndex + " stopped: " + found;
            decided = true;
        }
        listener.onMemberStopped(stop, stoppedReason);
        return true;
    }

    private String find(final long nowMs)
    {
        if (null != failure)
        {
            return failure;
        }
        final int consensus = Component.CONSENSUS_MODULE.ordinal();
        if (terminated[consensus])
        {
            return graceOver(consensus, nowMs) ? "the consensus module terminated as asked (a deliberate cluster " +
                "shutdown: ClusterControl SHUTDOWN or ABORT)" : null;
        }
        for (final Component component : Component.values())
        {
            if (terminated[component.ordinal()] && graceOver(component.ordinal(), nowMs))
            {
                return component.description() + " terminated while the consensus module runs" + cause(nowMs);
            }
        }
        for (int i = 0; i < threads.size(); i++)
        {
            final Thread thread = threads.get(i);
            if (Thread.State.TERMINATED == thread.getState())
            {
                return threadComponents.get(i).description() + "'s thread " + thread.getName() + " ended" +
                    cause(nowMs);
            }
        }
        for (int i = 0; i < clientsClosed.size(); i++)
        {
            if (clientsClosed.get(i).getAsBoolean())
            {
                return clientComponents.get(i).description() + "'s Aeron client closed" + cause(nowMs);
            }
        }
        for (final Heartbeat heartbeat : heartbeats)
        {
            final long beats = heartbeat.beats;
            if (beats != heartbeat.seenBeats)
            {
                heartbeat.seenBeats = beats;
                heartbeat.changedAtMs = nowMs;
            }
            else if (beats > 0 && nowMs - heartbeat.changedAtMs >= STALL_MS)
            {
                return heartbeat.component.description() + " completed no duty cycle for " +
                    (nowMs - heartbeat.changedAtMs) + " ms" + cause(nowMs);
            }
        }
        return null;
    }

    private boolean graceOver(final int component, final long nowMs)
    {
        if (0 == terminatedSeenAtMs[component])
        {
            terminatedSeenAtMs[component] = nowMs;
        }
        return nowMs - terminatedSeenAtMs[component] >= TERMINATION_GRACE_MS;
    }

    private String cause(final long nowMs)
    {
        return null != lastError && nowMs - lastErrorAtMs <= CAUSE_MS ? "; the error before it: " + lastError : "";
    }

    private synchronized void onTermination(final Component component)
    {
        terminated[component.ordinal()] = true;
    }

    private synchronized void onError(final Component component, final Throwable error)
    {
        if (isFailure(error))
        {
            if (null == failure)
            {
                failure = component.description() + " failed: " + oneLine(error) + cause(clockMs.getAsLong());
            }
        }
        else if (!(error instanceof AeronException) || AeronException.Category.WARN != ((AeronException)error).category())
        {
            lastError = component.description() + " reported " + oneLine(error);
            lastErrorAtMs = clockMs.getAsLong();
        }
    }

    /**
     * Is this error one after which the component no longer runs?
     *
     * @param error reported by a component.
     * @return true for an unexpected agent termination or a fatal Aeron error.
     */
    static boolean isFailure(final Throwable error)
    {
        if (error instanceof AgentTerminationException)
        {
            return !((AgentTerminationException)error).isExpected();
        }
        return error instanceof AeronException && AeronException.Category.FATAL == ((AeronException)error).category();
    }

    private static String oneLine(final Throwable error)
    {
        return String.valueOf(error).replace('\n', ' ').replace('\r', ' ');
    }

    private void run()
    {
        while (!stopped && !check())
        {
            try
            {
                Thread.sleep(TICK_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }
}
