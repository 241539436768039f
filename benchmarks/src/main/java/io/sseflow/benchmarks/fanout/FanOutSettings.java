package io.sseflow.benchmarks.fanout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of a fan-out run, from the command line ({@code --help} prints them with their defaults); read-only once
 * {@link #parse(String[])} returns. Durations are in the units their names say.
 */
final class FanOutSettings
{
    /** Most --failover-runs. */
    static final int MAX_FAILOVER_RUNS = 20;
    /** Most --failover-rate. */
    static final int MAX_FAILOVER_RATE = 1_000;
    /** The durable scenario's whole-run limit with --quick. */
    static final int QUICK_DURABLE_TIME_LIMIT_SECONDS = 300;

    /** --quick: 1,000 subscribers and short phases. */
    boolean quick;
    /** --servers: which servers run, in order. */
    List<String> servers = List.of("sseflow", "netty", "webflux");
    /** --subscribers: subscriber counts, each run on a fresh server. */
    int[] subscriberCounts = {1_000, 10_000};
    /** --topics-per-subscriber: topics on each subscriber's stream, events published to them in turn (sseflow). */
    int topicsPerSubscriber = 1;
    /** --payload: event data length in bytes. */
    int payloadBytes = 64;
    /** --warmup-s: max-rate warm-up. */
    int warmupSeconds = 3;
    /** --measure-s: max-rate measured part. */
    int measureSeconds = 10;
    /** --fixed-rate: latency phase events per second. */
    int fixedRate = 100;
    /** --fixed-s: latency phase length. */
    int fixedSeconds = 20;
    /** --history: the hub's history per topic; the max-rate window is at most a quarter of it. */
    int history = 1024;
    /** --sseflow-arg: more hub flags. */
    final List<String> sseflowArgs = new ArrayList<>();
    /** --agents: the hub's fan-out agents (0: its default). */
    int agents;
    /** --server-cpus: the CPUs every server process is pinned to with taskset (null: not pinned). */
    String serverCpus;
    /** --window-deliveries: max-rate backlog bound in deliveries. */
    long windowDeliveries = 256_000;
    /** --batch: pipelined POSTs per write. */
    int batch = 16;
    /** --read-interval-us: least time between the client's select rounds at max rate. */
    int maxRateReadIntervalMicros = 2_000;
    /** --phase-timeout-s: connect, warm-up and drain limit. */
    int phaseTimeoutSeconds = 60;
    /** --quiet-wait-s: longest wait for other processes to go quiet before each server. */
    int quietWaitSeconds;
    /** --stalled-percent: connections that stop reading in the stalled-readers phase (0: off). */
    int stalledPercent = 10;
    /** --stalled-rcvbuf: SO_RCVBUF of the stalled connections. */
    int stalledReceiveBuffer = 4096;
    /** --no-per-address-limit clears it: pass --max-connections-per-address to the hub. */
    boolean sseflowPerAddressLimit = true;
    /** --time-limit-s: whole run limit. */
    int timeLimitSeconds = 1_800;
    /** --sseflow-jar: the hub's jar. */
    Path sseflowJar = Path.of("nio-server/target/sseflow-server.jar");
    /** --server-jvm-args: JVM flags of every server process. */
    String serverJvmArgs = "-Xmx1g -XX:+UseG1GC --add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    /** --log-dir: where each server's output goes. */
    Path logDir = Path.of("benchmarks/target/fanout-logs");
    /** --out: also write the markdown table there (null: no). */
    Path out;
    /** --csv: also write the CSV there (null: no). */
    Path csv;
    /** --scenario: the fan-out comparison of servers, or sseflow's in-memory, durable and clustered hubs. */
    Scenario scenario = Scenario.FANOUT;
    /** --configurations: which hub configurations the durable scenario runs, in order. */
    List<HubConfiguration> configurations = HubConfiguration.DEFAULTS;
    /** --failover-runs: kill -9 repetitions of the durable scenario's failover phase (0: off). */
    int failoverRuns = 3;
    /** --failover-rate: events per second published through each failover. */
    int failoverRate = 100;

    /** What a run measures. */
    enum Scenario
    {
        /** Every server of {@code --servers} in turn. */
        FANOUT,
        /** The sseflow hub in memory, as one durable node and as a 3-node cluster ({@link DurableScenario}). */
        DURABLE
    }

    /**
     * Parse the command line.
     *
     * @param args see {@code --help}.
     * @return the settings, or null after printing the usage for {@code --help}.
     * @throws IllegalArgumentException on an unknown option or a bad value.
     */
    static FanOutSettings parse(final String[] args)
    {
        final FanOutSettings s = new FanOutSettings();
        boolean serversGiven = false;
        boolean subscribersGiven = false;
        boolean configurationsGiven = false;
        boolean timeLimitGiven = false;
        boolean failoverRunsGiven = false;
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
                    serversGiven = true;
                    break;
                case "--subscribers":
                    s.subscriberCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                    subscribersGiven = true;
                    break;
                case "--topics-per-subscriber":
                    s.topicsPerSubscriber = Integer.parseInt(args[++i]);
                    if (s.topicsPerSubscriber < 1 || s.topicsPerSubscriber > FanOutTopics.MAX_TOPICS)
                    {
                        throw new IllegalArgumentException(
                            "--topics-per-subscriber must be 1 to " + FanOutTopics.MAX_TOPICS);
                    }
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
                case "--agents":
                    s.agents = Integer.parseInt(args[++i]);
                    if (s.agents < 1)
                    {
                        throw new IllegalArgumentException("--agents must be at least 1");
                    }
                    s.sseflowArgs.add("--agents=" + s.agents);
                    break;
                case "--server-cpus":
                    s.serverCpus = args[++i];
                    if (!s.serverCpus.matches("[0-9]+([-,][0-9]+)*"))
                    {
                        throw new IllegalArgumentException("--server-cpus takes a taskset CPU list (0-3,8): " +
                            s.serverCpus);
                    }
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
                    timeLimitGiven = true;
                    break;
                case "--scenario":
                    s.scenario = scenario(args[++i]);
                    break;
                case "--configurations":
                    s.configurations = HubConfiguration.parseList(args[++i]);
                    configurationsGiven = true;
                    break;
                case "--failover-runs":
                    s.failoverRuns = Integer.parseInt(args[++i]);
                    failoverRunsGiven = true;
                    if (s.failoverRuns < 0 || s.failoverRuns > MAX_FAILOVER_RUNS)
                    {
                        throw new IllegalArgumentException("--failover-runs must be 0 to " + MAX_FAILOVER_RUNS);
                    }
                    break;
                case "--failover-rate":
                    s.failoverRate = Integer.parseInt(args[++i]);
                    if (s.failoverRate < 1 || s.failoverRate > MAX_FAILOVER_RATE)
                    {
                        throw new IllegalArgumentException("--failover-rate must be 1 to " + MAX_FAILOVER_RATE);
                    }
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
                        "  --topics-per-subscriber K  each subscriber streams K topics, GET /events?topic=..&topic=..,",
                        "                             event s published to topic s mod K (1, /events/<topic>; " +
                            "sseflow only)",
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
                        "  --agents N                 the hub's fan-out agents (--agents=N to the hub; its default " +
                            "otherwise)",
                        "  --server-cpus LIST         pin every server process to these CPUs (taskset -c LIST); " +
                            "fanout.sh --scaling",
                        "                             pins the load process to the others",
                        "  --server-jvm-args ARGS     JVM flags of every server process",
                        "  --out FILE                 also write the markdown table there",
                        "  --csv FILE                 also write one CSV row per server and subscriber count",
                        "  --scenario NAME            fanout (default): every --servers in turn; durable: the sseflow " +
                            "hub in memory,",
                        "                             as one durable node (--data-dir) and as a 3-node cluster on " +
                            "loopback, same phases",
                        "                             (stalled readers off; 1,000 subscribers by default) plus " +
                            "failover and disk/RSS per node",
                        "  --configurations LIST      durable scenario: memory,durable,cluster (the default, in that " +
                            "order),",
                        "                             durable-nofsync, cluster-nofsync (the same with " +
                            "--fsync=false)",
                        "  --failover-runs N          durable scenario: kill -9 of the leader N times (3; --quick 1; " +
                            "0: off)",
                        "  --failover-rate R          durable scenario: events/s published through each failover " +
                            "(100)"));
                    return null;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (s.scenario == Scenario.DURABLE)
        {
            if (serversGiven)
            {
                throw new IllegalArgumentException("--servers applies to --scenario fanout only (--scenario durable " +
                    "runs the sseflow hub: choose with --configurations)");
            }
            s.servers = List.of("sseflow");
            s.stalledPercent = 0;
            if (!subscribersGiven)
            {
                s.subscriberCounts = new int[]{1_000};
            }
            if (s.quick && !failoverRunsGiven)
            {
                s.failoverRuns = 1;
            }
            if (!timeLimitGiven)
            {
                s.timeLimitSeconds = s.quick ? QUICK_DURABLE_TIME_LIMIT_SECONDS : s.timeLimitSeconds;
            }
        }
        else if (configurationsGiven)
        {
            throw new IllegalArgumentException("--configurations needs --scenario durable");
        }
        if (s.topicsPerSubscriber > 1 && !s.servers.equals(List.of("sseflow")))
        {
            throw new IllegalArgumentException("--topics-per-subscriber " + s.topicsPerSubscriber +
                " needs --servers sseflow (the peers stream one topic per subscriber)");
        }
        return s;
    }

    private static Scenario scenario(final String name)
    {
        switch (name)
        {
            case "fanout":
                return Scenario.FANOUT;
            case "durable":
                return Scenario.DURABLE;
            default:
                throw new IllegalArgumentException("--scenario must be fanout or durable: " + name);
        }
    }

    private FanOutSettings()
    {
    }
}
