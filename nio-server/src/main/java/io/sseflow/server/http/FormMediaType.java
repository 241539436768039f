package io.sseflow.server.http;

import org.agrona.DirectBuffer;

/**
 * Recognises the media type {@code application/x-www-form-urlencoded} in a {@code Content-Type} value (RFC 9110
 * section 8.3.1: type and subtype compared without regard to case, parameters after {@code ;} such as
 * {@code charset} ignored). It cannot tell whether the body really is form-encoded: the form decoder does.
 */
public final class FormMediaType
{
    /**
     * The media type, lower case.
     */
    public static final String NAME = "application/x-www-form-urlencoded";

    private FormMediaType()
    {
    }

    /**
     * Is this {@code Content-Type} value the form media type?
     *
     * @param buffer holding the value.
     * @param offset of the value (trimmed of optional whitespace), or -1 when the field is absent.
     * @param length of the value.
     * @return true for {@code application/x-www-form-urlencoded}, with or without parameters.
     */
    public static boolean matches(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0)
        {
            return false;
        }
        int end = offset;
        final int limit = offset + length;
        while (end < limit && buffer.getByte(end) != ';')
        {
            end++;
        }
        while (end > offset && (buffer.getByte(end - 1) == ' ' || buffer.getByte(end - 1) == '\t'))
        {
            end--;
        }
        return AsciiBytes.equalsIgnoreCase(buffer, offset, end - offset, NAME);
    }
}
