package io.sseflow.encoder;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes text as {@code data:} lines into a reused array, so that a frame's length is known before any byte of
 * it is written and the lines reach the destination in one bulk copy.
 * <p>
 * Same output as {@link SseFields#putDataLines(org.agrona.MutableDirectBuffer, int, CharSequence)}: split at every
 * CRLF, CR and LF, UTF-8 with lone surrogates as U+FFFD. The work is done by JDK intrinsics: the chars are taken
 * out in bulk ({@link String#getChars(int, int, char[], int)}), line breaks are looked for with
 * {@link String#indexOf(int)}, and the text is encoded by the JDK's UTF-8 encoder (whose ASCII loop is
 * vectorised) straight after the {@code "data: "} prefix when there is one line, or into a second array that is
 * then cut into lines with {@link System#arraycopy} — at the {@code String}'s own line-break indexes when the text
 * is ASCII, by scanning the bytes otherwise.
 * <p>
 * Not thread-safe. Its arrays grow to the largest text seen and are then reused: no allocation in steady state.
 */
final class DataLinesStaging
{
    private static final byte[] DATA_PREFIX = SseFields.DATA_PREFIX;
    private static final int PREFIX_LENGTH = DATA_PREFIX.length;
    private static final byte[] REPLACEMENT = {(byte)0xEF, (byte)0xBF, (byte)0xBD};

    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith(REPLACEMENT);
    private char[] chars = new char[256];
    private CharBuffer charsView = CharBuffer.wrap(chars);
    private byte[] bytes = new byte[1024];
    private ByteBuffer bytesView = ByteBuffer.wrap(bytes);
    private byte[] encoded = new byte[1024];
    private ByteBuffer encodedView = ByteBuffer.wrap(encoded);

    /**
     * Encode the text as {@code data:} lines.
     *
     * @param text to encode.
     * @return the number of bytes staged in {@link #bytes()}.
     */
    int stage(final CharSequence text)
    {
        final int length = text.length();
        copyChars(text, length);
        final int maxUtf8Length = 3 * length;

        if (!hasLineBreak(text, length))
        {
            ensureBytes(PREFIX_LENGTH + maxUtf8Length + 1);
            final byte[] bytes = this.bytes;
            System.arraycopy(DATA_PREFIX, 0, bytes, 0, PREFIX_LENGTH);
            int position = encodeUtf8(length, bytesView, PREFIX_LENGTH);
            bytes[position++] = SseFields.LF;
            return position;
        }

        ensureEncoded(maxUtf8Length);
        final int encodedLength = encodeUtf8(length, encodedView, 0);
        ensureBytes(encodedLength + SseFields.DATA_LINE_OVERHEAD * (encodedLength + 1));
        if (encodedLength == length && text instanceof String)
        {
            // as many bytes as chars: all ASCII, so the String's indexes of line breaks are byte indexes too
            return splitAsciiLines((String)text, encoded, length, bytes);
        }
        return splitLines(encoded, encodedLength, bytes);
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

    private static int splitAsciiLines(final String text, final byte[] encoded, final int length, final byte[] bytes)
    {
        int nextLf = text.indexOf('\n');
        int nextCr = text.indexOf('\r');
        int position = 0;
        int lineStart = 0;
        while (true)
        {
            if (nextLf >= 0 && nextLf < lineStart)
            {
                nextLf = text.indexOf('\n', lineStart);
            }
            if (nextCr >= 0 && nextCr < lineStart)
            {
                nextCr = text.indexOf('\r', lineStart);
            }
            int lineEnd = length;
            if (nextLf >= 0)
            {
                lineEnd = nextLf;
            }
            if (nextCr >= 0 && nextCr < lineEnd)
            {
                lineEnd = nextCr;
            }

            System.arraycopy(DATA_PREFIX, 0, bytes, position, PREFIX_LENGTH);
            position += PREFIX_LENGTH;
            System.arraycopy(encoded, lineStart, bytes, position, lineEnd - lineStart);
            position += lineEnd - lineStart;
            bytes[position++] = SseFields.LF;
            if (lineEnd == length)
            {
                return position;
            }
            final boolean crLf = encoded[lineEnd] == SseFields.CR && lineEnd + 1 < length &&
                encoded[lineEnd + 1] == SseFields.LF;
            lineStart = lineEnd + (crLf ? 2 : 1);
        }
    }

    private static int splitLines(final byte[] encoded, final int encodedLength, final byte[] bytes)
    {
        int position = 0;
        int lineStart = 0;
        for (int i = 0; i <= encodedLength; i++)
        {
            final byte b = i < encodedLength ? encoded[i] : SseFields.LF;
            if (b == SseFields.LF || b == SseFields.CR)
            {
                System.arraycopy(DATA_PREFIX, 0, bytes, position, PREFIX_LENGTH);
                position += PREFIX_LENGTH;
                System.arraycopy(encoded, lineStart, bytes, position, i - lineStart);
                position += i - lineStart;
                bytes[position++] = SseFields.LF;
                if (b == SseFields.CR && i + 1 < encodedLength && encoded[i + 1] == SseFields.LF)
                {
                    i++;
                }
                lineStart = i + 1;
            }
        }
        return position;
    }

    private int encodeUtf8(final int length, final ByteBuffer out, final int position)
    {
        final CharBuffer in = charsView;
        in.limit(length).position(0);
        out.limit(out.capacity()).position(position);
        final CharsetEncoder utf8 = this.utf8;
        utf8.reset();
        final CoderResult result = utf8.encode(in, out, true);
        if (!result.isUnderflow() || !utf8.flush(out).isUnderflow())
        {
            throw new IllegalStateException("UTF-8 encoding overflowed its worst-case bound: " + result);
        }
        return out.position();
    }

    private boolean hasLineBreak(final CharSequence text, final int length)
    {
        if (text instanceof String)
        {
            final String string = (String)text;
            return string.indexOf('\n') >= 0 || string.indexOf('\r') >= 0;
        }
        final char[] chars = this.chars;
        for (int i = 0; i < length; i++)
        {
            final char c = chars[i];
            if (c == '\n' || c == '\r')
            {
                return true;
            }
        }
        return false;
    }

    private void copyChars(final CharSequence text, final int length)
    {
        if (chars.length < length)
        {
            chars = new char[Math.max(length, chars.length + (chars.length >> 1))];
            charsView = CharBuffer.wrap(chars);
        }

        final char[] chars = this.chars;
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
    }

    private void ensureBytes(final long required)
    {
        if (bytes.length < required)
        {
            bytes = new byte[grow(bytes.length, required)];
            bytesView = ByteBuffer.wrap(bytes);
        }
    }

    private void ensureEncoded(final long required)
    {
        if (encoded.length < required)
        {
            encoded = new byte[grow(encoded.length, required)];
            encodedView = ByteBuffer.wrap(encoded);
        }
    }

    private static int grow(final int current, final long required)
    {
        if (required > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("text too long to frame: needs " + required + " bytes");
        }
        return (int)Math.max(required, Math.min(Integer.MAX_VALUE - 8, current + (current >> 1)));
    }
}
