package io.sseflow.server.sequencer;

import io.sseflow.server.http.AsciiBytes;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one publish record as it travels from a publisher to the server agent through an
 * {@link EventSequencer}: every writer (a {@code Topic.publish} on an application thread, an HTTP publish on the
 * agent) and every reader (the sequencer, the agent) goes through it. The publisher has already done the expensive
 * work (JSON, UTF-8, splitting the data into {@code data:} lines, the {@code retry:} and {@code event:} fields);
 * the agent only adds the {@code id:} field and copies the bytes into the topic's log. Little-endian, as Agrona's
 * buffers are.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Correlation Id (0 = none)                  |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Numeric Id (valid with FLAG_NUMERIC_ID)         |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Topic Index                          | 16
 *  +---------------------------------------------------------------+
 *  |                             Flags                             | 20
 *  +---------------------------------------------------------------+
 *  |             Id Length (publisher's id text, 0 if none)        | 24
 *  +---------------------------------------------------------------+
 *  |          Prefix Length ("retry: N\n" and "event: E\n")        | 28
 *  +---------------------------------------------------------------+
 *  |               Data Length ("data: ...\n" lines)               | 32
 *  +---------------------------------------------------------------+
 *  |  Id text (UTF-8) ...   |  Prefix ...   |  Data lines ...     ... 36
 *  +---------------------------------------------------------------+
 * </pre>
 * With {@link #FLAG_MORE_TOPICS} (a Mercure update of several topics) the data lines are followed by the count of
 * further topics and their indexes, one int each: the event is one event of all of them, with one seq and one id.
 * <p>
 * A writer wraps a {@link MutableDirectBuffer} (the space a sequencer claimed), sets the three lengths first, then
 * writes the variable parts at {@link #idOffset()}, {@link #prefixOffset()} and {@link #dataOffset()}; a reader may
 * wrap a read-only {@link DirectBuffer}, and then the setters throw {@link IllegalStateException}. Not
 * thread-safe: one per thread.
 */
public final class PublishRecord
{
    /**
     * The publisher gave an id: its text follows the header.
     */
    public static final int FLAG_HAS_ID = 1;

    /**
     * The publisher's id is a canonical decimal number ({@code 0} or no leading zero, at most
     * {@link #MAX_NUMERIC_ID_DIGITS} digits), also held in the numeric id field.
     */
    public static final int FLAG_NUMERIC_ID = 2;

    /**
     * The publisher's id names the event across topics (a Mercure update's id, given or generated): streams of
     * several topics keep it, where an id that counts within one topic is replaced by the event's seq.
     */
    public static final int FLAG_HUB_ID = 4;

    /**
     * A private update: delivered only to streams whose private-update selectors match one of its topics, and
     * kept in no topic's own log.
     */
    public static final int FLAG_PRIVATE = 8;

    /**
     * The record names further topics after its data lines: an int count, then that many topic indexes.
     */
    public static final int FLAG_MORE_TOPICS = 16;

    /**
     * A hub's own update that no sequencer keeps state for (presence's): decided (a seq) and delivered, but a durable
     * sequencer's state machine holds no topic for it and retains it nowhere, so its topic can be freed by the agent
     * as an in-memory hub's can; it must have one topic and a text id (never checked against retained ids).
     */
    public static final int FLAG_TRANSIENT = 32;

    /**
     * The last update of its topic (presence's end of a subscription): once delivered, an agent may free the topic
     * when it needs the slot.
     */
    public static final int FLAG_ENDS_TOPIC = 64;

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

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * A flyweight over no buffer until {@code wrap}ped.
     */
    public PublishRecord()
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
     * Length of a record naming further topics ({@link #FLAG_MORE_TOPICS}).
     *
     * @param idLength       bytes of the publisher's id text.
     * @param prefixLength   bytes of the pre-encoded {@code retry:}/{@code event:} fields.
     * @param dataLength     bytes of the {@code data:} lines.
     * @param moreTopicCount topics besides {@link #topicIndex()}; 0 for none (then no list follows).
     * @return total record length.
     */
    public static int recordLength(
        final int idLength, final int prefixLength, final int dataLength, final int moreTopicCount)
    {
        return recordLength(idLength, prefixLength, dataLength) +
            (moreTopicCount > 0 ? BitUtil.SIZE_OF_INT * (1 + moreTopicCount) : 0);
    }

    /**
     * Parse an event id as a number: a canonical decimal, {@code 0} or digits without a leading zero, at most
     * {@link #MAX_NUMERIC_ID_DIGITS} of them. Anything else is a text id ({@code 007} is not the id {@code 7}).
     *
     * @param buffer holding the id text.
     * @param offset of the text.
     * @param length of the text.
     * @return the value, or -1 when the text is not a canonical decimal.
     */
    public static long parseNumericId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > 1 && buffer.getByte(offset) == '0')
        {
            return -1;
        }
        return AsciiBytes.parseDigits(buffer, offset, length, MAX_NUMERIC_ID_DIGITS);
    }

    /**
     * Wrap a record to write (and read).
     *
     * @param buffer holding the record.
     * @param offset where the record starts.
     * @return this.
     */
    public PublishRecord wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Wrap a record to read only.
     *
     * @param buffer holding the record.
     * @param offset where the record starts.
     * @return this.
     */
    public PublishRecord wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = null;
        this.offset = offset;
        return this;
    }

    /**
     * The buffer wrapped.
     *
     * @return the buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Where the record starts in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * The correlation id.
     *
     * @return the value, 0 for none.
     */
    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET);
    }

    /**
     * Set the correlation id.
     *
     * @param correlationId the value, 0 for none.
     * @return this.
     */
    public PublishRecord correlationId(final long correlationId)
    {
        mutable().putLong(offset + CORRELATION_ID_OFFSET, correlationId);
        return this;
    }

    /**
     * The publisher's id as a number; meaningful only when {@link #isNumericId()}.
     *
     * @return the value.
     */
    public long numericId()
    {
        return buffer.getLong(offset + NUMERIC_ID_OFFSET);
    }

    /**
     * Set the numeric id field.
     *
     * @param numericId the value.
     * @return this.
     */
    public PublishRecord numericId(final long numericId)
    {
        mutable().putLong(offset + NUMERIC_ID_OFFSET, numericId);
        return this;
    }

    /**
     * The topic's index in its server.
     *
     * @return the index.
     */
    public int topicIndex()
    {
        return buffer.getInt(offset + TOPIC_INDEX_OFFSET);
    }

    /**
     * Set the topic index.
     *
     * @param topicIndex the index.
     * @return this.
     */
    public PublishRecord topicIndex(final int topicIndex)
    {
        mutable().putInt(offset + TOPIC_INDEX_OFFSET, topicIndex);
        return this;
    }

    /**
     * The flags: {@link #FLAG_HAS_ID}, {@link #FLAG_NUMERIC_ID}.
     *
     * @return the flags.
     */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET);
    }

    /**
     * Set the flags.
     *
     * @param flags {@link #FLAG_HAS_ID}, {@link #FLAG_NUMERIC_ID}.
     * @return this.
     */
    public PublishRecord flags(final int flags)
    {
        mutable().putInt(offset + FLAGS_OFFSET, flags);
        return this;
    }

    /**
     * Did the publisher give an id?
     *
     * @return true with {@link #FLAG_HAS_ID}.
     */
    public boolean hasId()
    {
        return (flags() & FLAG_HAS_ID) != 0;
    }

    /**
     * Is the publisher's id a canonical decimal, held in {@link #numericId()}?
     *
     * @return true with {@link #FLAG_NUMERIC_ID}.
     */
    public boolean isNumericId()
    {
        return (flags() & FLAG_NUMERIC_ID) != 0;
    }

    /**
     * Bytes of the publisher's id text.
     *
     * @return the length, 0 when none.
     */
    public int idLength()
    {
        return buffer.getInt(offset + ID_LENGTH_OFFSET);
    }

    /**
     * Set the id text length.
     *
     * @param idLength bytes.
     * @return this.
     */
    public PublishRecord idLength(final int idLength)
    {
        mutable().putInt(offset + ID_LENGTH_OFFSET, idLength);
        return this;
    }

    /**
     * Bytes of the pre-encoded {@code retry:} and {@code event:} fields.
     *
     * @return the length.
     */
    public int prefixLength()
    {
        return buffer.getInt(offset + PREFIX_LENGTH_OFFSET);
    }

    /**
     * Set the prefix length.
     *
     * @param prefixLength bytes.
     * @return this.
     */
    public PublishRecord prefixLength(final int prefixLength)
    {
        mutable().putInt(offset + PREFIX_LENGTH_OFFSET, prefixLength);
        return this;
    }

    /**
     * Bytes of the {@code data:} lines.
     *
     * @return the length.
     */
    public int dataLength()
    {
        return buffer.getInt(offset + DATA_LENGTH_OFFSET);
    }

    /**
     * Set the data lines length.
     *
     * @param dataLength bytes.
     * @return this.
     */
    public PublishRecord dataLength(final int dataLength)
    {
        mutable().putInt(offset + DATA_LENGTH_OFFSET, dataLength);
        return this;
    }

    /**
     * Where the id text starts.
     *
     * @return offset in {@link #buffer()}.
     */
    public int idOffset()
    {
        return offset + HEADER_LENGTH;
    }

    /**
     * Where the prefix starts, right after the id text.
     *
     * @return offset in {@link #buffer()}.
     */
    public int prefixOffset()
    {
        return idOffset() + idLength();
    }

    /**
     * Where the data lines start, right after the prefix.
     *
     * @return offset in {@link #buffer()}.
     */
    public int dataOffset()
    {
        return prefixOffset() + prefixLength();
    }

    /**
     * Length of the whole record, from its three lengths.
     *
     * @return bytes.
     */
    public int recordLength()
    {
        return recordLength(idLength(), prefixLength(), dataLength(), moreTopicCount());
    }

    /**
     * Does the update's id name it across topics?
     *
     * @return true with {@link #FLAG_HUB_ID}.
     */
    public boolean isHubId()
    {
        return (flags() & FLAG_HUB_ID) != 0;
    }

    /**
     * Is this a private update?
     *
     * @return true with {@link #FLAG_PRIVATE}.
     */
    public boolean isPrivate()
    {
        return (flags() & FLAG_PRIVATE) != 0;
    }

    /**
     * Is this an update no sequencer keeps state for?
     *
     * @return true with {@link #FLAG_TRANSIENT}.
     */
    public boolean isTransient()
    {
        return (flags() & FLAG_TRANSIENT) != 0;
    }

    /**
     * Is this the last update of its topic?
     *
     * @return true with {@link #FLAG_ENDS_TOPIC}.
     */
    public boolean endsTopic()
    {
        return (flags() & FLAG_ENDS_TOPIC) != 0;
    }

    /**
     * How many topics the record names besides {@link #topicIndex()}.
     *
     * @return 0 without {@link #FLAG_MORE_TOPICS}.
     */
    public int moreTopicCount()
    {
        return (flags() & FLAG_MORE_TOPICS) != 0 ? buffer.getInt(moreTopicsOffset()) : 0;
    }

    /**
     * One of the further topics.
     *
     * @param i 0 to {@link #moreTopicCount()} - 1.
     * @return that topic's index.
     */
    public int moreTopic(final int i)
    {
        return buffer.getInt(moreTopicsOffset() + BitUtil.SIZE_OF_INT * (1 + i));
    }

    /**
     * Write the list of further topics after the data lines and set {@link #FLAG_MORE_TOPICS}; the lengths must be
     * set first.
     *
     * @param topicIndexes holding the indexes.
     * @param count        how many, at least 1.
     * @return this.
     */
    public PublishRecord moreTopics(final int[] topicIndexes, final int count)
    {
        final MutableDirectBuffer buffer = mutable();
        final int at = moreTopicsOffset();
        buffer.putInt(at, count);
        for (int i = 0; i < count; i++)
        {
            buffer.putInt(at + BitUtil.SIZE_OF_INT * (1 + i), topicIndexes[i]);
        }
        return flags(flags() | FLAG_MORE_TOPICS);
    }

    private int moreTopicsOffset()
    {
        return dataOffset() + dataLength();
    }

    /**
     * Bytes the agent copies into the frame after its {@code id:} field: the prefix and the data lines.
     *
     * @return bytes.
     */
    public int bodyLength()
    {
        return prefixLength() + dataLength();
    }

    /**
     * Write the whole header at once; the id text, prefix and data lines go at their offsets afterwards.
     *
     * @param correlationId 0 for none.
     * @param topicIndex    the topic's index.
     * @param idLength      bytes of the id text, 0 for none.
     * @param prefixLength  bytes of the {@code retry:}/{@code event:} fields.
     * @param dataLength    bytes of the {@code data:} lines.
     * @return this.
     */
    public PublishRecord header(
        final long correlationId, final int topicIndex, final int idLength, final int prefixLength, final int dataLength)
    {
        final MutableDirectBuffer buffer = mutable();
        final int offset = this.offset;
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId);
        buffer.putLong(offset + NUMERIC_ID_OFFSET, 0);
        buffer.putInt(offset + TOPIC_INDEX_OFFSET, topicIndex);
        buffer.putInt(offset + FLAGS_OFFSET, 0);
        buffer.putInt(offset + ID_LENGTH_OFFSET, idLength);
        buffer.putInt(offset + PREFIX_LENGTH_OFFSET, prefixLength);
        buffer.putInt(offset + DATA_LENGTH_OFFSET, dataLength);
        return this;
    }

    /**
     * Set the id flags and numeric id from the id text already written at {@link #idOffset()}: none when
     * {@link #idLength()} is 0, {@link #FLAG_HAS_ID}, and {@link #FLAG_NUMERIC_ID} with its value when the text is a
     * canonical decimal ({@link #parseNumericId}).
     *
     * @return this.
     */
    public PublishRecord classifyId()
    {
        final int idLength = idLength();
        if (idLength > 0)
        {
            final long numericId = parseNumericId(buffer, idOffset(), idLength);
            if (numericId >= 0)
            {
                numericId(numericId).flags(FLAG_HAS_ID | FLAG_NUMERIC_ID);
            }
            else
            {
                numericId(0).flags(FLAG_HAS_ID);
            }
        }
        else
        {
            numericId(0).flags(0);
        }
        return this;
    }

    private MutableDirectBuffer mutable()
    {
        final MutableDirectBuffer mutableBuffer = this.mutableBuffer;
        if (null == mutableBuffer)
        {
            throw new IllegalStateException("publish record wrapped read-only");
        }
        return mutableBuffer;
    }
}
