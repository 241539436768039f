package io.sseflow.server.agent;

import java.util.concurrent.locks.LockSupport;

/**
 * Counts the process's open file descriptors on a daemon thread of its own, one per JVM ({@code sseflow-fd-counter}),
 * when asked: the count lists {@code /proc/self/fd}, work that grows with the connections, which must not run on an
 * agent. The agent asks without allocating or waiting ({@link #requestIfOlderThan}) and reads the last count.
 */
final class FdCounter implements Runnable
{
    private static volatile FdCounter instance;

    private final com.sun.management.UnixOperatingSystemMXBean unix;
    private final Thread thread;
    private volatile boolean requested;
    private volatile long openFds;
    private volatile long maxFds;
    private volatile long countedAtNs;

    private FdCounter(final com.sun.management.UnixOperatingSystemMXBean unix)
    {
        this.unix = unix;
        count();
        thread = new Thread(this, "sseflow-fd-counter");
        thread.setDaemon(true);
    }

    /**
     * The JVM's counter, started on first use, which counts once on the caller's thread.
     *
     * @param unix the operating system's bean.
     * @return the counter.
     */
    static FdCounter of(final com.sun.management.UnixOperatingSystemMXBean unix)
    {
        FdCounter counter = instance;
        if (null == counter)
        {
            synchronized (FdCounter.class)
            {
                counter = instance;
                if (null == counter)
                {
                    counter = new FdCounter(unix);
                    counter.thread.start();
                    instance = counter;
                }
            }
        }
        return counter;
    }

    /**
     * Ask for a count unless the last one is at most {@code maxAgeNs} old or one is under way; returns at once.
     *
     * @param maxAgeNs the age of a count still good enough.
     */
    void requestIfOlderThan(final long maxAgeNs)
    {
        if (!requested && System.nanoTime() - countedAtNs > maxAgeNs)
        {
            requested = true;
            LockSupport.unpark(thread);
        }
    }

    /**
     * @return the open file descriptors at the last count.
     */
    long openFds()
    {
        return openFds;
    }

    /**
     * @return the limit on open file descriptors at the last count.
     */
    long maxFds()
    {
        return maxFds;
    }

    private void count()
    {
        openFds = unix.getOpenFileDescriptorCount();
        maxFds = unix.getMaxFileDescriptorCount();
        countedAtNs = System.nanoTime();
    }

    /**
     * The thread: count when asked, then wait for the next request.
     */
    public void run()
    {
        while (true)
        {
            if (requested)
            {
                count();
                requested = false;
            }
            else
            {
                LockSupport.park(this);
            }
        }
    }
}
