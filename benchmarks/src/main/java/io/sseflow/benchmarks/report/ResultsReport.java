package io.sseflow.benchmarks.report;

import io.sseflow.benchmarks.fanout.results.DurableTable;
import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import io.sseflow.benchmarks.fanout.results.FanOutRow;
import io.sseflow.benchmarks.fanout.results.FanOutTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes {@code benchmarks/RESULTS.md} and its charts from one run's files, as {@code benchmarks/run-all.sh} leaves
 * them in {@code benchmarks/results/}: {@code jmh.json} (JMH {@code -rf json} of {@code EncoderBenchmark} with
 * {@code -prof gc}), {@code fanout.csv} and {@code fanout.md} ({@code FanOutBenchmark --csv/--out}) and
 * {@code run-info.txt} (machine, JDK, commit, date, commands). Every number in the report comes from those files,
 * including the "Targets" verdicts, which are computed here; only the "Analysis" section is written by hand, and a
 * hand-written one already in the output file is kept.
 * <pre>
 * benchmarks/run-all.sh [--quick]           # runs everything, then this
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.report.ResultsReport \
 *     [--results benchmarks/results] [--out benchmarks/RESULTS.md]
 * </pre>
 * Charts: {@code results/encoder.png} (ns/op per case and contender, log scale) and {@code results/fanout.png}
 * (deliveries/s, CPU per delivery, p99 latency, heap per idle connection, readers' rate with stalled readers over
 * the all-reading run and RSS growth with stalled readers, per server and subscriber count).
 */
public final class ResultsReport
{
    /** The multi-topic fan-out run's CSV (run-all's step 3a), its rows shown in the fan-out table. */
    static final String MULTI_TOPIC_CSV = "fanout-multitopic.csv";

    /** Below this many bytes per operation, JMH's normalised allocation counts as zero (as in CI's gate). */
    static final double ZERO_ALLOCATION_THRESHOLD = 1.0;

    /** Issue 4 targets. */
    static final double OBJECT_FLOOR_RATIO = 1.15;
    static final double SPRING_SPEED_UP = 10;
    static final double JACKSON_SPEED_UP = 3;
    static final double DELIVERIES_PER_SECOND = 1_000_000;
    static final int DELIVERIES_AT_SUBSCRIBERS = 1_000;
    static final double NETTY_SPEED_UP = 3;
    static final double P99_MS = 2.0;
    static final int P99_SUBSCRIBERS = 1_000;
    static final int P99_EVENTS_PER_SECOND = 100;
    static final double HEAP_PER_IDLE_CONNECTION = 1024;

    /** Issue 5 ("Faulty clients"): with this percentage of subscribers stalled, readers stay within this ratio. */
    static final int STALLED_PERCENT = 10;
    static final int STALLED_SUBSCRIBERS = 1_000;
    static final double STALLED_WITHIN = 0.10;

    private static final String ANALYSIS_BEGIN = "<!-- analysis:begin (hand-written; kept when the report is regenerated) -->";
    private static final String ANALYSIS_END = "<!-- analysis:end -->";
    private static final String ANALYSIS_PLACEHOLDER =
        "_Written by hand after the run (by the lead), from the numbers above: what limits each target that is not " +
        "met (profiles: async-profiler or JFR), and what was done about it. Nothing in the sections above is typed " +
        "by hand._";

    private static final String DASH = "–";

    private final Path resultsDir;
    private final Path out;
    private final StringBuilder md = new StringBuilder();

    private ResultsReport(final Path resultsDir, final Path out)
    {
        this.resultsDir = resultsDir;
        this.out = out;
    }

