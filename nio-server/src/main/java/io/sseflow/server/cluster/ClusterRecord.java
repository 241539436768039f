package io.sseflow.server.cluster;

import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of one publish as it travels through the cluster log: the node that took the publish, its correlation id
 * there, the record's place in that node's session ({@code ingressSeq}: 1, 2, 3... so that a record resent after a
 * leader change is applied once), the topic by name (topic indexes are node-local), then the {@link PublishRecord} as
 * the publisher wrote it (its topic index field means nothing here). Little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |             Correlation Id (on the origin node, 0 = none)     |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |           Ingress Seq (in the sending session, 0 = none)      |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Origin Node (member index)                   | 16
 *  +---------------------------------------------------------------+
 *  |                      Topic Name Length                        | 20
 *  +---------------------------------------------------------------+
 *  |  Topic name (UTF-8) ...       |  Publish record ...          ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 * A member's position report ({@link #putPositionReport}) is a header alone whose topic name length is
 * {@link #POSITION_REPORT}: the origin node is the member, the correlation id field the log position its service
 * has applied; it is no publish, and the state machine never sees it.
 */
final class ClusterRecord
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int INGRESS_SEQ_OFFSET = CORRELATION_ID_OFFSET + BitUtil.SIZE_OF_LONG;
    static final int ORIGIN_NODE_OFFSET = INGRESS_SEQ_OFFSET + BitUtil.SIZE_OF_LONG;
    static final int TOPIC_NAME_LENGTH_OFFSET = ORIGIN_NODE_OFFSET + BitUtil.SIZE_OF_INT;
    static final int HEADER_LENGTH = TOPIC_NAME_LENGTH_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Longest topic name carried, in bytes.
     */
    static final int MAX_TOPIC_NAME_LENGTH = 1024;

    /**
     * The topic name length that marks a member's position report.
     */
    static final int POSITION_REPORT = -1;

    private ClusterRecord()
    {
    }

    static int length(final int topicNameLength, final int publishRecordLength)
    {
        return HEADER_LENGTH + topicNameLength + publishRecordLength;
    }

    static int putHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long ingressSeq,
        final int originNode,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength)
    {
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId);
        buffer.putLong(offset + INGRESS_SEQ_OFFSET, ingressSeq);
        buffer.putInt(offset + ORIGIN_NODE_OFFSET, originNode);
        buffer.putInt(offset + TOPIC_NAME_LENGTH_OFFSET, nameLength);
        buffer.putBytes(offset + HEADER_LENGTH, name, nameOffset, nameLength);
        return HEADER_LENGTH + nameLength;
    }

    static long correlationId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET);
    }

    static long ingressSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + INGRESS_SEQ_OFFSET);
    }

    static int originNode(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + ORIGIN_NODE_OFFSET);
    }

    static int topicNameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TOPIC_NAME_LENGTH_OFFSET);
    }

    static int topicNameOffset(final int offset)
    {
        return offset + HEADER_LENGTH;
    }

    /**
     * Write a position report: this member has applied the log up to this position.
     *
     * @return its length, {@link #HEADER_LENGTH}.
     */
    static int putPositionReport(
        final MutableDirectBuffer buffer, final int offset, final int member, final long logPosition)
    {
        buffer.putLong(offset + CORRELATION_ID_OFFSET, logPosition);
        buffer.putLong(offset + INGRESS_SEQ_OFFSET, 0);
        buffer.putInt(offset + ORIGIN_NODE_OFFSET, member);
        buffer.putInt(offset + TOPIC_NAME_LENGTH_OFFSET, POSITION_REPORT);
        return HEADER_LENGTH;
    }

    static boolean isPositionReport(final DirectBuffer buffer, final int offset, final int length)
    {
        return HEADER_LENGTH == length && POSITION_REPORT == topicNameLength(buffer, offset);
    }

    static int publishRecordOffset(final DirectBuffer buffer, final int offset)
    {
        return offset + HEADER_LENGTH + topicNameLength(buffer, offset);
    }
}
