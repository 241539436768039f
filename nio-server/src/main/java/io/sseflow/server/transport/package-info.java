/**
 * Selector polling that allocates nothing per poll: selected keys are handed to a handler held in a field, from
 * an array-backed selected-key set.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package.
 */
package io.sseflow.server.transport;