    /**
     * Write the report.
     *
     * @param args {@code [--results DIR] [--out FILE]}.
     * @throws IOException if the results cannot be read or the report written.
     */
    public static void main(final String[] args) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        Path results = Path.of("benchmarks/results");
        Path out = Path.of("benchmarks/RESULTS.md");
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--results":
                    results = Path.of(args[++i]);
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                default:
                    System.out.println("ResultsReport [--results benchmarks/results] [--out benchmarks/RESULTS.md]" +
                        "   (run from the repository root)");
                    System.exit("--help".equals(args[i]) || "-h".equals(args[i]) ? 0 : 2);
            }
        }
        new ResultsReport(results, out).write();
    }

    private void write() throws IOException
    {
        final RunInfo run = RunInfo.read(resultsDir.resolve("run-info.txt"));
        final Path jmhJson = resultsDir.resolve("jmh.json");
        final Path fanOutCsv = resultsDir.resolve("fanout.csv");
        final EncoderResults encoder = Files.isRegularFile(jmhJson) ? EncoderResults.read(jmhJson) : null;
        final FanOutResults fanOut = Files.isRegularFile(fanOutCsv) ? FanOutResults.read(fanOutCsv) : null;
        if (encoder == null && fanOut == null)
        {
            throw new IOException("neither " + jmhJson + " nor " + fanOutCsv + " exists: run benchmarks/run-all.sh");
        }
        final Path encoderPng = resultsDir.resolve("encoder.png");
        final Path fanOutPng = resultsDir.resolve("fanout.png");
        if (encoder != null)
        {
            ResultCharts.encoder(encoder, encoderPng);
        }
        if (fanOut != null)
        {
            ResultCharts.fanOut(fanOut, fanOutPng);
        }

        header(run);
        encoderSection(encoder, encoderPng);
        fanOutSection(fanOut, fanOutPng, run);
        durableSection();
        targets(encoder, fanOut);
        analysis();

        if (out.getParent() != null)
        {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md.toString());
        System.out.println("wrote " + out + (encoder != null ? ", " + encoderPng : "") +
            (fanOut != null ? ", " + fanOutPng : ""));
    }

    private void header(final RunInfo run)
    {
        line("# sseflow benchmark results");
        line();
        line("<!-- Generated by io.sseflow.benchmarks.report.ResultsReport from " + link(resultsDir) +
            "/ (benchmarks/run-all.sh). Every number comes from the run's files; only \"Analysis\" is hand-written. -->");
        line();
        line("| | |");
        line("|---|---|");
        line("| run | " + run.get("mode") + ", " + run.get("date_utc") + " |");
        line("| commit | `" + run.get("commit") + "` " + run.get("commit_subject") +
            ("yes".equals(run.get("commit_dirty")) ? " (**working tree had uncommitted changes**)" : "") + " |");
        line("| machine | " + run.get("nproc") + " CPUs (" + run.get("cpu_model") + "), " + run.get("mem_total") +
            " memory, " + run.get("os") + ", kernel " + run.get("kernel") + " |");
        line("| JDK | " + run.get("java_version") + " |");
        line("| load before the run | " + run.get("loadavg_before") + " (1/5/15-min load average) |");
        line();
        line("Commands, from the repository root (`benchmarks/run-all.sh` runs them in this order):");
        line();
        line("```sh");
        for (final String key : List.of("command_runall", "command_build", "command_jmh", "command_fanout",
            "command_fanout_multitopic", "command_durable", "command_report"))
        {
            if (run.has(key))
            {
                line(run.get(key));
            }
        }
        line("```");
        line();
        line("Exit statuses: JMH " + run.get("jmh_exit") + ", fan-out " + run.get("fanout_exit") +
            " (1 = a subscriber lost, repeated or reordered an event); run times: JMH " + run.get("jmh_seconds") +
            " s, fan-out " + run.get("fanout_seconds") + " s" + (run.has("durable_exit") ? "; durable scenario " +
            "exit " + run.get("durable_exit") + ", " + run.get("durable_seconds") + " s" : "") + ". Raw files: " +
            String.join(", ",
            rawFiles()) + ".");
        line();
    }

    private List<String> rawFiles()
    {
        final List<String> files = new ArrayList<>();
        for (final String name : List.of("jmh.json", "jmh.log", "fanout.csv", "fanout.md", "fanout.log",
            MULTI_TOPIC_CSV, "fanout-multitopic.md", "fanout-multitopic.log", "durable.csv", "durable.md", "durable.log", "run-info.txt"))
        {
            if (Files.isRegularFile(resultsDir.resolve(name)))
            {
                files.add("[" + name + "](" + link(resultsDir.resolve(name)) + ")");
            }
        }
        return files;
    }

    private void encoderSection(final EncoderResults encoder, final Path png)
    {
        line("## Encoder (JMH, `EncoderBenchmark`)");
        line();
        if (encoder == null)
        {
            line("Not run (no `jmh.json`).");
            line();
            return;
        }
        line("JMH " + encoder.settings + "; " + encoder.vmName + " " + encoder.vmVersion + " (JDK " +
            encoder.jdkVersion + "); fork JVM flags `" + encoder.jvmArgs + "`. One SSE event per operation; " +
            "± is JMH's 99.9% confidence half-width (– with a single iteration); B/op is `gc.alloc.rate.norm` " +
            "(below " + fmt("%.0f", ZERO_ALLOCATION_THRESHOLD) + " B/op counts as 0, raw value in brackets).");
        line();
        line("![Encoder: ns/op per case and contender, log scale](" + link(png) + ")");
        line();
        line("| case | contender | ns/op | ± | B/op | × dsl-json body (object) | " +
            String.join(" | ", EncoderResults.SSEFLOW.stream()
                .filter((s) -> encoder.contenders.contains(s)).map((s) -> s + " speed-up").toList()) + " |");
        line("|---|---|---:|---:|---:|---:|" + "---:|".repeat((int)EncoderResults.SSEFLOW.stream()
            .filter((s) -> encoder.contenders.contains(s)).count()));
        for (final EncoderResults.Entry e : encoder.entries)
        {
            final StringBuilder row = new StringBuilder();
            row.append("| ").append(e.caseName()).append(" | ").append(e.contender()).append(" | ")
                .append(nanos(e.nsPerOp())).append(" | ").append(nanos(e.errorNs())).append(" | ")
                .append(bytes(e.bytesPerOp())).append(" | ")
                .append("object".equals(e.caseName()) ? encoder.find("object", EncoderResults.FLOOR)
                    .map((f) -> ratio(e.nsPerOp() / f.nsPerOp())).orElse(DASH) : DASH).append(" |");
            for (final String sseflow : EncoderResults.SSEFLOW)
            {
                if (encoder.contenders.contains(sseflow))
                {
                    row.append(' ').append(encoder.find(e.caseName(), sseflow)
                        .map((s) -> ratio(e.nsPerOp() / s.nsPerOp())).orElse(DASH)).append(" |");
                }
            }
            line(row.toString());
        }
        line();
        line("× dsl-json body: this contender's ns/op over dsl-json writing the object's JSON body alone (the floor; " +
            "framing overhead = sseflow − floor). Speed-up: this contender's ns/op over sseflow's on the same case in " +
            "the same run (above 1 = sseflow is faster).");
        line();
    }

    private void fanOutSection(final FanOutResults fanOut, final Path png, final RunInfo run) throws IOException
    {
        line("## Fan-out (`FanOutBenchmark`)");
        line();
        if (fanOut == null)
        {
            line("Not run (no `fanout.csv`).");
            line();
            return;
        }
        final List<String> notes = notes("fanout.md");
        if (!notes.isEmpty() && notes.get(0).startsWith("Fan-out,"))
        {
            line(notes.remove(0));
            line();
        }
        line("![Fan-out: deliveries/s, CPU per delivery, p99 latency, heap per idle connection, stalled readers](" +
            link(png) + ")");
        line();
        line("Runs that were not ok have no bar. Red dashed lines: issue 4's targets for sseflow (deliveries/s at " +
            fmt("%,d", DELIVERIES_AT_SUBSCRIBERS) + " subscribers, p99 at " + fmt("%,d", P99_SUBSCRIBERS) + " × " +
            P99_EVENTS_PER_SECOND + " events/s, heap per idle connection) and issue 5's (readers within " +
            fmt("%.0f%%", STALLED_WITHIN * 100) + " of the all-reading rate with " + STALLED_PERCENT +
            "% of subscribers stalled).");
        line();
        md.append(FanOutTable.header(FanOutTable.stalledPercent(fanOut.rows)));
        fanOut.rows.forEach((r) -> md.append(FanOutTable.line(r)));
        final Path multiTopic = resultsDir.resolve(MULTI_TOPIC_CSV);
        final boolean hasMultiTopic = Files.isRegularFile(multiTopic) && run.has("fanout_multitopic_topics");
        if (hasMultiTopic)
        {
            final String label = ", " + run.get("fanout_multitopic_topics") + " topics each";
            FanOutResults.read(multiTopic).rows.forEach((r) ->
                md.append(FanOutTable.line(r.with(FanOutColumn.SERVER, r.server() + label))));
        }
        line();
        if (hasMultiTopic)
        {
            line("Rows \"sseflow, " + run.get("fanout_multitopic_topics") + " topics each\": the same phases, same run " +
                "(`" + run.get("command_fanout_multitopic") + "`), every subscriber on one stream of " +
                run.get("fanout_multitopic_topics") + " topics (`GET /events?topic=..&topic=..`), events published to " +
                "them in turn; no stalled-readers phase. Exit status " + run.get("fanout_multitopic_exit") + ", " +
                run.get("fanout_multitopic_seconds") + " s. Raw: [" + MULTI_TOPIC_CSV + "](" + link(multiTopic) +
                "), [fanout-multitopic.md](" + link(resultsDir.resolve("fanout-multitopic.md")) + ").");
            line();
        }
        if (!notes.isEmpty())
        {
            line("From the run's own table ([fanout.md](" + link(resultsDir.resolve("fanout.md")) + ")):");
            line();
            notes.forEach(this::line);
            line();
        }
    }

    private void durableSection() throws IOException
    {
        final Path csv = resultsDir.resolve("durable.csv");
        if (!Files.isRegularFile(csv))
        {
            return;
        }
        line("## Durable and clustered hub (`FanOutBenchmark --scenario durable`)");
        line();
        final List<String> notes = notes("durable.md");
        if (!notes.isEmpty() && notes.get(0).startsWith("Durable and clustered hub,"))
        {
            line(notes.remove(0));
            line();
        }
        md.append(DurableTable.header());
        FanOutResults.read(csv).rows.forEach((r) -> md.append(DurableTable.line(r)));
        line();
        notes.forEach(this::line);
        line();
    }

    /** The lines of a run's own markdown file that are not its table. */
    private List<String> notes(final String name) throws IOException
    {
        final Path file = resultsDir.resolve(name);
        final List<String> notes = new ArrayList<>();
        if (!Files.isRegularFile(file))
        {
            return notes;
        }
        for (final String text : Files.readAllLines(file))
        {
            if (!text.startsWith("|") && !text.isBlank())
            {
                notes.add(text);
            }
        }
        return notes;
    }

    private void targets(final EncoderResults encoder, final FanOutResults fanOut)
    {
        line("## Targets (issues 4 and 5)");
        line();
        line("Computed from the numbers above; same-run ratios.");
        line();
        if (encoder != null)
        {
            encoderTargets(encoder);
        }
        if (fanOut != null)
        {
            fanOutTargets(fanOut);
        }
    }

    private void encoderTargets(final EncoderResults encoder)
    {
        final List<String> sseflows = EncoderResults.SSEFLOW.stream().filter(encoder.contenders::contains).toList();
        line("| encoder target | case | " + String.join(" | ", sseflows) + " |");
        line("|---|---|" + "---|".repeat(sseflows.size()));
        for (final String kase : encoder.cases)
        {
            final StringBuilder row = new StringBuilder("| every sseflow case 0 B/op (< " +
                fmt("%.0f", ZERO_ALLOCATION_THRESHOLD) + " B/op) | " + kase + " |");
            for (final String sseflow : sseflows)
            {
                row.append(' ').append(encoder.find(kase, sseflow).map((e) -> Double.isNaN(e.bytesPerOp()) ?
                    "not measured (no `-prof gc`)" : fmt("%.3f B/op", e.bytesPerOp()) + " — " +
                    verdict(e.bytesPerOp() < ZERO_ALLOCATION_THRESHOLD)).orElse("not run")).append(" |");
            }
            line(row.toString());
        }
        final Optional<EncoderResults.Entry> floor = encoder.find("object", EncoderResults.FLOOR);
        final StringBuilder floorRow = new StringBuilder("| within " + fmt("%.2f", OBJECT_FLOOR_RATIO) +
            "× of dsl-json body-only | object |");
        for (final String sseflow : sseflows)
        {
            final Optional<EncoderResults.Entry> e = encoder.find("object", sseflow);
            floorRow.append(' ').append(e.isPresent() && floor.isPresent() ?
                ratioVerdict(e.get().nsPerOp() / floor.get().nsPerOp(), OBJECT_FLOOR_RATIO, false) : "not run")
                .append(" |");
        }
        line(floorRow.toString());
        for (final String peer : List.of("springMvc", "springWebFlux", "jackson"))
        {
            final double target = "jackson".equals(peer) ? JACKSON_SPEED_UP : SPRING_SPEED_UP;
            for (final String kase : encoder.cases)
            {
                final Optional<EncoderResults.Entry> other = encoder.find(kase, peer);
                if (other.isEmpty())
                {
                    continue;
                }
                final StringBuilder row = new StringBuilder("| ≥ " + fmt("%.0f", target) + "× faster than " + peer +
                    " | " + kase + " |");
                for (final String sseflow : sseflows)
                {
                    final Optional<EncoderResults.Entry> e = encoder.find(kase, sseflow);
                    row.append(' ').append(e.isPresent() ?
                        ratioVerdict(other.get().nsPerOp() / e.get().nsPerOp(), target, true) : "not run")
                        .append(" |");
                }
                line(row.toString());
            }
        }
        line();
    }

    private void fanOutTargets(final FanOutResults fanOut)
    {
        line("| fan-out target (sseflow) | subscribers | measured | status |");
        line("|---|---:|---|---|");
        final Optional<FanOutRow> atThousand = fanOut.find("sseflow", DELIVERIES_AT_SUBSCRIBERS);
        line("| ≥ " + fmt("%,.0f", DELIVERIES_PER_SECOND) + " deliveries/s | " + fmt("%,d", DELIVERIES_AT_SUBSCRIBERS) +
            " | " + measured(atThousand, FanOutColumn.MAX_DELIVERIES_PER_S, (r) -> fmt("%,.0f deliveries/s (%.2f× the target)",
            r.number(FanOutColumn.MAX_DELIVERIES_PER_S), r.number(FanOutColumn.MAX_DELIVERIES_PER_S) / DELIVERIES_PER_SECOND),
            (r) -> r.number(FanOutColumn.MAX_DELIVERIES_PER_S) >= DELIVERIES_PER_SECOND));
        for (final int n : fanOut.subscriberCounts())
        {
            final Optional<FanOutRow> sseflow = fanOut.find("sseflow", n);
            final Optional<FanOutRow> netty = fanOut.find("netty", n).filter(FanOutRow::ok);
            line("| ≥ " + fmt("%.0f", NETTY_SPEED_UP) + "× the Netty server's deliveries/s, same run | " +
                fmt("%,d", n) + " | " + (netty.isEmpty() ? "netty not measured | not measured |" :
                measured(sseflow, FanOutColumn.MAX_DELIVERIES_PER_S, (r) -> fmt("%.2f× (sseflow %,.0f, netty %,.0f deliveries/s)",
                r.number(FanOutColumn.MAX_DELIVERIES_PER_S) / netty.get().number(FanOutColumn.MAX_DELIVERIES_PER_S),
                r.number(FanOutColumn.MAX_DELIVERIES_PER_S), netty.get().number(FanOutColumn.MAX_DELIVERIES_PER_S)),
                (r) -> r.number(FanOutColumn.MAX_DELIVERIES_PER_S) >= NETTY_SPEED_UP * netty.get().number(FanOutColumn.MAX_DELIVERIES_PER_S))));
        }
        final Optional<FanOutRow> latency = fanOut.find("sseflow", P99_SUBSCRIBERS);
        final boolean rateAsTarget = latency.map((r) -> r.number(FanOutColumn.LATENCY_PHASE_TARGET_EVENTS_PER_S) ==
            P99_EVENTS_PER_SECOND).orElse(false);
        line("| p99 ≤ " + fmt("%.0f", P99_MS) + " ms at " + P99_EVENTS_PER_SECOND + " events/s | " +
            fmt("%,d", P99_SUBSCRIBERS) + " | " + (latency.isPresent() && !rateAsTarget ?
            fmt("latency phase ran at %.0f events/s, not %d", latency.get().number(FanOutColumn.LATENCY_PHASE_TARGET_EVENTS_PER_S),
            P99_EVENTS_PER_SECOND) + " | not measured |" :
            measured(latency, FanOutColumn.P99_MS, (r) -> "p99 " + millis(r.number(FanOutColumn.P99_MS)) + " ms (" +
                fmt("%.2f× the target", r.number(FanOutColumn.P99_MS) / P99_MS) + "; " +
                fmt("%.0f of %d events/s achieved", r.number(FanOutColumn.LATENCY_PHASE_EVENTS_PER_S), P99_EVENTS_PER_SECOND) +
                (r.number(FanOutColumn.LATENCY_PHASE_EVENTS_PER_S) < 0.95 * P99_EVENTS_PER_SECOND ?
                ": the publisher fell behind, latency excludes that queueing" : "") + ")",
                (r) -> r.number(FanOutColumn.P99_MS) <= P99_MS)));
        for (final int n : fanOut.subscriberCounts())
        {
            line("| ≤ 1 KB (" + fmt("%,.0f", HEAP_PER_IDLE_CONNECTION) + " B) heap per idle connection | " +
                fmt("%,d", n) + " | " + measured(fanOut.find("sseflow", n), FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION,
                (r) -> fmt("%,.0f B (%.3f× the target)", r.number(FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION),
                r.number(FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION) / HEAP_PER_IDLE_CONNECTION),
                (r) -> r.number(FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION) <= HEAP_PER_IDLE_CONNECTION));
        }
        stalledTargets(fanOut);
        final long ok = fanOut.rows.stream().filter(FanOutRow::ok).count();
        final long failed = fanOut.rows.stream().filter((r) -> "fail".equals(r.text(FanOutColumn.STATUS))).count();
        line("| no lost, repeated or reordered event (every server) | all | " +
            fmt("%d ok, %d failed, %d skipped of %d runs", ok, failed, fanOut.rows.size() - ok - failed,
            fanOut.rows.size()) + " | " + (failed > 0 ? verdict(false) : ok == 0 ? "not measured" : verdict(true)) +
            " |");
        line();
    }

    /**
     * Issue 5: with 10% of 1,000 subscribers stalled, the readers' rate and p99 within 10% of the all-reading run,
     * and the server's memory stated in bytes.
     */
    private void stalledTargets(final FanOutResults fanOut)
    {
        final Optional<FanOutRow> row = fanOut.find("sseflow", STALLED_SUBSCRIBERS);
        final String name = "readers within " + fmt("%.0f%%", STALLED_WITHIN * 100) + " with " + STALLED_PERCENT +
            "% stalled (issue 5: deliveries/s and p99 vs all reading)";
        final String memory = "server memory bounded with " + STALLED_PERCENT + "% stalled (issue 5; stated, " +
            "growth over the same server before the stall)";
        final double percent = row.map((r) -> r.number(FanOutColumn.STALLED_PERCENT)).orElse(Double.NaN);
        if (row.isPresent() && percent != STALLED_PERCENT)
        {
            final String why = Double.isNaN(percent) || percent == 0 ? "stalled readers not run" :
                fmt("ran with %.0f%% stalled, not %d%%", percent, STALLED_PERCENT);
            line("| " + name + " | " + fmt("%,d", STALLED_SUBSCRIBERS) + " | " + why + " | not measured |");
            line("| " + memory + " | " + fmt("%,d", STALLED_SUBSCRIBERS) + " | " + why + " | not measured |");
            return;
        }
        line("| " + name + " | " + fmt("%,d", STALLED_SUBSCRIBERS) + " | " + measured(row,
            FanOutColumn.STALLED_READERS_VS_ALL_READING, (r) -> fmt("deliveries %.2f× (%,.0f events/s per reader vs %,.0f)",
            r.number(FanOutColumn.STALLED_READERS_VS_ALL_READING), r.number(FanOutColumn.STALLED_READERS_EVENTS_PER_S),
            r.number(FanOutColumn.MAX_RATE_EVENTS_PER_S)) + (Double.isNaN(r.number(FanOutColumn.STALLED_P99_VS_ALL_READING)) ?
            "; p99 not measured" : fmt("; p99 %.2f× (%s vs %s ms)", r.number(FanOutColumn.STALLED_P99_VS_ALL_READING),
            millis(r.number(FanOutColumn.STALLED_P99_MS)), millis(r.number(FanOutColumn.P99_MS)))),
            (r) -> r.number(FanOutColumn.STALLED_READERS_VS_ALL_READING) >= 1 - STALLED_WITHIN &&
                !(r.number(FanOutColumn.STALLED_P99_VS_ALL_READING) > 1 + STALLED_WITHIN)));
        line("| " + memory + " | " + fmt("%,d", STALLED_SUBSCRIBERS) + " | " + row.filter(FanOutRow::ok)
            .filter((r) -> !Double.isNaN(r.number(FanOutColumn.STALLED_HEAP_GROWTH_BYTES)))
            .map((r) -> fmt("heap %+,.0f B, RSS %+,.0f B, kernel send queues %s B; %,.0f of %,.0f stalled " +
                "connections dropped by the server, %,.0f kept; %,.0f events published while stalled",
                r.number(FanOutColumn.STALLED_HEAP_GROWTH_BYTES), r.number(FanOutColumn.STALLED_RSS_GROWTH_BYTES),
                num(r, FanOutColumn.STALLED_KERNEL_SEND_QUEUE_BYTES, "%,.0f"), r.number(FanOutColumn.STALLED_DROPPED_BY_SERVER),
                r.number(FanOutColumn.STALLED_CONNECTIONS), r.number(FanOutColumn.STALLED_KEPT_CAUGHT_UP),
                r.number(FanOutColumn.STALLED_EVENTS_PUBLISHED)) + " | stated (no threshold) |")
            .orElse(row.isEmpty() ? "sseflow not in the run | not measured |" : "not measured | not measured |"));
    }

    private static String measured(
        final Optional<FanOutRow> row,
        final FanOutColumn column,
        final java.util.function.Function<FanOutRow, String> describe,
        final java.util.function.Predicate<FanOutRow> met)
    {
        if (row.isEmpty())
        {
            return "sseflow not in the run | not measured |";
        }
        final FanOutRow r = row.get();
        if (!r.ok() || Double.isNaN(r.number(column)))
        {
            return (r.ok() ? "not measured" : r.text(FanOutColumn.STATUS) + ": " + r.text(FanOutColumn.DETAIL).replace("|", "/")) +
                " | not measured |";
        }
        return describe.apply(r) + " | " + verdict(met.test(r)) + " |";
    }

    private void analysis()
    {
        line("## Analysis");
        line();
        String kept = null;
        try
        {
            if (Files.isRegularFile(out))
            {
                final String old = Files.readString(out);
                final int begin = old.indexOf(ANALYSIS_BEGIN);
                final int end = old.indexOf(ANALYSIS_END);
                if (begin >= 0 && end > begin)
                {
                    final String text = old.substring(begin + ANALYSIS_BEGIN.length(), end).strip();
                    if (!text.isEmpty() && !text.equals(ANALYSIS_PLACEHOLDER))
                    {
                        kept = text;
                        System.out.println("kept the hand-written Analysis of " + out +
                            ": check it against the new numbers");
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            System.out.println("could not read the old " + out + ": " + ex);
        }
        line(ANALYSIS_BEGIN);
        line(kept != null ? kept : ANALYSIS_PLACEHOLDER);
        line(ANALYSIS_END);
    }

    private static String verdict(final boolean met)
    {
        return met ? "met" : "**not met**";
    }

    private static String ratioVerdict(final double ratio, final double target, final boolean atLeast)
    {
        return fmt("%.2f×", ratio) + " — " + verdict(atLeast ? ratio >= target : ratio <= target);
    }

    private String link(final Path target)
    {
        final Path base = out.toAbsolutePath().normalize().getParent();
        return base.relativize(target.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static String num(final FanOutRow r, final FanOutColumn column, final String format)
    {
        final double value = r.number(column);
        return Double.isNaN(value) ? DASH : fmt(format, value);
    }

    private static String nanos(final double value)
    {
        return Double.isNaN(value) ? DASH : value >= 100 ? fmt("%,.0f", value) : fmt("%.1f", value);
    }

    private static String millis(final double value)
    {
        return Double.isNaN(value) ? DASH : value < 10 ? fmt("%.3f", value) : fmt("%.1f", value);
    }

    private static String bytes(final double value)
    {
        if (Double.isNaN(value))
        {
            return "n/a";
        }
        return value < ZERO_ALLOCATION_THRESHOLD ? fmt("0 (%.3f)", value) : fmt("%,.0f", value);
    }

    private static String ratio(final double value)
    {
        return Double.isNaN(value) ? DASH : fmt("%.2f×", value);
    }

    private static String fmt(final String format, final Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }

    private void line(final String text)
    {
        md.append(text).append('\n');
    }

    private void line()
    {
        md.append('\n');
    }
}
