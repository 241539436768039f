package io.sseflow.benchmarks.fanout;

import io.sseflow.benchmarks.fanout.peers.NettyBroadcastServer;
import io.sseflow.benchmarks.fanout.peers.ServerProcess;
import io.sseflow.benchmarks.fanout.peers.WebFluxSseServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fan-out load benchmark: every server in the same run, each in its own process, driven by the same
 * {@link SseLoadClient} and {@link HttpPublisher} in this process; prints a markdown table. This class runs the
 * servers one after the other and the phases in order ({@link MaxRatePhase}, {@link FixedRatePhase},
 * {@link StalledReadersPhase}, each returning its result record); {@link FanOutSettings} reads the command line and
 * {@link FanOutTableWriter} writes the table and the CSV.
 * <pre>
 * benchmarks/fanout.sh --quick          # CI: 1,000 subscribers, a few seconds per server
 * benchmarks/fanout.sh                  # 1,000 and 10,000 subscribers
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.FanOutBenchmark --help
 * </pre>
 * For each server and subscriber count, on a fresh server process:
 * <ol>
 *   <li>heap after full GC and RSS of the empty server;</li>
 *   <li>connect N subscribers, publish warm-up events until each has one, then heap and RSS again: the
 *       difference over N is the cost of an idle connection;</li>
 *   <li>maximum rate: publish as fast as the slowest subscriber allows (at most a window of events ahead of it),
 *       warm up, then count deliveries/s and server CPU over the measured part including the final drain;</li>
 *   <li>fixed rate (100 events/s): publish-to-receive latency of every delivery in HdrHistogram;</li>
 *   <li>stalled readers ({@code --stalled-percent P}, default 10; 0 skips it): heap after GC and RSS, then P% of
 *       the connections (spread evenly: with 10%, every 10th; opened with a 4 KiB {@code SO_RCVBUF}) stop reading
 *       entirely, and the max-rate and fixed-rate phases run again with the publisher held back only by the slowest
 *       <em>reading</em> subscriber: readers' deliveries/s against the all-reading run, their p99, then heap and
 *       RSS growth over the server before the stall; finally the stalled connections are read again to count the
 *       ones the server dropped (end of stream or reset) and the ones it kept (they catch up).</li>
 * </ol>
 * Every reading subscriber must receive every event in order; any gap, repeat, disconnect or event still missing
 * after the drain time makes the run fail (exit 1). Timing never does, nor does the server dropping a stalled
 * connection (expected: sseflow drops subscribers that fall behind its history), which is counted.
 */
public final class FanOutBenchmark
{
    private final FanOutSettings settings;
    private final MaxRatePhase maxRate;
    private final FixedRatePhase fixedRate;
    private final StalledReadersPhase stalledReaders;

    private FanOutBenchmark(final FanOutSettings settings)
    {
        this.settings = settings;
        this.maxRate = new MaxRatePhase(settings);
        this.fixedRate = new FixedRatePhase(settings);
        this.stalledReaders = new StalledReadersPhase(settings, maxRate, fixedRate);
    }

    /**
     * Run the benchmark.
     *
     * @param args see {@code --help}.
     * @throws Exception on setup errors.
     */
    public static void main(final String[] args) throws Exception
    {
        final FanOutSettings settings = FanOutSettings.parse(args);
        if (settings == null)
        {
            return;
        }
        final int exit = settings.scenario == FanOutSettings.Scenario.DURABLE ?
            new DurableScenario(settings).run() : new FanOutBenchmark(settings).run();
        System.exit(exit);
    }

