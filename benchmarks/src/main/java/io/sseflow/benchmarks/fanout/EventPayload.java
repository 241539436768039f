package io.sseflow.benchmarks.fanout;

import java.nio.ByteBuffer;

/**
 * The data of every measured event, fixed width so a publish request is a constant template with digits patched
 * in place:
 * <pre>
 *   0          10 11                  30 31 ...
 *   +----------+-+--------------------+-+--------------------+
 *   |  sequence| |  publish time (ns) | |  padding 'x'...    |
 *   +----------+-+--------------------+-+--------------------+
 * </pre>
 * The sequence counts from 0 on each topic; the publish time is {@link System#nanoTime()} minus {@link #EPOCH_NS},
 * both read in the load process where publisher and client live. A warm-up event's data is the single byte
 * {@code w}.
 */
final class EventPayload
{
    /** Width of the zero-padded sequence number. */
    static final int SEQUENCE_DIGITS = 10;
    /** Width of the zero-padded publish time. */
    static final int TIME_DIGITS = 19;
    /** Offset of the publish time in the payload. */
    static final int TIME_OFFSET = SEQUENCE_DIGITS + 1;
    /** Smallest payload: sequence, space, time, space. */
    static final int MIN_LENGTH = TIME_OFFSET + TIME_DIGITS + 1;
    /** Data of a warm-up event. */
    static final byte WARM_UP = 'w';
    /** Origin of the publish times, shared by publisher and client in this process. */
    static final long EPOCH_NS = System.nanoTime();

    private EventPayload()
    {
    }

    /**
     * Current time relative to {@link #EPOCH_NS}.
     *
     * @return nanoseconds since the epoch of this process's publish times.
     */
    static long now()
    {
        return System.nanoTime() - EPOCH_NS;
    }

    /**
     * Write a payload template: zero digits and padding.
     *
     * @param buffer destination.
     * @param index  where the payload starts.
     * @param length payload length, at least {@link #MIN_LENGTH}.
     */
    static void writeTemplate(final ByteBuffer buffer, final int index, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.put(index + i, (byte)'x');
        }
        putDigits(buffer, index, SEQUENCE_DIGITS, 0);
        buffer.put(index + SEQUENCE_DIGITS, (byte)' ');
        putDigits(buffer, index + TIME_OFFSET, TIME_DIGITS, 0);
        buffer.put(index + TIME_OFFSET + TIME_DIGITS, (byte)' ');
    }

    /**
     * Patch the sequence and time into a payload written by {@link #writeTemplate(ByteBuffer, int, int)}.
     *
     * @param buffer   holding the template.
     * @param index    where the payload starts.
     * @param sequence event sequence number.
     * @param timeNs   publish time from {@link #now()}.
     */
    static void patch(final ByteBuffer buffer, final int index, final long sequence, final long timeNs)
    {
        putDigits(buffer, index, SEQUENCE_DIGITS, sequence);
        putDigits(buffer, index + TIME_OFFSET, TIME_DIGITS, timeNs);
    }

    private static void putDigits(final ByteBuffer buffer, final int index, final int width, final long value)
    {
        long v = value;
        for (int i = width - 1; i >= 0; i--)
        {
            buffer.put(index + i, (byte)('0' + (v % 10)));
            v /= 10;
        }
    }
}
