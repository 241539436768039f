package io.sseflow.server.cluster;

import org.agrona.DirectBuffer;

/**
 * What the {@link EventStateMachine} decided for one committed record, called during
 * {@link EventStateMachine#apply}; every buffer is valid only during the call.
 */
interface AppliedEventListener
{
    /**
     * The event was appended to its topic.
     *
     * @param originNode    member that took the publish.
     * @param correlationId there.
     * @param topic         the topic's name bytes.
     * @param topicOffset   of the name.
     * @param topicLength   of the name.
     * @param record        the publish record, followed by its further topics' names when it has several
     *                      ({@link ClusterRecord}).
     * @param recordOffset  where it starts.
     * @param recordLength  its length, names included.
     * @param seq           hub sequence decided.
     * @param numericId     the id decided, {@link io.sseflow.server.sequencer.EventSequencer#TEXT_ID} for a text id.
     */
    void onAppended(
        int originNode,
        long correlationId,
        DirectBuffer topic,
        int topicOffset,
        int topicLength,
        DirectBuffer record,
        int recordOffset,
        int recordLength,
        long seq,
        long numericId);

    /**
     * The record's explicit id is still retained in its topic: nothing was appended.
     *
     * @param originNode    member that took the publish.
     * @param correlationId there.
     * @param record        the publish record (its id is the retained event's), followed by its further topics'
     *                      names when it has several.
     * @param recordOffset  where it starts.
     * @param recordLength  its length, names included.
     * @param existingSeq   hub sequence of the retained event with that id.
     */
    void onDuplicate(int originNode, long correlationId, DirectBuffer record, int recordOffset, int recordLength, long existingSeq);

    /**
     * The record was refused: a new topic past the topic limit, or a malformed record.
     *
     * @param originNode    member that took the publish.
     * @param correlationId there.
     * @param outcome       why.
     */
    void onRefused(int originNode, long correlationId, ApplyOutcome outcome);
}
