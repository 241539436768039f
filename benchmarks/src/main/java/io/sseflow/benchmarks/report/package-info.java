/**
 * Turns one run's files in {@code benchmarks/results/} (JMH's {@code jmh.json}, the fan-out CSV and table, the
 * machine description written by {@code benchmarks/run-all.sh}) into {@code benchmarks/RESULTS.md} and its charts:
 * {@link io.sseflow.benchmarks.report.ResultsReport}. Every number in the report is read from those files.
 */
package io.sseflow.benchmarks.report;
