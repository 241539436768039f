package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.server.support.Await;

import java.io.File;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A one-member durable cluster in the test's process, on its own data dir and ports, that a test starts, stops and
 * starts again on the same data dir; every Aeron dir it used and the data dir are deleted on close.
 */
final class SingleMember implements AutoCloseable
{
    private static final Duration START = Duration.ofSeconds(60);

    final File dataDir;
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final String name;
    private final int basePort = ClusterTestSupport.freeBasePort(ClusterSettings.PORTS_PER_MEMBER);
    private final List<String> aeronDirs = new ArrayList<>();
    private ClusterEventSequencer sequencer;

    /**
     * @param name names its data dir and Aeron dirs.
     */
    SingleMember(final String name)
    {
        this.name = name;
        this.dataDir = ClusterTestSupport.tempDir("sseflow-" + name + "-");
    }

    /**
     * Start the member on its data dir (with a fresh Aeron dir) and wait until it has elected itself and its client
     * is connected.
     *
     * @param topics        the topic directory.
     * @param ringCapacity  the sequencer's publish ring.
     * @param configuration settings beyond the single node's data dir, port and Aeron dir.
     * @return the started sequencer.
     */
    ClusterEventSequencer start(
        final ClusterTestSupport.Topics topics,
        final int ringCapacity,
        final UnaryOperator<ClusterSettings> configuration)
    {
        return start(topics, ringCapacity, configuration, true);
    }

    /**
     * {@link #start(ClusterTestSupport.Topics, int, UnaryOperator)}, polling the sequencer only once the member is
     * leader when {@code pollWhileElecting} is false (as the hub's agent may first poll a single node that elected
     * itself while it started).
     */
    ClusterEventSequencer start(
        final ClusterTestSupport.Topics topics,
        final int ringCapacity,
        final UnaryOperator<ClusterSettings> configuration,
        final boolean pollWhileElecting)
    {
        if (null != sequencer)
        {
            throw new IllegalStateException("already started");
        }
        final String aeronDir = ClusterTestSupport.aeronDir(name);
        aeronDirs.add(aeronDir);
        final ClusterSettings settings = configuration.apply(
            ClusterSettings.singleNode(dataDir, basePort).aeronDirectoryName(aeronDir));
        final long startNs = System.nanoTime();
        final ClusterEventSequencer started =
            new ClusterEventSequencer(settings, ringCapacity, errors::add, new PrintStream(System.out, true));
        sequencer = started;
        started.topicDirectory(topics);
        final ClusterTestSupport.Recorder idle = new ClusterTestSupport.Recorder(topics);
        if (!pollWhileElecting)
        {
            Await.condition(() -> started.role() == Cluster.Role.LEADER, "one-member cluster elected itself", START);
        }
        Await.condition(() ->
        {
            started.poll(idle, 0);
            return started.isConnected() && started.role() == Cluster.Role.LEADER;
        }, "one-member cluster elected itself and the client connected", START);
        System.out.println("one-member cluster: started, elected and connected in " +
            (System.nanoTime() - startNs) / 1_000_000 + " ms");
        return started;
    }

    /**
     * Close the running member, keeping its data dir for the next {@link #start}.
     */
    void stop()
    {
        if (null != sequencer)
        {
            sequencer.close();
            sequencer = null;
        }
    }

    @Override
    public void close()
    {
        stop();
        ClusterTestSupport.delete(dataDir);
        aeronDirs.forEach(dir -> ClusterTestSupport.delete(new File(dir)));
    }
}
