/**
 * JMH benchmarks of the SSE encoder against the peers people use instead: {@link
 * io.sseflow.benchmarks.encoder.EncoderBenchmark} (sseflow's {@code EventFrameEncoder} and {@code Sse}, dsl-json
 * body only, JDK, Jackson, Spring MVC {@code SseEmitter}, Spring WebFlux {@code ServerSentEventHttpMessageWriter}).
 */
package io.sseflow.benchmarks.encoder;
