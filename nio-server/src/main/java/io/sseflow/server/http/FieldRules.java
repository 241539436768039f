package io.sseflow.server.http;

import io.sseflow.encoder.SseFields;
import org.agrona.DirectBuffer;

/**
 * Rules for the SSE field values a publisher gives in the query of {@code POST /events/{topic}}: {@code event}
 * and {@code id} must be UTF-8 without CR, LF or NUL (each would end or corrupt the field line), {@code retry}
 * must be ASCII digits that fit an {@code int} of milliseconds.
 */
public final class FieldRules
{
    /**
     * Most digits a {@code retry} value may have: {@code 2147483647} has ten.
     */
    public static final int MAX_RETRY_DIGITS = 10;

    private FieldRules()
    {
    }

    /**
     * Can these bytes be the value of an {@code event:} or {@code id:} field?
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return true when valid UTF-8 holding no CR, LF or NUL.
     */
    public static boolean isValidFieldValue(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (b == '\r' || b == '\n' || b == 0)
            {
                return false;
            }
        }
        return SseFields.isValidUtf8(buffer, offset, length);
    }

    /**
     * Parse a {@code retry} value in milliseconds.
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value; negative or zero is invalid.
     * @return the milliseconds, or -1 when not 1 to 10 ASCII digits or above {@link Integer#MAX_VALUE}.
     */
    public static long parseRetry(final DirectBuffer buffer, final int offset, final int length)
    {
        final long value = AsciiBytes.parseDigits(buffer, offset, length, MAX_RETRY_DIGITS);
        return value <= Integer.MAX_VALUE ? value : -1;
    }
}
