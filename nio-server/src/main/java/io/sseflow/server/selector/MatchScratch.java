package io.sseflow.server.selector;

import java.util.Arrays;

/**
 * The two bit sets of topic positions a template match works in, one pair per thread, grown (rarely) for
 * topics longer than any before on that thread, so a match allocates nothing.
 */
final class MatchScratch
{
    private static final ThreadLocal<MatchScratch> SCRATCH = ThreadLocal.withInitial(MatchScratch::new);

    long[] first = new long[words(TopicText.MAX_LENGTH)];
    long[] second = new long[first.length];

    private MatchScratch()
    {
    }

    static MatchScratch forLength(final int topicLength)
    {
        final MatchScratch scratch = SCRATCH.get();
        final int words = words(topicLength);
        if (scratch.first.length < words)
        {
            scratch.first = new long[words];
            scratch.second = new long[words];
        }
        return scratch;
    }

    static int words(final int topicLength)
    {
        return (topicLength >> 6) + 1;
    }

    static void clear(final long[] bits, final int words)
    {
        Arrays.fill(bits, 0, words, 0L);
    }
}
