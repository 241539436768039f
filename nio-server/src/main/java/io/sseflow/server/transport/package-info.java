/**
 * Selector polling that allocates nothing per poll: selected keys are handed to a handler held in a field, from
 * an array-backed selected-key set.
 */
package io.sseflow.server.transport;
