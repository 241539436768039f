/**
 * The standalone hub: command-line flags, the {@code main}, and the demo page resource.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package. The hub is run, not called:
 * {@code java -jar sseflow-server.jar}, or from the module path with
 * {@code --module io.sseflow.server/io.sseflow.server.hub.SseHub}.
 */
package io.sseflow.server.hub;
