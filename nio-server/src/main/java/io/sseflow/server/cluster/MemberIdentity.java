package io.sseflow.server.cluster;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The identity file in a member's data dir, {@value #FILE}: which member of which member list wrote the data dir, and
 * whether a restore into it is unfinished. Written (and forced to disk) once the member's consensus module first
 * runs on the dir (its cluster log exists then, so a crash in between leaves a log without identity, taken as this
 * member's at the next start, never an identity without its log); read at every start to tell this member's data from
 * an empty, foreign or lost one ({@link DataDirState}).
 * <p>
 * For a one-member cluster only the member count is compared: a single durable node may pick other ports on each
 * start. Cannot tell a data dir copied from another machine of the same member (that is the same member's data).
 */
public final class MemberIdentity
{
    /**
     * The identity file's name in the data dir.
     */
    public static final String FILE = "sseflow-member.properties";

    /**
     * The cluster log's index, present once the member's consensus module has run on the data dir.
     */
    static final String RECORDING_LOG = "cluster/recording.log";

    /**
     * The archive's catalog of recordings, where the cluster log and snapshots are.
     */
    static final String CATALOG = "archive/archive.catalog";

    private static final String MEMBER = "member";
    private static final String MEMBERS = "members";
    private static final String STATE = "state";
    private static final String STATE_MEMBER = "member";
    private static final String STATE_RESTORING = "restoring";

    private final DataDirState state;
    private final String detail;

    private MemberIdentity(final DataDirState state, final String detail)
    {
        this.state = state;
        this.detail = detail;
    }

    /**
     * Look at the data dir of the member the settings name.
     *
     * @param settings the member and its data dir.
     * @return what was found.
     * @throws UncheckedIOException when the identity file cannot be read.
     */
    public static MemberIdentity inspect(final ClusterSettings settings)
    {
        final File dataDir = settings.dataDir();
        final File file = new File(dataDir, FILE);
        final boolean hasLog = new File(dataDir, RECORDING_LOG).isFile();
        if (!file.isFile())
        {
            return hasLog ? new MemberIdentity(DataDirState.UNMARKED, "the data dir " + dataDir + " holds a cluster " +
                "log but no " + FILE + " (written before sseflow marked its data dirs)") :
                new MemberIdentity(DataDirState.EMPTY, "the data dir " + dataDir + " is empty");
        }
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(Files.readString(file.toPath(), StandardCharsets.UTF_8)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        final String member = properties.getProperty(MEMBER, "");
        final String members = properties.getProperty(MEMBERS, "");
        final String state = properties.getProperty(STATE, "");
        if (!String.valueOf(settings.nodeIndex()).equals(member) || !sameMembers(settings, members))
        {
            return new MemberIdentity(DataDirState.FOREIGN, "the data dir " + dataDir + " belongs to member " +
                member + " of " + members + " (" + file + "), not to member " + settings.nodeIndex() + " of " +
                settings.memberList());
        }
        if (STATE_RESTORING.equals(state))
        {
            return new MemberIdentity(DataDirState.RESTORING, "a restore into the data dir " + dataDir +
                " did not finish");
        }
        if (!STATE_MEMBER.equals(state))
        {
            return new MemberIdentity(DataDirState.FOREIGN, "the data dir " + dataDir + " has an identity file " +
                file + " in an unknown state '" + state + "'");
        }
        final boolean hasArchive = new File(dataDir, CATALOG).isFile();
        return hasLog && hasArchive ? new MemberIdentity(DataDirState.MEMBER, "the data dir " + dataDir +
            " holds member " + member + "'s data") : new MemberIdentity(DataDirState.LOST, "the data dir " + dataDir +
            " was member " + member + "'s but its cluster log (" + (hasLog ? CATALOG : RECORDING_LOG) + ") is gone");
    }

    /**
     * Mark the data dir as this member's, with its cluster log (or about to hold it).
     *
     * @param settings the member and its data dir.
     */
    public static void markMember(final ClusterSettings settings)
    {
        write(settings, STATE_MEMBER);
    }

    /**
     * Mark the data dir as being restored into: until {@link #markMember} it is refused at start.
     *
     * @param settings the member and its data dir.
     */
    public static void markRestoring(final ClusterSettings settings)
    {
        write(settings, STATE_RESTORING);
    }

    /**
     * @return what the data dir holds.
     */
    public DataDirState state()
    {
        return state;
    }

    /**
     * @return one sentence saying what was found.
     */
    public String detail()
    {
        return detail;
    }

    private static boolean sameMembers(final ClusterSettings settings, final String members)
    {
        if (1 == settings.memberCount())
        {
            return !members.isEmpty() && members.indexOf(',') < 0;
        }
        return settings.memberList().equals(members);
    }

    private static void write(final ClusterSettings settings, final String state)
    {
        final File dataDir = settings.dataDir();
        final String text = "# which sseflow cluster member this data dir belongs to; do not copy it to another member\n" +
            MEMBER + "=" + settings.nodeIndex() + "\n" +
            MEMBERS + "=" + settings.memberList() + "\n" +
            STATE + "=" + state + "\n";
        final File temporary = new File(dataDir, FILE + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(temporary.toPath(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary.toPath(), new File(dataDir, FILE).toPath(), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dataDir.toPath(), StandardOpenOption.READ))
            {
                directory.force(true);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + new File(dataDir, FILE) + ": " + ex.getMessage(), ex);
        }
    }
}
