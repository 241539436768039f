package io.sseflow.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The encoder benchmark's results as JMH wrote them with {@code -rf json}: one {@link Entry} per
 * {@code case_contender} method of {@code EncoderBenchmark}, in a fixed case and contender order.
 */
final class EncoderResults
{
    /** Cases in report order; others found in the file follow. */
    static final List<String> CASES = List.of("text100", "object", "text4k");

    /** Contenders in report order; others found in the file follow. */
    static final List<String> CONTENDERS = List.of(
        "sseflowEncoder", "sseflowSse", "dslJsonBody", "jdk", "jackson", "springMvc", "springWebFlux");

    /** The sseflow contenders: the low-level encoder and the {@code Sse} facade. */
    static final List<String> SSEFLOW = List.of("sseflowEncoder", "sseflowSse");

    /** The floor of the object case: dsl-json writing the body alone. */
    static final String FLOOR = "dslJsonBody";

    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /**
     * One benchmark method's result.
     *
     * @param caseName   the event: text100, object, text4k.
     * @param contender  who encodes it.
     * @param nsPerOp    average time per event, ns.
     * @param errorNs    JMH's 99.9% confidence half-width, ns (NaN with a single iteration).
     * @param bytesPerOp {@code gc.alloc.rate.norm}, bytes per event (NaN without {@code -prof gc}).
     */
    record Entry(String caseName, String contender, double nsPerOp, double errorNs, double bytesPerOp)
    {
    }

    final List<Entry> entries;
    final List<String> cases;
    final List<String> contenders;
    final String jdkVersion;
    final String vmName;
    final String vmVersion;
    final String jvmArgs;
    final String settings;

    private EncoderResults(final List<Entry> entries, final JsonNode first)
    {
        this.entries = entries;
        this.cases = ordered(entries.stream().map(Entry::caseName).toList(), CASES);
        this.contenders = ordered(entries.stream().map(Entry::contender).toList(), CONTENDERS);
        this.jdkVersion = first.path("jdkVersion").asText("");
        this.vmName = first.path("vmName").asText("");
        this.vmVersion = first.path("vmVersion").asText("");
        final List<String> args = new ArrayList<>();
        first.path("jvmArgs").forEach((arg) -> args.add(arg.asText()));
        this.jvmArgs = String.join(" ", args);
        this.settings = String.format(Locale.ROOT, "%d fork(s), %d × %s warm-up, %d × %s measurement, mode %s",
            first.path("forks").asInt(), first.path("warmupIterations").asInt(), first.path("warmupTime").asText(),
            first.path("measurementIterations").asInt(), first.path("measurementTime").asText(),
            first.path("mode").asText());
    }

    /**
     * Read JMH's JSON result file.
     *
     * @param file {@code jmh.json}.
     * @return the results.
     * @throws IOException if it cannot be read or holds no benchmark.
     */
    static EncoderResults read(final Path file) throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray() || root.isEmpty())
        {
            throw new IOException(file + " holds no JMH result");
        }
        final List<Entry> entries = new ArrayList<>();
        for (final JsonNode result : root)
        {
            final String benchmark = result.path("benchmark").asText();
            final String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            final int underscore = method.indexOf('_');
            final JsonNode primary = result.path("primaryMetric");
            final double toNs = nanosPer(primary.path("scoreUnit").asText("ns/op"));
            final JsonNode alloc = result.path("secondaryMetrics").path(ALLOC_NORM);
            entries.add(new Entry(
                underscore < 0 ? method : method.substring(0, underscore),
                underscore < 0 ? method : method.substring(underscore + 1),
                primary.path("score").asDouble(Double.NaN) * toNs,
                primary.path("scoreError").asDouble(Double.NaN) * toNs,
                alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble(Double.NaN)));
        }
        final List<String> cases = ordered(entries.stream().map(Entry::caseName).toList(), CASES);
        final List<String> contenders = ordered(entries.stream().map(Entry::contender).toList(), CONTENDERS);
        entries.sort(Comparator.comparingInt((Entry e) -> cases.indexOf(e.caseName()))
            .thenComparingInt((e) -> contenders.indexOf(e.contender())));
        return new EncoderResults(Collections.unmodifiableList(entries), root.get(0));
    }

    /**
     * The result of one contender on one case.
     *
     * @param caseName  the case.
     * @param contender the contender.
     * @return the entry, if that benchmark ran.
     */
    Optional<Entry> find(final String caseName, final String contender)
    {
        return entries.stream()
            .filter((e) -> e.caseName().equals(caseName) && e.contender().equals(contender))
            .findFirst();
    }

    private static double nanosPer(final String unit)
    {
        switch (unit)
        {
            case "ns/op":
                return 1;
            case "us/op":
                return 1e3;
            case "ms/op":
                return 1e6;
            case "s/op":
                return 1e9;
            default:
                throw new IllegalArgumentException("unexpected JMH unit " + unit + " (run in avgt mode)");
        }
    }

    private static List<String> ordered(final List<String> found, final List<String> preferred)
    {
        final Set<String> result = new LinkedHashSet<>();
        for (final String name : preferred)
        {
            if (found.contains(name))
            {
                result.add(name);
            }
        }
        result.addAll(found);
        return List.copyOf(result);
    }
}
