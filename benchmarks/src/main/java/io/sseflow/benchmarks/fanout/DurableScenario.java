package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The durable scenario ({@code --scenario durable}): the sseflow hub of {@code --sseflow-jar} in each
 * {@link HubConfiguration} in turn, in one run: in memory, as one durable node, as a 3-node cluster on loopback
 * ({@link HubNodes}). On fresh processes each: connect the subscribers (spread over the nodes), warm up, then the
 * fan-out scenario's {@link MaxRatePhase} and {@link FixedRatePhase} (publishing to the leader), then each node's
 * {@link NodeFootprint}, then for the cluster the {@link FailoverPhase}. Every process is stopped and every data dir
 * deleted when its configuration is done, also on failure. Written by {@link DurableTableWriter}; exit status 1 if a
 * subscriber lost, repeated or reordered an event or the failover lost one.
 */
final class DurableScenario
{
    private final FanOutSettings settings;
    private final MaxRatePhase maxRate;
    private final FixedRatePhase fixedRate;
    private final FailoverPhase failover;

    /**
     * @param settings the run's settings.
     */
    DurableScenario(final FanOutSettings settings)
    {
        this.settings = settings;
        this.maxRate = new MaxRatePhase(settings);
        this.fixedRate = new FixedRatePhase(settings);
        this.failover = new FailoverPhase(settings);
    }

    /**
     * Run every configuration at every subscriber count, then print (and write) the table.
     *
     * @return exit status: 0, or 1 if any run failed.
     * @throws Exception on setup errors.
     */
    int run() throws Exception
    {
        final long started = System.nanoTime();
        final long deadline = started + TimeUnit.SECONDS.toNanos(settings.timeLimitSeconds);
        final List<DurableResult> results = new ArrayList<>();
        System.out.printf("durable scenario: %s, subscribers %s, payload %d B, %s, failover runs %d, hub jar %s%n",
            settings.configurations.stream().map(HubConfiguration::flag).collect(Collectors.joining(",")),
            java.util.Arrays.toString(settings.subscriberCounts), settings.payloadBytes,
            settings.quick ? "quick" : "full", settings.failoverRuns, settings.sseflowJar);
        for (final HubConfiguration configuration : settings.configurations)
        {
            for (final int subscribers : settings.subscriberCounts)
            {
                final DurableResult result;
                if (System.nanoTime() - deadline > 0)
                {
                    result = skipped(configuration, subscribers, "run time limit reached");
                }
                else if (!Files.isRegularFile(settings.sseflowJar))
                {
                    result = skipped(configuration, subscribers, "hub jar " + settings.sseflowJar +
                        " not found (build nio-server first)");
                }
                else
                {
                    FanOutBenchmark.awaitQuietMachine(Math.min(deadline, System.nanoTime() +
                        TimeUnit.SECONDS.toNanos(settings.quietWaitSeconds)));
                    result = runOne(configuration, subscribers, deadline);
                }
                results.add(result);
                System.out.println("  " + configuration.label() + ": " + result.run().summary());
            }
        }
        final DurableTableWriter writer = new DurableTableWriter(settings);
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
        final long failed = results.stream().filter((r) -> r.run().status() == RunResult.Status.FAIL).count();
        if (failed > 0)
        {
            System.out.println("FAILED: " + failed + " configuration(s) lost, reordered or never delivered events " +
                "(see table)");
            return 1;
        }
        return 0;
    }

    private static DurableResult skipped(final HubConfiguration configuration, final int n, final String reason)
    {
        return new DurableResult(configuration, -1, RunResult.skipped("sseflow", n, reason), List.of(), null);
    }

    private DurableResult runOne(final HubConfiguration configuration, final int n, final long runDeadline)
    {
        final long phaseTimeoutNs = TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds);
        final FanOutBenchmark.Outcome outcome = new FanOutBenchmark.Outcome();
        String banner = null;
        IdleMemory idle = null;
        MaxRateResult rate = null;
        LatencyResult latency = null;
        FailoverResult failed = null;
        final List<NodeFootprint> footprints = new ArrayList<>();
        int leader = -1;
        long sequence = 0;
        long events = 0;
        try (HubNodes hub = HubNodes.start(settings, configuration, n))
        {
            banner = hub.banners();
            // a cluster elects its leader within seconds, but the JVMs and Aeron start slowly on a busy machine
            final long readyTimeoutNs = Math.max(phaseTimeoutNs, TimeUnit.SECONDS.toNanos(60));
            hub.awaitReady(readyTimeoutNs);
            leader = hub.leader(readyTimeoutNs);
            Thread.sleep(500);
            final long emptyHeap = hub.heapUsedAfterGc();
            final long emptyRss = hub.rssBytes();
            final FanOutTopics topics = new FanOutTopics("durable-" + configuration.flag() + "-" + n,
                settings.topicsPerSubscriber);
            final long clientLimitNs = 6 * phaseTimeoutNs + TimeUnit.SECONDS.toNanos(
                settings.warmupSeconds + settings.measureSeconds + 2L * settings.fixedSeconds + 60);
            final SseLoadClient client = new SseLoadClient(hub.addresses(), topics, n, 0,
                settings.stalledReceiveBuffer, clientLimitNs);
            try (HttpPublisher publisher = new HttpPublisher(
                hub.addresses()[leader], topics, settings.payloadBytes, settings.batch, phaseTimeoutNs))
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
                    FanOutBenchmark.warmUp(client, publisher, n, phaseTimeoutNs);
                    final double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                    if (client.warmedUp() != n || client.failures() != 0)
                    {
                        idle = new IdleMemory(emptyHeap, emptyRss, 0, 0, connectSeconds);
                        outcome.fail("only " + client.warmedUp() + " of " + n + " subscribers got the warm-up event",
                            client);
                    }
                    else
                    {
                        idle = new IdleMemory(emptyHeap, emptyRss, hub.heapUsedAfterGc(), hub.rssBytes(),
                            connectSeconds);
                        final Expected expected = new Expected(0, 0, n);
                        rate = maxRate.run(hub, client, publisher, n, runDeadline, expected);
                        sequence = rate.nextSequence();
                        if (client.failures() == 0)
                        {
                            latency = fixedRate.run(client, publisher, expected, sequence);
                            sequence = latency.nextSequence();
                        }
                        outcome.checkDelivered(client, expected.at(sequence), settings.phaseTimeoutSeconds);
                        events = sequence;
                    }
                }
                if (!hub.allAlive())
                {
                    outcome.fail("hub node exited: " + hub.exitedTails(), client);
                }
            }
            finally
            {
                client.close();
            }
            for (int i = 0; i < hub.size(); i++)
            {
                footprints.add(hub.footprint(i));
            }
            if (configuration.nodes() > 1 && settings.failoverRuns > 0 && outcome.failure() == null &&
                System.nanoTime() - runDeadline < 0)
            {
                failed = failover.run(hub, runDeadline);
                if (failed.failure() != null)
                {
                    outcome.fail("failover: " + failed.failure(), null);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            ex.printStackTrace();
            outcome.fail(ex.toString(), null);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            outcome.fail(ex.toString(), null);
        }
        final RunResult run = new RunResult("sseflow", n, outcome.failure() == null ? RunResult.Status.OK :
            RunResult.Status.FAIL, outcome.failure() == null ? "" : outcome.failure(), banner, idle, rate, latency,
            null, events);
        return new DurableResult(configuration, leader, run, List.copyOf(footprints), failed);
    }
}
