package io.sseflow.server.sequencer;

import io.sseflow.server.PublishResult;
import org.agrona.MutableDirectBuffer;

/**
 * The sequencer SPI: where events come from, who orders them and who assigns their ids. Publishers on any thread
 * {@link #tryClaim} space for a {@link PublishRecord}, encode the record in place and {@link #commit} it (or
 * {@link #abort} it when encoding failed); the server agent {@link #poll}s records back in one total order, each
 * with its hub sequence ({@code seq}, its place in that order) and its id decided. The default,
 * {@link InMemoryEventSequencer}, is an Agrona many-to-one ring buffer with a seq counter and per-topic id
 * counters; a replicated implementation (Aeron Cluster, for instance) would claim space in its log, and decide
 * seq and ids in the state machine that applies the log, so every node sees the same ones.
 * <p>
 * {@link #tryClaim}, {@link #commit} and {@link #abort} are called from any thread, each claim by one thread;
 * {@link #poll} and {@link #onTopicFreed} only from the server agent thread.
 */
public interface EventSequencer extends AutoCloseable
{
    /**
     * Value of the numeric id passed to {@link SequencedEventHandler#onEvent} when the event's id is text.
     */
    long TEXT_ID = Long.MIN_VALUE;

    /**
     * Reserve space for one publish record of {@code length} bytes; never blocks. On {@link PublishResult#OK} the
     * claim points at the space, which must then be {@link #commit committed} or {@link #abort aborted}; on any
     * other answer nothing is claimed.
     *
     * @param length of the record, {@link PublishRecord#recordLength()}.
     * @param claim  pointed at the space.
     * @return {@link PublishResult#OK}, {@link PublishResult#BACK_PRESSURED} (no room now: try again later),
     *     {@link PublishResult#TOO_LARGE} (above {@link #maxRecordLength()}) or {@link PublishResult#CLOSED}.
     * @throws IllegalStateException when the claim still holds a record not committed or aborted.
     */
    PublishResult tryClaim(int length, PublishClaim claim);

    /**
     * Hand over the record written into a claim: it will be polled.
     *
     * @param claim from a successful {@link #tryClaim}.
     * @throws IllegalStateException when the claim holds nothing.
     */
    void commit(PublishClaim claim);

    /**
     * Give a claim back unused: nothing is polled for it.
     *
     * @param claim from a successful {@link #tryClaim}.
     * @throws IllegalStateException when the claim holds nothing.
     */
    void abort(PublishClaim claim);

    /**
     * Largest record {@link #tryClaim} accepts.
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
     * Stop taking claims; records already committed can still be polled.
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
     * The agent's topics, by index and by name, for a sequencer whose log names topics (a replicated one: indexes are
     * node-local). Called once by the server when it starts, before the first {@link #poll}. The default needs no
     * names and ignores it.
     *
     * @param topics the agent's topics.
     * @return this.
     */
    default EventSequencer topicDirectory(final TopicDirectory topics)
    {
        return this;
    }

    /**
     * Does this sequencer carry records of several topics ({@link PublishRecord#FLAG_MORE_TOPICS}, a Mercure update
     * of several topics)? Their further topics are node-local topic indexes: a replicated sequencer that sends
     * records to other nodes by topic name must send those topics' names too (the clustered one does), or answer
     * false, and then the server refuses such updates ({@code 501}). The default is true.
     *
     * @return true when records of several topics are sequenced.
     */
    default boolean sequencesSeveralTopics()
    {
        return true;
    }

    /**
     * Can publishes be taken now? A replicated sequencer answers false while it knows no leader, or while this node
     * is still catching up with the log; the server's {@code /readyz} answers {@code 503} then. Any thread. The
     * default is always ready.
     *
     * @return true when ready.
     */
    default boolean isReady()
    {
        return true;
    }

    /**
     * Why new publishes cannot be stored now, if they cannot: a durable sequencer whose disk has too little space
     * left answers the reason, and then refuses claims with {@link PublishResult#INSUFFICIENT_STORAGE} and the
     * server's {@code /readyz} answers {@code 503}, while subscribers are served as before (unlike {@link #isReady},
     * this never holds or ends a stream). Any thread; must not allocate. The default can always store.
     *
     * @return one ASCII line, or null when publishes can be stored.
     */
    default String lowStorageReason()
    {
        return null;
    }

    /**
     * Can this node's log be behind an id a client saw elsewhere (on another node of a cluster, or on this one
     * before it restarted and while it replays)? Then a subscriber whose {@code Last-Event-ID} is not (yet) in the
     * topic's log and looks ahead of it is held until the log has it, instead of being given every retained event.
     * Agent thread. The default, a sequencer of this process only, cannot be behind.
     *
     * @return true when the log may be behind.
     */
    default boolean canBeBehind()
    {
        return false;
    }

    /**
     * Largest {@link #renderMetrics} writes.
     *
     * @return bytes; the default, which writes none, 0.
     */
    default int maxMetricsLength()
    {
        return 0;
    }

    /**
     * Append the sequencer's own lines to {@code /metrics}, in the Prometheus text format (each with its
     * {@code # HELP} and {@code # TYPE} lines), without allocating. Agent thread. The default writes none.
     *
     * @param buffer to write into, with at least {@link #maxMetricsLength()} bytes from {@code offset}.
     * @param offset where to start.
     * @return bytes written.
     */
    default int renderMetrics(final MutableDirectBuffer buffer, final int offset)
    {
        return 0;
    }
}
