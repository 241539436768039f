package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.peers.ServerCounters;
import io.sseflow.benchmarks.fanout.peers.ServerProcess;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The hub processes of one {@link HubConfiguration}, started from {@code --sseflow-jar} on loopback: one in-memory
 * hub, one durable node, or three cluster members ({@code --cluster-members 127.0.0.1:P,127.0.0.1:P+5,
 * 127.0.0.1:P+10}, each member's 5 UDP ports free when chosen). Data dirs are made under one temporary directory.
 * {@link #close()} stops every node (SIGTERM, SIGKILL after 10 s) and deletes that directory and the nodes' Aeron
 * directories (a killed node leaves its own in {@code /dev/shm}); a shutdown hook does the same if the benchmark is
 * ended before {@link #close()}.
 * <p>
 * The sum of the nodes' CPU and write syscalls is what the max-rate phase measures ({@link ServerCounters}).
 */
final class HubNodes implements ServerCounters, AutoCloseable
{
    private static final Pattern AERON_DIR = Pattern.compile("Aeron dir (\\S+)");
    private static final int PORTS_PER_MEMBER = 5;
    private static final long START_TIMEOUT_MS = 60_000;

    private final HubConfiguration configuration;
    private final Path logDir;
    private final Path root;
    private final List<List<String>> commands;
    private final ServerProcess[] nodes;
    private final Path[] aeronDirs;
    private final Thread cleanUpAtExit = new Thread(this::forceCleanUp, "hub-nodes-clean-up");
    private int starts;

    private HubNodes(final HubConfiguration configuration, final Path logDir, final Path root,
        final List<List<String>> commands)
    {
        this.configuration = configuration;
        this.logDir = logDir;
        this.root = root;
        this.commands = commands;
        this.nodes = new ServerProcess[commands.size()];
        this.aeronDirs = new Path[commands.size()];
    }

    /**
     * Start every node and wait until each says where it listens (not yet until it is ready: see
     * {@link #awaitReady(long)}).
     *
     * @param settings      the run's settings (jar, JVM flags, hub flags, log dir).
     * @param configuration which hub.
     * @param subscribers   subscribers in all (each node's connection limit is above it).
     * @return the running nodes.
     * @throws IOException if a node does not start; the ones started are stopped and the directories deleted.
     */
    static HubNodes start(final FanOutSettings settings, final HubConfiguration configuration, final int subscribers)
        throws IOException
    {
        final Path root = configuration.durable() ? Files.createTempDirectory("sseflow-durable-bench-") : null;
        final String members = configuration.nodes() > 1 ? members(configuration.nodes()) : null;
        final List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < configuration.nodes(); i++)
        {
            final List<String> command = new ArrayList<>(HubCommand.cpuPrefix(settings));
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.asList(settings.serverJvmArgs.trim().split("\\s+")));
            command.addAll(HubCommand.hubArguments(settings, subscribers));
            command.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
            command.addAll(configuration.hubFlags());
            if (configuration.durable())
            {
                command.addAll(List.of("--data-dir", root.resolve("node-" + i).toString()));
            }
            if (members != null)
            {
                command.addAll(List.of("--cluster-members", members, "--cluster-node", Integer.toString(i)));
            }
            commands.add(List.copyOf(command));
        }
        final HubNodes hub = new HubNodes(configuration, settings.logDir, root, commands);
        Runtime.getRuntime().addShutdownHook(hub.cleanUpAtExit);
        try
        {
            hub.startAll();
            return hub;
        }
        catch (final IOException | RuntimeException ex)
        {
            hub.close();
            throw ex;
        }
    }

    /**
     * Start every node at once, each waited for on a thread of its own: the members of a new cluster must all start
     * before it writes its first log (one started after is refused, as a member that may have lost its disk).
     */
    private void startAll() throws IOException
    {
        final List<Thread> threads = new ArrayList<>();
        final IOException[] failure = new IOException[1];
        for (int i = 0; i < commands.size(); i++)
        {
            final int node = i;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    startNode(node, logDir.resolve("durable-" + configuration.flag() + "-node-" + node + ".log"));
                }
                catch (final IOException | RuntimeException ex)
                {
                    synchronized (failure)
                    {
                        if (null == failure[0])
                        {
                            failure[0] = ex instanceof IOException ? (IOException)ex : new IOException(ex);
                        }
                    }
                }
            }, "start-node-" + i);
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while nodes started", ex);
            }
        }
        starts = commands.size();
        if (null != failure[0])
        {
            throw failure[0];
        }
    }

    private void startNode(final int i) throws IOException
    {
        startNode(i, logDir.resolve("durable-" + configuration.flag() + "-node-" + i +
            (starts++ < commands.size() ? "" : "-restart-" + starts) + ".log"));
    }

    private void startNode(final int i, final Path log) throws IOException
    {
        nodes[i] = ServerProcess.start(configuration.label() + " node " + i, commands.get(i), log, START_TIMEOUT_MS);
        if (configuration.durable())
        {
            aeronDirs[i] = aeronDir(Files.readAllLines(log));
        }
    }

    /**
     * The Aeron directory a node names in its start line
     * ({@code sseflow cluster node 0 of 3: data dir ..., UDP ..., Aeron dir /dev/shm/sseflow-...-node-0}).
     *
     * @param output the node's output so far.
     * @return the directory, or null if no line names one.
     */
    static Path aeronDir(final List<String> output)
    {
        for (final String line : output)
        {
            final Matcher matcher = AERON_DIR.matcher(line);
            if (matcher.find())
            {
                return Path.of(matcher.group(1));
            }
        }
        return null;
    }

    private static String members(final int count)
    {
        final int base = freeBasePort(count * PORTS_PER_MEMBER);
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(base + i * PORTS_PER_MEMBER);
        }
        return members.toString();
    }

    private static int freeBasePort(final int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            // below the usual ephemeral range (32768-60999), so that no client socket takes one meanwhile
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            boolean free = true;
            for (int port = base; port < base + count && free; port++)
            {
                try (DatagramSocket socket = new DatagramSocket(null))
                {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                catch (final IOException ex)
                {
                    free = false;
                }
            }
            if (free)
            {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free UDP ports on loopback");
    }

    /**
     * Nodes, live or killed.
     *
     * @return 1 or 3.
     */
    int size()
    {
        return nodes.length;
    }

    /**
     * A node's process.
     *
     * @param i node index.
     * @return the process (possibly killed).
     */
    ServerProcess node(final int i)
    {
        return nodes[i];
    }

    /**
     * Every node's HTTP address, in node order.
     *
     * @return addresses.
     */
    InetSocketAddress[] addresses()
    {
        return Arrays.stream(nodes).map(ServerProcess::address).toArray(InetSocketAddress[]::new);
    }

    /**
     * Wait until every live node answers {@code /readyz} with 200 (it has a leader and has caught up).
     *
     * @param timeoutNs longest wait.
     * @throws IOException naming the first node not ready and its last answer.
     */
    void awaitReady(final long timeoutNs) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        for (int i = 0; i < nodes.length; i++)
        {
            if (nodes[i].isAlive())
            {
                awaitReady(i, deadline - System.nanoTime());
            }
        }
    }

    /**
     * Wait until a node answers {@code /readyz} with 200.
     *
     * @param i         node index.
     * @param timeoutNs longest wait.
     * @throws IOException naming the node and its last answer, or if it exited.
     */
    void awaitReady(final int i, final long timeoutNs) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        String last = "no answer";
        while (System.nanoTime() - deadline < 0 && nodes[i].isAlive())
        {
            try
            {
                final HubHttp.Answer answer = HubHttp.get(nodes[i].address(), "/readyz");
                if (answer.status() == 200)
                {
                    return;
                }
                last = answer.status() + " " + answer.body().trim();
            }
            catch (final IOException ex)
            {
                last = ex.toString();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IOException(configuration.label() + " node " + i + (nodes[i].isAlive() ?
            " not ready after " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s: " + last :
            " exited: " + nodes[i].tail()));
    }

    /**
     * The node that sequences the events: the one whose {@code /metrics} says leader (an in-memory hub, alone, is
     * node 0); waits until exactly one live node says so.
     *
     * @param timeoutNs longest wait.
     * @return its index.
     * @throws IOException if no single leader is seen in time.
     */
    int leader(final long timeoutNs) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        String roles = "";
        do
        {
            final List<ClusterRole> seen = new ArrayList<>();
            int leader = -1;
            int leaders = 0;
            for (int i = 0; i < nodes.length; i++)
            {
                ClusterRole role = null;
                if (nodes[i].isAlive())
                {
                    try
                    {
                        role = ClusterRole.of(HubHttp.get(nodes[i].address(), "/metrics").body());
                    }
                    catch (final IOException ex)
                    {
                        role = null;
                    }
                }
                seen.add(role);
                if (role == ClusterRole.LEADER || (role == ClusterRole.NOT_CLUSTERED && nodes.length == 1))
                {
                    leader = i;
                    leaders++;
                }
            }
            if (leaders == 1)
            {
                return leader;
            }
            roles = seen.toString();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        while (System.nanoTime() - deadline < 0);
        throw new IOException("no single leader among the " + configuration.label() + "'s nodes: roles " + roles);
    }

    /**
     * {@code kill -9} a node.
     *
     * @param i node index.
     */
    void kill(final int i)
    {
        nodes[i].kill();
    }

    /**
     * Start a node again with the same command (the same data dir and cluster flags; a new HTTP port).
     *
     * @param i node index, killed before.
     * @throws IOException if it does not start.
     */
    void restart(final int i) throws IOException
    {
        if (nodes[i].isAlive())
        {
            throw new IllegalStateException(configuration.label() + " node " + i + " is still running");
        }
        startNode(i);
    }

    /**
     * A node's RSS, data dir and Aeron directory.
     *
     * @param i node index.
     * @return the footprint.
     * @throws IOException if /proc or du cannot be read.
     */
    NodeFootprint footprint(final int i) throws IOException
    {
        return NodeFootprint.measure(nodes[i].rssBytes(), root == null ? null : root.resolve("node-" + i),
            aeronDirs[i]);
    }

    /**
     * Heap after full GC, summed over the nodes.
     *
     * @return bytes.
     * @throws IOException if jcmd or jstat fail.
     */
    long heapUsedAfterGc() throws IOException
    {
        long heap = 0;
        for (final ServerProcess node : nodes)
        {
            heap += node.heapUsedAfterGc();
        }
        return heap;
    }

    /**
     * RSS summed over the nodes.
     *
     * @return bytes.
     * @throws IOException if /proc cannot be read.
     */
    long rssBytes() throws IOException
    {
        long rss = 0;
        for (final ServerProcess node : nodes)
        {
            rss += node.rssBytes();
        }
        return rss;
    }

    /**
     * Is every node running.
     *
     * @return false if any exited or was killed.
     */
    boolean allAlive()
    {
        return Arrays.stream(nodes).allMatch(ServerProcess::isAlive);
    }

    /**
     * The last lines of every node that is not running.
     *
     * @return text naming each exited node.
     */
    String exitedTails()
    {
        final StringBuilder tails = new StringBuilder();
        for (int i = 0; i < nodes.length; i++)
        {
            if (!nodes[i].isAlive())
            {
                tails.append("node ").append(i).append(": ").append(nodes[i].tail()).append('\n');
            }
        }
        return tails.toString();
    }

    /**
     * Every node's {@code listening on} line.
     *
     * @return the lines joined with "; ".
     */
    String banners()
    {
        return Arrays.stream(nodes).map((n) -> n.banner().trim()).collect(Collectors.joining("; "));
    }

    @Override
    public double cpuSeconds() throws IOException
    {
        double seconds = 0;
        for (final ServerProcess node : nodes)
        {
            seconds += node.cpuSeconds();
        }
        return seconds;
    }

    @Override
    public long writeSyscalls()
    {
        long writes = 0;
        for (final ServerProcess node : nodes)
        {
            final long w = node.writeSyscalls();
            if (w < 0)
            {
                return -1;
            }
            writes += w;
        }
        return writes;
    }

    /** Stop every node, then delete the data dirs and Aeron directories. */
    @Override
    public void close()
    {
        for (final ServerProcess node : nodes)
        {
            if (node != null)
            {
                node.close();
            }
        }
        deleteDirectories();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanUpAtExit);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook is running or about to: it does the same
        }
    }

    private void forceCleanUp()
    {
        for (final ServerProcess node : nodes)
        {
            if (node != null)
            {
                node.kill();
            }
        }
        deleteDirectories();
    }

    private void deleteDirectories()
    {
        for (final Path aeron : aeronDirs)
        {
            // only what a hub names as its own Aeron directory: /dev/shm/sseflow-..., or inside our data dirs
            if (aeron != null && (aeron.getFileName().toString().startsWith("sseflow-") ||
                (root != null && aeron.startsWith(root))))
            {
                deleteTree(aeron);
            }
        }
        if (root != null)
        {
            deleteTree(root);
        }
    }

    private static void deleteTree(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((p) ->
            {
                try
                {
                    Files.deleteIfExists(p);
                }
                catch (final IOException ex)
                {
                    System.err.println("could not delete " + p + ": " + ex);
                }
            });
        }
        catch (final IOException ex)
        {
            System.err.println("could not delete " + dir + ": " + ex);
        }
    }
}
