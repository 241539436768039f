/**
 * Where events come from and where they are kept: the {@link io.sseflow.server.topic.EventSequencer} SPI that
 * orders publishes and decides each event's hub sequence and id (an in-memory ring by default), publishers
 * claiming its space ({@link io.sseflow.server.topic.PublishClaim}) and encoding the
 * {@link io.sseflow.server.topic.PublishRecord} flyweight in place, and the per-topic
 * {@link io.sseflow.server.topic.TopicLog} of encoded frames, indexed by ordinal with each event's seq and id,
 * that subscribers' cursors read from.
 */
package io.sseflow.server.topic;
