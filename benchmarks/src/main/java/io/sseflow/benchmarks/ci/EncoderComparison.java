package io.sseflow.benchmarks.ci;

import io.sseflow.benchmarks.encoder.EncoderBenchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CI encoder comparison: runs {@link EncoderBenchmark} through the JMH Runner API with short settings and the
 * GC profiler, prints one markdown table (case x contender: ns/op, B/op, ratios), and exits non-zero when any
 * sseflow contender allocates: {@code gc.alloc.rate.norm >= 1 B/op} (JMH's normalised allocation carries
 * sub-byte noise from its own bookkeeping, so below 1 B/op counts as 0). It never fails on timing.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.ci.EncoderComparison
 * </pre>
 * Settings (system properties, defaults in brackets): {@code sseflow.compare.forks} [1],
 * {@code sseflow.compare.warmups} [2], {@code sseflow.compare.iterations} [3], {@code sseflow.compare.seconds}
 * [1] per iteration, {@code sseflow.compare.include} [all of {@code EncoderBenchmark}], a regex over method names.
 * Exit status: 0 passed, 1 an sseflow case allocates (or its allocation was not measured), 2 the run failed (e.g.
 * a contender wrote a different event, see the set-up check in {@link EncoderBenchmark}).
 */
public final class EncoderComparison
{
    /** Below this many bytes per operation, JMH's normalised allocation counts as zero. */
    static final double ZERO_ALLOCATION_THRESHOLD = 1.0;

    private static final String ALLOC_NORM = "gc.alloc.rate.norm";
    private static final String FLOOR = "object_dslJsonBody";
    private static final List<String> CASES = List.of("text100", "object", "text4k");
    private static final List<String> CONTENDERS = List.of(
        "sseflowEncoder", "sseflowSse", "dslJsonBody", "jdk", "jackson", "springMvc", "springWebFlux");

    private EncoderComparison()
    {
    }

