package io.sseflow.server.cluster;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a cluster member keeps its files and how it reaches the others: the hub's {@code --data-dir},
 * {@code --cluster-members} and {@code --cluster-node}, validated once. A single durable node is a one-member list.
 * <p>
 * Each member's {@code host:port} is the first of {@link #PORTS_PER_MEMBER} consecutive UDP ports it binds:
 * ingress (clients' publishes) at {@code port}, consensus at {@code +1}, log replication at {@code +2}, catch-up at
 * {@code +3}, archive control at {@code +4}. Replication and egress use ephemeral ports.
 */
public final class ClusterSettings
{
    /**
     * Consecutive UDP ports a member binds from its base port.
     */
    public static final int PORTS_PER_MEMBER = 5;

    /**
     * Default most topics the state machine holds.
     */
    public static final int DEFAULT_MAX_TOPICS = 10_000;

    /**
     * Default events retained per topic in the state machine (and its snapshots).
     */
    public static final int DEFAULT_HISTORY_PER_TOPIC = 1024;

    /**
     * Default most bytes the state machine retains, all topics together: the in-memory hub's default history budget.
     */
    public static final long DEFAULT_HISTORY_TOTAL_BYTES = 256L * 1024 * 1024;

    /**
     * Default events applied between two periodic snapshots.
     */
    public static final long DEFAULT_SNAPSHOT_EVERY_EVENTS = 100_000;

    /**
     * Default longest time between two periodic snapshots while events are applied.
     */
    public static final long DEFAULT_SNAPSHOT_INTERVAL_MS = 10 * 60 * 1000;

    /**
     * Default most log a member keeps, beyond what its own snapshots need, for other members that have not yet
     * applied it (a member that is down or behind): 1 GiB.
     */
    public static final long DEFAULT_CATCH_UP_LOG_BYTES = 1L << 30;

    /**
     * Default length of one archive segment file of the log: the unit in which the log before a snapshot is deleted.
     */
    public static final int DEFAULT_ARCHIVE_SEGMENT_LENGTH = 16 * 1024 * 1024;

    /**
     * Default free space the data dir's file system must keep for publishes to be taken: 256 MiB, so that Aeron's
     * own threshold, half of it, is Aeron's default (128 MiB).
     */
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = 256L * 1024 * 1024;

    /**
     * Least {@link #minFreeDiskBytes(long)} allowed, 16 MiB: Aeron's threshold, half of it, must leave room for what a
     * member writes when it starts (three mark files of about 1 MiB each, the catalog, a term of log) and more.
     */
    public static final long MIN_MIN_FREE_DISK_BYTES = 16L * ClusterNode.TERM_LENGTH;

    private final File dataDir;
    private final List<String> hosts;
    private final int[] basePorts;
    private final int nodeIndex;
    private String aeronDirectoryName;
    private int maxTopics = DEFAULT_MAX_TOPICS;
    private int historyPerTopic = DEFAULT_HISTORY_PER_TOPIC;
    private long historyTotalBytes = DEFAULT_HISTORY_TOTAL_BYTES;
    private long snapshotEveryEvents = DEFAULT_SNAPSHOT_EVERY_EVENTS;
    private long snapshotIntervalMs = DEFAULT_SNAPSHOT_INTERVAL_MS;
    private long catchUpLogBytes = DEFAULT_CATCH_UP_LOG_BYTES;
    private int archiveSegmentLength = DEFAULT_ARCHIVE_SEGMENT_LENGTH;
    private boolean fsync = true;
    private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK_BYTES;
    private boolean restore;
    private boolean changeSettings;

    /**
     * @param dataDir   holds the node's {@code cluster} and {@code archive} directories.
     * @param members   {@code host:port} of every member, the same list in the same order on every node.
     * @param nodeIndex this node's 0-based index in {@code members}.
     * @throws IllegalArgumentException naming the problem.
     */
    public ClusterSettings(final File dataDir, final List<String> members, final int nodeIndex)
    {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        if (members.isEmpty())
        {
            throw new IllegalArgumentException("cluster members: at least one host:port");
        }
        if (nodeIndex < 0 || nodeIndex >= members.size())
        {
            throw new IllegalArgumentException(
                "cluster node " + nodeIndex + " is not an index of the " + members.size() + " cluster members");
        }
        final List<String> hosts = new ArrayList<>();
        basePorts = new int[members.size()];
        for (int i = 0; i < members.size(); i++)
        {
            final String member = members.get(i).trim();
            final int colon = member.lastIndexOf(':');
            if (colon <= 0 || colon == member.length() - 1)
            {
                throw new IllegalArgumentException("cluster member is not host:port: '" + member + "'");
            }
            final int port;
            try
            {
                port = Integer.parseInt(member.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("cluster member port is not a number: '" + member + "'", ex);
            }
            if (port < 1 || port + PORTS_PER_MEMBER - 1 > 65535)
            {
                throw new IllegalArgumentException("cluster member port " + port + " leaves no room for its " +
                    PORTS_PER_MEMBER + " ports: '" + member + "'");
            }
            hosts.add(member.substring(0, colon));
            basePorts[i] = port;
        }
        this.hosts = List.copyOf(hosts);
        this.nodeIndex = nodeIndex;
        this.aeronDirectoryName = defaultAeronDirectory(dataDir, nodeIndex);
    }

    /**
     * A single durable node: a one-member cluster on loopback.
     *
     * @param dataDir  holds the node's files.
     * @param basePort first of its {@link #PORTS_PER_MEMBER} UDP ports.
     * @return the settings.
     */
    public static ClusterSettings singleNode(final File dataDir, final int basePort)
    {
        return new ClusterSettings(dataDir, List.of("127.0.0.1:" + basePort), 0);
    }

    /**
     * A single durable node on {@link #PORTS_PER_MEMBER} consecutive loopback UDP ports free now, below the usual
     * ephemeral range: a one-member cluster keeps no member addresses in its files, so they may differ from one
     * start to the next.
     *
     * @param dataDir holds the node's files.
     * @return the settings.
     * @throws IllegalStateException when no free range is found.
     */
    public static ClusterSettings singleNode(final File dataDir)
    {
        return singleNode(dataDir, freeLoopbackBasePort());
    }

    /**
     * Override the Aeron directory (memory-mapped driver files); by default under {@code /dev/shm} when it exists,
     * named after the data dir and node, else under the data dir.
     *
     * @param aeronDirectoryName the directory.
     * @return this.
     */
    public ClusterSettings aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = Objects.requireNonNull(aeronDirectoryName);
        return this;
    }

    /**
     * Bound the state machine.
     *
     * @param maxTopics       most topics held; a publish to a new topic past it is refused.
     * @param historyPerTopic events retained per topic.
     * @return this.
     */
    public ClusterSettings limits(final int maxTopics, final int historyPerTopic)
    {
        if (maxTopics < 1 || historyPerTopic < 1)
        {
            throw new IllegalArgumentException("cluster limits must be positive: " + maxTopics + ", " + historyPerTopic);
        }
        this.maxTopics = maxTopics;
        this.historyPerTopic = historyPerTopic;
        return this;
    }

    /**
     * Bound the bytes the state machine retains, all topics together (record length plus
     * {@link TopicHistory#EVENT_OVERHEAD_BYTES} per retained copy): past it the oldest events are evicted. On the heap:
     * the hub checks it against the heap's maximum at start.
     *
     * @param bytes at least 1.
     * @return this.
     */
    public ClusterSettings historyTotalBytes(final long bytes)
    {
        if (bytes < 1)
        {
            throw new IllegalArgumentException("cluster history total bytes must be positive: " + bytes);
        }
        this.historyTotalBytes = bytes;
        return this;
    }

    /**
     * @return most bytes the state machine retains.
     */
    public long historyTotalBytes()
    {
        return historyTotalBytes;
    }

    /**
     * Make this member's state-machine settings the cluster's when its session opens, instead of refusing to go on
     * because they differ: for a deliberate change, right after a shutdown that took a snapshot at the end of the log
     * ({@code ClusterTool DIR shutdown}), so that no event decided with the old settings is applied again with the new.
     *
     * @param change true to replace the cluster's settings.
     * @return this.
     */
    public ClusterSettings changeSettings(final boolean change)
    {
        this.changeSettings = change;
        return this;
    }

    /**
     * @return whether this member's settings replace the cluster's when its session opens.
     */
    public boolean changeSettings()
    {
        return changeSettings;
    }

    /**
     * The settings that decide what the state machine retains: every member must have the same.
     */
    StateSettings stateSettings()
    {
        return new StateSettings(maxTopics, historyPerTopic, historyTotalBytes);
    }

    /**
     * When the leader takes a snapshot (every member writes one): after {@code everyEvents} events applied since the
     * last, or {@code intervalMs} after it when any event was applied since. Each snapshot makes the log before the
     * previous one redundant, and it is deleted, so the disk a member uses stays bounded; with several members, only
     * below what every other member has reported applying ({@link LogPurger}), so that a member that was down can
     * still catch up from the others' log.
     *
     * @param everyEvents events between two snapshots.
     * @param intervalMs  longest time between two snapshots.
     * @return this.
     */
    public ClusterSettings snapshots(final long everyEvents, final long intervalMs)
    {
        if (everyEvents < 1 || intervalMs < 1)
        {
            throw new IllegalArgumentException("snapshot interval must be positive: " + everyEvents + " events, " +
                intervalMs + " ms");
        }
        this.snapshotEveryEvents = everyEvents;
        this.snapshotIntervalMs = intervalMs;
        return this;
    }

    /**
     * The most log kept for other members beyond what this member's own snapshots need: log that another member
     * has not yet reported applying is kept so that it can catch up from this one (Aeron Cluster catches a member up
     * from the leader's log only), but never more than this many bytes of it, so that a member that stays away does
     * not fill this one's disk. A member further behind than that can no longer catch up from the log; the purge
     * says so through the error handler.
     *
     * @param bytes 0 (keep nothing for other members) or more.
     * @return this.
     */
    public ClusterSettings catchUpLogBytes(final long bytes)
    {
        if (bytes < 0)
        {
            throw new IllegalArgumentException("catch-up log bytes must be 0 or more: " + bytes);
        }
        this.catchUpLogBytes = bytes;
        return this;
    }

    /**
     * @return most log kept for other members beyond what this member's snapshots need, in bytes.
     */
    public long catchUpLogBytes()
    {
        return catchUpLogBytes;
    }

    /**
     * Length of the archive's segment files, a power of two from 1 MiB (the log's term length) to 1 GiB.
     *
     * @param length bytes.
     * @return this.
     */
    public ClusterSettings archiveSegmentLength(final int length)
    {
        if (length < ClusterNode.TERM_LENGTH || length > 1 << 30 || Integer.bitCount(length) != 1)
        {
            throw new IllegalArgumentException("archive segment length must be a power of two from " +
                ClusterNode.TERM_LENGTH + " to 1 GiB: " + length);
        }
        this.archiveSegmentLength = length;
        return this;
    }

    /**
     * Whether a committed position is on stable storage (the default): the archive forces each block of the log it
     * records (data and metadata) before it reports the position that a commit counts, and the catalog, the archive
     * directory and the consensus module's recording log are forced too, so a {@code 200} means the event is on the
     * disk of a majority (of the one node of a single durable node). Off, they stay in the page cache until the
     * kernel writes them back: the node survives a process crash, not a machine crash (power loss, a kernel panic),
     * which can lose acknowledged events and then give their ids to different events.
     *
     * @param fsync false to trade machine-crash durability for speed.
     * @return this.
     */
    public ClusterSettings fsync(final boolean fsync)
    {
        this.fsync = fsync;
        return this;
    }

    /**
     * The free space the data dir's file system must keep: below it, this node refuses new publishes (an HTTP
     * {@code 507}) and is not ready, while its subscribers are served as before; once space is freed it takes
     * publishes again by itself. Aeron's archive gets half of it as its own low-storage threshold
     * ({@link #archiveLowStorageThreshold()}), below which it refuses to start a recording (at start, after an
     * election, for a snapshot) and the member stops (exit 70, then a supervisor's restarts fail the same way until
     * space is freed): publishes are refused well before that.
     *
     * @param bytes at least {@link #MIN_MIN_FREE_DISK_BYTES}.
     * @return this.
     */
    public ClusterSettings minFreeDiskBytes(final long bytes)
    {
        if (bytes < MIN_MIN_FREE_DISK_BYTES)
        {
            throw new IllegalArgumentException("min free disk bytes must be at least " + MIN_MIN_FREE_DISK_BYTES +
                " (Aeron's threshold, half of it, must hold what a member writes at start): " + bytes);
        }
        this.minFreeDiskBytes = bytes;
        return this;
    }

    /**
     * @return the free space below which publishes are refused, in bytes.
     */
    public long minFreeDiskBytes()
    {
        return minFreeDiskBytes;
    }

    /**
     * Aeron's archive low-storage threshold: half of {@link #minFreeDiskBytes()}.
     *
     * @return bytes.
     */
    public long archiveLowStorageThreshold()
    {
        return minFreeDiskBytes / 2;
    }

    /**
     * @return whether commits wait for stable storage.
     */
    public boolean fsync()
    {
        return fsync;
    }

    /**
     * Replace this member's data: before the member starts, copy the latest snapshot and the log up to the leader's
     * position from the live cluster's leader into the (empty) data dir, with Aeron's {@code ClusterBackup}
     * ({@link MemberRestore}). The way back for a member that lost its disk, or that the others deleted log past.
     *
     * @param restore true to restore at start.
     * @return this.
     */
    public ClusterSettings restore(final boolean restore)
    {
        this.restore = restore;
        return this;
    }

    /**
     * @return whether the member is restored from the leader at start.
     */
    public boolean restore()
    {
        return restore;
    }

    /**
     * @return every member's {@code host:port}, comma-separated, in order.
     */
    public String memberList()
    {
        final StringBuilder list = new StringBuilder();
        for (int i = 0; i < basePorts.length; i++)
        {
            list.append(i > 0 ? "," : "").append(hosts.get(i)).append(':').append(basePorts[i]);
        }
        return list.toString();
    }

    /**
     * @return events between two periodic snapshots.
     */
    public long snapshotEveryEvents()
    {
        return snapshotEveryEvents;
    }

    /**
     * @return longest time between two periodic snapshots, in milliseconds.
     */
    public long snapshotIntervalMs()
    {
        return snapshotIntervalMs;
    }

    /**
     * @return length of the archive's segment files.
     */
    public int archiveSegmentLength()
    {
        return archiveSegmentLength;
    }

    /**
     * @return the data directory.
     */
    public File dataDir()
    {
        return dataDir;
    }

    /**
     * @return this node's index.
     */
    public int nodeIndex()
    {
        return nodeIndex;
    }

    /**
     * @return number of members.
     */
    public int memberCount()
    {
        return basePorts.length;
    }

    /**
     * @return the Aeron directory.
     */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * @return most topics.
     */
    public int maxTopics()
    {
        return maxTopics;
    }

    /**
     * @return events retained per topic.
     */
    public int historyPerTopic()
    {
        return historyPerTopic;
    }

    /**
     * One line saying what this member is and what it uses, as the hub prints it at start.
     *
     * @return the line.
     */
    public String describe()
    {
        return "sseflow cluster node " + nodeIndex + " of " + basePorts.length + ": data dir " + dataDir +
            ", UDP " + hosts.get(nodeIndex) + ":" + basePorts[nodeIndex] + "-" +
            (basePorts[nodeIndex] + PORTS_PER_MEMBER - 1) +
            (fsync ? "" : ", fsync off (survives process crashes, not machine crashes)") +
            ", Aeron dir " + aeronDirectoryName;
    }

    String host(final int member)
    {
        return hosts.get(member);
    }

    String endpoint(final int member, final int offset)
    {
        return hosts.get(member) + ':' + (basePorts[member] + offset);
    }

    /**
     * The consensus module's member list: {@code id,ingress,consensus,log,catchup,archive|...}.
     */
    String clusterMembers()
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < basePorts.length; i++)
        {
            if (i > 0)
            {
                members.append('|');
            }
            members.append(i);
            for (int offset = 0; offset < PORTS_PER_MEMBER; offset++)
            {
                members.append(',').append(endpoint(i, offset));
            }
        }
        return members.toString();
    }

    /**
     * The client's ingress endpoints: {@code 0=host:port,1=host:port...}.
     */
    String ingressEndpoints()
    {
        final StringBuilder endpoints = new StringBuilder();
        for (int i = 0; i < basePorts.length; i++)
        {
            if (i > 0)
            {
                endpoints.append(',');
            }
            endpoints.append(i).append('=').append(endpoint(i, 0));
        }
        return endpoints.toString();
    }

    private static int freeLoopbackBasePort()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            if (allFree(base))
            {
                return base;
            }
        }
        throw new IllegalStateException("no " + PORTS_PER_MEMBER + " consecutive free UDP ports found on loopback " +
            "for the durable node; give them with --cluster-members 127.0.0.1:PORT");
    }

    private static boolean allFree(final int base)
    {
        for (int port = base; port < base + PORTS_PER_MEMBER; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
        return true;
    }

    private static String defaultAeronDirectory(final File dataDir, final int nodeIndex)
    {
        final File shm = new File("/dev/shm");
        final String name = "sseflow-" + Integer.toHexString(dataDir.getAbsolutePath().hashCode()) + "-node-" + nodeIndex;
        return shm.isDirectory() ? new File(shm, name).getPath() : new File(dataDir, "aeron").getPath();
    }
}
