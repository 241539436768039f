/**
 * Where events are kept: the per-topic {@link io.sseflow.server.log.TopicLog} of encoded frames, indexed by
 * ordinal with each event's hub seq and id, the {@link io.sseflow.server.log.HistoryBudget} that bounds a kind
 * of logs together (topic history; shared streams' logs have another), the {@link io.sseflow.server.log.BudgetShare}
 * of one owner's logs, and the {@link io.sseflow.server.log.SubscriberCursor} that writes a log to a subscriber's
 * socket in coalesced, resumable writes. No HTTP.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package.
 */
package io.sseflow.server.log;
