/**
 * Topic selectors: which topics a subscription (or a token's claim) covers. A selector is an exact topic, the
 * wildcard {@code *}, or an RFC 6570 URI template that matches every topic it could expand to. Selectors are
 * parsed once into immutable, thread-safe objects; {@link io.sseflow.server.selector.TopicSelector#matches}
 * allocates nothing, and {@link io.sseflow.server.selector.SelectorSet} holds the selectors of one subscription.
 * <p>
 * Exported by the module {@code io.sseflow.server}: the API's authorization answers
 * ({@code Authorization}, {@code TopicGrant}) and {@code ServerMetrics} are made of these types.
 */
package io.sseflow.server.selector;
