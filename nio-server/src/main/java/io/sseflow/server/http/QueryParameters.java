package io.sseflow.server.http;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Finds and decodes one parameter of an {@code application/x-www-form-urlencoded} query
 * ({@code a=1&b=x%20y}), without allocating: the value is percent-decoded into a caller's buffer.
 */
public final class QueryParameters
{
    /**
     * The parameter is not in the query.
     */
    public static final int ABSENT = -1;

    /**
     * The parameter's value has a malformed percent-escape, or does not fit the destination.
     */
    public static final int MALFORMED = -2;

    private QueryParameters()
    {
    }

    /**
     * Decode the first parameter with the given name.
     *
     * @param query          holding the query text (without {@code ?}).
     * @param offset         of the query.
     * @param length         of the query.
     * @param name           ASCII parameter name, compared exactly.
     * @param destination    to decode the value into.
     * @param index          in the destination.
     * @param maxValueLength most bytes to decode.
     * @return the decoded length, {@link #ABSENT} or {@link #MALFORMED}.
     */
    public static int decode(
        final DirectBuffer query,
        final int offset,
        final int length,
        final String name,
        final MutableDirectBuffer destination,
        final int index,
        final int maxValueLength)
    {
        final int end = offset + length;
        int start = offset;
        while (start < end)
        {
            int stop = start;
            while (stop < end && query.getByte(stop) != '&')
            {
                stop++;
            }
            int equals = start;
            while (equals < stop && query.getByte(equals) != '=')
            {
                equals++;
            }
            if (AsciiBytes.equals(query, start, equals - start, name))
            {
                return equals == stop ? 0 : decodeValue(query, equals + 1, stop, destination, index, maxValueLength);
            }
            start = stop + 1;
        }
        return ABSENT;
    }

    /**
     * Percent- and plus-decode one name or value of an {@code application/x-www-form-urlencoded} text, as
     * {@link #decode} does for the value it finds.
     *
     * @param source         holding the encoded text.
     * @param offset         of the encoded text.
     * @param length         of the encoded text.
     * @param destination    to decode into.
     * @param index          in the destination.
     * @param maxValueLength most bytes to decode.
     * @return the decoded length, or {@link #MALFORMED}.
     */
    public static int percentDecode(
        final DirectBuffer source,
        final int offset,
        final int length,
        final MutableDirectBuffer destination,
        final int index,
        final int maxValueLength)
    {
        return decodeValue(source, offset, offset + length, destination, index, maxValueLength);
    }

    private static int decodeValue(
        final DirectBuffer query,
        final int from,
        final int to,
        final MutableDirectBuffer destination,
        final int index,
        final int maxValueLength)
    {
        int written = 0;
        for (int i = from; i < to; i++)
        {
            if (written >= maxValueLength)
            {
                return MALFORMED;
            }
            final byte b = query.getByte(i);
            if (b == '%')
            {
                if (i + 2 >= to)
                {
                    return MALFORMED;
                }
                final int high = AsciiBytes.hexValue(query.getByte(i + 1));
                final int low = AsciiBytes.hexValue(query.getByte(i + 2));
                if (high < 0 || low < 0)
                {
                    return MALFORMED;
                }
                destination.putByte(index + written++, (byte)((high << 4) | low));
                i += 2;
            }
            else
            {
                destination.putByte(index + written++, b == '+' ? (byte)' ' : b);
            }
        }
        return written;
    }
}
