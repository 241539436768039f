package io.sseflow.benchmarks.encoder;

/**
 * The three events every contender encodes, identical for all of them.
 * <ul>
 *     <li>(a) {@link #TEXT_100}: about 100 characters of ASCII text, default options (no id, no event name);</li>
 *     <li>(b) {@link #TRADE}: a six-field object as JSON, with numeric id {@link #ID} and event name
 *     {@link #EVENT_NAME};</li>
 *     <li>(c) {@link #TEXT_4K}: 4096 characters of text in 64 LF-separated lines, default options.</li>
 * </ul>
 */
public final class EncoderEvents
{
    /** Event (a). */
    public static final String TEXT_100 =
        "Order 4711 filled: 250 shares of ACME at 187.25 on XNAS, nothing left; client reference A-2026-000913.";

    /** Event (b)'s data. */
    public static final Trade TRADE = new Trade("ACME", "XNAS", "desk-7/jane.doe", 9_876_543_210L, 187.25, true);

    /** Event (b)'s id. */
    public static final long ID = 1_234_567L;

    /** Event (b)'s event name. */
    public static final String EVENT_NAME = "trade";

    /** Event (c). */
    public static final String TEXT_4K = multiLineText(4096, 64);

    private EncoderEvents()
    {
    }

    /**
     * Deterministic log-like text of exactly {@code length} chars in {@code lineLength}-char lines (LF included).
     *
     * @param length     total chars.
     * @param lineLength chars per line including its LF.
     * @return the text; the last line ends without a line break.
     */
    static String multiLineText(final int length, final int lineLength)
    {
        final String words = "event stream frame data line subscriber cursor topic history replay ";
        final StringBuilder text = new StringBuilder(length);
        int line = 0;
        while (text.length() < length)
        {
            final StringBuilder current = new StringBuilder(lineLength);
            current.append(String.format("%04d ", line));
            int w = line * 7;
            while (current.length() < lineLength - 1)
            {
                current.append(words.charAt(w++ % words.length()));
            }
            text.append(current);
            if (text.length() < length)
            {
                text.append('\n');
            }
            line++;
        }
        text.setLength(length);
        if (text.charAt(length - 1) == '\n')
        {
            text.setCharAt(length - 1, '.');
        }
        return text.toString();
    }
}
