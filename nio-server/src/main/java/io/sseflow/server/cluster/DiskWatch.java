package io.sseflow.server.cluster;

import java.io.File;
import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Watches the free space of the file system that holds a member's log, every {@link #POLL_MS} on its own daemon
 * thread (never on the server agent's), and says whether new publishes may be taken: while fewer than
 * {@link ClusterSettings#minFreeDiskBytes()} are usable, {@link #lowReason()} gives the reason to refuse them with,
 * naming the free and the needed bytes; once space is back it is null again. Each change is printed as one line.
 * <p>
 * Cannot see space taken between two looks: publishes already taken when the space ran out are still written, which
 * is why Aeron's own threshold (half the minimum) sits below. Nor can it see another file system the node writes to
 * (the Aeron directory, by default in {@code /dev/shm}).
 */
final class DiskWatch implements AutoCloseable
{
    /**
     * How often the free space is read.
     */
    static final long POLL_MS = 100;

    private final int nodeIndex;
    private final File dir;
    private final long minFreeBytes;
    private final LongSupplier usableBytes;
    private final PrintStream out;
    private volatile String lowReason;
    private volatile long usable = -1;
    private volatile boolean stopped;
    private long lastUsable = -1;

    /**
     * @param nodeIndex    names the node in the lines printed.
     * @param dir          the directory whose file system is watched (the data dir, which holds the archive).
     * @param minFreeBytes the least free space with which publishes are taken.
     * @param usableBytes  reads the bytes usable in {@code dir}'s file system now.
     * @param out          where changes are printed.
     */
    DiskWatch(
        final int nodeIndex, final File dir, final long minFreeBytes, final LongSupplier usableBytes,
        final PrintStream out)
    {
        this.nodeIndex = nodeIndex;
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
        this.usableBytes = usableBytes;
        this.out = out;
    }

    /**
     * A watch of the file system holding {@code dir}, read by {@link File#getUsableSpace()} (0, so low, when it cannot
     * be read).
     *
     * @param settings the member's settings: node index and minimum.
     * @param dir      a directory on the watched file system.
     * @param out      where changes are printed.
     * @return the watch, not yet started.
     */
    static DiskWatch of(final ClusterSettings settings, final File dir, final PrintStream out)
    {
        return new DiskWatch(settings.nodeIndex(), dir, settings.minFreeDiskBytes(), dir::getUsableSpace, out);
    }

    /**
     * Look once now, then every {@link #POLL_MS} on a daemon thread until {@link #close()}.
     */
    void start()
    {
        check();
        final Thread thread = new Thread(this::run, "sseflow-disk-watch-" + nodeIndex);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Read the free space and decide; prints a line when publishes become refused or taken again.
     *
     * @return the reason to refuse publishes now, or null when there is enough space.
     */
    String check()
    {
        final long usable = usableBytes.getAsLong();
        this.usable = usable;
        if (usable >= minFreeBytes)
        {
            lastUsable = usable;
            if (null != lowReason)
            {
                lowReason = null;
                out.println("sseflow: cluster node " + nodeIndex + ": disk space is back (" + usable +
                    " bytes free under " + dir + ", " + minFreeBytes + " needed): publishes are taken again");
                out.flush();
            }
            return null;
        }
        String reason = lowReason;
        if (usable != lastUsable || null == reason)
        {
            final boolean becameLow = null == reason;
            reason = "insufficient storage: " + usable + " bytes free under " + dir + ", " + minFreeBytes +
                " needed (--min-free-disk-bytes); publishes are refused until space is freed";
            lowReason = reason;
            lastUsable = usable;
            if (becameLow)
            {
                out.println("sseflow: cluster node " + nodeIndex + ": " + reason +
                    " (subscribers are served as before; /readyz answers 503 meanwhile)");
                out.flush();
            }
        }
        return reason;
    }

    /**
     * Why publishes must be refused now, as last read; any thread.
     *
     * @return the reason (ASCII, one line, with the free and needed bytes), or null when there is enough space.
     */
    String lowReason()
    {
        return lowReason;
    }

    /**
     * The bytes usable in the watched file system, as last read; any thread.
     *
     * @return bytes, -1 before the first look.
     */
    long usableBytes()
    {
        return usable;
    }

    /**
     * Read the bytes usable in the watched file system now, without deciding anything; any thread.
     *
     * @return bytes.
     */
    long usableBytesNow()
    {
        return usableBytes.getAsLong();
    }

    /**
     * Stop looking (without waiting for the thread, which ends within {@link #POLL_MS}).
     */
    public void close()
    {
        stopped = true;
    }

    private void run()
    {
        while (!stopped)
        {
            try
            {
                Thread.sleep(POLL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            if (!stopped)
            {
                check();
            }
        }
    }
}
