package io.sseflow.server.agent;

import io.sseflow.encoder.SseFields;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.HttpResponses;
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
 * with the id's place in the frame and the hub sequence. Then the topic is marked for the {@link SubscriberFlusher},
 * and an HTTP publisher waiting for the record is answered with its id ({@link HttpPublishHandler#onSequenced})
 * and, when it has more requests buffered (pipelined publishes), handed back to be read again.
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
    private final Consumer<Connection> readyQueue;
    private final UnsafeBuffer frame;
    private final PublishRecord record = new PublishRecord();

    FrameAssembler(
        final AgentContext context,
        final SubscriberFlusher flusher,
        final HttpPublishHandler publishHandler,
        final Consumer<Connection> readyQueue)
    {
        this.config = context.config;
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.flusher = flusher;
        this.publishHandler = publishHandler;
        this.readyQueue = readyQueue;
        this.frame = new UnsafeBuffer(ByteBuffer.allocateDirect(context.maxRecordLength + 64));
    }

    /**
     * {@inheritDoc}
     */
    public void onEvent(
        final DirectBuffer buffer, final int recordOffset, final int recordLength, final long seq, final long numericId)
    {
        final PublishRecord record = this.record.wrap(buffer, recordOffset);
        final int topicIndex = record.topicIndex();
        final TopicState topic = topics.byIndex(topicIndex);
        if (null == topic)
        {
            config.errorHandler().onError(new IllegalStateException("event for no live topic, index " + topicIndex));
            return;
        }
        final int idLength = record.idLength();
        final int prefixLength = record.prefixLength();
        final int dataLength = record.dataLength();
        final int idOffset = record.idOffset();
        final int prefixOffset = record.prefixOffset();
        final int dataOffset = record.dataOffset();

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
            topic.logOrCreate().append(frame, 0, position, idTextOffset, idTextLength, seq, numericId);
        }
        finally
        {
            topic.unpin();
        }
        metrics.increment(ServerCounter.EVENTS_PUBLISHED);
        flusher.markDirty(topic);

        final long correlationId = record.correlationId();
        if (0 != correlationId)
        {
            final Connection connection = publishHandler.onSequenced(correlationId, frame, idTextOffset, idTextLength);
            if (null != connection && connection.isReading() && connection.readLimit > 0)
            {
                readyQueue.accept(connection);
            }
        }
    }
}
