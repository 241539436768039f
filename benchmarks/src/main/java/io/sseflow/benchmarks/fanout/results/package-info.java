/**
 * The fan-out benchmark's results format, shared by the benchmark that writes it and the report that reads it:
 * {@link io.sseflow.benchmarks.fanout.results.FanOutColumn} (the CSV's columns),
 * {@link io.sseflow.benchmarks.fanout.results.FanOutRow} (one row) and
 * {@link io.sseflow.benchmarks.fanout.results.FanOutTable} (the markdown table drawn from rows).
 */
package io.sseflow.benchmarks.fanout.results;
