package io.sseflow.server.sequencer;

import io.sseflow.server.PublishResult;
import org.agrona.DirectBuffer;

/**
 * Receives events in their final order, with their hub sequence and id decided.
 */
@FunctionalInterface
public interface SequencedEventHandler
{
    /**
     * One sequenced event.
     *
     * @param buffer       holding the {@link PublishRecord publish record}; valid only during the call.
     * @param recordOffset where the record starts.
     * @param recordLength its length.
     * @param seq          the event's hub sequence: its place in the one total order of every topic's events,
     *                     positive and increasing from one event to the next.
     * @param numericId    the event's id when it is a number (assigned, or given as a canonical decimal),
     *                     {@link EventSequencer#TEXT_ID} when the publisher gave a text id (then it is in the
     *                     record).
     */
    void onEvent(DirectBuffer buffer, int recordOffset, int recordLength, long seq, long numericId);

    /**
     * A record was not appended because its explicit id is still retained, as one event, in every one of its topics (a
     * publisher's retry, {@link RetainedIdOutcome#RETRY}): its publisher is answered with that id, and nothing is
     * delivered to subscribers.
     *
     * @param buffer       holding the {@link PublishRecord publish record}; valid only during the call.
     * @param recordOffset where the record starts.
     * @param recordLength its length.
     * @param existingSeq  hub sequence of the retained event with that id.
     */
    default void onDuplicate(DirectBuffer buffer, int recordOffset, int recordLength, long existingSeq)
    {
    }

    /**
     * A committed record will never be sequenced (a clustered sequencer found no leader for it in time, or its state
     * machine refused a new topic past the topic limit; or its explicit id conflicts with what its topics retain,
     * {@link RetainedIdOutcome#CONFLICT}), or a clustered sequencer handed it to the cluster and got no answer in time
     * ({@link PublishResult#OUTCOME_UNKNOWN}: it may still be sequenced, then as another node's event): its publisher
     * is answered with the result.
     *
     * @param buffer       holding the {@link PublishRecord publish record}; valid only during the call.
     * @param recordOffset where the record starts.
     * @param recordLength its length.
     * @param result       why: {@link PublishResult#NO_LEADER} (it never left this node),
     *                     {@link PublishResult#OUTCOME_UNKNOWN}, {@link PublishResult#TOPIC_LIMIT},
     *                     {@link PublishResult#ID_CONFLICT} or
     *                     {@link PublishResult#TOO_LARGE} (a record that with its topics' names does not fit the
     *                     replicated log's message).
     */
    default void onRefused(DirectBuffer buffer, int recordOffset, int recordLength, PublishResult result)
    {
    }
}
