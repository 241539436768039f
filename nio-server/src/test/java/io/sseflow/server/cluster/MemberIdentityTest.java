package io.sseflow.server.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a member finds in its data dir ({@link MemberIdentity#inspect}), and the start of a member refused, before
 * any of its components runs, on a data dir it must not use as its own: another member's or another cluster's, one
 * whose cluster log is gone, one with an unfinished restore, and a restore asked for on a data dir that holds data.
 */
class MemberIdentityTest
{
    private static final List<String> MEMBERS = List.of("127.0.0.1:9000", "127.0.0.1:9010", "127.0.0.1:9020");

    @TempDir
    Path dir;

    @Test
    void shouldTellEmptyUnmarkedMemberForeignLostAndRestoringDataDirs() throws IOException
    {
        final ClusterSettings member1 = new ClusterSettings(dir.toFile(), MEMBERS, 1);
        assertEquals(DataDirState.EMPTY, MemberIdentity.inspect(member1).state());
        assertEquals("the data dir " + dir + " is empty", MemberIdentity.inspect(member1).detail());

        writeRecordingLog();
        assertEquals(DataDirState.UNMARKED, MemberIdentity.inspect(member1).state());

        MemberIdentity.markMember(member1);
        assertEquals("# which sseflow cluster member this data dir belongs to; do not copy it to another member\n" +
            "member=1\nmembers=127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020\nstate=member\n",
            Files.readString(dir.resolve(MemberIdentity.FILE), StandardCharsets.UTF_8));
        assertEquals(DataDirState.MEMBER, MemberIdentity.inspect(member1).state());

        final MemberIdentity asMember2 = MemberIdentity.inspect(new ClusterSettings(dir.toFile(), MEMBERS, 2));
        assertEquals(DataDirState.FOREIGN, asMember2.state());
        assertEquals("the data dir " + dir + " belongs to member 1 of 127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020 (" +
            dir.resolve(MemberIdentity.FILE) + "), not to member 2 of 127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020",
            asMember2.detail());
        assertEquals(DataDirState.FOREIGN, MemberIdentity.inspect(new ClusterSettings(dir.toFile(),
            List.of("127.0.0.1:9000", "127.0.0.1:9010", "127.0.0.1:9030"), 1)).state());
        assertEquals(DataDirState.FOREIGN, MemberIdentity.inspect(new ClusterSettings(dir.toFile(),
            List.of("127.0.0.1:9000", "127.0.0.1:9010"), 1)).state());

        Files.delete(dir.resolve(MemberIdentity.CATALOG));
        assertEquals("the data dir " + dir + " was member 1's but its cluster log (archive/archive.catalog) is gone",
            MemberIdentity.inspect(member1).detail());
        Files.delete(dir.resolve(MemberIdentity.RECORDING_LOG));
        final MemberIdentity lost = MemberIdentity.inspect(member1);
        assertEquals(DataDirState.LOST, lost.state());
        assertEquals("the data dir " + dir + " was member 1's but its cluster log (cluster/recording.log) is gone",
            lost.detail());

        MemberIdentity.markRestoring(member1);
        assertEquals(DataDirState.RESTORING, MemberIdentity.inspect(member1).state());
        writeRecordingLog();
        assertEquals(DataDirState.RESTORING, MemberIdentity.inspect(member1).state());
        MemberIdentity.markMember(member1);
        assertEquals(DataDirState.MEMBER, MemberIdentity.inspect(member1).state());
    }

    @Test
    void shouldTakeASingleDurableNodesDataDirWhateverPortsItPicks() throws IOException
    {
        MemberIdentity.markMember(ClusterSettings.singleNode(dir.toFile(), 21_000));
        writeRecordingLog();
        assertEquals(DataDirState.MEMBER, MemberIdentity.inspect(ClusterSettings.singleNode(dir.toFile(), 23_000)).state());
        assertEquals(DataDirState.FOREIGN, MemberIdentity.inspect(new ClusterSettings(dir.toFile(), MEMBERS, 0)).state());
    }

    @Test
    void shouldRefuseToStartOnADataDirItMustNotUseSayingWhatToDo() throws IOException
    {
        final File data = dir.toFile();
        writeRecordingLog();
        MemberIdentity.markMember(new ClusterSettings(data, MEMBERS, 0));
        assertEquals("the data dir " + data + " belongs to member 0 of 127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020 (" +
            new File(data, MemberIdentity.FILE) + "), not to member 2 of 127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020; " +
            "give this member its own data dir (an empty one, started with --restore, copies its state from the " +
            "cluster's leader)", refusal(new ClusterSettings(data, MEMBERS, 2)));
        assertEquals("--restore needs an empty data dir, and the data dir " + data + " holds member 0's data; start " +
            "without --restore to run on it, or move " + data + " away to replace it",
            refusal(new ClusterSettings(data, MEMBERS, 0).restore(true)));

        Files.delete(dir.resolve(MemberIdentity.RECORDING_LOG));
        assertEquals("the data dir " + data + " was member 0's but its cluster log (cluster/recording.log) is gone: " +
            "it may have acknowledged events it no longer has, so it must not vote; move " + data + " away and start " +
            "this member with --restore to copy it from the cluster's leader",
            refusal(new ClusterSettings(data, MEMBERS, 0)));

        MemberIdentity.markRestoring(new ClusterSettings(data, MEMBERS, 0));
        assertEquals("a restore into the data dir " + data + " did not finish; start this member with --restore " +
            "again to copy it from the cluster's leader", refusal(new ClusterSettings(data, MEMBERS, 0)));

        final File single = dir.resolve("single").toFile();
        assertEquals("a restore copies a member's state from the cluster's leader; a one-member cluster has no other " +
            "member to copy it from", refusal(ClusterSettings.singleNode(single, 21_000).restore(true)));
        MemberIdentity.markMember(ClusterSettings.singleNode(single, 21_000));
        assertEquals("the data dir " + single + " was member 0's but its cluster log (cluster/recording.log) is gone: " +
            "its history and ids are gone, and starting on it would give old ids to new events; move " + single +
            " away to start a new, empty node", refusal(ClusterSettings.singleNode(single, 22_000)));
    }

    private String refusal(final ClusterSettings settings)
    {
        final String aeronDir = ClusterTestSupport.aeronDir("identity");
        settings.aeronDirectoryName(aeronDir);
        try
        {
            return assertThrows(IllegalStateException.class, () -> new ClusterEventSequencer(settings, 1 << 16,
                (error) -> { }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .getMessage();
        }
        finally
        {
            ClusterTestSupport.delete(new File(aeronDir));
        }
    }

    private void writeRecordingLog() throws IOException
    {
        Files.createDirectories(dir.resolve("cluster"));
        Files.write(dir.resolve(MemberIdentity.RECORDING_LOG), new byte[64]);
        Files.createDirectories(dir.resolve("archive"));
        Files.write(dir.resolve(MemberIdentity.CATALOG), new byte[64]);
    }
}
