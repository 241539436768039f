package io.sseflow.encoder;

import java.util.SplittableRandom;

/**
 * Generates text that stresses SSE framing: line breaks of every kind, unicode, surrogates, colons and spaces.
 */
final class RandomText
{
    private static final String[] PIECES = {
        "\n", "\r", "\r\n", "\n\r", " ", "  ", ":", ": ", "data: ", "id: 1", "event", "a", "Zz9", "é", "€", "日本",
        "\uD83D\uDE00", "\u2028", "\u0085", "\u0000", "\t", "\\", "\"", "{}", "",
    };

    private RandomText()
    {
    }

    /**
     * Text of valid UTF-16 (no lone surrogates).
     */
    static String validText(final SplittableRandom random, final int maxPieces)
    {
        final StringBuilder text = new StringBuilder();
        final int pieces = random.nextInt(maxPieces + 1);
        for (int i = 0; i < pieces; i++)
        {
            if (random.nextInt(8) == 0)
            {
                int codePoint;
                do
                {
                    codePoint = random.nextInt(0x20, 0x110000);
                }
                while (Character.getType(codePoint) == Character.SURROGATE);
                text.appendCodePoint(codePoint);
            }
            else
            {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return text.toString();
    }

    /**
     * ASCII text full of line breaks of every kind.
     */
    static String asciiText(final SplittableRandom random, final int maxPieces)
    {
        final String[] pieces = {"\n", "\r", "\r\n", "\n\r", " ", ":", "data: ", "a", "Zz9", "", "\t"};
        final StringBuilder text = new StringBuilder();
        final int count = random.nextInt(maxPieces + 1);
        for (int i = 0; i < count; i++)
        {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    /**
     * Text that may also hold lone surrogates.
     */
    static String anyText(final SplittableRandom random, final int maxPieces)
    {
        final StringBuilder text = new StringBuilder(validText(random, maxPieces));
        if (text.length() > 0 && random.nextBoolean())
        {
            text.insert(random.nextInt(text.length()), random.nextBoolean() ? '\uD800' : '\uDC00');
        }
        return text.toString();
    }
}
