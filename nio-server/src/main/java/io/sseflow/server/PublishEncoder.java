package io.sseflow.server;

import io.sseflow.encoder.EventFrameEncoder;
import io.sseflow.encoder.SseFields;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.topic.PublishRecordDescriptor;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes a publish into a {@link PublishRecordDescriptor publish record} on the publisher's thread, so the
 * agent only has to add the id and copy: JSON through the encoder's reused dsl-json writer, text and JSON split
 * into {@code data:} lines by {@link SseFields}. One per publishing thread; reused, so steady-state publishing of
 * text or compiled-JSON objects allocates nothing.
 */
final class PublishEncoder
{
    private static final ThreadLocal<PublishEncoder> CURRENT = ThreadLocal.withInitial(PublishEncoder::new);

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private final UnsafeBuffer jsonView = new UnsafeBuffer(0, 0);

    static PublishEncoder current()
    {
        return CURRENT.get();
    }

    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Write the topic's index into the record encoded last: the topic is resolved (and pinned) only once the event
     * is known to encode.
     *
     * @param topicIndex the index.
     */
    void topicIndex(final int topicIndex)
    {
        buffer.putInt(PublishRecordDescriptor.TOPIC_INDEX_OFFSET, topicIndex);
    }

    /**
     * Encode a record at offset 0 of {@link #buffer()}.
     *
     * @return the record length, or -1 when it would exceed {@code maxLength} (nothing useful is written).
     */
    int encode(final int topicIndex, final Object data, final SseOptions options, final int maxLength)
    {
        final String id = options.hasId() ? options.id() : null;
        final int idLength = null == id ? 0 : SseFields.utf8Length(id);
        final int retryLength = options.hasRetry() ? SseFields.retryFieldLength(options.retry()) : 0;
        final int eventLength = options.hasEvent() ? SseFields.eventFieldLength(options.event()) : 0;

        final CharSequence text = data instanceof CharSequence ? (CharSequence)data : null;
        final int dataLength;
        if (null != text)
        {
            dataLength = SseFields.dataLinesLength(text);
        }
        else
        {
            final int jsonLength = encoder.writeJson(data);
            jsonView.wrap(encoder.jsonBytes(), 0, jsonLength);
            dataLength = SseFields.dataLinesLength(jsonView, 0, jsonLength);
        }

        final int length = PublishRecordDescriptor.recordLength(idLength, retryLength + eventLength, dataLength);
        if (length > maxLength)
        {
            return -1;
        }

        final ExpandableArrayBuffer buffer = this.buffer;
        buffer.checkLimit(length);
        int flags = 0;
        long numericId = 0;
        if (null != id)
        {
            flags |= PublishRecordDescriptor.FLAG_HAS_ID;
            numericId = PublishRecordDescriptor.parseNumericId(id);
            if (numericId >= 0)
            {
                flags |= PublishRecordDescriptor.FLAG_NUMERIC_ID;
            }
        }
        buffer.putLong(PublishRecordDescriptor.CORRELATION_ID_OFFSET, 0);
        buffer.putLong(PublishRecordDescriptor.NUMERIC_ID_OFFSET, numericId);
        buffer.putInt(PublishRecordDescriptor.TOPIC_INDEX_OFFSET, topicIndex);
        buffer.putInt(PublishRecordDescriptor.FLAGS_OFFSET, flags);
        buffer.putInt(PublishRecordDescriptor.ID_LENGTH_OFFSET, idLength);
        buffer.putInt(PublishRecordDescriptor.PREFIX_LENGTH_OFFSET, retryLength + eventLength);
        buffer.putInt(PublishRecordDescriptor.DATA_LENGTH_OFFSET, dataLength);

        int position = PublishRecordDescriptor.HEADER_LENGTH;
        if (null != id)
        {
            position += SseFields.putUtf8(buffer, position, id);
        }
        if (retryLength > 0)
        {
            position += SseFields.putRetryField(buffer, position, options.retry());
        }
        if (eventLength > 0)
        {
            position += SseFields.putEventField(buffer, position, options.event());
        }
        if (null != text)
        {
            position += SseFields.putDataLines(buffer, position, text);
        }
        else
        {
            position += SseFields.putDataLines(buffer, position, jsonView, 0, jsonView.capacity());
        }

        return position;
    }
}
