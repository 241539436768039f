/**
 * The servers the hub is measured against and the handling of every server's process: {@link
 * io.sseflow.benchmarks.fanout.peers.NettyBroadcastServer} (Netty, written the way Netty's examples broadcast),
 * {@link io.sseflow.benchmarks.fanout.peers.WebFluxSseServer} (Spring WebFlux functional routes on Reactor Netty),
 * both speaking the hub's contract, and {@link io.sseflow.benchmarks.fanout.peers.ServerProcess}, which starts any
 * of them (or the hub's jar) in its own JVM and reads its CPU, heap, RSS, write syscalls and kernel send queues.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.peers.NettyBroadcastServer --port 8081
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.peers.WebFluxSseServer --port 8082
 * </pre>
 */
package io.sseflow.benchmarks.fanout.peers;