    private int run() throws Exception
    {
        final long started = System.nanoTime();
        final long deadline = started + TimeUnit.SECONDS.toNanos(settings.timeLimitSeconds);
        final List<RunResult> results = new ArrayList<>();
        System.out.printf("fan-out: servers %s, subscribers %s, payload %d B, %s%s%n",
            String.join(",", settings.servers), Arrays.toString(settings.subscriberCounts), settings.payloadBytes,
            settings.quick ? "quick" : "full", settings.topicsPerSubscriber == 1 ? "" :
            ", " + settings.topicsPerSubscriber + " topics per subscriber");
        for (final int subscribers : settings.subscriberCounts)
        {
            for (final String server : settings.servers)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    results.add(RunResult.skipped(server, subscribers, "run time limit reached"));
                    continue;
                }
                final List<String> command = command(server, subscribers);
                if (command == null)
                {
                    results.add(RunResult.skipped(server, subscribers,
                        "server jar not found (build nio-server first)"));
                    continue;
                }
                awaitQuietMachine(Math.min(deadline, System.nanoTime() +
                    TimeUnit.SECONDS.toNanos(settings.quietWaitSeconds)));
                final RunResult result = runOne(server, subscribers, command, deadline);
                results.add(result);
                System.out.println("  " + result.summary());
            }
        }

        final FanOutTableWriter writer = new FanOutTableWriter(settings);
        final String table = writer.table(results, (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.println(table);
        if (settings.out != null)
        {
            Files.writeString(settings.out, table);
        }
        if (settings.csv != null)
        {
            Files.writeString(settings.csv, writer.csv(results));
        }
        final long failed = results.stream().filter((r) -> r.status() == RunResult.Status.FAIL).count();
        if (failed > 0)
        {
            System.out.println("FAILED: " + failed + " run(s) lost, reordered or never delivered events (see table)");
            return 1;
        }
        return 0;
    }

    static void awaitQuietMachine(final long deadline) throws IOException, InterruptedException
    {
        boolean said = false;
        while (System.nanoTime() - deadline < 0)
        {
            final double self0 = ServerProcess.cpuSeconds(ProcessHandle.current().pid());
            final double machine0 = ServerProcess.machineBusySeconds();
            Thread.sleep(1_000);
            final double others = (ServerProcess.machineBusySeconds() - machine0) -
                (ServerProcess.cpuSeconds(ProcessHandle.current().pid()) - self0);
            if (others < 0.25)
            {
                return;
            }
            if (!said)
            {
                said = true;
                System.out.printf(Locale.ROOT, "  waiting for other processes to go quiet (%.0f%% CPU)...%n",
                    others * 100);
            }
        }
    }

    private List<String> command(final String server, final int subscribers) throws URISyntaxException
    {
        final List<String> command = new ArrayList<>(HubCommand.cpuPrefix(settings));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(settings.serverJvmArgs.trim().split("\\s+")));
        switch (server)
        {
            case "sseflow":
                if (!Files.isRegularFile(settings.sseflowJar))
                {
                    return null;
                }
                command.addAll(HubCommand.hubArguments(settings, subscribers));
                break;
            case "netty":
                command.addAll(List.of("-cp", benchmarksJar(), NettyBroadcastServer.class.getName()));
                break;
            case "webflux":
                command.addAll(List.of("-cp", benchmarksJar(), WebFluxSseServer.class.getName()));
                break;
            default:
                throw new IllegalArgumentException("unknown server " + server + " (sseflow, netty, webflux)");
        }
        command.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
        return command;
    }

    private static String benchmarksJar() throws URISyntaxException
    {
        return Path.of(FanOutBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private RunResult runOne(final String name, final int n, final List<String> command, final long runDeadline)
    {
        final Path log = settings.logDir.resolve(name + "-" + n + ".log");
        final long phaseTimeoutNs = TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds);
        final Outcome outcome = new Outcome();
        String banner = null;
        IdleMemory idle = null;
        MaxRateResult rate = null;
        LatencyResult latency = null;
        StalledResult stalled = null;
        long sequence = 0;
        long events = 0;
        try (ServerProcess server = ServerProcess.start(name, command, log, 30_000))
        {
            banner = server.banner();
            Thread.sleep(500);
            final long emptyHeap = server.heapUsedAfterGc();
            final long emptyRss = server.rssBytes();

            final FanOutTopics topics = new FanOutTopics("fanout-" + n, settings.topicsPerSubscriber);
            final long clientLimitNs = 8 * phaseTimeoutNs + TimeUnit.SECONDS.toNanos(
                2L * (settings.warmupSeconds + settings.measureSeconds + 2L * settings.fixedSeconds) + 60);
            final SseLoadClient client = new SseLoadClient(new InetSocketAddress[]{server.address()}, topics, n, settings.stalledPercent,
                settings.stalledReceiveBuffer, clientLimitNs);
            try (HttpPublisher publisher = new HttpPublisher(
                server.address(), topics, settings.payloadBytes, settings.batch, phaseTimeoutNs))
            {
                client.start();
                final long connectStart = System.nanoTime();
                Await.condition(() -> client.connected() == n || !client.isRunning(), phaseTimeoutNs);
                if (client.connected() != n)
                {
                    outcome.fail("connected " + client.connected() + " of " + n + " subscribers", client);
                }
                else
                {
                    warmUp(client, publisher, n, phaseTimeoutNs);
                    final double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                    if (client.warmedUp() != n || client.failures() != 0)
                    {
                        idle = new IdleMemory(emptyHeap, emptyRss, 0, 0, connectSeconds);
                        outcome.fail("only " + client.warmedUp() + " of " + n +
                            " subscribers got the warm-up event", client);
                    }
                    else
                    {
                        idle = new IdleMemory(emptyHeap, emptyRss, server.heapUsedAfterGc(), server.rssBytes(),
                            connectSeconds);
                        Expected expected = new Expected(0, 0, n);
                        rate = maxRate.run(server, client, publisher, n, runDeadline, expected);
                        sequence = rate.nextSequence();
                        if (client.failures() == 0)
                        {
                            latency = fixedRate.run(client, publisher, expected, sequence);
                            sequence = latency.nextSequence();
                        }
                        if (client.stalled().count() > 0 && client.failures() == 0 &&
                            client.delivered() == sequence * n && System.nanoTime() - runDeadline < 0)
                        {
                            expected = new Expected(sequence, sequence * n, n - client.stalled().count());
                            stalled = stalledReaders.run(server, client, publisher, n, runDeadline, expected);
                            if (stalled.maxRate() == null)
                            {
                                outcome.fail("the load client did not stall its connections", client);
                            }
                            else
                            {
                                sequence = expected.fromSequence() + stalled.eventsPublished();
                            }
                        }
                        outcome.checkDelivered(client, expected.at(sequence), settings.phaseTimeoutSeconds);
                        events = sequence;
                    }
                }
                if (!server.isAlive())
                {
                    outcome.fail("server exited: " + server.tail(), client);
                }
            }
            finally
            {
                client.close();
            }
        }
        catch (final Exception ex)
        {
            ex.printStackTrace();
            outcome.fail(ex.toString(), null);
        }
        return new RunResult(name, n, outcome.failure == null ? RunResult.Status.OK : RunResult.Status.FAIL,
            outcome.failure == null ? "" : outcome.failure, banner, idle, rate, latency, stalled,
            events);
    }

    static void warmUp(
        final SseLoadClient client, final HttpPublisher publisher, final int n, final long timeoutNs)
        throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (client.warmedUp() < n && client.failures() == 0 && System.nanoTime() - deadline < 0)
        {
            publisher.publishWarmUp();
            final long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            while (client.warmedUp() < n && System.nanoTime() - next < 0)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** The first failure of a run, with the load client's first failure where it has one. */
    static final class Outcome
    {
        private String failure;

        String failure()
        {
            return failure;
        }

        void fail(final String reason, final SseLoadClient client)
        {
            if (failure == null)
            {
                failure = reason + (client != null && client.firstFailure() != null ?
                    " (first: " + client.firstFailure() + ")" : "");
            }
        }

        /**
         * After the phases: fail on any failure the load client saw, or on deliveries still missing after the drain.
         */
        void checkDelivered(final SseLoadClient client, final long expectedDeliveries, final long drainSeconds)
        {
            if (client.failures() != 0)
            {
                fail(client.failures() + " failure(s)", client);
            }
            else if (client.delivered() != expectedDeliveries)
            {
                fail("undelivered: " + (expectedDeliveries - client.delivered()) + " of " + expectedDeliveries +
                    " deliveries after " + drainSeconds + " s of drain", client);
            }
        }
    }
}
