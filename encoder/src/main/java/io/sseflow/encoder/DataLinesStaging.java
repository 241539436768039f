package io.sseflow.encoder;

/**
 * Encodes text as {@code data:} lines into a reused array in one pass, so that a frame's length is known before any
 * byte of it is written and the lines reach the destination in one bulk copy.
 * <p>
 * Same output as {@link SseFields#putDataLines(org.agrona.MutableDirectBuffer, int, CharSequence)}: split at every
 * CRLF, CR and LF, UTF-8 with lone surrogates as U+FFFD. A {@link String}'s chars are taken out in bulk
 * ({@link String#getChars(int, int, char[], int)}, an intrinsic) rather than one {@code charAt} at a time.
 * <p>
 * Not thread-safe. Its arrays grow to the largest text seen and are then reused: no allocation in steady state.
 */
final class DataLinesStaging
{
    private static final byte[] DATA_PREFIX = SseFields.DATA_PREFIX;
    private static final int PREFIX_LENGTH = DATA_PREFIX.length;

    private char[] chars = new char[256];
    private byte[] bytes = new byte[1024];

    /**
     * Encode the text as {@code data:} lines.
     *
     * @param text to encode.
     * @return the number of bytes staged in {@link #bytes()}.
     */
    int stage(final CharSequence text)
    {
        final int length = text.length();
        final char[] chars = charsFor(text, length);
        final byte[] bytes = bytesFor(length);

        System.arraycopy(DATA_PREFIX, 0, bytes, 0, PREFIX_LENGTH);
        int j = PREFIX_LENGTH;
        for (int i = 0; i < length; i++)
        {
            final char c = chars[i];
            if (c >= 0x80)
            {
                j = putNonAscii(bytes, j, chars, i, length, c);
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1]))
                {
                    i++;
                }
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < length && chars[i + 1] == '\n')
                {
                    i++;
                }
                bytes[j++] = SseFields.LF;
                System.arraycopy(DATA_PREFIX, 0, bytes, j, PREFIX_LENGTH);
                j += PREFIX_LENGTH;
            }
            else
            {
                bytes[j++] = (byte)c;
            }
        }
        bytes[j++] = SseFields.LF;

        return j;
    }

    /**
     * The lines staged by the last {@link #stage(CharSequence)}; replaced when it grows.
     *
     * @return the staging array.
     */
    byte[] bytes()
    {
        return bytes;
    }

    private char[] charsFor(final CharSequence text, final int length)
    {
        char[] chars = this.chars;
        if (chars.length < length)
        {
            chars = this.chars = new char[Math.max(length, chars.length + (chars.length >> 1))];
        }

        if (text instanceof String)
        {
            ((String)text).getChars(0, length, chars, 0);
        }
        else if (text instanceof StringBuilder)
        {
            ((StringBuilder)text).getChars(0, length, chars, 0);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                chars[i] = text.charAt(i);
            }
        }
        return chars;
    }

    private byte[] bytesFor(final int length)
    {
        // Worst case: every char a line break (7 bytes a line), or 3 bytes a char, plus the first line.
        final long worstCase = (long)Math.max(3, PREFIX_LENGTH + 1) * length + PREFIX_LENGTH + 1;
        if (worstCase > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("text too long to frame: " + length + " chars");
        }
        byte[] bytes = this.bytes;
        if (bytes.length < worstCase)
        {
            bytes = this.bytes = new byte[(int)Math.max(worstCase, bytes.length + (bytes.length >> 1))];
        }
        return bytes;
    }

    private static int putNonAscii(
        final byte[] bytes, final int j, final char[] chars, final int i, final int length, final char c)
    {
        if (c < 0x800)
        {
            bytes[j] = (byte)(0xC0 | (c >> 6));
            bytes[j + 1] = (byte)(0x80 | (c & 0x3F));
            return j + 2;
        }
        if (Character.isSurrogate(c))
        {
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1]))
            {
                final int codePoint = Character.toCodePoint(c, chars[i + 1]);
                bytes[j] = (byte)(0xF0 | (codePoint >> 18));
                bytes[j + 1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                bytes[j + 2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                bytes[j + 3] = (byte)(0x80 | (codePoint & 0x3F));
                return j + 4;
            }
            return putThreeBytes(bytes, j, '\uFFFD');
        }
        return putThreeBytes(bytes, j, c);
    }

    private static int putThreeBytes(final byte[] bytes, final int j, final char c)
    {
        bytes[j] = (byte)(0xE0 | (c >> 12));
        bytes[j + 1] = (byte)(0x80 | ((c >> 6) & 0x3F));
        bytes[j + 2] = (byte)(0x80 | (c & 0x3F));
        return j + 3;
    }
}