    /**
     * Run the comparison.
     *
     * @param args ignored; see the class Javadoc for the system properties.
     */
    public static void main(final String[] args)
    {
        final int forks = Integer.getInteger("sseflow.compare.forks", 1);
        final int warmups = Integer.getInteger("sseflow.compare.warmups", 2);
        final int iterations = Integer.getInteger("sseflow.compare.iterations", 3);
        final int seconds = Integer.getInteger("sseflow.compare.seconds", 1);
        final String include = System.getProperty("sseflow.compare.include", ".*");

        final Options options = new OptionsBuilder()
            .include(EncoderBenchmark.class.getName() + "\\." + include)
            .forks(forks)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(seconds))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(seconds))
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .build();

        final Collection<RunResult> results;
        try
        {
            results = new Runner(options).run();
        }
        catch (final RunnerException ex)
        {
            System.err.println("encoder comparison failed to run: " + ex.getMessage());
            ex.printStackTrace();
            System.exit(2);
            return;
        }
        if (results.isEmpty())
        {
            System.err.println("encoder comparison: no benchmark matched " + include);
            System.exit(2);
        }

        final String settings = String.format(Locale.ROOT, "%d fork, %d x %d s warm-up, %d x %d s measurement",
            forks, warmups, seconds, iterations, seconds);
        final List<String> allocating = report(results, settings, System.out);
        System.exit(allocating.isEmpty() ? 0 : 1);
    }

    /**
     * Print the table and the allocation gate's verdict.
     *
     * @param results  JMH's results.
     * @param settings a description of the run settings for the header.
     * @param out      to print to.
     * @return the sseflow benchmarks that allocate (or whose allocation is unknown); empty when the gate passes.
     */
    static List<String> report(final Collection<RunResult> results, final String settings, final PrintStream out)
    {
        final Map<String, Row> rows = new LinkedHashMap<>();
        for (final RunResult result : results)
        {
            final String method = result.getParams().getBenchmark();
            final String name = method.substring(method.lastIndexOf('.') + 1);
            final Result<?> primary = result.getPrimaryResult();
            final Result<?> alloc = result.getSecondaryResults().get(ALLOC_NORM);
            rows.put(name, new Row(name, primary.getScore(), primary.getScoreError(),
                null == alloc ? Double.NaN : alloc.getScore()));
        }

        final Row floor = rows.get(FLOOR);
        out.println();
        out.println("### Encoder comparison (" + settings + "; " + Runtime.version() + ", " +
            Runtime.getRuntime().availableProcessors() + " CPUs; short run: timings are indicative only)");
        out.println();
        out.println("| case | contender | ns/op | ± | B/op | x dsl-json body | x sseflowEncoder |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        final List<Row> ordered = new ArrayList<>();
        for (final String kase : CASES)
        {
            for (final String contender : CONTENDERS)
            {
                final Row row = rows.remove(kase + "_" + contender);
                if (null != row)
                {
                    ordered.add(row);
                }
            }
        }
        ordered.addAll(rows.values());
        for (final Row row : ordered)
        {
            final Row sseflow = findRow(results, row.caseName() + "_sseflowEncoder");
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n",
                row.caseName(), row.contender(), number(row.nsPerOp()), number(row.error()), bytes(row.bytesPerOp()),
                null != floor && row.caseName().equals("object") ? ratio(row.nsPerOp() / floor.nsPerOp()) : "-",
                null != sseflow ? ratio(row.nsPerOp() / sseflow.nsPerOp()) : "-");
        }

        final List<String> allocating = new ArrayList<>();
        for (final Row row : ordered)
        {
            if (row.contender().startsWith("sseflow") &&
                (Double.isNaN(row.bytesPerOp()) || row.bytesPerOp() >= ZERO_ALLOCATION_THRESHOLD))
            {
                allocating.add(row.name() + " (" + bytes(row.bytesPerOp()) + " B/op)");
            }
        }

        out.println();
        out.println("Targets (informational, timing never fails CI):");
        final Row object = findRow(results, "object_sseflowEncoder");
        if (null != object && null != floor)
        {
            out.printf(Locale.ROOT, "- (b) sseflowEncoder / dslJsonBody = %.2f (target <= 1.15)%n",
                object.nsPerOp() / floor.nsPerOp());
        }
        for (final String peer : List.of("springMvc", "springWebFlux", "jackson", "jdk"))
        {
            final StringBuilder line = new StringBuilder();
            for (final String kase : CASES)
            {
                final Row sseflow = findRow(results, kase + "_sseflowEncoder");
                final Row other = findRow(results, kase + "_" + peer);
                if (null != sseflow && null != other)
                {
                    line.append(line.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.1fx", kase, other.nsPerOp() / sseflow.nsPerOp()));
                }
            }
            if (line.length() > 0)
            {
                final String target = peer.startsWith("spring") ? " (target >= 10x)" :
                    "jackson".equals(peer) ? " (target >= 3x)" : "";
                out.println("- sseflowEncoder faster than " + peer + ": " + line + target);
            }
        }

        out.println();
        out.println("Allocation gate: every sseflow case must allocate 0 B/op, read as gc.alloc.rate.norm < " +
            ZERO_ALLOCATION_THRESHOLD + " B/op (JMH's normalised figure has sub-byte noise). Timing never fails CI.");
        if (allocating.isEmpty())
        {
            out.println("PASSED: no sseflow case allocates.");
        }
        else
        {
            out.println("FAILED: sseflow allocates in " + String.join(", ", allocating));
        }
        return allocating;
    }

    private static Row findRow(final Collection<RunResult> results, final String name)
    {
        for (final RunResult result : results)
        {
            final String method = result.getParams().getBenchmark();
            if (method.endsWith("." + name))
            {
                final Result<?> primary = result.getPrimaryResult();
                return new Row(name, primary.getScore(), primary.getScoreError(), Double.NaN);
            }
        }
        return null;
    }

    private static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String bytes(final double value)
    {
        if (Double.isNaN(value))
        {
            return "n/a";
        }
        return value < ZERO_ALLOCATION_THRESHOLD ?
            String.format(Locale.ROOT, "%.0f (%.3f)", 0.0, value) : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String ratio(final double value)
    {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private record Row(String name, double nsPerOp, double error, double bytesPerOp)
    {
        String caseName()
        {
            final int underscore = name.indexOf('_');
            return underscore < 0 ? name : name.substring(0, underscore);
        }

        String contender()
        {
            final int underscore = name.indexOf('_');
            return underscore < 0 ? name : name.substring(underscore + 1);
        }
    }
}
