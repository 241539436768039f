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
