package io.sseflow.benchmarks.fanout;

import java.util.ArrayList;
import java.util.List;

/**
 * How the durable scenario runs the sseflow hub: in memory, as one durable node ({@code --data-dir}) or as a 3-node
 * Aeron Cluster on loopback ({@code --data-dir}, {@code --cluster-members}, {@code --cluster-node}), each node a hub
 * process of {@code --sseflow-jar}.
 */
enum HubConfiguration
{
    /** One hub, history in memory. */
    MEMORY("memory", "in-memory", 1, false),
    /** One hub with {@code --data-dir}: a one-member cluster. */
    DURABLE("durable", "durable node", 1, true),
    /** Three hubs, one cluster. */
    CLUSTER("cluster", "3-node cluster", 3, true),
    /** {@link #DURABLE} with {@code --fsync=false}: commits do not wait for stable storage. */
    DURABLE_NO_FSYNC("durable-nofsync", "durable node, --fsync=false", 1, true, "--fsync=false"),
    /** {@link #CLUSTER} with {@code --fsync=false} on every node. */
    CLUSTER_NO_FSYNC("cluster-nofsync", "3-node cluster, --fsync=false", 3, true, "--fsync=false");

    /**
     * What {@code --scenario durable} runs without {@code --configurations}.
     */
    static final List<HubConfiguration> DEFAULTS = List.of(MEMORY, DURABLE, CLUSTER);

    private final String flag;
    private final String label;
    private final int nodes;
    private final boolean dataDir;
    private final List<String> hubFlags;

    HubConfiguration(
        final String flag, final String label, final int nodes, final boolean dataDir, final String... hubFlags)
    {
        this.flag = flag;
        this.label = label;
        this.nodes = nodes;
        this.dataDir = dataDir;
        this.hubFlags = List.of(hubFlags);
    }

    /**
     * Parse {@code --configurations}.
     *
     * @param list comma-separated names, e.g. {@code memory,cluster}.
     * @return the configurations in the order given.
     * @throws IllegalArgumentException naming an unknown or repeated configuration, or an empty list.
     */
    static List<HubConfiguration> parseList(final String list)
    {
        final List<HubConfiguration> configurations = new ArrayList<>();
        for (final String name : list.split(",", -1))
        {
            final HubConfiguration configuration = byFlag(name.trim());
            if (configurations.contains(configuration))
            {
                throw new IllegalArgumentException("--configurations lists " + name.trim() + " twice");
            }
            configurations.add(configuration);
        }
        return List.copyOf(configurations);
    }

    private static HubConfiguration byFlag(final String name)
    {
        for (final HubConfiguration configuration : values())
        {
            if (configuration.flag.equals(name))
            {
                return configuration;
            }
        }
        throw new IllegalArgumentException("unknown configuration '" + name + "' in --configurations " +
            "(memory, durable, cluster, durable-nofsync, cluster-nofsync)");
    }

    /**
     * The name {@code --configurations} takes.
     *
     * @return e.g. {@code cluster}.
     */
    String flag()
    {
        return flag;
    }

    /**
     * The name the table shows.
     *
     * @return e.g. {@code 3-node cluster}.
     */
    String label()
    {
        return label;
    }

    /**
     * Hub processes.
     *
     * @return 1 or 3.
     */
    int nodes()
    {
        return nodes;
    }

    /**
     * Hub flags of this configuration, on every node.
     *
     * @return e.g. {@code --fsync=false}; empty for most.
     */
    List<String> hubFlags()
    {
        return hubFlags;
    }

    /**
     * Does each node keep its log on disk.
     *
     * @return true for the durable node and the cluster.
     */
    boolean durable()
    {
        return dataDir;
    }
}
