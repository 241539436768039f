package io.sseflow.server.http;

import org.agrona.DirectBuffer;

/**
 * Comparisons of ASCII bytes in a buffer against constants, without decoding to {@code String}.
 */
public final class AsciiBytes
{
    private AsciiBytes()
    {
    }

    /**
     * Exact comparison.
     *
     * @param buffer   holding the bytes.
     * @param offset   of the bytes.
     * @param length   of the bytes.
     * @param expected ASCII text.
     * @return true when equal.
     */
    public static boolean equals(final DirectBuffer buffer, final int offset, final int length, final String expected)
    {
        if (length != expected.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)expected.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * ASCII case-insensitive comparison.
     *
     * @param buffer        holding the bytes.
     * @param offset        of the bytes.
     * @param length        of the bytes.
     * @param lowerExpected lower-case ASCII text.
     * @return true when equal ignoring ASCII case.
     */
    public static boolean equalsIgnoreCase(
        final DirectBuffer buffer, final int offset, final int length, final String lowerExpected)
    {
        if (length != lowerExpected.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (toLower(buffer.getByte(offset + i)) != (byte)lowerExpected.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Does a comma-separated header value hold a token, ignoring ASCII case (as in {@code Connection: close})?
     *
     * @param buffer     holding the value.
     * @param offset     of the value.
     * @param length     of the value.
     * @param lowerToken lower-case token.
     * @return true when one of the list elements is the token.
     */
    public static boolean containsToken(
        final DirectBuffer buffer, final int offset, final int length, final String lowerToken)
    {
        final int end = offset + length;
        int start = offset;
        while (start < end)
        {
            int stop = start;
            while (stop < end && buffer.getByte(stop) != ',')
            {
                stop++;
            }
            int from = start;
            int to = stop;
            while (from < to && isWhitespace(buffer.getByte(from)))
            {
                from++;
            }
            while (to > from && isWhitespace(buffer.getByte(to - 1)))
            {
                to--;
            }
            if (equalsIgnoreCase(buffer, from, to - from, lowerToken))
            {
                return true;
            }
            start = stop + 1;
        }
        return false;
    }

    /**
     * ASCII lower case.
     *
     * @param b a byte.
     * @return the byte, lower-cased when it is an ASCII upper-case letter.
     */
    public static byte toLower(final byte b)
    {
        return b >= 'A' && b <= 'Z' ? (byte)(b + ('a' - 'A')) : b;
    }

    /**
     * Parse an unsigned decimal number of ASCII digits only: no sign, no whitespace.
     *
     * @param buffer    holding the digits.
     * @param offset    of the first digit.
     * @param length    of the digits.
     * @param maxDigits longest accepted run of digits (at most 18, so the value fits a {@code long}).
     * @return the value, or -1 when empty, longer than {@code maxDigits} or not all digits.
     */
    public static long parseDigits(final DirectBuffer buffer, final int offset, final int length, final int maxDigits)
    {
        if (length < 1 || length > maxDigits)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = buffer.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\t';
    }

    /**
     * Value of a hexadecimal digit, either case.
     *
     * @param b the ASCII byte.
     * @return 0 to 15, or -1 when it is not a hex digit.
     */
    public static int hexValue(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }
}
