package io.sseflow.server.sequencer;

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
}
