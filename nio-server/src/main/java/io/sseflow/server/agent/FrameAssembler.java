package io.sseflow.server.agent;

import io.sseflow.encoder.SseFields;
import io.sseflow.server.PublishResult;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.mercure.MercurePublish;
import io.sseflow.server.log.TopicLog;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.SequencedEventHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Turns each sequenced publish record into its SSE frame, once: the record's pre-encoded prefix ({@code retry:},
 * {@code event:}), the {@code id:} field (the number the sequencer assigned, or the publisher's text), the
 * {@code data:} lines and the blank line, assembled in one pre-allocated buffer and appended to the topic's log
 * with the id's place in the frame and the hub sequence; a Mercure update of several topics goes to each of their logs
 * (a private update to their private logs instead, {@link TopicState#privateLog}, which only {@link StreamFill}
 * reads, never a native stream). Then the event is appended once to each {@link SharedStream} it goes to
 * ({@link StreamRegistry#collectTargets}), with its seq as the id unless its id names it across topics. Then the
 * topics and streams are marked for the {@link SubscriberFlusher},
 * and the answer to an HTTP publisher waiting for the record is decided ({@link HttpPublishHandler#onSequenced});
 * its connection is handed back to write the answers decided in order and read on (pipelined publishes). The sequencer
 * decides whether an explicit id is a retry ({@link io.sseflow.server.sequencer.RetainedIdCheck}; the in-memory one by
 * the logs here, through {@link RegistryTopicDirectory}, a replicated one in its state machine): a retry comes as
 * {@link #onDuplicate}, its publisher answered with that id as the first time, and a conflict as {@link #onRefused}.
 * <p>
 * Not thread-safe: owned by the server agent; allocation-free.
 */
final class FrameAssembler implements SequencedEventHandler
{
    private static final byte[] ID_FIELD = HttpResponses.ascii("id: ");

    private final ServerConfig config;
    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final SubscriberFlusher flusher;
    private final HttpPublishHandler publishHandler;
    private final CatchUpHolds holds;
    private final org.agrona.concurrent.CachedNanoClock clock;
    private final Consumer<Connection> readyQueue;
    private final Consumer<TopicState> topicEnded;
    private final UnsafeBuffer frame;
    private final UnsafeBuffer seqFrame;
    private final StreamRegistry streams;
    private final TopicState[] eventTopics = new TopicState[MercurePublish.MAX_TOPICS];
    private final PublishRecord record = new PublishRecord();
    private final UnsafeBuffer deferredRecord;
    private int deferredLength;
    private long deferredSeq;
    private long deferredNumericId;
    private boolean deferred;
    private boolean mayDefer;
    private long linkBudget;

    FrameAssembler(
        final AgentContext context,
        final SubscriberFlusher flusher,
        final HttpPublishHandler publishHandler,
        final CatchUpHolds holds,
        final Consumer<Connection> readyQueue,
        final Consumer<TopicState> topicEnded)
    {
        this.topicEnded = topicEnded;
        this.holds = holds;
        this.clock = context.clock;
        this.config = context.config;
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.flusher = flusher;
        this.publishHandler = publishHandler;
        this.readyQueue = readyQueue;
        this.frame = new UnsafeBuffer(ByteBuffer.allocateDirect(context.maxRecordLength + 64));
        this.seqFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(context.maxRecordLength + 64));
        this.deferredRecord = new UnsafeBuffer(ByteBuffer.allocateDirect(context.maxRecordLength + 64));
        this.streams = context.topics.streams();
    }

    /**
     * Let the next events wait for their new topics' linking when it would take more than {@code budget} steps
     * ({@link StreamRegistry#linkingExceeds}): only while events are taken one at a time, since nothing may be
     * handled after a waiting event.
     *
     * @param mayDefer whether events are taken one at a time.
     * @param budget   steps of new topics' linking left this cycle.
     */
    void deferLinkingOver(final boolean mayDefer, final long budget)
    {
        this.mayDefer = mayDefer;
        this.linkBudget = budget;
    }

    /**
     * Whether an event waits for its new topics' linking ({@link #resumeDeferred}); nothing more may be polled.
     *
     * @return true while one waits.
     */
    boolean isDeferred()
    {
        return deferred;
    }

    /**
     * Link the waiting event's new topics for about {@code budget} steps, and handle the event once they are.
     *
     * @param budget steps of matching.
     * @return 1 (work done).
     */
    int resumeDeferred(final long budget)
    {
        if (streams.linkDeferred(budget))
        {
            deferred = false;
            final boolean mayDefer = this.mayDefer;
            this.mayDefer = false;
            onEvent(deferredRecord, 0, deferredLength, deferredSeq, deferredNumericId);
            this.mayDefer = mayDefer;
        }
        return 1;
    }

    /**
     * {@inheritDoc}
     */
    public void onEvent(
        final DirectBuffer buffer, final int recordOffset, final int recordLength, final long seq, final long numericId)
    {
        if (deferred)
        {
            throw new IllegalStateException("an event polled while another waits for its topics' linking, seq " + seq);
        }
        final PublishRecord record = this.record.wrap(buffer, recordOffset);
        final int topicCount = resolveTopics(record);
        if (topicCount < 0)
        {
            return;
        }
        final TopicState[] eventTopics = this.eventTopics;
        if (mayDefer && streams.linkingExceeds(eventTopics, topicCount, linkBudget))
        {
            deferredRecord.putBytes(0, buffer, recordOffset, recordLength);
            deferredLength = recordLength;
            deferredSeq = seq;
            deferredNumericId = numericId;
            deferred = true;
            streams.deferLinking(eventTopics, topicCount);
            for (int i = 0; i < topicCount; i++)
            {
                eventTopics[i] = null;
            }
            return;
        }
        final int idLength = record.idLength();
        final int prefixLength = record.prefixLength();
        final int dataLength = record.dataLength();
        final int idOffset = record.idOffset();
        final int prefixOffset = record.prefixOffset();
        final int dataOffset = record.dataOffset();
        final boolean hubId = record.isHubId();
        final boolean isPrivate = record.isPrivate();

        final UnsafeBuffer frame = this.frame;
        int position = 0;
        frame.putBytes(position, buffer, prefixOffset, prefixLength);
        position += prefixLength;
        final int idTextOffset;
        final int idTextLength;
        if (numericId != EventSequencer.TEXT_ID)
        {
            final int fieldLength = SseFields.putIdField(frame, position, numericId);
            idTextOffset = position + ID_FIELD.length;
            idTextLength = fieldLength - ID_FIELD.length - 1;
            position += fieldLength;
        }
        else
        {
            idTextOffset = position + ID_FIELD.length;
            idTextLength = idLength;
            position += SseFields.putIdField(frame, position, buffer, idOffset, idLength);
        }
        frame.putBytes(position, buffer, dataOffset, dataLength);
        position += dataLength;
        position += SseFields.putEndOfFrame(frame, position);

        try
        {
            if (isPrivate)
            {
                for (int i = 0; i < topicCount; i++)
                {
                    eventTopics[i].privateLogOrCreate()
                        .append(frame, 0, position, idTextOffset, idTextLength, seq, numericId, hubId);
                }
            }
            else
            {
                for (int i = 0; i < topicCount; i++)
                {
                    final TopicState topic = eventTopics[i];
                    final TopicLog log = topic.logOrCreate();
                    log.append(frame, 0, position, idTextOffset, idTextLength, seq, numericId, hubId);
                    flusher.markDirty(topic);
                    if (!holds.isEmpty())
                    {
                        holds.onAppended(topic, log, clock.nanoTime());
                    }
                }
            }
            final int targets = streams.collectTargets(eventTopics, topicCount, isPrivate, seq);
            if (targets > 0)
            {
                appendToStreams(targets, position, idTextOffset, idTextLength, seq, numericId, hubId, record);
            }
        }
        finally
        {
            final boolean endsTopic = record.endsTopic();
            for (int i = 0; i < topicCount; i++)
            {
                eventTopics[i].unpin();
                if (endsTopic)
                {
                    topicEnded.accept(eventTopics[i]);
                }
                eventTopics[i] = null;
            }
        }
        metrics.increment(ServerCounter.EVENTS_PUBLISHED);

        final long correlationId = record.correlationId();
        if (0 != correlationId)
        {
            final Connection connection = publishHandler.onSequenced(
                correlationId, frame, idTextOffset, idTextLength, !hubId);
            if (null != connection)
            {
                readyQueue.accept(connection);
            }
        }
    }

    /**
     * The record's live topics into {@link #eventTopics}: its topic, then any further ones of a Mercure update.
     *
     * @return how many, or -1 when its topic is not live (reported; the others are unpinned).
     */
    private int resolveTopics(final PublishRecord record)
    {
        final int topicIndex = record.topicIndex();
        final int more = record.moreTopicCount();
        final TopicState topic = topics.byIndex(topicIndex);
        int count = 0;
        for (int i = -1; i < more; i++)
        {
            final TopicState found = i < 0 ? topic : topics.byIndex(record.moreTopic(i));
            if (null != found)
            {
                eventTopics[count++] = found;
            }
        }
        if (null == topic || count != more + 1)
        {
            for (int i = 0; i < count; i++)
            {
                eventTopics[i].unpin();
                eventTopics[i] = null;
            }
            config.errorHandler().onError(new IllegalStateException("event for no live topic, index " + topicIndex));
            return -1;
        }
        return count;
    }

    /**
     * Append the event once to each shared stream it goes to: a hub id keeps the frame as assembled; otherwise a
     * second frame, named by the seq, is assembled once for all of them.
     */
    private void appendToStreams(
        final int targets,
        final int frameLength,
        final int idTextOffset,
        final int idTextLength,
        final long seq,
        final long numericId,
        final boolean hubId,
        final PublishRecord record)
    {
        UnsafeBuffer streamFrame = frame;
        int length = frameLength;
        int idAt = idTextOffset;
        int idLength = idTextLength;
        long id = numericId;
        if (!hubId)
        {
            streamFrame = seqFrame;
            final DirectBuffer buffer = record.buffer();
            int position = 0;
            streamFrame.putBytes(position, buffer, record.prefixOffset(), record.prefixLength());
            position += record.prefixLength();
            final int fieldLength = SseFields.putIdField(streamFrame, position, seq);
            idAt = position + ID_FIELD.length;
            idLength = fieldLength - ID_FIELD.length - 1;
            position += fieldLength;
            streamFrame.putBytes(position, buffer, record.dataOffset(), record.dataLength());
            position += record.dataLength();
            position += SseFields.putEndOfFrame(streamFrame, position);
            length = position;
            id = seq;
        }
        final SharedStream[] streams = this.streams.targets();
        for (int i = 0; i < targets; i++)
        {
            final SharedStream stream = streams[i];
            streams[i] = null;
            stream.log.append(streamFrame, 0, length, idAt, idLength, seq, id, hubId);
            flusher.markDirty(stream);
        }
    }

    /**
     * A retried publish whose explicit id is still retained: nothing is appended, the topic's pin is let go and an
     * HTTP publisher is answered {@code 200} with that id, as for the first time.
     */
    public void onDuplicate(
        final DirectBuffer buffer, final int recordOffset, final int recordLength, final long existingSeq)
    {
        final PublishRecord record = this.record.wrap(buffer, recordOffset);
        unpinTopics(record);
        final long correlationId = record.correlationId();
        if (0 != correlationId)
        {
            final Connection connection =
                publishHandler.onSequenced(
                    correlationId, buffer, record.idOffset(), record.idLength(), !record.isHubId());
            if (null != connection)
            {
                readyQueue.accept(connection);
            }
        }
    }

    /**
     * A publish the sequencer will never sequence: the topic's pin is let go and an HTTP publisher is refused (see
     * {@link HttpPublishHandler#onRefused}).
     */
    public void onRefused(
        final DirectBuffer buffer, final int recordOffset, final int recordLength, final PublishResult result)
    {
        final PublishRecord record = this.record.wrap(buffer, recordOffset);
        unpinTopics(record);
        final long correlationId = record.correlationId();
        if (0 != correlationId)
        {
            final Connection connection = publishHandler.onRefused(correlationId, result);
            if (null != connection)
            {
                readyQueue.accept(connection);
            }
        }
    }

    private void unpinTopics(final PublishRecord record)
    {
        for (int i = -1; i < record.moreTopicCount(); i++)
        {
            final TopicState topic = topics.byIndex(i < 0 ? record.topicIndex() : record.moreTopic(i));
            if (null != topic)
            {
                topic.unpin();
            }
        }
    }
}
