/**
 * The embeddable SSE server: {@link io.sseflow.server.SseServer} (built by its builder, settings in
 * {@link io.sseflow.server.ServerConfig}), {@link io.sseflow.server.Topic} handles with thread-safe, non-blocking
 * {@code publish}, {@link io.sseflow.server.PublishResult} and {@link io.sseflow.server.ServerMetrics}.
 * Sub-packages show the architecture: {@code transport} (selector polling), {@code http} (request parsing and
 * responses), {@code topic} (event sequencing and history logs), {@code subscriber} (cursors into the logs) and
 * {@code hub} (the standalone command-line server).
 */
package io.sseflow.server;
