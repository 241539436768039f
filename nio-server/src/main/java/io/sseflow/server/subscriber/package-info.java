/**
 * Subscribers: a cursor into a topic's log, written to its socket in coalesced, resumable writes.
 */
package io.sseflow.server.subscriber;
