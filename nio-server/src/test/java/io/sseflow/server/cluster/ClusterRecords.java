package io.sseflow.server.cluster;

import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds cluster records and publish records for tests.
 */
final class ClusterRecords
{
    private ClusterRecords()
    {
    }

    /**
     * Write a publish record with {@code data: DATA\n} and an optional id into a buffer.
     *
     * @return its length.
     */
    static int putPublishRecord(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final int topicIndex, final String id,
        final String data)
    {
        final byte[] idBytes = null == id ? new byte[0] : id.getBytes(StandardCharsets.UTF_8);
        final byte[] dataBytes = ("data: " + data + "\n").getBytes(StandardCharsets.UTF_8);
        final PublishRecord record = new PublishRecord().wrap(buffer, offset)
            .header(correlationId, topicIndex, idBytes.length, 0, dataBytes.length);
        buffer.putBytes(record.idOffset(), idBytes);
        record.classifyId();
        buffer.putBytes(record.dataOffset(), dataBytes);
        return record.recordLength();
    }

    /**
     * A whole cluster record.
     *
     * @return a buffer holding exactly it.
     */
    static UnsafeBuffer clusterRecord(
        final int originNode, final long correlationId, final String topic, final String id, final String data)
    {
        return clusterRecord(originNode, correlationId, 0, topic, id, data);
    }

    /**
     * A whole cluster record with its ingress seq.
     *
     * @return a buffer holding exactly it.
     */
    static UnsafeBuffer clusterRecord(
        final int originNode, final long correlationId, final long ingressSeq, final String topic, final String id,
        final String data)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final UnsafeBuffer name = new UnsafeBuffer(topic.getBytes(StandardCharsets.UTF_8));
        final int header = ClusterRecord.putHeader(buffer, 0, correlationId, ingressSeq, originNode, name, 0, name.capacity());
        final int length = header + putPublishRecord(buffer, header, 0, 0, id, data);
        return new UnsafeBuffer(buffer.byteArray(), 0, length);
    }

    /**
     * Write a publish record of several topics ({@code data: DATA\n}, an optional id, marked as a hub id as a Mercure
     * update is) whose first topic is {@code topicIndex} and further topics {@code moreIndexes}.
     *
     * @return its length.
     */
    static int putSeveralTopicsRecord(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final int topicIndex,
        final int[] moreIndexes, final String id, final String data)
    {
        final byte[] idBytes = null == id ? new byte[0] : id.getBytes(StandardCharsets.UTF_8);
        final byte[] dataBytes = ("data: " + data + "\n").getBytes(StandardCharsets.UTF_8);
        final PublishRecord record = new PublishRecord().wrap(buffer, offset)
            .header(correlationId, topicIndex, idBytes.length, 0, dataBytes.length);
        buffer.putBytes(record.idOffset(), idBytes);
        record.classifyId();
        record.flags(record.flags() | PublishRecord.FLAG_HUB_ID);
        buffer.putBytes(record.dataOffset(), dataBytes);
        record.moreTopics(moreIndexes, moreIndexes.length);
        return record.recordLength();
    }

    /**
     * A whole cluster record of several topics, as a node's sequencer sends it: the first topic's name in the
     * header, the record (its further topics' indexes 1, 2...: the origin node's), then the further topics' names.
     *
     * @return a buffer holding exactly it.
     */
    static UnsafeBuffer severalTopicsRecord(
        final int originNode, final long correlationId, final long ingressSeq, final java.util.List<String> topics,
        final String id, final String data)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final UnsafeBuffer name = new UnsafeBuffer(topics.get(0).getBytes(StandardCharsets.UTF_8));
        int length = ClusterRecord.putHeader(buffer, 0, correlationId, ingressSeq, originNode, name, 0, name.capacity());
        final int[] moreIndexes = new int[topics.size() - 1];
        for (int i = 0; i < moreIndexes.length; i++)
        {
            moreIndexes[i] = i + 1;
        }
        length += putSeveralTopicsRecord(buffer, length, 0, 0, moreIndexes, id, data);
        for (int i = 1; i < topics.size(); i++)
        {
            final byte[] more = topics.get(i).getBytes(StandardCharsets.UTF_8);
            buffer.putInt(length, more.length);
            buffer.putBytes(length + Integer.BYTES, more);
            length += Integer.BYTES + more.length;
        }
        return new UnsafeBuffer(buffer.byteArray(), 0, length);
    }

    /**
     * The names of the further topics that follow a publish record of several topics.
     *
     * @return the names, in order; empty for a record of one topic.
     */
    static java.util.List<String> moreTopicNamesOf(final org.agrona.DirectBuffer buffer, final int recordOffset)
    {
        final PublishRecord record = new PublishRecord().wrap(buffer, recordOffset);
        final java.util.List<String> names = new java.util.ArrayList<>();
        int at = recordOffset + record.recordLength();
        for (int i = 0; i < record.moreTopicCount(); i++)
        {
            final int length = buffer.getInt(at);
            names.add(buffer.getStringWithoutLengthUtf8(at + Integer.BYTES, length));
            at += Integer.BYTES + length;
        }
        return names;
    }

    static String dataOf(final org.agrona.DirectBuffer buffer, final int recordOffset)
    {
        final PublishRecord record = new PublishRecord().wrap(buffer, recordOffset);
        return buffer.getStringWithoutLengthUtf8(record.dataOffset(), record.dataLength());
    }

    static String idTextOf(final org.agrona.DirectBuffer buffer, final int recordOffset)
    {
        final PublishRecord record = new PublishRecord().wrap(buffer, recordOffset);
        return buffer.getStringWithoutLengthUtf8(record.idOffset(), record.idLength());
    }
}
