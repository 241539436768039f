/**
 * The embeddable SSE server's API, all an application needs: {@link io.sseflow.server.SseServer} (configured by
 * {@link io.sseflow.server.SseServer.Builder}; the one settings object it concludes is
 * {@link io.sseflow.server.ServerConfig}), {@link io.sseflow.server.Topic} handles with thread-safe, non-blocking
 * {@code publish}, the {@link io.sseflow.server.PublishResult} of each publish, the read-only
 * {@link io.sseflow.server.ServerMetrics} with its {@link io.sseflow.server.ServerCounter} and
 * {@link io.sseflow.server.Refusal} descriptors, and the authorization hooks
 * ({@link io.sseflow.server.SubscribeAuthorizer} deciding on a {@link io.sseflow.server.SubscribeRequest},
 * {@link io.sseflow.server.PublishAuthorizer} on a {@link io.sseflow.server.PublishRequest}, both views of a
 * {@link io.sseflow.server.RequestHead}) with their answer, an {@link io.sseflow.server.Authorization}: allowed,
 * within a {@link io.sseflow.server.TopicGrant} of topic selectors, or a specific refusal.
 * <p>
 * Everything else has its own room: {@code sequencer} (the SPI that orders publishes and assigns seq and ids),
 * {@code log} (per-topic frame logs and the cursors that read them), {@code agent} (the package-private server agent
 * and its collaborators, entered only through {@code agent.ServerRuntime}, which {@code SseServer} owns),
 * {@code http} and {@code transport} (request parsing, responses, selector polling) and {@code hub} (the standalone
 * command-line server, built on this API only).
 * <p>
 * The module {@code io.sseflow.server} exports this package, {@code sequencer} and {@code selector} (the topic
 * selectors the authorization answers are made of) and nothing else: the other packages are public only to each
 * other, inside the module.
 */
package io.sseflow.server;
