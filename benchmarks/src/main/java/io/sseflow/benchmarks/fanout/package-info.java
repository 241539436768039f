/**
 * Fan-out load benchmark: the sseflow hub against a Netty broadcast server and Spring WebFlux, each run as
 * a separate process and driven by the same NIO load client and HTTP publisher in the same run.
 * <p>
 * Run it with {@code benchmarks/fanout.sh [--quick]} or
 * {@code java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.FanOutBenchmark --help}.
 * Every server speaks the same contract: {@code GET /events/{topic}} streams {@code id:}/{@code data:} frames,
 * {@code POST /events/{topic}} publishes the body as data and answers {@code 200} with the id, and on start the
 * server prints {@code sseflow listening on http://HOST:PORT}.
 */
package io.sseflow.benchmarks.fanout;
