package io.sseflow.server.hub;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.cluster.ClusterEventSequencer;
import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.cluster.MemberStop;

import java.io.File;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The hub's durable and clustered flags, {@code --data-dir DIR}, {@code --cluster-members host:port,...},
 * {@code --cluster-node N}, {@code --snapshot-events N}, {@code --snapshot-interval-ms MS}, {@code --catch-up-log-bytes N},
 * {@code --fsync true|false}, {@code --min-free-disk-bytes N} and {@code --restore}, checked together once
 * every flag is read. {@code --data-dir} alone is a single durable
 * node: a one-member cluster on free loopback UDP ports; with {@code --cluster-members} (one list, the same on every
 * node) and {@code --cluster-node} (this node's 0-based index in it) the node is one member of that cluster. Either
 * way the server's sequencer is a {@link ClusterEventSequencer}, with the state machine bounded by the hub's
 * {@code --history}, {@code --max-topics} and {@code --history-total-bytes}, and snapshots requested as the two
 * snapshot flags say.
 * <p>
 * The state machine keeps its retained history on the heap (and, while it writes or loads a snapshot, a copy of it),
 * so its byte budget is checked against the heap's maximum at start: {@code --history-total-bytes} may be at most a
 * quarter of it ({@link #HEAP_SHARE_DIVISOR}), else the hub refuses to start, naming the flag; left out, it is the
 * in-memory hub's default but never more than that quarter. A restart replays the log into the same budget, so it
 * cannot run out of heap where the first run did not.
 */
final class ClusterFlags
{
    static final String DATA_DIR = "--data-dir";
    static final String MEMBERS = "--cluster-members";
    static final String NODE = "--cluster-node";
    static final String SNAPSHOT_EVENTS = "--snapshot-events";
    static final String SNAPSHOT_INTERVAL_MS = "--snapshot-interval-ms";
    static final String CATCH_UP_LOG_BYTES = "--catch-up-log-bytes";
    static final String FSYNC = "--fsync";
    static final String MIN_FREE_DISK_BYTES = "--min-free-disk-bytes";
    static final String RESTORE = "--restore";

    static final String HISTORY_TOTAL_BYTES = "--history-total-bytes";
    static final String CHANGE_SETTINGS = "--change-settings";

    /**
     * The state machine's byte budget may take at most the heap's maximum divided by this: it holds up to about 1.6
     * times the budget (slots and buffers of small events) and a snapshot's copy of it while one is written or loaded.
     */
    static final int HEAP_SHARE_DIVISOR = 4;

    /**
     * The exit status of a member refused because it must be restored first, or because its settings differ from the
     * cluster's: the hub's status for a bad setting.
     */
    static final int REFUSED_STATUS = 2;

    /**
     * Most events between two snapshots a flag may ask for.
     */
    static final long MAX_SNAPSHOT_EVENTS = 1_000_000_000L;

    /**
     * Shortest time between two snapshots a flag may ask for: how often the schedule looks.
     */
    static final long MIN_SNAPSHOT_INTERVAL_MS = 100;

    /**
     * Longest time between two snapshots a flag may ask for: 7 days.
     */
    static final long MAX_SNAPSHOT_INTERVAL_MS = 7L * 24 * 60 * 60 * 1000;

    private String dataDir;
    private String members;
    private volatile ClusterEventSequencer sequencer;
    private String node;
    private int history = ServerConfig.DEFAULT_HISTORY;
    private int maxTopics = ServerConfig.DEFAULT_MAX_TOPICS;
    private String snapshotFlag;
    private long snapshotEvents = ClusterSettings.DEFAULT_SNAPSHOT_EVERY_EVENTS;
    private long snapshotIntervalMs = ClusterSettings.DEFAULT_SNAPSHOT_INTERVAL_MS;
    private long catchUpLogBytes = ClusterSettings.DEFAULT_CATCH_UP_LOG_BYTES;
    private boolean fsync = true;
    private long minFreeDiskBytes = ClusterSettings.DEFAULT_MIN_FREE_DISK_BYTES;
    private boolean restore;
    private boolean changeSettings;
    private long historyTotalBytes;
    private long maxHeapBytes = Runtime.getRuntime().maxMemory();

    /**
     * Take one of the three flags.
     *
     * @return true when the flag is one of them.
     */
    boolean accept(final String flag, final String value)
    {
        switch (flag)
        {
            case DATA_DIR:
                dataDir = value;
                return true;
            case MEMBERS:
                members = value;
                return true;
            case NODE:
                node = value;
                return true;
            default:
                return false;
        }
    }

    void history(final int history)
    {
        this.history = history;
    }

    void maxTopics(final int maxTopics)
    {
        this.maxTopics = maxTopics;
    }

    /**
     * {@code --change-settings true|false}: true makes this member's {@code --history}, {@code --history-total-bytes}
     * and {@code --max-topics} the cluster's when it joins, right after a {@code ClusterTool shutdown}.
     *
     * @param change whether to replace the cluster's settings.
     */
    void changeSettings(final boolean change)
    {
        snapshotFlag = CHANGE_SETTINGS;
        this.changeSettings = change;
    }

    /**
     * {@code --history-total-bytes N}: also the state machine's byte budget.
     *
     * @param bytes at least 1.
     */
    void historyTotalBytes(final long bytes)
    {
        this.historyTotalBytes = bytes;
    }

    /**
     * The heap's maximum the state machine's budget is checked against; the JVM's by default.
     *
     * @param bytes the maximum.
     */
    void maxHeapBytes(final long bytes)
    {
        this.maxHeapBytes = bytes;
    }

    /**
     * The state machine's byte budget: {@code --history-total-bytes} when given, else the in-memory default; never
     * more than the heap's maximum over {@link #HEAP_SHARE_DIVISOR}.
     *
     * @throws IllegalArgumentException naming the flag when the one given does not fit the heap.
     */
    long stateMachineBytes()
    {
        final long room = maxHeapBytes / HEAP_SHARE_DIVISOR;
        if (0 == historyTotalBytes)
        {
            return Math.max(1, Math.min(ClusterSettings.DEFAULT_HISTORY_TOTAL_BYTES, room));
        }
        if (historyTotalBytes > room)
        {
            throw new IllegalArgumentException(HISTORY_TOTAL_BYTES + " (" + historyTotalBytes + ", " +
                mib(historyTotalBytes) + ") does not fit the heap: with " + DATA_DIR + " the retained history is " +
                "also kept on the heap (the cluster's state machine, and a copy while it writes a snapshot), so it may " +
                "be at most a quarter of the heap's maximum (" + mib(maxHeapBytes) + " / " + HEAP_SHARE_DIVISOR + " = " +
                mib(room) + "): raise -Xmx or lower " + HISTORY_TOTAL_BYTES);
        }
        return historyTotalBytes;
    }

    /**
     * {@code --snapshot-events N}, already checked to be within 1 to {@link #MAX_SNAPSHOT_EVENTS}.
     *
     * @param events applied between two snapshots.
     */
    void snapshotEvents(final long events)
    {
        snapshotFlag = SNAPSHOT_EVENTS;
        snapshotEvents = events;
    }

    /**
     * {@code --snapshot-interval-ms MS}, already checked to be within {@link #MIN_SNAPSHOT_INTERVAL_MS} to
     * {@link #MAX_SNAPSHOT_INTERVAL_MS}.
     *
     * @param intervalMs longest time between two snapshots while events are applied.
     */
    void snapshotIntervalMs(final long intervalMs)
    {
        snapshotFlag = SNAPSHOT_INTERVAL_MS;
        snapshotIntervalMs = intervalMs;
    }

    /**
     * {@code --catch-up-log-bytes N}, already checked to be 0 or more.
     *
     * @param bytes most log kept beyond the snapshots for members that are down or behind.
     */
    void catchUpLogBytes(final long bytes)
    {
        snapshotFlag = CATCH_UP_LOG_BYTES;
        catchUpLogBytes = bytes;
    }

    /**
     * {@code --fsync true|false}: false lets commits count log still in the page cache (survives process crashes,
     * not machine crashes).
     *
     * @param fsync whether commits wait for stable storage.
     */
    void fsync(final boolean fsync)
    {
        snapshotFlag = FSYNC;
        this.fsync = fsync;
    }

    /**
     * {@code --min-free-disk-bytes N}, already checked to be at least {@link ClusterSettings#MIN_MIN_FREE_DISK_BYTES}:
     * below N free, publishes are refused ({@code 507}); Aeron's own threshold is N / 2.
     *
     * @param bytes the least free space with which publishes are taken.
     */
    void minFreeDiskBytes(final long bytes)
    {
        snapshotFlag = MIN_FREE_DISK_BYTES;
        minFreeDiskBytes = bytes;
    }

    /**
     * {@code --restore}: copy this member's state from the cluster's leader into its empty data dir before it starts.
     *
     * @param restore whether to restore.
     */
    void restore(final boolean restore)
    {
        this.restore = restore;
    }

    /**
     * Check the flags together and, when a data dir is given, make the builder's sequencer a cluster member.
     *
     * @return the settings, or null when no data dir is given (history in memory).
     * @throws IllegalArgumentException naming the flag and what is wrong.
     */
    ClusterSettings applyTo(final SseServer.Builder builder, final PrintStream log)
    {
        if (null == dataDir)
        {
            if (restore)
            {
                throw new IllegalArgumentException(RESTORE + " needs " + DATA_DIR + " DIR and " + MEMBERS +
                    " host:port,... of several members: it copies a member's state from the cluster's leader");
            }
            if (null != members || null != node)
            {
                throw new IllegalArgumentException((null != members ? MEMBERS : NODE) + " needs " + DATA_DIR +
                    " DIR: each cluster member keeps its log on disk");
            }
            if (CHANGE_SETTINGS.equals(snapshotFlag))
            {
                throw new IllegalArgumentException(CHANGE_SETTINGS + " needs " + DATA_DIR +
                    " DIR: it changes the settings kept in the log on disk; history in memory has none");
            }
            if (FSYNC.equals(snapshotFlag))
            {
                throw new IllegalArgumentException(FSYNC + " needs " + DATA_DIR +
                    " DIR: it says how the log on disk is written; history in memory has none");
            }
            if (MIN_FREE_DISK_BYTES.equals(snapshotFlag))
            {
                throw new IllegalArgumentException(MIN_FREE_DISK_BYTES + " needs " + DATA_DIR +
                    " DIR: it is the free space kept on the log's disk; history in memory has none");
            }
            if (null != snapshotFlag)
            {
                throw new IllegalArgumentException(snapshotFlag + " needs " + DATA_DIR +
                    " DIR: snapshots are of the log on disk; history in memory takes none");
            }
            return null;
        }
        if (dataDir.isEmpty())
        {
            throw new IllegalArgumentException(DATA_DIR + " needs a non-empty value");
        }
        final File dir = new File(dataDir);
        if (dir.exists() && !dir.isDirectory())
        {
            throw new IllegalArgumentException(DATA_DIR + " " + dataDir + " is not a directory");
        }
        if (null != node && null == members)
        {
            throw new IllegalArgumentException(NODE + " needs " + MEMBERS + " host:port,... (the same list on every " +
                "node); " + DATA_DIR + " alone is a single durable node");
        }
        final ClusterSettings settings;
        if (null == members)
        {
            settings = ClusterSettings.singleNode(dir);
        }
        else
        {
            final List<String> list = Arrays.asList(members.split(",", -1));
            final int index;
            if (null == node)
            {
                if (list.size() != 1)
                {
                    throw new IllegalArgumentException(MEMBERS + " lists " + list.size() + " members: " + NODE +
                        " N says which one this node is (0 to " + (list.size() - 1) + ")");
                }
                index = 0;
            }
            else
            {
                index = nodeIndex(node, list.size());
            }
            try
            {
                settings = new ClusterSettings(dir, list, index);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(MEMBERS + ": " + ex.getMessage(), ex);
            }
        }
        settings.limits(maxTopics, history);
        settings.historyTotalBytes(stateMachineBytes());
        settings.snapshots(snapshotEvents, snapshotIntervalMs);
        settings.catchUpLogBytes(catchUpLogBytes);
        settings.fsync(fsync);
        settings.minFreeDiskBytes(minFreeDiskBytes);
        if (restore && settings.memberCount() < 2)
        {
            throw new IllegalArgumentException(RESTORE + " needs " + MEMBERS + " of several members: it copies a " +
                "member's state from the cluster's leader, and a single durable node has no other member");
        }
        settings.restore(restore);
        settings.changeSettings(changeSettings);
        builder.eventSequencer((capacity) ->
        {
            log.println(settings.describe());
            log.println("sseflow cluster history budget " + mib(settings.historyTotalBytes()) + " on the heap (" +
                (0 == historyTotalBytes ? "fitted to a quarter of the heap's maximum, " + mib(maxHeapBytes) + "; " :
                HISTORY_TOTAL_BYTES + "; ") + settings.historyPerTopic() + " events per topic, " +
                settings.maxTopics() + " topics): every member must run with the same");
            log.flush();
            final ClusterEventSequencer created = new ClusterEventSequencer(settings, capacity, (error) ->
            {
                FatalExit.exitIfFatal(error);
                if (!HubLog.isReasonLast())
                {
                    log.println("sseflow: cluster node " + settings.nodeIndex() + ": " + error);
                    log.flush();
                }
            }, log, (stop, reason) -> onMemberStopped(stop, reason, log));
            sequencer = created;
            return created;
        });
        return settings;
    }

    /**
     * Fail-stop: a member that failed ends the hub with status 70 and the reason ({@link FatalExit#exitBecause}), so a
     * supervisor starts a fresh one that catches up; after a deliberate cluster shutdown the hub closes as on SIGTERM
     * and exits 0; a member refused for its settings (told on the clustered service's thread, which then applies
     * nothing) closes as on SIGTERM from a thread of its own, so that its cluster parts close their files, and exits
     * {@value #REFUSED_STATUS}.
     */
    private static void onMemberStopped(final MemberStop stop, final String reason, final PrintStream log)
    {
        if (MemberStop.FAILED == stop)
        {
            FatalExit.exitBecause(reason, log);
            return;
        }
        if (MemberStop.REFUSED == stop)
        {
            FatalExit.exitClosing(REFUSED_STATUS, "sseflow: exiting (status " + REFUSED_STATUS + ") because " + reason,
                log);
            return;
        }
        log.println("sseflow: " + reason + "; the hub closes");
        log.flush();
        if (FatalExit.isInstalled())
        {
            System.exit(0);
        }
    }

    /**
     * This member's role, for the log.
     *
     * @return {@code leader}, {@code follower} or {@code candidate}; null before the member has started.
     */
    String role()
    {
        final ClusterEventSequencer sequencer = this.sequencer;
        return null == sequencer ? null : sequencer.roleName();
    }

    private static String mib(final long bytes)
    {
        final double mib = bytes / (1024.0 * 1024.0);
        return mib == Math.rint(mib) ? (long)mib + " MiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", mib);
    }

    private static int nodeIndex(final String value, final int memberCount)
    {
        final int index;
        try
        {
            index = Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(NODE + " needs a whole number, got '" + value + "'");
        }
        if (index < 0 || index >= memberCount)
        {
            throw new IllegalArgumentException(NODE + " " + index + " is not an index of the " + memberCount +
                " members of " + MEMBERS + " (0 to " + (memberCount - 1) + ")");
        }
        return index;
    }
}
