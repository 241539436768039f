package io.sseflow.server.mercure;

import org.agrona.DirectBuffer;

/**
 * Walks the {@code name=value} pairs of an {@code application/x-www-form-urlencoded} text, still encoded:
 * pairs are separated by {@code &}, empty pairs skipped, a pair without {@code =} has an empty value.
 * Reusable; allocates nothing.
 */
final class FormPairs
{
    private DirectBuffer buffer;
    private int position;
    private int end;
    private int nameOffset;
    private int nameLength;
    private int valueOffset;
    private int valueLength;

    void reset(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        position = offset;
        end = offset + length;
    }

    /**
     * Move to the next non-empty pair.
     *
     * @return false when there is none.
     */
    boolean next()
    {
        final DirectBuffer buffer = this.buffer;
        while (position < end)
        {
            final int start = position;
            int stop = start;
            while (stop < end && buffer.getByte(stop) != '&')
            {
                stop++;
            }
            position = stop + 1;
            if (stop == start)
            {
                continue;
            }
            int equals = start;
            while (equals < stop && buffer.getByte(equals) != '=')
            {
                equals++;
            }
            nameOffset = start;
            nameLength = equals - start;
            valueOffset = Math.min(equals + 1, stop);
            valueLength = stop - valueOffset;
            return true;
        }
        return false;
    }

    int nameOffset()
    {
        return nameOffset;
    }

    int nameLength()
    {
        return nameLength;
    }

    int valueOffset()
    {
        return valueOffset;
    }

    int valueLength()
    {
        return valueLength;
    }
}
