package io.sseflow.benchmarks.fanout;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fan-out load benchmark: every server in the same run, each in its own process, driven by the same
 * {@link SseLoadClient} and {@link HttpPublisher} in this process; prints a markdown table.
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
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    private static final boolean TRACE = Boolean.getBoolean("fanout.trace");

    private static final MathContext CSV_PRECISION = new MathContext(10);

    /**
     * Header of {@code --csv}: the markdown table's columns in its order (ratios and utilisations as fractions,
     * latencies in ms, memory in bytes; {@code status} is ok, skipped or fail, {@code detail} says why), then the
     * raw measurements behind them.
     */
    static final List<String> CSV_COLUMNS = List.of(
        "server", "subscribers", "max_deliveries_per_s", "vs_netty", "server_cpu_s_per_1m_deliveries",
        "server_write_syscalls_per_delivery", "load_process_cpu_s_per_1m_deliveries", "other_processes_cpu",
        "latency_phase_events_per_s", "p50_ms", "p99_ms", "p99_9_ms", "max_ms", "heap_bytes_per_idle_connection",
        "rss_bytes_per_idle_connection", "events_checked_per_subscriber", "stalled_percent",
        "stalled_readers_deliveries_per_s", "stalled_readers_vs_all_reading", "stalled_p99_ms",
        "stalled_p99_vs_all_reading", "stalled_dropped_by_server", "stalled_connections",
        "stalled_heap_growth_bytes", "stalled_rss_growth_bytes", "stalled_kernel_send_queue_bytes", "status",
        "detail",
        "max_rate_events_per_s", "window_events", "server_cpu_utilisation", "load_process_cpu_utilisation",
        "connect_and_warmup_s", "publisher_max_lag_ms", "empty_heap_bytes", "idle_heap_bytes", "empty_rss_bytes",
        "idle_rss_bytes", "latency_phase_target_events_per_s", "payload_bytes", "server_banner",
        "stalled_readers_events_per_s", "stalled_server_cpu_utilisation", "stalled_latency_phase_events_per_s",
        "stalled_p50_ms", "stalled_p99_9_ms", "stalled_max_ms", "stalled_events_published",
        "stalled_kept_caught_up", "stalled_skipped_events", "stalled_receive_buffer_bytes",
        "heap_before_stall_bytes", "heap_after_stall_bytes", "rss_before_stall_bytes", "rss_after_stall_bytes",
        "stalled_kernel_send_queue_connections", "stalled_other_processes_cpu", "stalled_first_drop");

    private final Settings settings;

    private FanOutBenchmark(final Settings settings)
    {
        this.settings = settings;
    }

    /**
     * Run the benchmark.
     *
     * @param args see {@code --help}.
     * @throws Exception on setup errors.
     */
    public static void main(final String[] args) throws Exception
    {
        final Settings settings = Settings.parse(args);
        if (settings == null)
        {
            return;
        }
        final int exit = new FanOutBenchmark(settings).run();
        System.exit(exit);
    }

    private int run() throws Exception
    {
        final long started = System.nanoTime();
        final long deadline = started + TimeUnit.SECONDS.toNanos(settings.timeLimitSeconds);
        final List<Result> results = new ArrayList<>();
        System.out.printf("fan-out: servers %s, subscribers %s, payload %d B, %s%n",
            String.join(",", settings.servers), Arrays.toString(settings.subscriberCounts), settings.payloadBytes,
            settings.quick ? "quick" : "full");
        for (final int subscribers : settings.subscriberCounts)
        {
            for (final String server : settings.servers)
            {
                final Result result = new Result(server, subscribers);
                results.add(result);
                if (System.nanoTime() - deadline > 0)
                {
                    result.skip("run time limit reached");
                    continue;
                }
                final List<String> command = command(server, subscribers);
                if (command == null)
                {
                    continue;
                }
                result.skipReason = null;
                awaitQuietMachine(Math.min(deadline, System.nanoTime() +
                    TimeUnit.SECONDS.toNanos(settings.quietWaitSeconds)));
                runOne(result, command, deadline);
                System.out.println("  " + result.summary());
            }
        }

        final String table = table(results, (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.println(table);
        if (settings.out != null)
        {
            Files.writeString(settings.out, table);
        }
        if (settings.csv != null)
        {
            Files.writeString(settings.csv, csv(results));
        }
        final long failed = results.stream().filter((r) -> r.failure != null).count();
        if (failed > 0)
        {
            System.out.println("FAILED: " + failed + " run(s) lost, reordered or never delivered events (see table)");
            return 1;
        }
        return 0;
    }

    private static void awaitQuietMachine(final long deadline) throws IOException, InterruptedException
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
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(settings.serverJvmArgs.trim().split("\\s+")));
        switch (server)
        {
            case "sseflow":
                if (!Files.isRegularFile(settings.sseflowJar))
                {
                    return null;
                }
                command.add("-jar");
                command.add(settings.sseflowJar.toString());
                command.addAll(List.of("--history", Integer.toString(settings.history),
                    "--heartbeat-ms", "15000", "--max-connections", Integer.toString(subscribers + 64)));
                if (settings.sseflowPerAddressLimit)
                {
                    command.addAll(List.of("--max-connections-per-address", Integer.toString(subscribers + 64)));
                }
                command.addAll(settings.sseflowArgs);
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

    private void runOne(final Result result, final List<String> command, final long runDeadline)
    {
        final int n = result.subscribers;
        final Path log = settings.logDir.resolve(result.server + "-" + n + ".log");
        final long phaseTimeoutNs = TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds);
        try (ServerProcess server = ServerProcess.start(result.server, command, log, 30_000))
        {
            result.banner = server.banner;
            Thread.sleep(500);
            result.emptyHeap = server.heapUsedAfterGc();
            result.emptyRss = server.rssBytes();

            final String topic = "fanout-" + n;
            final long clientLimitNs = 8 * phaseTimeoutNs + TimeUnit.SECONDS.toNanos(
                2L * (settings.warmupSeconds + settings.measureSeconds + 2L * settings.fixedSeconds) + 60);
            final SseLoadClient client = new SseLoadClient(server.address, topic, n, settings.stalledPercent,
                settings.stalledReceiveBuffer, clientLimitNs);
            try (HttpPublisher publisher = new HttpPublisher(
                server.address, topic, settings.payloadBytes, settings.batch, phaseTimeoutNs))
            {
                client.start();
                final long connectStart = System.nanoTime();
                awaitCondition(() -> client.connected() == n || !client.isRunning(), phaseTimeoutNs);
                if (client.connected() != n)
                {
                    result.fail("connected " + client.connected() + " of " + n + " subscribers", client);
                    return;
                }
                warmUp(client, publisher, n, phaseTimeoutNs);
                result.connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                if (client.warmedUp() != n || client.failures() != 0)
                {
                    result.fail("only " + client.warmedUp() + " of " + n + " subscribers got the warm-up event",
                        client);
                    return;
                }
                result.idleHeap = server.heapUsedAfterGc();
                result.idleRss = server.rssBytes();

                Expected expected = new Expected(0, 0, n);
                long sequence = maxRate(result, server, client, publisher, runDeadline, expected, false);
                if (result.failure == null && client.failures() == 0)
                {
                    sequence = fixedRate(result, client, publisher, sequence, expected, false);
                }
                if (client.stalledCount() > 0 && client.failures() == 0 && client.delivered() == sequence * n &&
                    System.nanoTime() - runDeadline < 0)
                {
                    expected = new Expected(sequence, sequence * n, n - client.stalledCount());
                    sequence = stalledReaders(result, server, client, publisher, runDeadline, expected);
                }
                if (client.failures() != 0)
                {
                    result.fail(client.failures() + " failure(s)", client);
                }
                else if (client.delivered() != expected.at(sequence))
                {
                    result.fail("undelivered: " + (expected.at(sequence) - client.delivered()) + " of " +
                        expected.at(sequence) + " deliveries after " + settings.phaseTimeoutSeconds + " s of drain",
                        client);
                }
                result.events = sequence;
                if (!server.isAlive())
                {
                    result.fail("server exited: " + server.tail(), client);
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
            result.fail(ex.toString(), null);
        }
    }

    private static void warmUp(
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

    /**
     * Stalled readers: memory before, stall, max rate and fixed rate again with only the readers validated and
     * holding the publisher back, memory after, then read the stalled connections again to see which ones the server
     * dropped.
     *
     * @return the next sequence.
     */
    private long stalledReaders(
        final Result result,
        final ServerProcess server,
        final SseLoadClient client,
        final HttpPublisher publisher,
        final long runDeadline,
        final Expected expected) throws IOException
    {
        final long phaseTimeoutNs = TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds);
        result.stalledConnections = client.stalledCount();
        result.heapBeforeStall = server.heapUsedAfterGc();
        result.rssBeforeStall = server.rssBytes();
        if (!client.stall(phaseTimeoutNs))
        {
            result.fail("the load client did not stall its connections", client);
            return expected.fromSequence();
        }
        long sequence = maxRate(result, server, client, publisher, runDeadline, expected, true);
        if (result.failure == null && client.failures() == 0)
        {
            sequence = fixedRate(result, client, publisher, sequence, expected, true);
        }
        result.stalledEventsPublished = sequence - expected.fromSequence();
        if (server.isAlive())
        {
            final long[] queued = server.kernelSendQueue(1);
            if (queued != null)
            {
                result.kernelQueueBytes = queued[0];
                result.kernelQueueConnections = (int)queued[1];
            }
            result.heapAfterStall = server.heapUsedAfterGc();
            result.rssAfterStall = server.rssBytes();
        }
        if (client.resume(sequence, phaseTimeoutNs))
        {
            final int stalled = client.stalledCount();
            awaitCondition(() -> client.stalledDropped() + client.stalledCaughtUp() >= stalled,
                Math.min(phaseTimeoutNs, TimeUnit.SECONDS.toNanos(10)));
        }
        result.stalledDropped = client.stalledDropped();
        result.stalledCaughtUp = client.stalledCaughtUp();
        result.stalledGaps = client.stalledGaps();
        result.stalledFirstDrop = client.stalledFirstDrop();
        return sequence;
    }

    private long maxRate(
        final Result result,
        final ServerProcess server,
        final SseLoadClient client,
        final HttpPublisher publisher,
        final long runDeadline,
        final Expected expected,
        final boolean stalled) throws IOException
    {
        final int n = result.subscribers;
        final long window = Math.max(4, Math.min(settings.history / 4, settings.windowDeliveries / n));
        final int maxBatch = publisher.maxBatch();
        final long start = System.nanoTime();
        final long measureFrom = start + TimeUnit.SECONDS.toNanos(settings.warmupSeconds);
        final long end = Math.min(measureFrom + TimeUnit.SECONDS.toNanos(settings.measureSeconds), runDeadline);
        long sequence = expected.fromSequence();
        boolean measuring = false;
        long lastTrace = 0;
        long t0 = start;
        long delivered0 = 0;
        double cpu0 = server.cpuSeconds();
        double clientCpu0 = ServerProcess.cpuSeconds(ProcessHandle.current().pid());
        double machine0 = ServerProcess.machineBusySeconds();
        long writes0 = server.writeSyscalls();
        client.readInterval(TimeUnit.MICROSECONDS.toNanos(settings.maxRateReadIntervalMicros));
        while (client.failures() == 0)
        {
            final long now = System.nanoTime();
            if (!measuring && now - measureFrom >= 0)
            {
                measuring = true;
                t0 = now;
                delivered0 = client.delivered();
                cpu0 = server.cpuSeconds();
                clientCpu0 = ServerProcess.cpuSeconds(ProcessHandle.current().pid());
                machine0 = ServerProcess.machineBusySeconds();
                writes0 = server.writeSyscalls();
            }
            if (now - end >= 0)
            {
                break;
            }
            if (TRACE && now - lastTrace > 500_000_000L)
            {
                lastTrace = now;
                System.out.printf(Locale.ROOT, "    trace: published %d, slowest at %d, mean at %d, server CPU %.2f s%n",
                    sequence, client.slowestExpected(), client.delivered() / n, server.cpuSeconds());
                if (stalled)
                {
                    System.out.printf(Locale.ROOT, "    trace: stalled connections dropped %d%n",
                        client.stalledDropped());
                }
            }
            final long room = window - (sequence - client.slowestExpected());
            if (room <= 0)
            {
                LockSupport.parkNanos(20_000);
                continue;
            }
            final int batch = (int)Math.min(room, maxBatch);
            publisher.publish(sequence, batch);
            sequence += batch;
        }
        drain(client, expected.at(sequence));
        final long t1 = System.nanoTime();
        final double cpu1 = server.cpuSeconds();
        final double clientCpu1 = ServerProcess.cpuSeconds(ProcessHandle.current().pid());
        final double machine1 = ServerProcess.machineBusySeconds();
        final long writes1 = server.writeSyscalls();
        client.readInterval(0);
        if (measuring && stalled)
        {
            final long deliveries = client.delivered() - delivered0;
            result.stalledDeliveriesPerSecond = deliveries / ((t1 - t0) / 1e9);
            result.stalledEventsPerSecond = result.stalledDeliveriesPerSecond / expected.perEvent;
            result.stalledCpuUtilisation = (cpu1 - cpu0) / ((t1 - t0) / 1e9);
            result.stalledOtherCpuUtilisation =
                ((machine1 - machine0) - (cpu1 - cpu0) - (clientCpu1 - clientCpu0)) / ((t1 - t0) / 1e9);
        }
        else if (measuring)
        {
            final long deliveries = client.delivered() - delivered0;
            result.window = window;
            result.deliveriesPerSecond = deliveries / ((t1 - t0) / 1e9);
            result.eventsPerSecond = result.deliveriesPerSecond / n;
            result.cpuSecondsPerMillion = deliveries == 0 ? Double.NaN : (cpu1 - cpu0) / (deliveries / 1e6);
            result.cpuUtilisation = (cpu1 - cpu0) / ((t1 - t0) / 1e9);
            result.writesPerDelivery = writes0 < 0 || writes1 == writes0 || deliveries == 0 ? Double.NaN :
                (double)(writes1 - writes0) / deliveries;
            result.otherCpuUtilisation =
                ((machine1 - machine0) - (cpu1 - cpu0) - (clientCpu1 - clientCpu0)) / ((t1 - t0) / 1e9);
            result.clientCpuSecondsPerMillion = deliveries == 0 ? Double.NaN :
                (clientCpu1 - clientCpu0) / (deliveries / 1e6);
        }
        return sequence;
    }

    private long fixedRate(
        final Result result,
        final SseLoadClient client,
        final HttpPublisher publisher,
        final long firstSequence,
        final Expected expected,
        final boolean stalled) throws IOException
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final long periodNs = 1_000_000_000L / settings.fixedRate;
        final long count = (long)settings.fixedRate * settings.fixedSeconds;
        client.record(histogram);
        long sequence = firstSequence;
        final long start = System.nanoTime();
        long maxLagNs = 0;
        final long stopAt = start + TimeUnit.SECONDS.toNanos(2L * settings.fixedSeconds);
        long published = 0;
        for (long i = 0; i < count && client.failures() == 0 && System.nanoTime() - stopAt < 0; i++)
        {
            final long due = start + i * periodNs;
            long now;
            while ((now = System.nanoTime()) - due < 0)
            {
                LockSupport.parkNanos(due - now);
            }
            maxLagNs = Math.max(maxLagNs, now - due);
            publisher.publish(sequence++, 1);
            published++;
        }
        final double achieved = published / ((System.nanoTime() - start) / 1e9);
        drain(client, expected.at(sequence));
        client.record(null);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        if (stalled)
        {
            result.stalledFixedRateAchieved = achieved;
            result.stalledLatency = histogram;
        }
        else
        {
            result.fixedRateAchieved = achieved;
            result.latency = histogram;
            result.publishLagMaxNs = maxLagNs;
        }
        return sequence;
    }

    private void drain(final SseLoadClient client, final long deliveries)
    {
        awaitCondition(() -> client.delivered() >= deliveries || client.failures() != 0,
            TimeUnit.SECONDS.toNanos(settings.phaseTimeoutSeconds));
    }

    private static void awaitCondition(final java.util.function.BooleanSupplier condition, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(200_000);
        }
    }

    private String table(final List<Result> results, final double seconds)
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
            "Fan-out, %s; %d cores, %s %s (%s), %s; payload %d B; server JVM: %s; %.0f s.%n%n",
            settings.quick ? "quick" : "full", Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            System.getProperty("java.vendor"), ZonedDateTime.now().format(TIME), settings.payloadBytes,
            settings.serverJvmArgs, seconds));
        out.append("| server | subscribers | max deliveries/s (no loss) | vs netty | server CPU s / 1M deliveries |" +
            " server write syscalls / delivery | load-process CPU s / 1M | other processes' CPU | latency phase events/s |")
            .append(" p50 ms | p99 ms | p99.9 ms | max ms | heap B / idle conn | RSS B / idle conn | events checked |")
            .append(String.format(Locale.ROOT, " readers' deliveries/s, %d%% stalled | vs all reading |" +
                " p99 ms, %d%% stalled | stalled dropped by server | heap growth B, stalled | RSS growth B, stalled |" +
                " kernel send queue B, stalled |",
                settings.stalledPercent, settings.stalledPercent))
            .append(" result |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" +
            "---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final Result r : results)
        {
            final Result netty = results.stream()
                .filter((x) -> x.server.equals("netty") && x.subscribers == r.subscribers).findFirst().orElse(null);
            final String ratio = netty != null && netty.deliveriesPerSecond > 0 && r.deliveriesPerSecond > 0 ?
                String.format(Locale.ROOT, "%.2f×", r.deliveriesPerSecond / netty.deliveriesPerSecond) : "–";
            out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                r.server, r.subscribers,
                r.deliveriesPerSecond > 0 ? String.format(Locale.ROOT, "%,.0f", r.deliveriesPerSecond) : "–",
                ratio,
                r.cpuSecondsPerMillion > 0 ? String.format(Locale.ROOT, "%.2f", r.cpuSecondsPerMillion) : "–",
                Double.isNaN(r.writesPerDelivery) ? "–" : String.format(Locale.ROOT, "%.2f", r.writesPerDelivery),
                r.clientCpuSecondsPerMillion > 0 ?
                    String.format(Locale.ROOT, "%.2f", r.clientCpuSecondsPerMillion) : "–",
                r.deliveriesPerSecond > 0 ? String.format(Locale.ROOT, "%.0f%%", r.otherCpuUtilisation * 100) : "–",
                r.fixedRateAchieved > 0 ? String.format(Locale.ROOT, "%.0f", r.fixedRateAchieved) : "–",
                percentile(r.latency, 50), percentile(r.latency, 99), percentile(r.latency, 99.9),
                percentile(r.latency, 100),
                perConnection(r.idleHeap, r.emptyHeap, r.subscribers),
                perConnection(r.idleRss, r.emptyRss, r.subscribers),
                r.events > 0 ? String.format(Locale.ROOT, "%,d × %,d", r.events, r.subscribers) : "–",
                r.stalledDeliveriesPerSecond > 0 ?
                    String.format(Locale.ROOT, "%,.0f", r.stalledDeliveriesPerSecond) : "–",
                Double.isNaN(r.stalledRateRatio()) ? "–" : String.format(Locale.ROOT, "%.2f×", r.stalledRateRatio()),
                percentile(r.stalledLatency, 99) + (Double.isNaN(r.stalledP99Ratio()) ? "" :
                    String.format(Locale.ROOT, " (%.2f×)", r.stalledP99Ratio())),
                r.stalledConnections > 0 && r.heapAfterStall > 0 ?
                    String.format(Locale.ROOT, "%,d of %,d", r.stalledDropped, r.stalledConnections) : "–",
                growth(r.heapAfterStall, r.heapBeforeStall),
                growth(r.rssAfterStall, r.rssBeforeStall),
                r.kernelQueueBytes >= 0 && r.heapAfterStall > 0 ?
                    String.format(Locale.ROOT, "%,d", r.kernelQueueBytes) : "–",
                r.status()));
        }
        out.append(String.format(Locale.ROOT, "%nMax rate: publisher stays at most min(%d, %,d / subscribers) events " +
            "ahead of the slowest subscriber, POST batches of up to %d pipelined requests, client select rounds at " +
            "least %d µs apart; %d s warm-up, %d s " +
            "measured (including the final drain). Latency: %d events/s for %d s (stopped at twice that; the " +
            "achieved rate is shown: below the target, the server answered POSTs too slowly and latency excludes " +
            "that queueing), publish (just before the POST is written) to read by the client, every delivery " +
            "recorded. Heap: jstat used after jcmd GC.run, with N " +
            "idle subscribers minus the empty server, over N. Write syscalls: syscw of /proc/PID/io (write/writev; " +
            "– where the server sends with sendmsg, as Netty's epoll transport does). Client and servers share " +
            "the same %d cores.%n",
            settings.history / 4, settings.windowDeliveries, settings.batch, settings.maxRateReadIntervalMicros,
            settings.warmupSeconds,
            settings.measureSeconds, settings.fixedRate, settings.fixedSeconds,
            Runtime.getRuntime().availableProcessors()));
        if (settings.stalledPercent > 0)
        {
            out.append(String.format(Locale.ROOT, "Stalled readers: after those phases, %d%% of the connections " +
                "(spread evenly; opened with SO_RCVBUF %,d B) stop reading entirely and both phases run again, the " +
                "publisher held back only by the slowest reading subscriber; only the readers are checked (every " +
                "event, in order). \"vs all reading\": readers' events/s per connection over the all-reading max-rate " +
                "phase's (issue 5: within 10%%), p99 likewise. Heap (after GC) and RSS growth: after both stalled " +
                "phases minus just before the stall, same server; kernel send queue: bytes the server has written but " +
                "the peers have not acknowledged, summed over its connections (/proc/net/tcp tx_queue) at that point, " +
                "kernel memory outside heap and RSS (the kernel autotunes each socket's send buffer up to " +
                "net.ipv4.tcp_wmem's max unless the server sets SO_SNDBUF). Stalled dropped: stalled connections that, read " +
                "again at the end, had been ended or reset by the server (expected, not a failure; the others were " +
                "kept and caught up).%n", settings.stalledPercent, settings.stalledReceiveBuffer));
        }
        for (final Result r : results)
        {
            if (r.banner != null)
            {
                out.append(String.format(Locale.ROOT, "- %s/%d: `%s`; connect + warm-up %.1f s; max-rate phase: " +
                    "server %.0f%% CPU, load process %.0f%%, other processes %.0f%% (of %d00%%)%s%n", r.server,
                    r.subscribers, r.banner.trim(), r.connectSeconds, r.cpuUtilisation * 100,
                    r.clientCpuSecondsPerMillion * r.deliveriesPerSecond / 1e4, r.otherCpuUtilisation * 100,
                    Runtime.getRuntime().availableProcessors(),
                    r.publishLagMaxNs > TimeUnit.MILLISECONDS.toNanos(5) ? String.format(Locale.ROOT,
                    "; publisher fell up to %.1f ms behind schedule", r.publishLagMaxNs / 1e6) : ""));
            }
        }
        return out.toString();
    }

    /**
     * The results as CSV, one row per server and subscriber count: every column of the markdown table as a plain
     * number (empty where the table shows "–"), then the raw measurements behind them.
     */
    private String csv(final List<Result> results)
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.join(",", CSV_COLUMNS)).append('\n');
        for (final Result r : results)
        {
            final Result netty = results.stream()
                .filter((x) -> x.server.equals("netty") && x.subscribers == r.subscribers).findFirst().orElse(null);
            final boolean measured = r.deliveriesPerSecond > 0;
            final boolean latency = r.latency != null && r.latency.getTotalCount() > 0;
            final boolean stalledLatency = r.stalledLatency != null && r.stalledLatency.getTotalCount() > 0;
            final boolean stalledMemory = r.stalledConnections > 0 && r.heapBeforeStall > 0 && r.heapAfterStall > 0;
            final List<String> row = List.of(
                r.server,
                Integer.toString(r.subscribers),
                measured ? number(r.deliveriesPerSecond) : "",
                netty != null && netty.deliveriesPerSecond > 0 && measured ?
                    number(r.deliveriesPerSecond / netty.deliveriesPerSecond) : "",
                r.cpuSecondsPerMillion > 0 ? number(r.cpuSecondsPerMillion) : "",
                Double.isNaN(r.writesPerDelivery) ? "" : number(r.writesPerDelivery),
                r.clientCpuSecondsPerMillion > 0 ? number(r.clientCpuSecondsPerMillion) : "",
                measured ? number(r.otherCpuUtilisation) : "",
                r.fixedRateAchieved > 0 ? number(r.fixedRateAchieved) : "",
                latency ? number(r.latency.getValueAtPercentile(50) / 1e6) : "",
                latency ? number(r.latency.getValueAtPercentile(99) / 1e6) : "",
                latency ? number(r.latency.getValueAtPercentile(99.9) / 1e6) : "",
                latency ? number(r.latency.getMaxValue() / 1e6) : "",
                r.idleHeap > 0 && r.emptyHeap > 0 ? Long.toString((r.idleHeap - r.emptyHeap) / r.subscribers) : "",
                r.idleRss > 0 && r.emptyRss > 0 ? Long.toString((r.idleRss - r.emptyRss) / r.subscribers) : "",
                r.events > 0 ? Long.toString(r.events) : "",
                Integer.toString(settings.stalledPercent),
                r.stalledDeliveriesPerSecond > 0 ? number(r.stalledDeliveriesPerSecond) : "",
                Double.isNaN(r.stalledRateRatio()) ? "" : number(r.stalledRateRatio()),
                stalledLatency ? number(r.stalledLatency.getValueAtPercentile(99) / 1e6) : "",
                Double.isNaN(r.stalledP99Ratio()) ? "" : number(r.stalledP99Ratio()),
                stalledMemory ? Integer.toString(r.stalledDropped) : "",
                r.stalledConnections > 0 ? Integer.toString(r.stalledConnections) : "",
                stalledMemory ? Long.toString(r.heapAfterStall - r.heapBeforeStall) : "",
                stalledMemory ? Long.toString(r.rssAfterStall - r.rssBeforeStall) : "",
                stalledMemory && r.kernelQueueBytes >= 0 ? Long.toString(r.kernelQueueBytes) : "",
                r.failure != null ? "fail" : r.skipReason != null ? "skipped" : "ok",
                r.failure != null ? r.failure : r.skipReason != null ? r.skipReason : "",
                measured ? number(r.eventsPerSecond) : "",
                r.window > 0 ? Long.toString(r.window) : "",
                measured ? number(r.cpuUtilisation) : "",
                measured ? number(r.clientCpuSecondsPerMillion * r.deliveriesPerSecond / 1e6) : "",
                r.connectSeconds > 0 ? number(r.connectSeconds) : "",
                r.fixedRateAchieved > 0 ? number(r.publishLagMaxNs / 1e6) : "",
                r.emptyHeap > 0 ? Long.toString(r.emptyHeap) : "",
                r.idleHeap > 0 ? Long.toString(r.idleHeap) : "",
                r.emptyRss > 0 ? Long.toString(r.emptyRss) : "",
                r.idleRss > 0 ? Long.toString(r.idleRss) : "",
                Integer.toString(settings.fixedRate),
                Integer.toString(settings.payloadBytes),
                r.banner != null ? r.banner.trim() : "",
                r.stalledEventsPerSecond > 0 ? number(r.stalledEventsPerSecond) : "",
                r.stalledEventsPerSecond > 0 ? number(r.stalledCpuUtilisation) : "",
                r.stalledFixedRateAchieved > 0 ? number(r.stalledFixedRateAchieved) : "",
                stalledLatency ? number(r.stalledLatency.getValueAtPercentile(50) / 1e6) : "",
                stalledLatency ? number(r.stalledLatency.getValueAtPercentile(99.9) / 1e6) : "",
                stalledLatency ? number(r.stalledLatency.getMaxValue() / 1e6) : "",
                r.stalledEventsPublished > 0 ? Long.toString(r.stalledEventsPublished) : "",
                stalledMemory ? Integer.toString(r.stalledCaughtUp) : "",
                stalledMemory ? Integer.toString(r.stalledGaps) : "",
                Integer.toString(settings.stalledReceiveBuffer),
                r.heapBeforeStall > 0 ? Long.toString(r.heapBeforeStall) : "",
                r.heapAfterStall > 0 ? Long.toString(r.heapAfterStall) : "",
                r.rssBeforeStall > 0 ? Long.toString(r.rssBeforeStall) : "",
                r.rssAfterStall > 0 ? Long.toString(r.rssAfterStall) : "",
                stalledMemory && r.kernelQueueBytes >= 0 ? Integer.toString(r.kernelQueueConnections) : "",
                r.stalledEventsPerSecond > 0 ? number(r.stalledOtherCpuUtilisation) : "",
                r.stalledFirstDrop != null ? r.stalledFirstDrop : "");
            if (row.size() != CSV_COLUMNS.size())
            {
                throw new IllegalStateException("CSV row has " + row.size() + " fields for " + CSV_COLUMNS.size() +
                    " columns");
            }
            for (int i = 0; i < row.size(); i++)
            {
                out.append(i == 0 ? "" : ",").append(csvField(row.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String number(final double value)
    {
        return new BigDecimal(value).round(CSV_PRECISION).stripTrailingZeros().toPlainString();
    }

    private static String csvField(final String value)
    {
        final String oneLine = value.replace('\n', ' ').replace('\r', ' ');
        return oneLine.indexOf(',') < 0 && oneLine.indexOf('"') < 0 ?
            oneLine : '"' + oneLine.replace("\"", "\"\"") + '"';
    }

    private static String percentile(final Histogram latency, final double percentile)
    {
        if (latency == null || latency.getTotalCount() == 0)
        {
            return "–";
        }
        final long ns = percentile >= 100 ? latency.getMaxValue() : latency.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, ns < 10_000_000 ? "%.3f" : "%.1f", ns / 1e6);
    }

    private static double p99(final Histogram latency)
    {
        return latency == null || latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(99);
    }

    private static String ratio(final double with, final double without)
    {
        return with > 0 && without > 0 ? String.format(Locale.ROOT, "%.2f×", with / without) : "–";
    }

    /** Signed growth in bytes, or "–" when either measurement is missing. */
    private static String growth(final long after, final long before)
    {
        return after > 0 && before > 0 ? String.format(Locale.ROOT, "%+,d", after - before) : "–";
    }

    private static String perConnection(final long loaded, final long empty, final int n)
    {
        return loaded > 0 && empty > 0 ? String.format(Locale.ROOT, "%,d", (loaded - empty) / n) : "–";
    }

    /**
     * Deliveries the reading subscribers must have once {@code sequence} events are published: those counted before
     * {@code fromSequence}, plus {@code perEvent} per event from it (all N before the stall, the readers after).
     */
    record Expected(long fromSequence, long deliveriesBefore, int perEvent)
    {
        long at(final long sequence)
        {
            return deliveriesBefore + (sequence - fromSequence) * perEvent;
        }
    }

    static final class Result
    {
        final String server;
        final int subscribers;
        String skipReason = "server jar not found (build nio-server first)";
        String failure;
        String banner;
        double connectSeconds;
        long emptyHeap;
        long emptyRss;
        long idleHeap;
        long idleRss;
        long window;
        double deliveriesPerSecond;
        double eventsPerSecond;
        double cpuSecondsPerMillion;
        double cpuUtilisation;
        double clientCpuSecondsPerMillion;
        double otherCpuUtilisation;
        double writesPerDelivery = Double.NaN;
        Histogram latency;
        long publishLagMaxNs;
        double fixedRateAchieved;
        long events;
        int stalledConnections;
        double stalledDeliveriesPerSecond;
        double stalledEventsPerSecond;
        double stalledCpuUtilisation;
        double stalledFixedRateAchieved;
        Histogram stalledLatency;
        long stalledEventsPublished;
        int stalledDropped;
        int stalledCaughtUp;
        int stalledGaps;
        String stalledFirstDrop;
        long heapBeforeStall;
        long heapAfterStall;
        long rssBeforeStall;
        long rssAfterStall;
        double stalledOtherCpuUtilisation;
        long kernelQueueBytes = -1;
        int kernelQueueConnections;

        Result(final String server, final int subscribers)
        {
            this.server = server;
            this.subscribers = subscribers;
        }

        void skip(final String reason)
        {
            skipReason = reason;
        }

        void fail(final String reason, final SseLoadClient client)
        {
            if (failure == null)
            {
                failure = reason + (client != null && client.firstFailure() != null ?
                    " (first: " + client.firstFailure() + ")" : "");
            }
        }

        String status()
        {
            if (failure != null)
            {
                return "**FAIL** " + failure.replace("|", "/").replace("\n", " ");
            }
            return skipReason != null ? "skipped: " + skipReason : "ok";
        }

        String summary()
        {
            return String.format(Locale.ROOT,
                "%s/%d: %,.0f deliveries/s (%,.0f events/s, window %d), server CPU %.0f%%, %.2f CPU s/1M " +
                "(load process %.2f), %.2f writes/delivery, other processes %.0f%% CPU; " +
                "p50 %s p99 %s p99.9 %s ms;%s %s",
                server, subscribers, deliveriesPerSecond, eventsPerSecond, window, cpuUtilisation * 100,
                cpuSecondsPerMillion, clientCpuSecondsPerMillion, writesPerDelivery, otherCpuUtilisation * 100,
                percentile(latency, 50), percentile(latency, 99), percentile(latency, 99.9), stalledSummary(),
                status());
        }

        private String stalledSummary()
        {
            if (stalledConnections == 0)
            {
                return "";
            }
            return String.format(Locale.ROOT, "%n    %d stalled: readers %,.0f deliveries/s (%,.0f events/s, %s of all " +
                "reading), server CPU %.0f%%, other processes %.0f%%, p99 %s ms (%s) at %.0f events/s; %d events " +
                "published while stalled; stalled dropped by the server %d, kept and caught up %d, skipped events %d; " +
                "heap %s B, RSS %s B over the server before the stall, kernel send queues %s B on %d connections%s;",
                stalledConnections, stalledDeliveriesPerSecond, stalledEventsPerSecond,
                ratio(stalledEventsPerSecond, eventsPerSecond), stalledCpuUtilisation * 100,
                stalledOtherCpuUtilisation * 100,
                percentile(stalledLatency, 99), ratio(p99(stalledLatency), p99(latency)), stalledFixedRateAchieved,
                stalledEventsPublished, stalledDropped, stalledCaughtUp, stalledGaps,
                growth(heapAfterStall, heapBeforeStall), growth(rssAfterStall, rssBeforeStall),
                kernelQueueBytes < 0 ? "–" : String.format(Locale.ROOT, "%,d", kernelQueueBytes),
                kernelQueueConnections, stalledFirstDrop == null ? "" : "; first drop: " + stalledFirstDrop);
        }

        /** Readers' per-connection event rate with stalls over the all-reading run's (NaN if either is missing). */
        double stalledRateRatio()
        {
            return stalledEventsPerSecond > 0 && eventsPerSecond > 0 ? stalledEventsPerSecond / eventsPerSecond :
                Double.NaN;
        }

        /** Readers' p99 with stalls over the all-reading run's (NaN if either is missing). */
        double stalledP99Ratio()
        {
            final double with = p99(stalledLatency);
            final double without = p99(latency);
            return with > 0 && without > 0 ? with / without : Double.NaN;
        }
    }

    static final class Settings
    {
        boolean quick;
        List<String> servers = List.of("sseflow", "netty", "webflux");
        int[] subscriberCounts = {1_000, 10_000};
        int payloadBytes = 64;
        int warmupSeconds = 3;
        int measureSeconds = 10;
        int fixedRate = 100;
        int fixedSeconds = 20;
        int history = 1024;
        final List<String> sseflowArgs = new java.util.ArrayList<>();
        long windowDeliveries = 256_000;
        int batch = 16;
        int maxRateReadIntervalMicros = 2_000;
        int phaseTimeoutSeconds = 60;
        int quietWaitSeconds;
        int stalledPercent = 10;
        int stalledReceiveBuffer = 4096;
        boolean sseflowPerAddressLimit = true;
        int timeLimitSeconds = 1_800;
        Path sseflowJar = Path.of("nio-server/target/sseflow-server.jar");
        String serverJvmArgs = "-Xmx1g -XX:+UseG1GC --add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
        Path logDir = Path.of("benchmarks/target/fanout-logs");
        Path out;
        Path csv;

        static Settings parse(final String[] args)
        {
            final Settings s = new Settings();
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        s.quick = true;
                        s.subscriberCounts = new int[]{1_000};
                        s.warmupSeconds = 1;
                        s.measureSeconds = 3;
                        s.fixedSeconds = 3;
                        s.phaseTimeoutSeconds = 20;
                        s.timeLimitSeconds = 110;
                        break;
                    case "--servers":
                        s.servers = List.of(args[++i].split(","));
                        break;
                    case "--subscribers":
                        s.subscriberCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                        break;
                    case "--payload":
                        s.payloadBytes = Integer.parseInt(args[++i]);
                        break;
                    case "--warmup-s":
                        s.warmupSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--measure-s":
                        s.measureSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--fixed-rate":
                        s.fixedRate = Integer.parseInt(args[++i]);
                        break;
                    case "--fixed-s":
                        s.fixedSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--history":
                        s.history = Integer.parseInt(args[++i]);
                        break;
                    case "--sseflow-arg":
                        s.sseflowArgs.add(args[++i]);
                        break;
                    case "--window-deliveries":
                        s.windowDeliveries = Long.parseLong(args[++i]);
                        break;
                    case "--read-interval-us":
                        s.maxRateReadIntervalMicros = Integer.parseInt(args[++i]);
                        break;
                    case "--batch":
                        s.batch = Integer.parseInt(args[++i]);
                        break;
                    case "--phase-timeout-s":
                        s.phaseTimeoutSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--stalled-percent":
                        s.stalledPercent = Integer.parseInt(args[++i]);
                        if (s.stalledPercent < 0 || s.stalledPercent >= 100)
                        {
                            throw new IllegalArgumentException("--stalled-percent must be 0 to 99");
                        }
                        break;
                    case "--stalled-rcvbuf":
                        s.stalledReceiveBuffer = Integer.parseInt(args[++i]);
                        break;
                    case "--quiet-wait-s":
                        s.quietWaitSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--no-per-address-limit":
                        s.sseflowPerAddressLimit = false;
                        break;
                    case "--time-limit-s":
                        s.timeLimitSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--sseflow-jar":
                        s.sseflowJar = Path.of(args[++i]);
                        break;
                    case "--server-jvm-args":
                        s.serverJvmArgs = args[++i];
                        break;
                    case "--log-dir":
                        s.logDir = Path.of(args[++i]);
                        break;
                    case "--out":
                        s.out = Path.of(args[++i]);
                        break;
                    case "--csv":
                        s.csv = Path.of(args[++i]);
                        break;
                    case "--help":
                    case "-h":
                        System.out.println(String.join("\n",
                            "FanOutBenchmark [--quick] [options]   (run from the repository root)",
                            "  --quick                    1,000 subscribers, 1 s warm-up, 3 s max rate, 3 s latency",
                            "  --servers LIST             sseflow,netty,webflux (default all)",
                            "  --subscribers LIST         default 1000,10000",
                            "  --payload BYTES            event data length, default 64 (min " +
                                EventPayload.MIN_LENGTH + ")",
                            "  --warmup-s S --measure-s S max-rate warm-up and measured seconds (3, 10)",
                            "  --fixed-rate R --fixed-s S latency phase rate and seconds (100, 20)",
                            "  --window-deliveries D      max-rate backlog bound in deliveries (256000)",
                            "  --batch B                  pipelined POSTs per write (16)",
                            "  --read-interval-us U       max-rate phase: client select rounds at least U µs apart (2000)",
                            "  --history N                sseflow --history (1024); window <= N/4 events",
                            "  --phase-timeout-s S        connect, warm-up and drain limit (60)",
                            "  --stalled-percent P        stalled readers: then P% of the connections (every " +
                                "(100/P)th) stop reading",
                            "                             and max rate + latency run again; readers' rate and p99 " +
                                "vs all reading,",
                            "                             server heap/RSS growth, stalled connections the server " +
                                "dropped (10; 0: off)",
                            "  --stalled-rcvbuf B         SO_RCVBUF of the stalled connections, set before connecting " +
                                "(4096)",
                            "  --quiet-wait-s S           before each server, wait up to S s for other processes " +
                                "to use < 25% of a core (0)",
                            "  --time-limit-s S           whole run limit (1800)",
                            "  --sseflow-jar PATH         default nio-server/target/sseflow-server.jar",
                            "  --no-per-address-limit     do not pass --max-connections-per-address (hubs before it)",
                            "  --sseflow-arg A            one more hub flag, repeatable (e.g. --sseflow-arg " +
                                "--socket-send-buffer-bytes=65536)",
                            "  --server-jvm-args ARGS     JVM flags of every server process",
                            "  --out FILE                 also write the markdown table there",
                            "  --csv FILE                 also write one CSV row per server and subscriber count"));
                        return null;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            return s;
        }
    }
}
