package io.sseflow.server.topic;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

/**
 * Layout of one publish record as it travels from a publisher to the server agent through an
 * {@link EventSequencer}. The publisher has already done the expensive work (JSON, UTF-8, splitting the
 * data into {@code data:} lines, the {@code retry:} and {@code event:} fields); the agent only adds the
 * {@code id:} field and copies the bytes into the topic's log.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Correlation Id (0 = none)                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Numeric Id (valid with FLAG_NUMERIC_ID)         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Topic Index                          |
 *  +---------------------------------------------------------------+
 *  |                             Flags                             |
 *  +---------------------------------------------------------------+
 *  |             Id Length (publisher's id text, 0 if none)        |
 *  +---------------------------------------------------------------+
 *  |          Prefix Length ("retry: N\n" and "event: E\n")        |
 *  +---------------------------------------------------------------+
 *  |               Data Length ("data: ...\n" lines)               |
 *  +---------------------------------------------------------------+
 *  |  Id text (UTF-8) ...   |  Prefix ...   |  Data lines ...     ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PublishRecordDescriptor
{
    /**
     * The publisher gave an id: its text follows the header.
     */
    public static final int FLAG_HAS_ID = 1;

    /**
     * The publisher's id is a canonical decimal number ({@code 0} or no leading zero, at most 18 digits),
     * also held in the numeric id field.
     */
    public static final int FLAG_NUMERIC_ID = 2;

    /**
     * Offset of the correlation id: a value the offerer chose to recognise its own event when it comes back
     * sequenced (the HTTP publish answer uses it), 0 for none.
     */
    public static final int CORRELATION_ID_OFFSET = 0;

    /**
     * Offset of the numeric id.
     */
    public static final int NUMERIC_ID_OFFSET = CORRELATION_ID_OFFSET + BitUtil.SIZE_OF_LONG;

    /**
     * Offset of the topic index.
     */
    public static final int TOPIC_INDEX_OFFSET = NUMERIC_ID_OFFSET + BitUtil.SIZE_OF_LONG;

    /**
     * Offset of the flags.
     */
    public static final int FLAGS_OFFSET = TOPIC_INDEX_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Offset of the id text length.
     */
    public static final int ID_LENGTH_OFFSET = FLAGS_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Offset of the prefix length.
     */
    public static final int PREFIX_LENGTH_OFFSET = ID_LENGTH_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Offset of the data lines length.
     */
    public static final int DATA_LENGTH_OFFSET = PREFIX_LENGTH_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Length of the fixed header; the id text starts here.
     */
    public static final int HEADER_LENGTH = DATA_LENGTH_OFFSET + BitUtil.SIZE_OF_INT;

    /**
     * Largest id, in digits, held as a number; longer digit strings stay text.
     */
    public static final int MAX_NUMERIC_ID_DIGITS = 18;

    private PublishRecordDescriptor()
    {
    }

    /**
     * Length of a record.
     *
     * @param idLength     bytes of the publisher's id text.
     * @param prefixLength bytes of the pre-encoded {@code retry:}/{@code event:} fields.
     * @param dataLength   bytes of the {@code data:} lines.
     * @return total record length.
     */
    public static int recordLength(final int idLength, final int prefixLength, final int dataLength)
    {
        return HEADER_LENGTH + idLength + prefixLength + dataLength;
    }

    /**
     * Offset of the id text in a record.
     *
     * @param recordOffset where the record starts.
     * @return offset of the id text.
     */
    public static int idOffset(final int recordOffset)
    {
        return recordOffset + HEADER_LENGTH;
    }

    /**
     * Offset of the prefix in a record.
     *
     * @param buffer       holding the record.
     * @param recordOffset where the record starts.
     * @return offset of the prefix.
     */
    public static int prefixOffset(final DirectBuffer buffer, final int recordOffset)
    {
        return recordOffset + HEADER_LENGTH + buffer.getInt(recordOffset + ID_LENGTH_OFFSET);
    }

    /**
     * Offset of the data lines in a record.
     *
     * @param buffer       holding the record.
     * @param recordOffset where the record starts.
     * @return offset of the data lines.
     */
    public static int dataOffset(final DirectBuffer buffer, final int recordOffset)
    {
        return prefixOffset(buffer, recordOffset) + buffer.getInt(recordOffset + PREFIX_LENGTH_OFFSET);
    }

    /**
     * Parse a canonical decimal id: {@code 0} or digits without a leading zero, at most
     * {@link #MAX_NUMERIC_ID_DIGITS} of them. Anything else is a text id.
     *
     * @param buffer holding the id text.
     * @param offset of the text.
     * @param length of the text.
     * @return the value, or -1 when the text is not a canonical decimal.
     */
    public static long parseNumericId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > MAX_NUMERIC_ID_DIGITS)
        {
            return -1;
        }
        if (length > 1 && buffer.getByte(offset) == '0')
        {
            return -1;
        }
        long value = 0;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * {@link #parseNumericId(DirectBuffer, int, int)} for a {@link CharSequence}.
     *
     * @param id the id text.
     * @return the value, or -1 when the text is not a canonical decimal.
     */
    public static long parseNumericId(final CharSequence id)
    {
        final int length = id.length();
        if (length < 1 || length > MAX_NUMERIC_ID_DIGITS || (length > 1 && id.charAt(0) == '0'))
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = id.charAt(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
