package io.sseflow.server.mercure;

import io.sseflow.encoder.SseFields;
import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.FieldRules;
import io.sseflow.server.http.QueryParameters;
import io.sseflow.server.selector.TopicText;
import io.sseflow.server.sequencer.EventIds;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * Decodes a Mercure publish body ({@code application/x-www-form-urlencoded}) into a reused
 * {@link MercurePublish}, and validates it as Mercure hubs do: at least one {@code topic} (each checked by
 * {@link TopicText}), no {@code id} or {@code type} with CR, LF or NUL, no {@code id} starting with {@code #},
 * a decimal {@code retry}. Names and values are percent- and plus-decoded ({@code +} is a space); a malformed
 * escape anywhere refuses the body. Unknown fields are ignored. A {@code data} holding line breaks is kept as
 * it is (the encoder writes one {@code data:} line per line).
 * <p>
 * Never throws on the body's bytes: every problem is a {@link MercurePublishOutcome}. Allocates the topics,
 * id and type as strings and nothing else once its scratch buffers have grown to the largest body. Not
 * thread-safe: one per thread.
 */
public final class MercurePublishDecoder
{
    private final FormPairs pairs = new FormPairs();
    private final UnsafeBuffer wrapped = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);

    /**
     * Decode a body held in an array.
     *
     * @param body   holding the body.
     * @param offset of the body.
     * @param length of the body.
     * @param into   the update to fill; reset first.
     * @return {@link MercurePublishOutcome#OK} or the refusal.
     */
    public MercurePublishOutcome decode(
        final byte[] body, final int offset, final int length, final MercurePublish into)
    {
        Objects.checkFromIndexSize(offset, length, body.length);
        if (length == 0)
        {
            into.reset();
            return MercurePublishOutcome.MISSING_TOPIC;
        }
        wrapped.wrap(body, offset, length);
        return decode(wrapped, 0, length, into);
    }

    /**
     * Decode a body held in a buffer.
     *
     * @param body   holding the body.
     * @param offset of the body.
     * @param length of the body.
     * @param into   the update to fill; reset first.
     * @return {@link MercurePublishOutcome#OK} or the refusal.
     */
    public MercurePublishOutcome decode(
        final DirectBuffer body, final int offset, final int length, final MercurePublish into)
    {
        into.reset();
        final UnsafeBuffer scratch = scratch(length);
        final UnsafeBuffer data = into.dataBuffer(length);
        final FormPairs pairs = this.pairs;
        boolean seenData = false;
        boolean seenId = false;
        boolean seenType = false;
        boolean seenRetry = false;
        pairs.reset(body, offset, length);
        while (pairs.next())
        {
            final int nameLength = QueryParameters.percentDecode(
                body, pairs.nameOffset(), pairs.nameLength(), scratch, 0, scratch.capacity());
            if (nameLength == QueryParameters.MALFORMED)
            {
                return MercurePublishOutcome.MALFORMED_ESCAPE;
            }
            final Field field = Field.of(scratch, nameLength);
            final boolean intoData = field == Field.DATA && !seenData;
            final UnsafeBuffer destination = intoData ? data : scratch;
            final int valueLength = QueryParameters.percentDecode(
                body, pairs.valueOffset(), pairs.valueLength(), destination, 0, destination.capacity());
            if (valueLength == QueryParameters.MALFORMED)
            {
                return MercurePublishOutcome.MALFORMED_ESCAPE;
            }

            final MercurePublishOutcome outcome;
            switch (field)
            {
                case TOPIC:
                    outcome = topic(scratch, valueLength, into);
                    break;

                case DATA:
                    outcome = intoData ? data(data, valueLength, into) : MercurePublishOutcome.OK;
                    seenData = true;
                    break;

                case PRIVATE:
                    into.privateUpdate();
                    outcome = MercurePublishOutcome.OK;
                    break;

                case ID:
                    outcome = seenId ? MercurePublishOutcome.OK : id(scratch, valueLength, into);
                    seenId = true;
                    break;

                case TYPE:
                    outcome = seenType ? MercurePublishOutcome.OK : type(scratch, valueLength, into);
                    seenType = true;
                    break;

                case RETRY:
                    outcome = seenRetry ? MercurePublishOutcome.OK : retry(scratch, valueLength, into);
                    seenRetry = true;
                    break;

                case OTHER:
                default:
                    outcome = MercurePublishOutcome.OK;
                    break;
            }
            if (outcome != MercurePublishOutcome.OK)
            {
                return outcome;
            }
        }
        return into.topicCount() == 0 ? MercurePublishOutcome.MISSING_TOPIC : MercurePublishOutcome.OK;
    }

    private static MercurePublishOutcome topic(final UnsafeBuffer value, final int length, final MercurePublish into)
    {
        switch (TopicText.check(value, 0, length))
        {
            case EMPTY:
                return MercurePublishOutcome.EMPTY_TOPIC;

            case TOO_LONG:
                return MercurePublishOutcome.TOPIC_TOO_LONG;

            case NOT_UTF8:
                return MercurePublishOutcome.TOPIC_NOT_UTF8;

            case CONTROL_CHARACTER:
                return MercurePublishOutcome.TOPIC_CONTROL_CHARACTER;

            case NONE:
            default:
                return into.addTopic(MercurePublish.utf8(value, 0, length)) ?
                    MercurePublishOutcome.OK : MercurePublishOutcome.TOO_MANY_TOPICS;
        }
    }

    private static MercurePublishOutcome data(final UnsafeBuffer value, final int length, final MercurePublish into)
    {
        if (!SseFields.isValidUtf8(value, 0, length))
        {
            return MercurePublishOutcome.DATA_NOT_UTF8;
        }
        into.dataLength(length);
        return MercurePublishOutcome.OK;
    }

    private static MercurePublishOutcome id(final UnsafeBuffer value, final int length, final MercurePublish into)
    {
        if (length == 0)
        {
            return MercurePublishOutcome.OK;
        }
        if (length > MercurePublish.MAX_ID_LENGTH)
        {
            return MercurePublishOutcome.ID_TOO_LONG;
        }
        if (!FieldRules.isValidFieldValue(value, 0, length))
        {
            return MercurePublishOutcome.INVALID_ID;
        }
        if (value.getByte(0) == '#')
        {
            return MercurePublishOutcome.ID_STARTS_WITH_HASH;
        }
        if (!EventIds.isAllowedFromPublisher(value, 0, length))
        {
            return MercurePublishOutcome.ID_OUT_OF_RANGE;
        }
        into.id(MercurePublish.utf8(value, 0, length));
        return MercurePublishOutcome.OK;
    }

    private static MercurePublishOutcome type(final UnsafeBuffer value, final int length, final MercurePublish into)
    {
        if (length == 0)
        {
            return MercurePublishOutcome.OK;
        }
        if (length > MercurePublish.MAX_TYPE_LENGTH)
        {
            return MercurePublishOutcome.TYPE_TOO_LONG;
        }
        if (!FieldRules.isValidFieldValue(value, 0, length))
        {
            return MercurePublishOutcome.INVALID_TYPE;
        }
        into.type(MercurePublish.utf8(value, 0, length));
        return MercurePublishOutcome.OK;
    }

    private static MercurePublishOutcome retry(final UnsafeBuffer value, final int length, final MercurePublish into)
    {
        if (length == 0)
        {
            return MercurePublishOutcome.OK;
        }
        final long retry = FieldRules.parseRetry(value, 0, length);
        if (retry < 0)
        {
            return MercurePublishOutcome.INVALID_RETRY;
        }
        into.retry(retry);
        return MercurePublishOutcome.OK;
    }

    private UnsafeBuffer scratch(final int capacity)
    {
        if (scratch.capacity() < capacity)
        {
            scratch.wrap(new byte[Math.max(capacity, scratch.capacity() + (scratch.capacity() >> 1))]);
        }
        return scratch;
    }

    private enum Field
    {
        TOPIC, DATA, PRIVATE, ID, TYPE, RETRY, OTHER;

        static Field of(final DirectBuffer name, final int length)
        {
            switch (length)
            {
                case 2:
                    return AsciiBytes.equals(name, 0, length, "id") ? ID : OTHER;

                case 4:
                    return AsciiBytes.equals(name, 0, length, "data") ? DATA :
                        AsciiBytes.equals(name, 0, length, "type") ? TYPE : OTHER;

                case 5:
                    return AsciiBytes.equals(name, 0, length, "topic") ? TOPIC :
                        AsciiBytes.equals(name, 0, length, "retry") ? RETRY : OTHER;

                case 7:
                    return AsciiBytes.equals(name, 0, length, "private") ? PRIVATE : OTHER;

                default:
                    return OTHER;
            }
        }
    }
}
