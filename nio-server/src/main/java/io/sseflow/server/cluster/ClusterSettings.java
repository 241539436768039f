package io.sseflow.server.cluster;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    private final File dataDir;
    private final List<String> hosts;
    private final int[] basePorts;
    private final int nodeIndex;
    private String aeronDirectoryName;
    private int maxTopics = DEFAULT_MAX_TOPICS;
    private int historyPerTopic = DEFAULT_HISTORY_PER_TOPIC;

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

    private static String defaultAeronDirectory(final File dataDir, final int nodeIndex)
    {
        final File shm = new File("/dev/shm");
        final String name = "sseflow-" + Integer.toHexString(dataDir.getAbsolutePath().hashCode()) + "-node-" + nodeIndex;
        return shm.isDirectory() ? new File(shm, name).getPath() : new File(dataDir, "aeron").getPath();
    }
}
