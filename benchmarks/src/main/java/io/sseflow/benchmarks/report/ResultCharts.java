package io.sseflow.benchmarks.report;

import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import io.sseflow.benchmarks.fanout.results.FanOutRow;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report's charts, drawn with XChart from the parsed results and saved as PNG: grouped bars, one group per
 * encoder case or subscriber count, one bar per contender or server; a contender that did not run a case (or a
 * server whose run was not ok) has no bar.
 */
final class ResultCharts
{
    private static final Map<String, Color> COLOURS = Map.of(
        "sseflowEncoder", new Color(0x1f4e9c),
        "sseflowSse", new Color(0x5b8ed6),
        "sseflow", new Color(0x1f4e9c),
        "dslJsonBody", new Color(0x8c8c8c),
        "jdk", new Color(0xb8a04a),
        "jackson", new Color(0x9a5cb4),
        "springMvc", new Color(0x3f9e4d),
        "springWebFlux", new Color(0x8fcf7e),
        "webflux", new Color(0x3f9e4d),
        "netty", new Color(0xe07b28));

    private static final Color[] FALLBACK = {
        new Color(0x6c3483), new Color(0x16a085), new Color(0xc0392b), new Color(0x7f8c8d)};

    private ResultCharts()
    {
    }

    /**
     * Encoder chart: ns/op on a log scale, per case and contender.
     *
     * @param results the encoder results.
     * @param file    PNG to write.
     * @throws IOException if it cannot be written.
     */
    static void encoder(final EncoderResults results, final Path file) throws IOException
    {
        final CategoryChart chart = chart(1200, 650,
            "Encoder: time per event (" + results.settings + ")", "event", "ns/op (log scale, lower is better)");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        final List<Color> colours = new ArrayList<>();
        final List<Double> all = new ArrayList<>();
        for (final String contender : results.contenders)
        {
            final List<Double> values = new ArrayList<>();
            for (final String kase : results.cases)
            {
                values.add(results.find(kase, contender).map(EncoderResults.Entry::nsPerOp).orElse(null));
            }
            chart.addSeries(contender, results.cases, values);
            colours.add(colour(contender, colours.size()));
            all.addAll(values);
        }
        logarithmic(chart, all);
        chart.getStyler().setSeriesColors(colours.toArray(new Color[0]));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    }

    /**
     * Fan-out chart, six panels: max deliveries/s, server CPU per million deliveries, p99 latency at the fixed
     * rate (log scale), heap per idle connection, readers' rate with stalled readers over the all-reading run's and
     * the server's RSS growth with stalled readers, per subscriber count and server (ok runs only); issue 4's and
     * issue 5's targets as red lines.
     *
     * @param results the fan-out results.
     * @param file    PNG to write.
     * @throws IOException if it cannot be written.
     */
    static void fanOut(final FanOutResults results, final Path file) throws IOException
    {
        final List<CategoryChart> charts = List.of(
            fanOutPanel(results, "Max deliveries/s with no loss (higher is better; red: target)", "deliveries/s",
                (r) -> r.number(FanOutColumn.MAX_DELIVERIES_PER_S), false, "#,##0", ResultsReport.DELIVERIES_PER_SECOND),
            fanOutPanel(results, "Server CPU per million deliveries (lower is better)", "CPU s / 1M deliveries",
                (r) -> r.number(FanOutColumn.SERVER_CPU_S_PER_1M_DELIVERIES), false, "0.00", Double.NaN),
            fanOutPanel(results, "p99 latency at the fixed rate (log scale; red: target)", "p99 ms",
                (r) -> r.number(FanOutColumn.P99_MS), true, "#,##0.###", ResultsReport.P99_MS),
            fanOutPanel(results, "Heap per idle connection (lower is better; red: target)", "bytes",
                (r) -> r.number(FanOutColumn.HEAP_BYTES_PER_IDLE_CONNECTION), false, "#,##0",
                ResultsReport.HEAP_PER_IDLE_CONNECTION),
            fanOutPanel(results, "Readers' events/s with stalled readers / all reading (red: issue 5 target)",
                "ratio", (r) -> r.number(FanOutColumn.STALLED_READERS_VS_ALL_READING), false, "0.00",
                1 - ResultsReport.STALLED_WITHIN),
            fanOutPanel(results, "Server RSS growth with stalled readers (lower is better)", "bytes",
                (r) -> r.number(FanOutColumn.STALLED_RSS_GROWTH_BYTES), false, "#,##0", Double.NaN));
        BitmapEncoder.saveBitmap(charts, 3, 2, file.toString(), BitmapFormat.PNG);
    }

    private static CategoryChart fanOutPanel(
        final FanOutResults results,
        final String title,
        final String yTitle,
        final ToDoubleFunction<FanOutRow> metric,
        final boolean logarithmic,
        final String pattern,
        final double target)
    {
        final CategoryChart chart = chart(800, 480, title, "subscribers", yTitle);
        chart.getStyler().setYAxisDecimalPattern(pattern);
        final List<Double> all = new ArrayList<>();
        final List<String> groups = new ArrayList<>();
        for (final int n : results.subscriberCounts())
        {
            groups.add(String.format(Locale.ROOT, "%,d", n));
        }
        final List<Color> colours = new ArrayList<>();
        for (final String server : results.servers())
        {
            final List<Double> values = new ArrayList<>();
            for (final int n : results.subscriberCounts())
            {
                values.add(results.find(server, n)
                    .filter(FanOutRow::ok)
                    .map(metric::applyAsDouble)
                    .filter((v) -> !v.isNaN() && (!logarithmic || v > 0))
                    .orElse(null));
            }
            chart.addSeries(server, groups, values);
            colours.add(colour(server, colours.size()));
            all.addAll(values);
        }
        if (!Double.isNaN(target))
        {
            all.add(target);
            chart.addAnnotation(new AnnotationLine(target, false, false));
            chart.getStyler().setAnnotationLineColor(Color.RED);
            chart.getStyler().setAnnotationLineStroke(new BasicStroke(
                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            final double max = all.stream().filter((v) -> v != null).mapToDouble(Double::doubleValue).max()
                .orElse(target);
            if (target >= max)
            {
                chart.getStyler().setYAxisMax(target * 1.1);
            }
        }
        if (logarithmic)
        {
            logarithmic(chart, all);
        }
        chart.getStyler().setSeriesColors(colours.toArray(new Color[0]));
        return chart;
    }

    private static CategoryChart chart(
        final int width, final int height, final String title, final String xTitle, final String yTitle)
    {
        final CategoryChart chart = new CategoryChartBuilder()
            .width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler()
            .setLabelsVisible(true)
            .setLabelsFont(new Font(Font.SANS_SERIF, Font.BOLD, 11))
            .setLabelsFontColorAutomaticEnabled(true)
            .setLabelsPosition(0.95)
            .setLegendPosition(LegendPosition.OutsideE)
            .setChartBackgroundColor(Color.WHITE)
            .setPlotBackgroundColor(Color.WHITE)
            .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        return chart;
    }

    /**
     * Log scale from the decade below the smallest value: XChart anchors bar charts at zero unless the minimum is
     * set, and zero has no logarithm.
     */
    private static void logarithmic(final CategoryChart chart, final List<Double> values)
    {
        final double min = values.stream().filter((v) -> v != null && v > 0).mapToDouble(Double::doubleValue)
            .min().orElse(Double.NaN);
        if (!Double.isNaN(min))
        {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        }
    }

    private static Color colour(final String name, final int index)
    {
        return COLOURS.getOrDefault(name, FALLBACK[index % FALLBACK.length]);
    }
}
