package io.sseflow.server.selector;

/**
 * A fuzz test's topic for its reference regex, read at most {@link #MAX_READS} times: a backtracking
 * {@code java.util.regex} can take exponential time on some inputs (nested groups of a template's regex took minutes
 * in CI; optional URL-pattern wildcards in a row, 53 s), while the selectors under test cannot backtrack. The test
 * skips an input on which the reference gave up ({@link Exhausted}).
 */
final class BoundedChars implements CharSequence
{
    private static final int MAX_READS = 1_000_000;
    private final String text;
    private int reads;

    BoundedChars(final String text)
    {
        this.text = text;
    }

    public int length()
    {
        return text.length();
    }

    public char charAt(final int index)
    {
        if (++reads > MAX_READS)
        {
            throw new Exhausted();
        }
        return text.charAt(index);
    }

    public CharSequence subSequence(final int start, final int end)
    {
        return text.subSequence(start, end);
    }

    public String toString()
    {
        return text;
    }

    /**
     * The reference regex read the topic {@link #MAX_READS} times: it has no answer to compare with.
     */
    static final class Exhausted extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Exhausted()
        {
            super("reference regex gave up", null, false, false);
        }
    }
}
