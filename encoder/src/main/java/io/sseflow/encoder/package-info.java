/**
 * Server-Sent Events encoding: {@link io.sseflow.encoder.Sse}, Rails' {@code ActionController::Live::SSE} for the
 * JVM, over {@link io.sseflow.encoder.EventFrameEncoder}, which writes whole frames into caller buffers without
 * allocating, over {@link io.sseflow.encoder.SseFields}, the field primitives.
 * Options are {@link io.sseflow.encoder.SseOptions}, validated and pre-encoded once.
 */
package io.sseflow.encoder;
