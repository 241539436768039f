package io.sseflow.server.selector;

import io.sseflow.encoder.SseFields;
import org.agrona.DirectBuffer;

/**
 * The rule every topic and every topic selector follows: 1 to {@link #MAX_LENGTH} bytes of UTF-8 with no C0
 * control character and no DEL. Topics are otherwise any IRI or string. Checked without allocating, on the
 * decoded bytes of a request or on characters.
 */
public final class TopicText
{
    /**
     * Most bytes (UTF-8) of a topic or a topic selector.
     */
    public static final int MAX_LENGTH = 2048;

    private TopicText()
    {
    }

    /**
     * Check decoded UTF-8 bytes.
     *
     * @param buffer holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return {@link TopicTextProblem#NONE} or what is wrong.
     */
    public static TopicTextProblem check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return TopicTextProblem.EMPTY;
        }
        if (length > MAX_LENGTH)
        {
            return TopicTextProblem.TOO_LONG;
        }
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if ((b >= 0 && b < 0x20) || b == 0x7F)
            {
                return TopicTextProblem.CONTROL_CHARACTER;
            }
        }
        return SseFields.isValidUtf8(buffer, offset, length) ? TopicTextProblem.NONE : TopicTextProblem.NOT_UTF8;
    }

    /**
     * Check characters, counting their length in UTF-8.
     *
     * @param text to check.
     * @return {@link TopicTextProblem#NONE} or what is wrong.
     */
    public static TopicTextProblem check(final CharSequence text)
    {
        final int length = text.length();
        if (length == 0)
        {
            return TopicTextProblem.EMPTY;
        }
        if (length > MAX_LENGTH)
        {
            return TopicTextProblem.TOO_LONG;
        }
        int utf8Length = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F)
            {
                return TopicTextProblem.CONTROL_CHARACTER;
            }
            if (c < 0x80)
            {
                utf8Length++;
            }
            else if (c < 0x800)
            {
                utf8Length += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                utf8Length += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                return TopicTextProblem.NOT_UTF8;
            }
            else
            {
                utf8Length += 3;
            }
        }
        return utf8Length > MAX_LENGTH ? TopicTextProblem.TOO_LONG : TopicTextProblem.NONE;
    }
}
