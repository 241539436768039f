/**
 * Fan-out load benchmark: the sseflow hub against a Netty broadcast server and Spring WebFlux, each run as
 * a separate process and driven by the same NIO load client and HTTP publisher in the same run.
 * <p>
 * Run it with {@code benchmarks/fanout.sh [--quick]} or
 * {@code java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.FanOutBenchmark --help}.
 * Every server speaks the same contract: {@code GET /events/{topic}} streams {@code id:}/{@code data:} frames,
 * {@code POST /events/{topic}} publishes the body as data and answers {@code 200} with the id, and on start the
 * server prints {@code sseflow listening on http://HOST:PORT}.
 * <p>
 * How a run flows: {@link io.sseflow.benchmarks.fanout.FanOutSettings} (the command line) →
 * {@link io.sseflow.benchmarks.fanout.FanOutBenchmark} (one server process after the other, from
 * {@link io.sseflow.benchmarks.fanout.peers}) → the phases {@link io.sseflow.benchmarks.fanout.MaxRatePhase},
 * {@link io.sseflow.benchmarks.fanout.FixedRatePhase} and {@link io.sseflow.benchmarks.fanout.StalledReadersPhase},
 * each returning a record, gathered in a {@link io.sseflow.benchmarks.fanout.RunResult} →
 * {@link io.sseflow.benchmarks.fanout.FanOutTableWriter} (table and CSV in the format of
 * {@link io.sseflow.benchmarks.fanout.results}). Load: {@link io.sseflow.benchmarks.fanout.HttpPublisher} publishes,
 * {@link io.sseflow.benchmarks.fanout.SseLoadClient} reads every subscriber on one selector thread, each
 * connection's bytes checked by its {@link io.sseflow.benchmarks.fanout.SseResponseDecoder}.
 * <p>
 * {@code --scenario durable}: {@link io.sseflow.benchmarks.fanout.DurableScenario} runs the same max-rate and
 * fixed-rate phases on the sseflow hub in each {@link io.sseflow.benchmarks.fanout.HubConfiguration} (in memory,
 * one durable node, a 3-node cluster started by {@link io.sseflow.benchmarks.fanout.HubNodes}, subscribers spread over
 * its nodes), measures each node's {@link io.sseflow.benchmarks.fanout.NodeFootprint}, then the cluster's
 * {@link io.sseflow.benchmarks.fanout.FailoverPhase}; {@link io.sseflow.benchmarks.fanout.DurableTableWriter} writes
 * the same CSV columns and the table of {@link io.sseflow.benchmarks.fanout.results.DurableTable}.
 */
package io.sseflow.benchmarks.fanout;
