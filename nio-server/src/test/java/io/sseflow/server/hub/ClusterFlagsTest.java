package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --data-dir}, {@code --cluster-members}, {@code --cluster-node} and the snapshot flags: what they make of the
 * hub, and the error each bad combination gets. Parsing starts nothing.
 */
class ClusterFlagsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepHistoryInMemoryWithoutADataDir()
    {
        assertNull(HubOptions.parseSettings(new String[]{ "--port", "0" }).cluster());
    }

    @Test
    void shouldMakeASingleDurableNodeOfADataDirAlone()
    {
        final ClusterSettings settings = HubOptions.parseSettings(new String[]{
            "--data-dir", dir.toString(), "--history", "16", "--max-topics=32" }).cluster();
        assertEquals(dir.toFile(), settings.dataDir());
        assertEquals(1, settings.memberCount());
        assertEquals(0, settings.nodeIndex());
        assertEquals(16, settings.historyPerTopic());
        assertEquals(32, settings.maxTopics());
        assertTrue(settings.describe().startsWith("sseflow cluster node 0 of 1: data dir " + dir + ", UDP 127.0.0.1:"),
            settings.describe());
    }

    @Test
    void shouldMakeAMemberOfTheListedCluster()
    {
        final ClusterSettings settings = HubOptions.parseSettings(new String[]{ "--cluster-node=2",
            "--cluster-members", "127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020", "--data-dir=" + dir }).cluster();
        assertEquals(3, settings.memberCount());
        assertEquals(2, settings.nodeIndex());
        assertTrue(settings.describe().startsWith(
            "sseflow cluster node 2 of 3: data dir " + dir + ", UDP 127.0.0.1:9020-9024, Aeron dir "), settings.describe());
    }

    @Test
    void shouldTakeAOneMemberListWithoutANodeIndex()
    {
        final ClusterSettings settings = HubOptions.parseSettings(new String[]{
            "--data-dir", dir.toString(), "--cluster-members", "127.0.0.1:9100" }).cluster();
        assertTrue(settings.describe().contains(", UDP 127.0.0.1:9100-9104, "), settings.describe());
    }

    @Test
    void shouldRefuseEveryBadCombinationNamingTheFlag() throws Exception
    {
        final File file = Files.createFile(dir.resolve("a-file")).toFile();
        final String members = "127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020";
        assertRefused("--cluster-members needs --data-dir DIR: each cluster member keeps its log on disk",
            "--cluster-members", members, "--cluster-node", "0");
        assertRefused("--cluster-node needs --data-dir DIR: each cluster member keeps its log on disk",
            "--cluster-node", "0");
        assertRefused("--cluster-node needs --cluster-members host:port,... (the same list on every node); " +
            "--data-dir alone is a single durable node", "--data-dir", dir.toString(), "--cluster-node", "0");
        assertRefused("--cluster-members lists 3 members: --cluster-node N says which one this node is (0 to 2)",
            "--data-dir", dir.toString(), "--cluster-members", members);
        assertRefused("--cluster-node 3 is not an index of the 3 members of --cluster-members (0 to 2)",
            "--data-dir", dir.toString(), "--cluster-members", members, "--cluster-node", "3");
        assertRefused("--cluster-node -1 is not an index of the 3 members of --cluster-members (0 to 2)",
            "--data-dir", dir.toString(), "--cluster-members", members, "--cluster-node", "-1");
        assertRefused("--cluster-node needs a whole number, got 'one'",
            "--data-dir", dir.toString(), "--cluster-members", members, "--cluster-node", "one");
        assertRefused("--cluster-members: cluster member port 65533 leaves no room for its 5 ports: '127.0.0.1:65533'",
            "--data-dir", dir.toString(), "--cluster-members", "127.0.0.1:65533", "--cluster-node", "0");
        assertRefused("--cluster-members: cluster member port is not a number: '127.0.0.1:x'",
            "--data-dir", dir.toString(), "--cluster-members", "127.0.0.1:9000,127.0.0.1:x", "--cluster-node", "0");
        assertRefused("--cluster-members: cluster member is not host:port: ''",
            "--data-dir", dir.toString(), "--cluster-members", "127.0.0.1:9000,", "--cluster-node", "0");
        assertRefused("--cluster-members: cluster member port 0 leaves no room for its 5 ports: '127.0.0.1:0'",
            "--data-dir", dir.toString(), "--cluster-members", "127.0.0.1:0");
        assertRefused("--data-dir " + file + " is not a directory", "--data-dir", file.getPath());
        assertRefused("--data-dir needs a non-empty value", "--data-dir=");
    }

    @Test
    void shouldTakeTheSnapshotSettingsFromTheirFlags()
    {
        final ClusterSettings defaults = HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString() }).cluster();
        assertEquals(100_000, defaults.snapshotEveryEvents());
        assertEquals(600_000, defaults.snapshotIntervalMs());

        final ClusterSettings settings = HubOptions.parseSettings(new String[]{
            "--snapshot-events", "250", "--snapshot-interval-ms=1500", "--data-dir", dir.toString() }).cluster();
        assertEquals(250, settings.snapshotEveryEvents());
        assertEquals(1500, settings.snapshotIntervalMs());
        assertEquals(ClusterSettings.DEFAULT_CATCH_UP_LOG_BYTES, settings.catchUpLogBytes());
        assertEquals(0, HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(),
            "--catch-up-log-bytes", "0" }).cluster().catchUpLogBytes());
        assertEquals(1L << 33, HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(),
            "--catch-up-log-bytes=8589934592" }).cluster().catchUpLogBytes());

        final ClusterSettings member = HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(),
            "--cluster-members", "127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020", "--cluster-node", "1",
            "--snapshot-interval-ms", "100" }).cluster();
        assertEquals(100_000, member.snapshotEveryEvents());
        assertEquals(100, member.snapshotIntervalMs());
    }

    @Test
    void shouldSyncToStableStorageUnlessFsyncIsFalse()
    {
        final ClusterSettings defaults = HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString() }).cluster();
        assertTrue(defaults.fsync());
        assertFalse(defaults.describe().contains("fsync"), defaults.describe());
        assertTrue(HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(), "--fsync", "true" })
            .cluster().fsync());

        final ClusterSettings fast = HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(),
            "--fsync=false" }).cluster();
        assertFalse(fast.fsync());
        assertTrue(fast.describe().contains(
            ", fsync off (survives process crashes, not machine crashes), Aeron dir "), fast.describe());
    }

    @Test
    void shouldRefuseABadFsyncFlagNamingIt()
    {
        assertRefused("--fsync needs --data-dir DIR: it says how the log on disk is written; history in memory has " +
            "none", "--fsync=false");
        assertRefused("--fsync takes true or false, got 'no'", "--data-dir", dir.toString(), "--fsync", "no");
        assertRefused("--fsync needs a value", "--data-dir", dir.toString(), "--fsync");
    }

    @Test
    void shouldKeepTwoHundredFiftySixMibFreeByDefaultWithAeronsThresholdAtHalf()
    {
        final ClusterSettings defaults = HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString() }).cluster();
        assertEquals(256L * 1024 * 1024, defaults.minFreeDiskBytes());
        assertEquals(128L * 1024 * 1024, defaults.archiveLowStorageThreshold());

        final ClusterSettings small = HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(),
            "--min-free-disk-bytes", "16777216" }).cluster();
        assertEquals(16L * 1024 * 1024, small.minFreeDiskBytes());
        assertEquals(8L * 1024 * 1024, small.archiveLowStorageThreshold());

        final ClusterSettings fromEnvironment = HubOptions.parseSettings(ConfigSources.resolve(
            new String[]{ "--data-dir", dir.toString() }, java.util.Map.of("SSEFLOW_MIN_FREE_DISK_BYTES", "33554432"))
            .settings()).cluster();
        assertEquals(32L * 1024 * 1024, fromEnvironment.minFreeDiskBytes());
    }

    @Test
    void shouldRefuseABadMinFreeDiskFlagNamingIt()
    {
        assertRefused("--min-free-disk-bytes needs --data-dir DIR: it is the free space kept on the log's disk; " +
            "history in memory has none", "--min-free-disk-bytes", "300000000");
        assertRefused("--min-free-disk-bytes must be between 16777216 and 1125899906842624, got 16777215",
            "--data-dir", dir.toString(), "--min-free-disk-bytes", "16777215");
        assertRefused("--min-free-disk-bytes needs a whole number, got '1G'",
            "--data-dir", dir.toString(), "--min-free-disk-bytes", "1G");
    }

    @Test
    void shouldRestoreAMemberOnlyWhenAskedWithRestore()
    {
        final String members = "127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020";
        assertFalse(HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(), "--cluster-members", members,
            "--cluster-node", "1" }).cluster().restore());
        assertTrue(HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(), "--cluster-members", members,
            "--cluster-node", "1", "--restore" }).cluster().restore());
        assertTrue(HubOptions.parseSettings(new String[]{ "--restore=true", "--data-dir", dir.toString(),
            "--cluster-members", members, "--cluster-node", "1" }).cluster().restore());
        assertFalse(HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString(), "--cluster-members", members,
            "--cluster-node", "1", "--restore=false" }).cluster().restore());
        assertEquals("127.0.0.1:9000,127.0.0.1:9010,127.0.0.1:9020", HubOptions.parseSettings(new String[]{
            "--data-dir", dir.toString(), "--cluster-members", members, "--cluster-node", "1" }).cluster().memberList());
    }

    @Test
    void shouldRefuseRestoreWithoutAClusterToRestoreFrom()
    {
        assertRefused("--restore needs --data-dir DIR and --cluster-members host:port,... of several members: it " +
            "copies a member's state from the cluster's leader", "--restore");
        assertRefused("--restore needs --cluster-members of several members: it copies a member's state from the " +
            "cluster's leader, and a single durable node has no other member", "--data-dir", dir.toString(),
            "--restore");
        assertRefused("--restore needs --cluster-members of several members: it copies a member's state from the " +
            "cluster's leader, and a single durable node has no other member", "--data-dir", dir.toString(),
            "--cluster-members", "127.0.0.1:9000", "--restore");
        assertRefused("--restore stands alone, or takes =true or =false, got 'yes'", "--data-dir", dir.toString(),
            "--restore=yes");
    }

    @Test
    void shouldRefuseBadSnapshotFlagsNamingTheFlag()
    {
        assertRefused("--snapshot-events needs --data-dir DIR: snapshots are of the log on disk; history in memory " +
            "takes none", "--snapshot-events", "10");
        assertRefused("--snapshot-interval-ms needs --data-dir DIR: snapshots are of the log on disk; history in " +
            "memory takes none", "--snapshot-interval-ms=1000");
        assertRefused("--snapshot-events must be between 1 and 1000000000, got 0",
            "--data-dir", dir.toString(), "--snapshot-events", "0");
        assertRefused("--snapshot-events must be between 1 and 1000000000, got 1000000001",
            "--data-dir", dir.toString(), "--snapshot-events", "1000000001");
        assertRefused("--snapshot-events needs a whole number, got '1e5'",
            "--data-dir", dir.toString(), "--snapshot-events", "1e5");
        assertRefused("--snapshot-interval-ms must be between 100 and 604800000, got 99",
            "--data-dir", dir.toString(), "--snapshot-interval-ms", "99");
        assertRefused("--snapshot-interval-ms must be between 100 and 604800000, got 604800001",
            "--data-dir", dir.toString(), "--snapshot-interval-ms", "604800001");
        assertRefused("--snapshot-interval-ms needs a whole number, got '10m'",
            "--data-dir", dir.toString(), "--snapshot-interval-ms", "10m");
        assertRefused("--snapshot-events needs a value", "--data-dir", dir.toString(), "--snapshot-events");
        assertRefused("--catch-up-log-bytes needs --data-dir DIR: snapshots are of the log on disk; history in memory " +
            "takes none", "--catch-up-log-bytes", "0");
        assertRefused("--catch-up-log-bytes must be between 0 and 1125899906842624, got -1",
            "--data-dir", dir.toString(), "--catch-up-log-bytes", "-1");
    }

    @Test
    void shouldBoundTheStateMachineByHistoryTotalBytesWithinAQuarterOfTheHeap()
    {
        final long quarter = Runtime.getRuntime().maxMemory() / ClusterFlags.HEAP_SHARE_DIVISOR;
        final ClusterSettings given = HubOptions.parseSettings(new String[]{
            "--data-dir", dir.toString(), "--history-total-bytes", "4194304" }).cluster();
        assertEquals(4 * 1024 * 1024, given.historyTotalBytes());
        final ClusterSettings defaults = HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString() }).cluster();
        assertEquals(Math.min(ClusterSettings.DEFAULT_HISTORY_TOTAL_BYTES, quarter), defaults.historyTotalBytes());

        final ClusterFlags flags = new ClusterFlags();
        flags.maxHeapBytes(96L * 1024 * 1024);
        assertEquals(24L * 1024 * 1024, flags.stateMachineBytes(), "left out: a quarter of -Xmx96m");
        flags.historyTotalBytes(24L * 1024 * 1024);
        assertEquals(24L * 1024 * 1024, flags.stateMachineBytes());
        flags.historyTotalBytes(24L * 1024 * 1024 + 1);
        assertEquals("--history-total-bytes (25165825, 24.0 MiB) does not fit the heap: with --data-dir the retained " +
            "history is also kept on the heap (the cluster's state machine, and a copy while it writes a snapshot), so " +
            "it may be at most a quarter of the heap's maximum (96 MiB / 4 = 24 MiB): raise -Xmx or lower " +
            "--history-total-bytes", assertThrows(IllegalArgumentException.class, flags::stateMachineBytes).getMessage());
    }

    @Test
    void shouldChangeTheClustersSettingsOnlyWhenAskedAndWithADataDir()
    {
        assertFalse(HubOptions.parseSettings(new String[]{ "--data-dir", dir.toString() }).cluster().changeSettings());
        assertTrue(HubOptions.parseSettings(new String[]{
            "--data-dir", dir.toString(), "--change-settings", "true" }).cluster().changeSettings());
        assertRefused("--change-settings needs --data-dir DIR: it changes the settings kept in the log on disk; " +
            "history in memory has none", "--change-settings", "true");
    }

    private static void assertRefused(final String message, final String... args)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> HubOptions.parseSettings(args))
            .getMessage());
    }
}
