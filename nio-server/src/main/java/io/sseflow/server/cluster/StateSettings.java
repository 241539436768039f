package io.sseflow.server.cluster;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The settings that change what the {@link EventStateMachine} decides, so every member of a cluster must run with the
 * same ones: the most topics (a record for a new topic past it is refused), the events retained per topic and the
 * bytes retained by all topics together (what is retained decides which explicit ids are retries). Written into
 * snapshots and into the settings record each member's sequencer sends when its session opens; {@link #difference}
 * names the first that differs.
 * <pre>
 *   maxTopics (int), historyPerTopic (int), historyTotalBytes (long)
 * </pre>
 */
final class StateSettings
{
    /**
     * Bytes {@link #write} writes.
     */
    static final int LENGTH = 2 * BitUtil.SIZE_OF_INT + BitUtil.SIZE_OF_LONG;

    /**
     * No bound on the bytes retained: a state machine bounded by count alone, as before byte budgets.
     */
    static final long UNBOUNDED_BYTES = Long.MAX_VALUE;

    private final int maxTopics;
    private final int historyPerTopic;
    private final long historyTotalBytes;

    /**
     * @param maxTopics         most topics held.
     * @param historyPerTopic   events retained per topic.
     * @param historyTotalBytes bytes retained by all topics together ({@link EventStateMachine#retainedBytes()}).
     * @throws IllegalArgumentException when one is not positive.
     */
    StateSettings(final int maxTopics, final int historyPerTopic, final long historyTotalBytes)
    {
        if (maxTopics < 1 || historyPerTopic < 1 || historyTotalBytes < 1)
        {
            throw new IllegalArgumentException("maxTopics, historyPerTopic and historyTotalBytes must be positive: " +
                maxTopics + ", " + historyPerTopic + ", " + historyTotalBytes);
        }
        this.maxTopics = maxTopics;
        this.historyPerTopic = historyPerTopic;
        this.historyTotalBytes = historyTotalBytes;
    }

    int maxTopics()
    {
        return maxTopics;
    }

    int historyPerTopic()
    {
        return historyPerTopic;
    }

    long historyTotalBytes()
    {
        return historyTotalBytes;
    }

    int write(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset, maxTopics);
        buffer.putInt(offset + BitUtil.SIZE_OF_INT, historyPerTopic);
        buffer.putLong(offset + 2 * BitUtil.SIZE_OF_INT, historyTotalBytes);
        return LENGTH;
    }

    /**
     * Read what {@link #write} wrote.
     *
     * @return the settings, or null when a value is not positive.
     */
    static StateSettings read(final DirectBuffer buffer, final int offset)
    {
        final int maxTopics = buffer.getInt(offset);
        final int historyPerTopic = buffer.getInt(offset + BitUtil.SIZE_OF_INT);
        final long historyTotalBytes = buffer.getLong(offset + 2 * BitUtil.SIZE_OF_INT);
        if (maxTopics < 1 || historyPerTopic < 1 || historyTotalBytes < 1)
        {
            return null;
        }
        return new StateSettings(maxTopics, historyPerTopic, historyTotalBytes);
    }

    /**
     * The first setting that differs, as the hub flag that sets it: {@code --history is 512 here, 1024 in the
     * cluster}.
     *
     * @param cluster the settings the cluster runs with.
     * @return the difference, or null when they are the same.
     */
    String difference(final StateSettings cluster)
    {
        if (historyPerTopic != cluster.historyPerTopic)
        {
            return "--history is " + historyPerTopic + " here, " + cluster.historyPerTopic + " in the cluster";
        }
        if (historyTotalBytes != cluster.historyTotalBytes)
        {
            return "--history-total-bytes is " + bytes(historyTotalBytes) + " here, " +
                bytes(cluster.historyTotalBytes) + " in the cluster";
        }
        if (maxTopics != cluster.maxTopics)
        {
            return "--max-topics is " + maxTopics + " here, " + cluster.maxTopics + " in the cluster";
        }
        return null;
    }

    public boolean equals(final Object other)
    {
        return other instanceof StateSettings && null == difference((StateSettings)other);
    }

    public int hashCode()
    {
        return 31 * (31 * maxTopics + historyPerTopic) + Long.hashCode(historyTotalBytes);
    }

    public String toString()
    {
        return "--max-topics " + maxTopics + " --history " + historyPerTopic + " --history-total-bytes " +
            bytes(historyTotalBytes);
    }

    private static String bytes(final long bytes)
    {
        return UNBOUNDED_BYTES == bytes ? "unbounded (a previous version)" : Long.toString(bytes);
    }
}
