package io.sseflow.server.selector;

/**
 * One part of a parsed URI template, a literal or an expression, as a step of the matcher: given the topic
 * positions where the parts before it can end, it marks the positions where it can end.
 */
abstract class TemplatePart
{
    /**
     * Mark every position of {@code topic} at which this part can end, having started at a position set in
     * {@code from}.
     *
     * @param topic  being matched.
     * @param length of the topic.
     * @param from   bit set of start positions, 0 to {@code length}.
     * @param to     bit set to mark end positions in, cleared by the caller.
     * @return true when at least one end position was marked.
     */
    abstract boolean advance(CharSequence topic, int length, long[] from, long[] to);

    static boolean isSet(final long[] bits, final int index)
    {
        return (bits[index >> 6] & (1L << index)) != 0;
    }

    static void set(final long[] bits, final int index)
    {
        bits[index >> 6] |= 1L << index;
    }

    /**
     * The first set bit at or after {@code fromIndex} and at most {@code lastIndex}.
     *
     * @return the index, or -1 when there is none.
     */
    static int nextSetBit(final long[] bits, final int fromIndex, final int lastIndex)
    {
        if (fromIndex > lastIndex)
        {
            return -1;
        }
        int word = fromIndex >> 6;
        final int lastWord = lastIndex >> 6;
        long bitsOfWord = bits[word] & (-1L << fromIndex);
        while (true)
        {
            if (bitsOfWord != 0)
            {
                final int index = (word << 6) + Long.numberOfTrailingZeros(bitsOfWord);
                return index <= lastIndex ? index : -1;
            }
            if (++word > lastWord)
            {
                return -1;
            }
            bitsOfWord = bits[word];
        }
    }
}
