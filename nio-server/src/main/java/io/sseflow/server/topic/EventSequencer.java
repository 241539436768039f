package io.sseflow.server.topic;

import org.agrona.DirectBuffer;

/**
 * Where events come from and who assigns their ids. Publishers on any thread {@link #offer} encoded
 * {@link PublishRecordDescriptor publish records}; the server agent {@link #poll}s them back in one total
 * order, each with its id decided. The default, {@link InMemoryEventSequencer}, is an Agrona many-to-one
 * ring buffer with per-topic counters; a replicated implementation (an Aeron Archive recording, for
 * instance) would offer to a shared log and assign ids from it, so every node sees the same ids.
 */
public interface EventSequencer extends AutoCloseable
{
    /**
     * Value of the numeric id passed to {@link SequencedEventHandler#onEvent} when the event's id is text.
     */
    long TEXT_ID = Long.MIN_VALUE;

    /**
     * Hand a publish record over; never blocks.
     *
     * @param buffer holding the record.
     * @param offset of the record.
     * @param length of the record.
     * @return {@link OfferResult#OK}, or why the record was not taken.
     */
    OfferResult offer(DirectBuffer buffer, int offset, int length);

    /**
     * Largest record {@link #offer} accepts.
     *
     * @return bytes.
     */
    int maxRecordLength();

    /**
     * Deliver sequenced events to the handler, on the server agent thread only.
     *
     * @param handler receiving each event.
     * @param limit   most events to deliver.
     * @return events delivered.
     */
    int poll(SequencedEventHandler handler, int limit);

    /**
     * Stop taking offers; already taken records can still be polled.
     */
    void close();

    /**
     * A topic was freed (no subscribers, no retained events, no record of it in flight) and its index will be
     * given to another topic: forget what was kept for that index, so the next topic does not inherit it. Called on
     * the server agent thread, the one that {@link #poll}s. The default keeps nothing per index and does nothing.
     *
     * @param topicIndex the freed topic's index in its publish records.
     */
    default void onTopicFreed(final int topicIndex)
    {
    }

    /**
     * Outcome of {@link #offer}.
     */
    enum OfferResult
    {
        /**
         * Taken; it will be polled.
         */
        OK,

        /**
         * No room now: the agent is behind. Try again later.
         */
        BACK_PRESSURED,

        /**
         * Larger than {@link #maxRecordLength()}.
         */
        TOO_LARGE,

        /**
         * Closed: no more offers are taken.
         */
        CLOSED
    }
}
