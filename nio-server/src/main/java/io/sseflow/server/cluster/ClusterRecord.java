package io.sseflow.server.cluster;

import io.sseflow.server.mercure.MercurePublish;
import io.sseflow.server.selector.TopicText;
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
 * A publish record of several topics ({@link PublishRecord#FLAG_MORE_TOPICS}, a Mercure update) is followed by the
 * names of its further topics, in its order: per topic an int length and the name's bytes, to the end of the cluster
 * record (its own list of further topics holds the origin node's indexes, which mean nothing elsewhere, as its topic
 * index field does). The same names follow the record in a {@link Delivery} and in a retained event.
 * <p>
 * A member's position report ({@link #putPositionReport}) is a header alone whose topic name length is
 * {@link #POSITION_REPORT}: the origin node is the member, the correlation id field the log position its service
 * has applied; it is no publish, and the state machine never sees it.
 * <p>
 * A probe ({@link #putProbe}) is a header alone whose topic name length is {@link #PROBE}: numbered in its session
 * like a publish, it publishes nothing; its sender learns, when it is applied, that the cluster commits what it
 * sends now (and that everything it sent before was applied).
 * <p>
 * A member's settings record ({@link #putSettings}) is a header whose topic name length is {@link #SETTINGS},
 * followed by the {@link StateSettings} that member's state machine runs with; the origin node is the member, and
 * the correlation id field is 1 when they are to replace the cluster's ({@code --change-settings}), else 0. Each
 * member's sequencer sends one when its session opens, before its publishes.
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
    static final int MAX_TOPIC_NAME_LENGTH = TopicText.MAX_LENGTH;

    /**
     * Most further topics a record names besides its first.
     */
    static final int MAX_MORE_TOPICS = MercurePublish.MAX_TOPICS - 1;

    /**
     * The topic name length that marks a member's position report.
     */
    static final int POSITION_REPORT = -1;

    /**
     * The topic name length that marks a probe.
     */
    static final int PROBE = -2;

    /**
     * The topic name length that marks a member's settings record.
     */
    static final int SETTINGS = -3;

    /**
     * Length of a settings record.
     */
    static final int SETTINGS_LENGTH = HEADER_LENGTH + StateSettings.LENGTH;

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

    /**
     * Write a probe: numbered in the sending session, publishing nothing.
     *
     * @return its length, {@link #HEADER_LENGTH}.
     */
    static int putProbe(final MutableDirectBuffer buffer, final int offset, final int member, final long ingressSeq)
    {
        buffer.putLong(offset + CORRELATION_ID_OFFSET, 0);
        buffer.putLong(offset + INGRESS_SEQ_OFFSET, ingressSeq);
        buffer.putInt(offset + ORIGIN_NODE_OFFSET, member);
        buffer.putInt(offset + TOPIC_NAME_LENGTH_OFFSET, PROBE);
        return HEADER_LENGTH;
    }

    static boolean isProbe(final DirectBuffer buffer, final int offset, final int length)
    {
        return HEADER_LENGTH == length && PROBE == topicNameLength(buffer, offset);
    }

    static boolean isPositionReport(final DirectBuffer buffer, final int offset, final int length)
    {
        return HEADER_LENGTH == length && POSITION_REPORT == topicNameLength(buffer, offset);
    }

    /**
     * Write a settings record: the settings this member's state machine runs with.
     *
     * @return its length, {@link #SETTINGS_LENGTH}.
     */
    static int putSettings(
        final MutableDirectBuffer buffer, final int offset, final int member, final StateSettings settings,
        final boolean change)
    {
        buffer.putLong(offset + CORRELATION_ID_OFFSET, change ? 1 : 0);
        buffer.putLong(offset + INGRESS_SEQ_OFFSET, 0);
        buffer.putInt(offset + ORIGIN_NODE_OFFSET, member);
        buffer.putInt(offset + TOPIC_NAME_LENGTH_OFFSET, SETTINGS);
        return HEADER_LENGTH + settings.write(buffer, offset + HEADER_LENGTH);
    }

    static boolean isSettings(final DirectBuffer buffer, final int offset, final int length)
    {
        return SETTINGS_LENGTH == length && SETTINGS == topicNameLength(buffer, offset);
    }

    /**
     * Are a settings record's settings to replace the cluster's?
     */
    static boolean isSettingsChange(final DirectBuffer buffer, final int offset)
    {
        return 1 == correlationId(buffer, offset);
    }

    static int publishRecordOffset(final DirectBuffer buffer, final int offset)
    {
        return offset + HEADER_LENGTH + topicNameLength(buffer, offset);
    }

    /**
     * Length of the publish record at {@code recordOffset}, checked against the bytes that hold it: its lengths must
     * be sane and, for a record of several topics, its list of further topics must fit and name 1 to
     * {@link #MAX_MORE_TOPICS} of them. Reads nothing past {@code end}.
     *
     * @param buffer       holding the record.
     * @param recordOffset where it starts.
     * @param end          where the bytes that may hold it end.
     * @param record       a flyweight to wrap it with.
     * @return its length, or -1 when it is malformed.
     */
    static int checkedRecordLength(
        final DirectBuffer buffer, final int recordOffset, final int end, final PublishRecord record)
    {
        if (end - recordOffset < PublishRecord.HEADER_LENGTH)
        {
            return -1;
        }
        record.wrap(buffer, recordOffset);
        final int idLength = record.idLength();
        final int prefixLength = record.prefixLength();
        final int dataLength = record.dataLength();
        if (idLength < 0 || prefixLength < 0 || dataLength < 0)
        {
            return -1;
        }
        final long base = (long)PublishRecord.HEADER_LENGTH + idLength + prefixLength + dataLength;
        if (recordOffset + base > end)
        {
            return -1;
        }
        if ((record.flags() & PublishRecord.FLAG_MORE_TOPICS) == 0)
        {
            return (int)base;
        }
        if (recordOffset + base + BitUtil.SIZE_OF_INT > end)
        {
            return -1;
        }
        final int more = record.moreTopicCount();
        if (more < 1 || more > MAX_MORE_TOPICS || recordOffset + base + (long)BitUtil.SIZE_OF_INT * (1 + more) > end)
        {
            return -1;
        }
        return record.recordLength();
    }

    /**
     * Check the names of a record's further topics that follow it: exactly {@code count} of them, each 1 to
     * {@link #MAX_TOPIC_NAME_LENGTH} bytes, ending at {@code end}.
     *
     * @param buffer holding the names.
     * @param offset where the first name's length is.
     * @param end    where the names must end.
     * @param count  names expected.
     * @return true when they are well formed.
     */
    static boolean hasTopicNames(final DirectBuffer buffer, final int offset, final int end, final int count)
    {
        int p = offset;
        for (int i = 0; i < count; i++)
        {
            if (p + BitUtil.SIZE_OF_INT > end)
            {
                return false;
            }
            final int length = buffer.getInt(p);
            if (length < 1 || length > MAX_TOPIC_NAME_LENGTH || p + BitUtil.SIZE_OF_INT + (long)length > end)
            {
                return false;
            }
            p += BitUtil.SIZE_OF_INT + length;
        }
        return p == end;
    }
}
