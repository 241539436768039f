package io.sseflow.server.cluster;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The cluster's lines of {@code /metrics}, in the Prometheus text format, written without allocating from
 * preambles encoded once.
 */
enum ClusterMetrics
{
    /**
     * The member's role in the consensus module: 0 follower, 1 candidate, 2 leader (2 on a single durable node).
     */
    ROLE("sseflow_cluster_role", "Deprecated (use sseflow_cluster_member_role): role of this cluster member, " +
        "0 follower, 1 candidate, 2 leader.", "gauge"),

    /**
     * Log position a majority has, as this member knows it.
     */
    COMMIT_POSITION(
        "sseflow_cluster_commit_position", "Cluster log position committed by a majority, as this member knows it.",
        "gauge"),

    /**
     * Hub sequence of the last event this member applied.
     */
    APPLIED_SEQ("sseflow_cluster_applied_seq", "Hub sequence of the last event this member applied.", "gauge"),

    /**
     * Snapshots this member's service wrote since it started.
     */
    SNAPSHOTS("sseflow_cluster_snapshots_total", "Snapshots this member wrote since it started.", "counter"),

    /**
     * Seconds since this member last wrote (or, after a start, loaded) a snapshot; -1 when it has none.
     */
    SECONDS_SINCE_SNAPSHOT(
        "sseflow_cluster_seconds_since_snapshot",
        "Deprecated (use sseflow_cluster_last_snapshot_timestamp_seconds): seconds since this member wrote a " +
        "snapshot, or loaded one at start; -1 when none.",
        "gauge"),

    /**
     * Offers to the cluster's ingress refused because it was back-pressured.
     */
    INGRESS_BACK_PRESSURED(
        "sseflow_cluster_ingress_back_pressured_total",
        "Offers to the cluster ingress refused by back pressure (they are offered again).",
        "counter"),

    /**
     * Bytes usable on the data dir's file system, as the disk watch last read them.
     */
    DISK_FREE_BYTES(
        "sseflow_cluster_disk_free_bytes",
        "Bytes free on the data dir's file system, read every 100 ms; below sseflow_cluster_disk_min_free_bytes " +
        "publishes are refused (507).",
        "gauge"),

    /**
     * The free space below which publishes are refused ({@code --min-free-disk-bytes}).
     */
    DISK_MIN_FREE_BYTES(
        "sseflow_cluster_disk_min_free_bytes",
        "Free bytes the data dir's file system must keep for publishes to be taken (--min-free-disk-bytes).",
        "gauge"),

    /**
     * Bytes the state machine retains, as its budget counts them; at most {@code --history-total-bytes} (but for one
     * event alone over it).
     */
    RETAINED_BYTES(
        "sseflow_cluster_retained_bytes",
        "Bytes of events the cluster state machine retains (record length + 128 B per topic's copy), bounded by " +
        "--history-total-bytes.",
        "gauge"),

    /**
     * Events the state machine retains, one per topic that retains it.
     */
    RETAINED_EVENTS(
        "sseflow_cluster_retained_events",
        "Events the cluster state machine retains, counted once per topic that retains them.",
        "gauge");

    private static final int MAX_LONG_DIGITS = 20;
    private static final ClusterMetrics[] VALUES = values();
    private static final String ROLE_NAME = "sseflow_cluster_member_role";
    private static final byte[] ROLE_PREAMBLE = ascii("# HELP " + ROLE_NAME + " Role of this cluster member: 1 for " +
        "the role it has, 0 for the others (a single durable node leads).\n# TYPE " + ROLE_NAME + " gauge\n");
    private static final byte[][] ROLE_LINES = {
        ascii(ROLE_NAME + "{role=\"follower\"} "),
        ascii(ROLE_NAME + "{role=\"candidate\"} "),
        ascii(ROLE_NAME + "{role=\"leader\"} ")};
    private static final String SNAPSHOT_TIME_NAME = "sseflow_cluster_last_snapshot_timestamp_seconds";
    private static final byte[] SNAPSHOT_TIME_PREAMBLE = ascii("# HELP " + SNAPSHOT_TIME_NAME + " When this member " +
        "last wrote a snapshot, or loaded one at start, in seconds since the Unix epoch; absent before the first.\n" +
        "# TYPE " + SNAPSHOT_TIME_NAME + " gauge\n" + SNAPSHOT_TIME_NAME + " ");
    private static final int MAX_LENGTH;

    static
    {
        int length = ROLE_PREAMBLE.length + SNAPSHOT_TIME_PREAMBLE.length + MAX_LONG_DIGITS + 1;
        for (final ClusterMetrics metric : VALUES)
        {
            length += metric.preamble.length + MAX_LONG_DIGITS + 1;
        }
        for (final byte[] line : ROLE_LINES)
        {
            length += line.length + 2;
        }
        MAX_LENGTH = length;
    }

    private final byte[] preamble;

    ClusterMetrics(final String name, final String help, final String type)
    {
        preamble = ("# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " ")
            .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Most bytes {@link #put} writes for every metric together.
     */
    static int maxLength()
    {
        return MAX_LENGTH;
    }

    /**
     * Write every metric of a member.
     *
     * @return bytes written, at most {@link #maxLength()}.
     */
    static int render(
        final MutableDirectBuffer buffer,
        final int offset,
        final ClusterNode node,
        final EventService service,
        final long ingressBackPressured)
    {
        int position = offset;
        final long role = node.roleCode();
        position += ROLE.put(buffer, position, role);
        buffer.putBytes(position, ROLE_PREAMBLE);
        position += ROLE_PREAMBLE.length;
        for (int i = 0; i < ROLE_LINES.length; i++)
        {
            buffer.putBytes(position, ROLE_LINES[i]);
            position += ROLE_LINES[i].length;
            buffer.putByte(position++, (byte)(i == role ? '1' : '0'));
            buffer.putByte(position++, (byte)'\n');
        }
        position += COMMIT_POSITION.put(buffer, position, node.commitPosition());
        position += APPLIED_SEQ.put(buffer, position, service.appliedSeq());
        position += SNAPSHOTS.put(buffer, position, service.snapshotsTaken());
        final long snapshotAtMs = service.lastSnapshotAtMs();
        position += SECONDS_SINCE_SNAPSHOT.put(buffer, position,
            0 == snapshotAtMs ? -1 : (System.currentTimeMillis() - snapshotAtMs) / 1000);
        if (0 != snapshotAtMs)
        {
            buffer.putBytes(position, SNAPSHOT_TIME_PREAMBLE);
            position += SNAPSHOT_TIME_PREAMBLE.length;
            position += buffer.putLongAscii(position, snapshotAtMs / 1000);
            buffer.putByte(position++, (byte)'\n');
        }
        position += INGRESS_BACK_PRESSURED.put(buffer, position, ingressBackPressured);
        position += DISK_FREE_BYTES.put(buffer, position, node.diskFreeBytes());
        position += DISK_MIN_FREE_BYTES.put(buffer, position, node.settings().minFreeDiskBytes());
        position += RETAINED_BYTES.put(buffer, position, service.retainedBytes());
        position += RETAINED_EVENTS.put(buffer, position, service.retainedEvents());
        return position - offset;
    }

    /**
     * Write the metric's lines with its value.
     *
     * @return bytes written.
     */
    int put(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        int position = offset;
        buffer.putBytes(position, preamble);
        position += preamble.length;
        position += buffer.putLongAscii(position, value);
        buffer.putByte(position++, (byte)'\n');
        return position - offset;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
