package io.sseflow.server.hub;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerMetrics;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The hub's periodic log lines, from its own daemon thread (never the agent's): once per {@code summaryMillis}, what
 * was refused (by reason) and how many slow consumers were dropped since the last summary, when anything was; and,
 * checked every second, a cluster member's role change. Reads the server's counters, which any thread may.
 */
final class HubReporter implements Runnable
{
    private static final long ROLE_CHECK_MILLIS = 1_000;
    private static final Refusal[] REFUSALS = Refusal.values();

    private final ServerMetrics metrics;
    private final Supplier<String> role;
    private final HubLog log;
    private final long summaryMillis;
    private final long[] refused = new long[REFUSALS.length];
    private long dropped;
    private String lastRole;

    /**
     * @param metrics       the server's counters.
     * @param role          this member's role, or null for a hub without a cluster.
     * @param log           where the lines go.
     * @param summaryMillis how often a summary may be logged.
     */
    HubReporter(final ServerMetrics metrics, final Supplier<String> role, final HubLog log, final long summaryMillis)
    {
        this.metrics = metrics;
        this.role = role;
        this.log = log;
        this.summaryMillis = summaryMillis;
        for (final Refusal refusal : REFUSALS)
        {
            refused[refusal.ordinal()] = metrics.refused(refusal);
        }
        dropped = metrics.slowConsumersDropped();
    }

    /**
     * Start the reporter on a daemon thread.
     *
     * @return the thread.
     */
    Thread start()
    {
        final Thread thread = new Thread(this, "sseflow-log-reporter");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public void run()
    {
        long nextSummary = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(summaryMillis);
        while (!Thread.currentThread().isInterrupted())
        {
            try
            {
                Thread.sleep(Math.min(ROLE_CHECK_MILLIS, summaryMillis));
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            checkRole();
            if (System.nanoTime() - nextSummary >= 0)
            {
                nextSummary = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(summaryMillis);
                summarize();
            }
        }
    }

    /**
     * Log a change of role since the last check.
     */
    void checkRole()
    {
        if (null == role)
        {
            return;
        }
        final String now = role.get();
        if (null != now && !now.equals(lastRole))
        {
            log.info(null == lastRole ? "sseflow: cluster role " + now :
                "sseflow: cluster role changed from " + lastRole + " to " + now);
            lastRole = now;
        }
    }

    /**
     * Log what was refused and dropped since the last summary, if anything.
     */
    void summarize()
    {
        final StringBuilder refusals = new StringBuilder();
        long total = 0;
        for (final Refusal refusal : REFUSALS)
        {
            final long count = metrics.refused(refusal);
            final long delta = count - refused[refusal.ordinal()];
            refused[refusal.ordinal()] = count;
            if (delta > 0)
            {
                refusals.append(total == 0 ? "" : ", ").append(delta).append(' ').append(refusal.label());
                total += delta;
            }
        }
        if (total > 0)
        {
            log.warning("sseflow: refused " + total + " in the last " + period() + ": " + refusals);
        }
        final long droppedNow = metrics.slowConsumersDropped();
        if (droppedNow > dropped)
        {
            log.warning("sseflow: dropped " + (droppedNow - dropped) + " slow consumers in the last " + period());
        }
        dropped = droppedNow;
    }

    private String period()
    {
        return summaryMillis % 1000 == 0 ? summaryMillis / 1000 + " s" : summaryMillis + " ms";
    }
}
