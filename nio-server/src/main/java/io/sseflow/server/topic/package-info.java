/**
 * Where events come from and where they are kept: the {@link io.sseflow.server.topic.EventSequencer} that orders
 * publishes and assigns ids (in-memory ring by default), the publish record layout, and the per-topic
 * {@link io.sseflow.server.topic.TopicLog} of encoded frames that subscribers' cursors read from.
 */
package io.sseflow.server.topic;
