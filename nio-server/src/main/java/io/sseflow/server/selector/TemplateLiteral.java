package io.sseflow.server.selector;

/**
 * Literal text of a URI template, compared character by character (a percent-encoded triplet in it matches the
 * same three characters only). From a few start positions it compares directly; from many it finds every
 * occurrence in one Knuth-Morris-Pratt pass, so a step costs at most the topic's length plus the literal's. Its
 * failure table is built the first time a scan needs it (a benign race: any thread builds the same table).
 */
final class TemplateLiteral extends TemplatePart
{
    private static final int DIRECT_COMPARISONS = 8;

    private final String text;
    private volatile int[] failure;

    TemplateLiteral(final String text)
    {
        this.text = text;
    }

    String text()
    {
        return text;
    }

    @Override
    boolean advance(final CharSequence topic, final int length, final long[] from, final long[] to)
    {
        final String text = this.text;
        final int literalLength = text.length();
        final int lastStart = length - literalLength;
        boolean any = false;
        int comparisons = 0;
        for (int start = nextSetBit(from, 0, lastStart); start >= 0; start = nextSetBit(from, start + 1, lastStart))
        {
            if (++comparisons > DIRECT_COMPARISONS)
            {
                return scan(topic, length, from, to);
            }
            if (regionMatches(topic, start, text))
            {
                set(to, start + literalLength);
                any = true;
            }
        }
        return any;
    }

    private boolean scan(final CharSequence topic, final int length, final long[] from, final long[] to)
    {
        final String text = this.text;
        int[] failure = this.failure;
        if (null == failure)
        {
            failure = failureTable(text);
            this.failure = failure;
        }
        final int literalLength = text.length();
        boolean any = false;
        int matched = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = topic.charAt(i);
            while (matched > 0 && c != text.charAt(matched))
            {
                matched = failure[matched - 1];
            }
            if (c == text.charAt(matched))
            {
                matched++;
            }
            if (matched == literalLength)
            {
                if (isSet(from, i + 1 - literalLength))
                {
                    set(to, i + 1);
                    any = true;
                }
                matched = failure[matched - 1];
            }
        }
        return any;
    }

    private static boolean regionMatches(final CharSequence topic, final int start, final String text)
    {
        for (int i = 0, length = text.length(); i < length; i++)
        {
            if (topic.charAt(start + i) != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static int[] failureTable(final String text)
    {
        final int[] failure = new int[text.length()];
        int matched = 0;
        for (int i = 1; i < text.length(); i++)
        {
            while (matched > 0 && text.charAt(i) != text.charAt(matched))
            {
                matched = failure[matched - 1];
            }
            if (text.charAt(i) == text.charAt(matched))
            {
                matched++;
            }
            failure[i] = matched;
        }
        return failure;
    }
}
