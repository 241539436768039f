package io.sseflow.server.cluster;

import io.aeron.Aeron;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One cluster member in this process: an embedded media driver, archive and consensus module (launched one by one,
 * as Aeron's {@code ClusteredMediaDriver} does) and a {@link ClusteredServiceContainer} running the given service,
 * with its files
 * under the data dir ({@code cluster/}, {@code archive/}) and its driver files in the settings' Aeron directory.
 * <p>
 * Tuned for a hub on a small machine: every component on one SHARED-mode thread each with backoff idling (no busy
 * spin), 1 MiB sparse term buffers, and timeouts that let a follower notice a dead leader and elect another within
 * a few seconds instead of the defaults' tens of seconds.
 * <p>
 * The node holds an exclusive lock on {@value #LOCK_FILE} in the data dir while it runs, so two processes never
 * share one data dir: a second one waits, saying so, up to {@link #MARK_FILE_WAIT_MS} for the first to exit (a
 * supervisor's restart while the old process still shuts down), then is refused, naming the dir. Aeron marks its archive and cluster mark files
 * active for 10 s after their last update, so a restart right after a crash ({@code kill -9}) would find them still
 * active and have to wait that long; holding the lock proves their writer has exited (the kernel frees a dead
 * process's lock at once), so a node that got the lock removes them and starts at once, saying so. If a mark file
 * still looks active anyway (the Aeron directory of another process), it waits them out, saying so, instead of
 * failing.
 * <p>
 * A {@link MemberWatch} hears every component's errors and termination hooks and watches their agent threads,
 * Aeron clients and duty cycles, and tells a {@link MemberStopListener} once if the member stops by itself (never
 * after {@link #close()} began).
 * <p>
 * Disk: a {@link DiskWatch} tells whether the data dir's file system keeps {@link ClusterSettings#minFreeDiskBytes()}
 * free ({@link #lowDiskReason()}); the archive refuses to start a recording below half of it, its own threshold. A
 * node that has no more than that free does not start: the listener is told it stopped (Aeron would create its mark
 * files on the full disk first, and a memory-mapped write there kills the JVM). A node whose archive will not start
 * because a recording ends in a fragment cut short (a full disk or a crash mid-write) is repaired once, with Aeron's
 * own verification ({@link ArchiveRepair}), and started again.
 */
public final class ClusterNode implements AutoCloseable
{
    /**
     * Term length of the log, ingress and IPC publications; the largest message is an eighth of it.
     */
    static final int TERM_LENGTH = 1024 * 1024;

    /**
     * Leader heartbeat timeout: a follower starts an election this long after the leader went quiet.
     */
    static final long LEADER_HEARTBEAT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    /**
     * Leader heartbeat interval.
     */
    static final long LEADER_HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(200);

    /**
     * Election timeout.
     */
    static final long ELECTION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How long a starting member waits for the others before electing among those it can reach.
     */
    static final long STARTUP_CANVASS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * A client session (a node's sequencer) heard from for no longer than this is closed.
     */
    static final long SESSION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Driver, client and mark-file liveness timeout.
     */
    static final long DRIVER_TIMEOUT_MS = 5_000;

    /**
     * Longest wait for a previous process to let go of the data dir (or for its mark files to expire).
     */
    static final long MARK_FILE_WAIT_MS = 30_000;

    /**
     * Aeron's file sync level when {@link ClusterSettings#fsync()} is on, for the archive's recordings, its catalog and
     * directory, and the consensus module's recording log and node state: {@code 2} forces data and metadata
     * ({@code FileChannel.force(true)}, fsync), {@code 1} data only (fdatasync), {@code 0} nothing. The archive forces
     * after each block it writes and only then moves the recording position, which is the append position a commit
     * counts, so one sync covers a whole batch of events. Aeron requires the catalog's level to be at least the
     * recordings'.
     */
    static final int FILE_SYNC_LEVEL = 2;

    /**
     * The lock file in the data dir, held while the node runs.
     */
    static final String LOCK_FILE = "sseflow.lock";

    private static final String[] MARK_FILES =
        { "cluster/cluster-mark.dat", "cluster/cluster-mark-service-0.dat", "archive/archive-mark.dat" };

    /**
     * How long an empty member waits for the other members' archives to answer, on each look.
     */
    static final long PEER_LOOK_MS = 1_000;

    /**
     * How long an empty member waits between two looks at the others while it cannot tell whether the cluster has
     * history.
     */
    static final long PEER_LOOK_INTERVAL_MS = 1_000;

    private final ClusterSettings settings;
    private final FileChannel lockChannel;
    private final MemberWatch watch;
    private final Object lifecycle = new Object();
    private MediaDriver mediaDriver;
    private Archive archive;
    private volatile Aeron peerClient;
    private volatile ConsensusModule consensusModule;
    private volatile ClusteredServiceContainer container;
    private boolean closed;
    private final DiskWatch diskWatch;

    private ClusterNode(
        final ClusterSettings settings, final FileChannel lockChannel, final MemberWatch watch, final DiskWatch diskWatch)
    {
        this.diskWatch = diskWatch;
        this.settings = settings;
        this.lockChannel = lockChannel;
        this.watch = watch;
    }

    /**
     * Start the member; returns once its components run (not once a leader is elected).
     *
     * @param settings     files and members.
     * @param service      the clustered service.
     * @param errorHandler receives errors of every component.
     * @param out          where waiting for a previous process's mark files is reported.
     * @return the running node.
     */
    public static ClusterNode launch(
        final ClusterSettings settings, final ClusteredService service, final ErrorHandler errorHandler,
        final PrintStream out)
    {
        return launch(settings, service, errorHandler, out, (stop, reason) ->
            errorHandler.onError(new IllegalStateException(reason)));
    }

    /**
     * Start the member; returns once its components run (not once a leader is elected). From then on a watchdog
     * ({@link MemberWatch}) tells {@code stopListener} once if the member stops by itself: a component terminated
     * (unexpectedly, or a deliberate cluster shutdown), an Aeron client timed out, an agent thread ended or stalled.
     * <p>
     * Member identity ({@link MemberIdentity}): a data dir of another member or member list, one whose cluster log is
     * gone, or one with an unfinished restore is refused with an {@link IllegalStateException} saying what to do. A
     * member of several on an empty data dir first runs only its driver and archive and asks the others' archives
     * ({@link PeerArchives}, {@link JoinRule}): another member with history refuses it (an
     * {@link IllegalStateException} at once, or {@link MemberStop#REFUSED} if found later); a majority known empty,
     * itself included, lets its consensus module start; until then it looks again every
     * {@link #PEER_LOOK_INTERVAL_MS} on a thread of its own, and this method returns with the consensus module not
     * yet running (no role, never ready). With {@link ClusterSettings#restore()} the empty data dir is first filled
     * from the leader ({@link MemberRestore}).
     *
     * @param settings     files and members.
     * @param service      the clustered service.
     * @param errorHandler receives errors of every component.
     * @param out          where waiting for a previous process's mark files is reported.
     * @param stopListener told once when the member stopped without {@link #close()}.
     * @return the running node.
     * @throws IllegalStateException when the data dir may not be used as this member's, saying why and what to do.
     */
    public static ClusterNode launch(
        final ClusterSettings settings, final ClusteredService service, final ErrorHandler errorHandler,
        final PrintStream out, final MemberStopListener stopListener)
    {
        final MemberWatch watch = new MemberWatch(settings.nodeIndex(), stopListener, System::currentTimeMillis);
        final ClusteredService watchedService =
            new HeartbeatService(service, watch.heartbeat(MemberWatch.Component.CLUSTERED_SERVICE));
        final MemberWatch.Heartbeat consensusHeartbeat = watch.heartbeat(MemberWatch.Component.CONSENSUS_MODULE);
        final long deadline = System.currentTimeMillis() + MARK_FILE_WAIT_MS;
        final FileChannel lockChannel = lockDataDir(settings, out);
        final DiskWatch diskWatch = DiskWatch.of(settings, settings.dataDir(), out);
        final long usable = diskWatch.usableBytesNow();
        if (usable <= settings.archiveLowStorageThreshold())
        {
            final String reason = "cluster node " + settings.nodeIndex() + " stopped: too little free space under " +
                settings.dataDir() + " to start (low storage threshold=" + settings.archiveLowStorageThreshold() +
                " <= usableSpace=" + usable + ": Aeron's archive needs more than half of --min-free-disk-bytes); " +
                "free space, then start it again";
            CloseHelper.quietClose(lockChannel);
            stopListener.onMemberStopped(MemberStop.FAILED, reason);
            throw new IllegalStateException(reason);
        }
        final ClusterNode node = new ClusterNode(settings, lockChannel, watch, diskWatch);
        try
        {
            removeStaleMarkFiles(settings, out);
            final MemberIdentity identity = MemberIdentity.inspect(settings);
            refuseUnusable(settings, identity);
            if (settings.restore() && DataDirState.RESTORING == identity.state())
            {
                out.println("sseflow: cluster node " + settings.nodeIndex() + ": " + identity.detail() +
                    "; removing what it copied and restoring again");
                IoUtil.delete(new File(settings.dataDir(), "cluster"), false);
                IoUtil.delete(new File(settings.dataDir(), "archive"), false);
            }
            node.startDriverAndArchive(errorHandler, out, deadline);
            final Runnable startConsensus = () -> node.startConsensus(
                watchedService, errorHandler, consensusHeartbeat, out, deadline);
            if (settings.restore())
            {
                MemberIdentity.markRestoring(settings);
                new MemberRestore(settings, errorHandler, out).run();
                final File backupMarkFile = new File(settings.dataDir(), MARK_FILES[0]);
                if (backupMarkFile.isFile() && !backupMarkFile.delete())
                {
                    throw new IllegalStateException("cannot remove the restore's mark file " + backupMarkFile);
                }
                MemberIdentity.markMember(settings);
                startConsensus.run();
            }
            else if (DataDirState.EMPTY == identity.state() && settings.memberCount() > 1)
            {
                node.joinWhenSafe(startConsensus, out, stopListener);
            }
            else
            {
                if (DataDirState.UNMARKED == identity.state())
                {
                    out.println("sseflow: cluster node " + settings.nodeIndex() + ": " + identity.detail() +
                        "; taking it as this member's and writing " + MemberIdentity.FILE);
                }
                startConsensus.run();
                if (DataDirState.MEMBER != identity.state())
                {
                    MemberIdentity.markMember(settings);
                }
            }
            diskWatch.start();
            return node;
        }
        catch (final RuntimeException | Error ex)
        {
            node.closeQuietly();
            throw ex;
        }
    }

    private static void refuseUnusable(final ClusterSettings settings, final MemberIdentity identity)
    {
        final String dir = settings.dataDir().getPath();
        if (settings.restore() && settings.memberCount() < 2)
        {
            throw new IllegalStateException("a restore copies a member's state from the cluster's leader; a one-member " +
                "cluster has no other member to copy it from");
        }
        final boolean single = settings.memberCount() < 2;
        switch (identity.state())
        {
            case FOREIGN:
                throw new IllegalStateException(identity.detail() + (single ? "; give this node its own data dir" :
                    "; give this member its own data dir (an empty one, started with --restore, copies its state " +
                    "from the cluster's leader)"));
            case LOST:
                throw new IllegalStateException(identity.detail() + (single ? ": its history and ids are gone, and " +
                    "starting on it would give old ids to new events; move " + dir + " away to start a new, empty " +
                    "node" : ": it may have acknowledged events it no longer has, so it must not vote; move " + dir +
                    " away and start this member with --restore to copy it from the cluster's leader"));
            case RESTORING:
                if (!settings.restore())
                {
                    throw new IllegalStateException(identity.detail() + "; start this member with --restore again " +
                        "to copy it from the cluster's leader");
                }
                return;
            case MEMBER:
            case UNMARKED:
                if (settings.restore())
                {
                    throw new IllegalStateException("--restore needs an empty data dir, and " + identity.detail() +
                        "; start without --restore to run on it, or move " + dir + " away to replace it");
                }
                return;
            default:
                return;
        }
    }

    private void joinWhenSafe(final Runnable startConsensus, final PrintStream out, final MemberStopListener listener)
    {
        final Aeron aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .errorHandler((error) ->
            {
            }));
        peerClient = aeron;
        final PeerArchives peers = new PeerArchives(settings, aeron);
        try
        {
            final PeerArchives.Finding[] findings = peers.look(PEER_LOOK_MS);
            switch (JoinRule.decide(findings))
            {
                case REFUSE:
                    throw new IllegalStateException(refusal(findings));
                case JOIN:
                    aeron.close();
                    startConsensus.run();
                    MemberIdentity.markMember(settings);
                    return;
                default:
                    break;
            }
        }
        catch (final RuntimeException | Error ex)
        {
            aeron.close();
            throw ex;
        }
        out.println("sseflow: cluster node " + settings.nodeIndex() + ": the data dir " + settings.dataDir() +
            " is empty and too few other members answered to tell whether the cluster has history; this member " +
            "joins once a majority is known to be empty, and is refused if any member has history");
        out.flush();
        final Thread thread = new Thread(() ->
        {
            try
            {
                while (true)
                {
                    synchronized (lifecycle)
                    {
                        if (closed)
                        {
                            return;
                        }
                    }
                    final PeerArchives.Finding[] findings = peers.look(PEER_LOOK_MS);
                    final JoinRule.Decision decision = JoinRule.decide(findings);
                    if (JoinRule.Decision.REFUSE == decision)
                    {
                        synchronized (lifecycle)
                        {
                            if (closed)
                            {
                                return;
                            }
                        }
                        listener.onMemberStopped(MemberStop.REFUSED, refusal(findings));
                        return;
                    }
                    if (JoinRule.Decision.JOIN == decision)
                    {
                        synchronized (lifecycle)
                        {
                            if (closed)
                            {
                                return;
                            }
                            startConsensus.run();
                            MemberIdentity.markMember(settings);
                        }
                        out.println("sseflow: cluster node " + settings.nodeIndex() + ": a majority of members is " +
                            "empty (a new cluster); joining");
                        out.flush();
                        return;
                    }
                    Thread.sleep(PEER_LOOK_INTERVAL_MS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final RuntimeException ex)
            {
                synchronized (lifecycle)
                {
                    if (closed)
                    {
                        return;
                    }
                }
                listener.onMemberStopped(MemberStop.FAILED, "cluster node " + settings.nodeIndex() +
                    " stopped: it could not start after finding a majority of members empty: " + ex);
            }
            finally
            {
                aeron.close();
            }
        }, "sseflow-cluster-join-" + settings.nodeIndex());
        thread.setDaemon(true);
        thread.start();
    }

    private String refusal(final PeerArchives.Finding[] findings)
    {
        return "the data dir " + settings.dataDir() + " is empty but member " + JoinRule.memberWithHistory(findings) +
            " has cluster history, so this member may have acknowledged events it no longer has and must not vote; " +
            "start this member with --restore to copy its state from the cluster's leader";
    }

    private void startDriverAndArchive(final ErrorHandler errorHandler, final PrintStream out, final long deadline)
    {
        awaitingMarkFiles(() ->
        {
            if (null == mediaDriver)
            {
                mediaDriver = MediaDriver.launch(driverContext(settings, errorHandler, watch));
            }
            final File archiveDir = new File(settings.dataDir(), "archive");
            try
            {
                archive = launchArchive(errorHandler, archiveDir);
            }
            catch (final RuntimeException ex)
            {
                if (!ArchiveRepair.isIncompleteLastFragment(ex))
                {
                    throw ex;
                }
                ArchiveRepair.truncateIncompleteLastFragments(settings.nodeIndex(), archiveDir, ex, out);
                archive = launchArchive(errorHandler, archiveDir);
            }
        }, out, deadline);
    }

    private Archive launchArchive(final ErrorHandler errorHandler, final File archiveDir)
    {
        return Archive.launch(archiveContext(settings, archiveDir, errorHandler, watch)
            .mediaDriverAgentInvoker(mediaDriver.sharedAgentInvoker())
            .aeronDirectoryName(mediaDriver.aeronDirectoryName())
            .errorCounter(new AtomicCounter(
                mediaDriver.context().countersValuesBuffer(), SystemCounterDescriptor.ERRORS.id())));
    }

    private void startConsensus(
        final ClusteredService service, final ErrorHandler errorHandler, final MemberWatch.Heartbeat heartbeat,
        final PrintStream out, final long deadline)
    {
        final File clusterDir = new File(settings.dataDir(), "cluster");
        awaitingMarkFiles(() ->
        {
            if (null == consensusModule)
            {
                consensusModule = ConsensusModule.launch(
                    consensusContext(settings, clusterDir, errorHandler, watch, heartbeat)
                        .aeronDirectoryName(mediaDriver.aeronDirectoryName()));
            }
            container = ClusteredServiceContainer.launch(
                serviceContext(settings, clusterDir, service, errorHandler, watch));
        }, out, Math.max(deadline, System.currentTimeMillis() + MARK_FILE_WAIT_MS / 3));
        watch.client(MemberWatch.Component.CONSENSUS_MODULE, consensusModule.context().aeron()::isClosed);
        watch.client(MemberWatch.Component.ARCHIVE, archive.context().aeron()::isClosed);
        watch.client(MemberWatch.Component.CLUSTERED_SERVICE, container.context().aeron()::isClosed);
        watch.start();
    }

    private void awaitingMarkFiles(final Runnable launch, final PrintStream out, final long deadline)
    {
        while (true)
        {
            try
            {
                launch.run();
                return;
            }
            catch (final RuntimeException ex)
            {
                if (!isActiveMarkFile(ex) || System.currentTimeMillis() > deadline)
                {
                    throw ex;
                }
                watch.forgetEndedThreads();
                out.println("sseflow: cluster node " + settings.nodeIndex() + ": " + ex.getMessage() +
                    " (a previous process's files under " + settings.dataDir() + " or " +
                    settings.aeronDirectoryName() + " still look active); waiting for them to expire");
                sleep(1000);
            }
        }
    }

    /**
     * Ask the consensus module to take a snapshot (every service writes its state into the archive, and the log
     * before it need not be replayed on restart).
     *
     * @return true when the request was taken; false when another control action is in progress, or the consensus
     * module does not run yet.
     */
    public boolean requestSnapshot()
    {
        final ConsensusModule consensusModule = this.consensusModule;
        if (null == consensusModule)
        {
            return false;
        }
        final AtomicCounter toggle = consensusModule.context().controlToggleCounter();
        return ClusterControl.ToggleState.SNAPSHOT.toggle(toggle);
    }

    /**
     * @return the settings.
     */
    public ClusterSettings settings()
    {
        return settings;
    }

    /**
     * Stop the service container, then the consensus module, archive and driver; the watchdog first, so that this
     * is never reported as the member stopping by itself.
     */
    public void close()
    {
        watch.closing();
        synchronized (lifecycle)
        {
            closed = true;
            CloseHelper.closeAll(
                diskWatch, watch, peerClient, container, consensusModule, archive, mediaDriver, lockChannel);
        }
    }

    private void closeQuietly()
    {
        watch.closing();
        synchronized (lifecycle)
        {
            closed = true;
            CloseHelper.quietCloseAll(diskWatch, watch, peerClient, container, consensusModule, archive, mediaDriver,
                lockChannel);
        }
    }

    /**
     * Why new publishes must be refused now because the data dir's file system has less than
     * {@link ClusterSettings#minFreeDiskBytes()} free, read at most {@link DiskWatch#POLL_MS} ago. Any thread.
     *
     * @return the reason (one ASCII line naming the free and the needed bytes), or null when there is enough space.
     */
    public String lowDiskReason()
    {
        return diskWatch.lowReason();
    }

    /**
     * The bytes usable on the data dir's file system, as last read (at most {@link DiskWatch#POLL_MS} ago). Any
     * thread.
     *
     * @return bytes, -1 before the first look.
     */
    public long diskFreeBytes()
    {
        return diskWatch.usableBytes();
    }

    /**
     * Can Aeron's archive start a recording now (a snapshot), by the free space read now (a system call)? Below its
     * threshold ({@link ClusterSettings#archiveLowStorageThreshold()}) it refuses, and the member would stop. Any
     * thread.
     *
     * @return true when more than the threshold is free.
     */
    boolean canStartRecording()
    {
        return diskWatch.usableBytesNow() > settings.archiveLowStorageThreshold();
    }

    /**
     * The member's role as its consensus module last set it: {@code 0} follower, {@code 1} candidate, {@code 2}
     * leader ({@link io.aeron.cluster.service.Cluster.Role#code()}). Any thread.
     *
     * @return the code, 0 once closed or while the consensus module does not run yet.
     */
    public long roleCode()
    {
        final ConsensusModule consensusModule = this.consensusModule;
        final io.aeron.Counter counter = null == consensusModule ? null :
            consensusModule.context().clusterNodeRoleCounter();
        return null == counter || counter.isClosed() ? 0 : counter.get();
    }

    /**
     * The log position a majority of members has, as this member knows it. Any thread.
     *
     * @return the position, 0 once closed or while the consensus module does not run yet.
     */
    public long commitPosition()
    {
        final ConsensusModule consensusModule = this.consensusModule;
        final io.aeron.Counter counter = null == consensusModule ? null :
            consensusModule.context().commitPositionCounter();
        return null == counter || counter.isClosed() ? 0 : counter.get();
    }

    /**
     * Is the member out of elections? A member that (re)joins catches up with the leader's log during its election,
     * so once that is over it has every committed event up to the time it joined. Any thread.
     *
     * @return true when no election is in progress; false while the consensus module does not run yet.
     */
    public boolean isElectionClosed()
    {
        final ConsensusModule consensusModule = this.consensusModule;
        final io.aeron.Counter counter = null == consensusModule ? null :
            consensusModule.context().electionStateCounter();
        return null != counter && !counter.isClosed() && ElectionState.CLOSED.code() == counter.get();
    }

    private static FileChannel lockDataDir(final ClusterSettings settings, final PrintStream out)
    {
        final File dataDir = settings.dataDir();
        if (!dataDir.isDirectory() && !dataDir.mkdirs())
        {
            throw new IllegalStateException("cannot create the data dir " + dataDir);
        }
        final File lockFile = new File(dataDir, LOCK_FILE);
        final long deadline = System.currentTimeMillis() + MARK_FILE_WAIT_MS;
        boolean said = false;
        while (true)
        {
            final FileChannel channel;
            try
            {
                channel = FileChannel.open(lockFile.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot lock the data dir " + dataDir + ": " + ex.getMessage(), ex);
            }
            FileLock lock = null;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(channel);
                throw new UncheckedIOException("cannot lock the data dir " + dataDir + ": " + ex.getMessage(), ex);
            }
            if (null != lock)
            {
                return channel;
            }
            CloseHelper.quietClose(channel);
            if (System.currentTimeMillis() > deadline)
            {
                throw new IllegalStateException("the data dir " + dataDir + " is in use by another process (it holds " +
                    lockFile + "); give each node its own --data-dir");
            }
            if (!said)
            {
                said = true;
                out.println("sseflow: cluster node " + settings.nodeIndex() + ": the data dir " + dataDir +
                    " is locked by another process (" + lockFile + "); waiting up to " + MARK_FILE_WAIT_MS / 1000 +
                    " s for it to exit");
            }
            sleep(200);
        }
    }

    private static void removeStaleMarkFiles(final ClusterSettings settings, final PrintStream out)
    {
        final StringBuilder removed = new StringBuilder();
        for (final String name : MARK_FILES)
        {
            final File file = new File(settings.dataDir(), name);
            if (file.isFile())
            {
                if (!file.delete())
                {
                    throw new IllegalStateException("cannot remove the stale mark file " + file);
                }
                removed.append(removed.length() > 0 ? ", " : "").append(name);
            }
        }
        if (removed.length() > 0)
        {
            out.println("sseflow: cluster node " + settings.nodeIndex() + ": removed mark files left by the previous " +
                "process under " + settings.dataDir() + " (" + removed + "); it has exited (the data dir lock was " +
                "free), so there is no need to wait for them to expire");
        }
    }

    static Supplier<IdleStrategy> idleStrategies()
    {
        return () -> new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(1));
    }

    private static boolean isActiveMarkFile(final Throwable ex)
    {
        for (Throwable cause = ex; null != cause; cause = cause.getCause())
        {
            final String message = cause.getMessage();
            if (null != message && message.toLowerCase(Locale.ROOT).contains("active") &&
                message.toLowerCase(Locale.ROOT).contains("detected"))
            {
                return true;
            }
        }
        return false;
    }

    static int fileSyncLevel(final ClusterSettings settings)
    {
        return settings.fsync() ? FILE_SYNC_LEVEL : 0;
    }

    private static MediaDriver.Context driverContext(
        final ClusterSettings settings, final ErrorHandler errorHandler, final MemberWatch watch)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idleStrategies().get())
            .termBufferSparseFile(true)
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .driverTimeoutMs(DRIVER_TIMEOUT_MS)
            .clientLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(DRIVER_TIMEOUT_MS))
            .sharedThreadFactory(watch.threadFactory(MemberWatch.Component.MEDIA_DRIVER))
            .terminationHook(watch.terminationHook(MemberWatch.Component.MEDIA_DRIVER))
            .errorHandler(watch.errorHandler(MemberWatch.Component.MEDIA_DRIVER, errorHandler));
    }

    private static Archive.Context archiveContext(
        final ClusterSettings settings, final File archiveDir, final ErrorHandler errorHandler, final MemberWatch watch)
    {
        final String host = settings.host(settings.nodeIndex());
        return new Archive.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .archiveDir(archiveDir)
            .archiveId(settings.nodeIndex())
            .controlChannel("aeron:udp?endpoint=" + settings.endpoint(settings.nodeIndex(), 4))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .archiveClientContext(new AeronArchive.Context()
                .aeronDirectoryName(settings.aeronDirectoryName())
                .controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(idleStrategies())
            .segmentFileLength(settings.archiveSegmentLength())
            .lowStorageSpaceThreshold(settings.archiveLowStorageThreshold())
            .fileSyncLevel(fileSyncLevel(settings))
            .catalogFileSyncLevel(fileSyncLevel(settings))
            .threadFactory(watch.threadFactory(MemberWatch.Component.ARCHIVE))
            .errorHandler(watch.errorHandler(MemberWatch.Component.ARCHIVE, errorHandler));
    }

    static AeronArchive.Context localArchiveClient(final ClusterSettings settings, final ErrorHandler errorHandler)
    {
        return new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel("aeron:ipc?term-length=64k")
            .controlResponseChannel("aeron:ipc?term-length=64k")
            .errorHandler(errorHandler);
    }

    private static ConsensusModule.Context consensusContext(
        final ClusterSettings settings, final File clusterDir, final ErrorHandler errorHandler, final MemberWatch watch,
        final MemberWatch.Heartbeat heartbeat)
    {
        final String host = settings.host(settings.nodeIndex());
        final ErrorHandler watchedErrors = watch.errorHandler(MemberWatch.Component.CONSENSUS_MODULE, errorHandler);
        return new ConsensusModule.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .clusterMemberId(settings.nodeIndex())
            .clusterMembers(settings.clusterMembers())
            .clusterDir(clusterDir)
            .archiveContext(localArchiveClient(settings, watchedErrors))
            .serviceCount(1)
            .ingressChannel("aeron:udp?term-length=" + TERM_LENGTH)
            .logChannel("aeron:udp?term-length=" + TERM_LENGTH)
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .idleStrategySupplier(idleStrategies())
            .leaderHeartbeatTimeoutNs(LEADER_HEARTBEAT_TIMEOUT_NS)
            .leaderHeartbeatIntervalNs(LEADER_HEARTBEAT_INTERVAL_NS)
            .electionTimeoutNs(ELECTION_TIMEOUT_NS)
            .startupCanvassTimeoutNs(STARTUP_CANVASS_TIMEOUT_NS)
            .sessionTimeoutNs(SESSION_TIMEOUT_NS)
            .fileSyncLevel(fileSyncLevel(settings))
            .threadFactory(watch.threadFactory(MemberWatch.Component.CONSENSUS_MODULE))
            .terminationHook(watch.terminationHook(MemberWatch.Component.CONSENSUS_MODULE))
            .clusterTimeConsumerSupplier((context) -> (timestamp) -> heartbeat.beat())
            .errorHandler(watchedErrors);
    }

    private static ClusteredServiceContainer.Context serviceContext(
        final ClusterSettings settings, final File clusterDir, final ClusteredService service,
        final ErrorHandler errorHandler, final MemberWatch watch)
    {
        final ErrorHandler watchedErrors = watch.errorHandler(MemberWatch.Component.CLUSTERED_SERVICE, errorHandler);
        return new ClusteredServiceContainer.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .archiveContext(localArchiveClient(settings, watchedErrors))
            .clusterDir(clusterDir)
            .clusteredService(service)
            .serviceId(0)
            .idleStrategySupplier(idleStrategies())
            .threadFactory(watch.threadFactory(MemberWatch.Component.CLUSTERED_SERVICE))
            .terminationHook(watch.terminationHook(MemberWatch.Component.CLUSTERED_SERVICE))
            .errorHandler(watchedErrors);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the data dir", ex);
        }
    }
}
