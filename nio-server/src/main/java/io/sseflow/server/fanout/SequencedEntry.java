package io.sseflow.server.fanout;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of one sequencer decision in the {@link SequencedLog}, and of the origin carried in a publish record's
 * correlation id on its way to the sequencer. Little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   Seq (EVENT: the event's; DUPLICATE: the retained one's)     |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Value (EVENT: numeric id; REFUSED: PublishResult ordinal)   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Origin (whose topic indexes)                  | 16
 *  +---------------------------------------------------------------+
 *  |                    First Topic Name Length                    | 20
 *  +---------------------------------------------------------------+
 *  |  First topic name (UTF-8) ... | Publish record ... | further topics' names (int length, bytes) ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The record keeps the topic indexes and the stamped correlation id its origin wrote: meaningful to the origin's agent
 * only; every other agent finds the topics by name.
 */
public final class SequencedEntry
{
    /**
     * An event appended: seq and id decided.
     */
    public static final int EVENT = 1;

    /**
     * A retry of an event still retained: answered with the first event's id, delivered to nobody.
     */
    public static final int DUPLICATE = 2;

    /**
     * A record that will never be sequenced.
     */
    public static final int REFUSED = 3;

    /**
     * Offset of the seq.
     */
    public static final int SEQ_OFFSET = 0;

    /**
     * Offset of the value.
     */
    public static final int VALUE_OFFSET = SEQ_OFFSET + BitUtil.SIZE_OF_LONG;

    /**
     * Offset of the origin.
     */
    public static final int ORIGIN_OFFSET = VALUE_OFFSET + BitUtil.SIZE_OF_LONG;

    /**
     * Offset of the first topic name's length.
     */
    public static final int NAME_LENGTH_OFFSET = ORIGIN_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Length of the fixed part; the first topic's name follows.
     */
    public static final int HEADER_LENGTH = NAME_LENGTH_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Most origins: agents 0 to 254.
     */
    public static final int MAX_ORIGINS = 255;

    private static final int ORIGIN_SHIFT = 56;
    private static final long CORRELATION_MASK = (1L << ORIGIN_SHIFT) - 1;

    private SequencedEntry()
    {
    }

    /**
     * A correlation id with the origin that wrote it: an agent's HTTP publisher is answered on that agent, and the
     * record's topic indexes are read from that agent's topics; a record without a publisher to answer (correlation
     * 0) is stamped too.
     *
     * @param correlationId the publisher's, below 2^56.
     * @param origin        the agent, 0 to {@link #MAX_ORIGINS} less one.
     * @return the stamped correlation id.
     */
    public static long stamp(final long correlationId, final int origin)
    {
        return (correlationId & CORRELATION_MASK) | ((long)(origin + 1) << ORIGIN_SHIFT);
    }

    /**
     * The origin a stamped correlation id names.
     *
     * @param stamped from {@link #stamp}; one never stamped is taken as agent 0's.
     * @return the origin.
     */
    public static int originOf(final long stamped)
    {
        final int mark = (int)(stamped >>> ORIGIN_SHIFT);
        return 0 == mark ? 0 : mark - 1;
    }

    /**
     * The publisher's correlation id in a stamped one.
     *
     * @param stamped from {@link #stamp}, or 0.
     * @return the correlation id as the publisher made it.
     */
    public static long correlationOf(final long stamped)
    {
        return stamped & CORRELATION_MASK;
    }

    /**
     * Write the fixed part.
     *
     * @param buffer     the entry's buffer.
     * @param index      where the entry's payload starts.
     * @param seq        the seq.
     * @param value      the value.
     * @param origin     the origin.
     * @param nameLength the first topic name's length.
     * @return where the first topic name goes.
     */
    public static int putHeader(
        final MutableDirectBuffer buffer, final int index, final long seq, final long value, final int origin,
        final int nameLength)
    {
        buffer.putLong(index + SEQ_OFFSET, seq);
        buffer.putLong(index + VALUE_OFFSET, value);
        buffer.putInt(index + ORIGIN_OFFSET, origin);
        buffer.putInt(index + NAME_LENGTH_OFFSET, nameLength);
        return index + HEADER_LENGTH;
    }

    /**
     * The seq.
     *
     * @param buffer holding the entry.
     * @param index  where its payload starts.
     * @return the seq.
     */
    public static long seq(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + SEQ_OFFSET);
    }

    /**
     * The value.
     *
     * @param buffer holding the entry.
     * @param index  where its payload starts.
     * @return the value.
     */
    public static long value(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + VALUE_OFFSET);
    }

    /**
     * The origin.
     *
     * @param buffer holding the entry.
     * @param index  where its payload starts.
     * @return the origin.
     */
    public static int origin(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index + ORIGIN_OFFSET);
    }

    /**
     * The first topic name's length.
     *
     * @param buffer holding the entry.
     * @param index  where its payload starts.
     * @return bytes.
     */
    public static int nameLength(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index + NAME_LENGTH_OFFSET);
    }
}
