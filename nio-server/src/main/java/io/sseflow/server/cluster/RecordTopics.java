package io.sseflow.server.cluster;

import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.SequencedEventHandler;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A publish record's topics as they cross the cluster: by this node's indexes in the agent's records, by name in the
 * log. On the way in, the names of a record's further topics ({@link PublishRecord#FLAG_MORE_TOPICS}) are written
 * after it in its {@link ClusterRecord}; on the way back, an event another session took has its topics found or
 * created by name and pinned, and this node's indexes written into its record. Agent thread only; allocation-free for
 * live topics.
 */
final class RecordTopics
{
    /**
     * What {@link #appendNames} did.
     */
    enum NamesOutcome
    {
        /**
         * Every name written ({@link #end()}).
         */
        OK,

        /**
         * A further topic has no live topic ({@link #failedTopicIndex()}).
         */
        NO_LIVE_TOPIC,

        /**
         * The names do not fit the cluster's ingress message.
         */
        TOO_LARGE
    }

    private final TopicDirectory topics;
    private final ErrorHandler errorHandler;
    private final UnsafeBuffer name = new UnsafeBuffer(new byte[ClusterRecord.MAX_TOPIC_NAME_LENGTH]);
    private final int[] indexes = new int[ClusterRecord.MAX_MORE_TOPICS];
    private int end;
    private int failedTopicIndex;

    RecordTopics(final TopicDirectory topics, final ErrorHandler errorHandler)
    {
        this.topics = topics;
        this.errorHandler = errorHandler;
    }

    /**
     * After a publish record copied into a cluster record ending at {@code end}, write the names of its further
     * topics, if any.
     *
     * @param record  the publish record, wrapped.
     * @param ingress the cluster record.
     * @param end     where it ends now.
     * @return {@link NamesOutcome#OK} with the new end in {@link #end()}, or why not.
     */
    NamesOutcome appendNames(final PublishRecord record, final MutableDirectBuffer ingress, final int end)
    {
        int at = end;
        final int more = record.moreTopicCount();
        for (int i = 0; i < more; i++)
        {
            final int topicIndex = record.moreTopic(i);
            final int length = topics.topicName(topicIndex, name, 0);
            if (length <= 0 || length > ClusterRecord.MAX_TOPIC_NAME_LENGTH)
            {
                failedTopicIndex = topicIndex;
                return NamesOutcome.NO_LIVE_TOPIC;
            }
            if (at + BitUtil.SIZE_OF_INT + length > ingress.capacity())
            {
                return NamesOutcome.TOO_LARGE;
            }
            ingress.putInt(at, length);
            ingress.putBytes(at + BitUtil.SIZE_OF_INT, name, 0, length);
            at += BitUtil.SIZE_OF_INT + length;
        }
        this.end = at;
        return NamesOutcome.OK;
    }

    /**
     * Where the cluster record ends after the last {@link #appendNames} that answered {@link NamesOutcome#OK}.
     *
     * @return the offset.
     */
    int end()
    {
        return end;
    }

    /**
     * The further topic's index that had no live topic in the last {@link #appendNames}.
     *
     * @return the index.
     */
    int failedTopicIndex()
    {
        return failedTopicIndex;
    }

    /**
     * An event another session took: find or create its topics by name and pin them, then write this node's indexes
     * into its record (its topic index, and the list of further topics of a record of several, whose names follow
     * it) and clear its correlation id. When a topic cannot be had (this node's topic limit) the error is reported,
     * the topics pinned so far are let go (through {@link SequencedEventHandler#onRefused}, with no publisher to
     * answer) and the event is not delivered.
     *
     * @param buffer       holding the event's first topic name and its record, the further names after it.
     * @param nameOffset   where the first topic name starts.
     * @param nameLength   its length.
     * @param record       the publish record, wrapped writable.
     * @param recordLength its length, names not included.
     * @param seq          the event's seq, for the error.
     * @param handler      to let go of the pins through.
     * @return false when the event is not to be delivered.
     */
    boolean pinByName(
        final MutableDirectBuffer buffer, final int nameOffset, final int nameLength, final PublishRecord record,
        final int recordLength, final long seq, final SequencedEventHandler handler)
    {
        final int topicIndex = topics.pinTopic(buffer, nameOffset, nameLength);
        if (topicIndex < 0)
        {
            reportNoTopic(buffer, nameOffset, nameLength, seq);
            return false;
        }
        record.topicIndex(topicIndex).correlationId(0);
        final int more = record.moreTopicCount();
        int at = record.offset() + recordLength;
        for (int i = 0; i < more; i++)
        {
            final int length = buffer.getInt(at);
            final int index = topics.pinTopic(buffer, at + BitUtil.SIZE_OF_INT, length);
            if (index < 0)
            {
                reportNoTopic(buffer, at + BitUtil.SIZE_OF_INT, length, seq);
                if (i > 0)
                {
                    record.moreTopics(indexes, i);
                }
                else
                {
                    record.flags(record.flags() & ~PublishRecord.FLAG_MORE_TOPICS);
                }
                handler.onRefused(buffer, record.offset(), record.recordLength(), PublishResult.TOPIC_LIMIT);
                return false;
            }
            indexes[i] = index;
            at += BitUtil.SIZE_OF_INT + length;
        }
        if (more > 0)
        {
            record.moreTopics(indexes, more);
        }
        return true;
    }

    private void reportNoTopic(final MutableDirectBuffer buffer, final int offset, final int length, final long seq)
    {
        errorHandler.onError(new IllegalStateException("no topic for event seq " + seq + ": " +
            buffer.getStringWithoutLengthUtf8(offset, length)));
    }
}
