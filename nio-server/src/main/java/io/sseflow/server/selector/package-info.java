/**
 * Topic selectors: which topics a subscription (or a token's claim) covers. A selector is an exact topic, the
 * wildcard {@code *}, or an RFC 6570 URI template that matches every topic it could expand to. Selectors are
 * parsed once into immutable, thread-safe objects; {@link io.sseflow.server.selector.TopicSelector#matches}
 * allocates nothing, and {@link io.sseflow.server.selector.SelectorSet} holds the selectors of one subscription.
 */
package io.sseflow.server.selector;
