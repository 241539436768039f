package io.sseflow.server.agent;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The pieces of the Prometheus text format that {@code /metrics} is written from, without allocating: a line of a
 * pre-encoded prefix and a whole number, a line of a prefix and a number of seconds, and the encoding of the prefixes.
 */
final class PrometheusText
{
    private PrometheusText()
    {
    }

    /**
     * Write {@code prefix value\n}.
     *
     * @return bytes written.
     */
    static int putLine(final MutableDirectBuffer buffer, final int index, final byte[] prefix, final long value)
    {
        int position = index;
        buffer.putBytes(position, prefix);
        position += prefix.length;
        position += buffer.putLongAscii(position, value);
        buffer.putByte(position++, (byte)'\n');
        return position - index;
    }

    /**
     * Write a line whose value is {@code amount / unitsPerSecond} seconds, with as many decimals as the unit has (a
     * negative amount is written as 0).
     *
     * @return bytes written.
     */
    static int putSeconds(
        final MutableDirectBuffer buffer, final int index, final byte[] prefix, final long amount,
        final long unitsPerSecond)
    {
        int position = index;
        buffer.putBytes(position, prefix);
        position += prefix.length;
        final long value = Math.max(0, amount);
        position += buffer.putLongAscii(position, value / unitsPerSecond);
        buffer.putByte(position++, (byte)'.');
        final long fraction = value % unitsPerSecond;
        for (long unit = unitsPerSecond / 10; unit > 0; unit /= 10)
        {
            buffer.putByte(position++, (byte)('0' + (fraction / unit) % 10));
        }
        buffer.putByte(position++, (byte)'\n');
        return position - index;
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
