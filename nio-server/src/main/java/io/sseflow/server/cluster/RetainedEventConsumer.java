package io.sseflow.server.cluster;

import org.agrona.DirectBuffer;

/**
 * Given each retained event by {@link EventStateMachine#forEachRetained}; buffers are valid only during the call.
 */
@FunctionalInterface
interface RetainedEventConsumer
{
    /**
     * One retained event.
     *
     * @param topic        the name bytes of the event's (first) topic.
     * @param topicOffset  of the name.
     * @param topicLength  of the name.
     * @param record       the publish record, followed by its further topics' names when it has several.
     * @param recordOffset where it starts.
     * @param recordLength its length, names included.
     * @param seq          its hub sequence.
     * @param numericId    its id, {@link io.sseflow.server.sequencer.EventSequencer#TEXT_ID} for a text id.
     */
    void onRetained(
        DirectBuffer topic,
        int topicOffset,
        int topicLength,
        DirectBuffer record,
        int recordOffset,
        int recordLength,
        long seq,
        long numericId);
}
