package io.sseflow.encoder;

import org.agrona.AsciiEncoding;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Field primitives of the {@code text/event-stream} format (WHATWG HTML §9.2): each {@code put…} method writes
 * at an index and returns the number of bytes written,
 * and each {@code …Length} method returns exactly how many bytes the matching {@code put…} will write.
 * <p>
 * Nothing here checks capacity: compute the length first, check it fits, then write. That is how
 * {@link EventFrameEncoder} guarantees that a frame is written completely or not at all.
 * <p>
 * Text is encoded to UTF-8 from {@code char}s: a surrogate pair becomes one 4-byte sequence and a lone
 * surrogate becomes U+FFFD ({@code EF BF BD}). Line breaks (CRLF, CR, LF) split data and comments into one
 * line each; only LF is ever written.
 */
public final class SseFields
{
    /** {@code "retry: "}. */
    static final byte[] RETRY_PREFIX = ascii("retry: ");
    /** {@code "event: "}. */
    static final byte[] EVENT_PREFIX = ascii("event: ");
    /** {@code "id: "}. */
    static final byte[] ID_PREFIX = ascii("id: ");
    /** {@code "data: "}. */
    static final byte[] DATA_PREFIX = ascii("data: ");
    /** {@code ": "}, before a comment line. */
    private static final byte[] COMMENT_PREFIX = ascii(": ");
    /** {@code ":"}, an empty comment line. */
    private static final byte[] EMPTY_COMMENT_PREFIX = ascii(":");
    /** Length of {@code "data: "} plus its terminating LF. */
    static final int DATA_LINE_OVERHEAD = DATA_PREFIX.length + 1;
    /** Line feed: the only line terminator sseflow writes. */
    static final byte LF = '\n';
    static final byte CR = '\r';

    private static final char REPLACEMENT_CHAR = '\uFFFD';

    private SseFields()
    {
    }

    /**
     * Bytes of {@code "retry: N\n"}.
     *
     * @param retry reconnection time in milliseconds, non-negative.
     * @return the number of bytes {@link #putRetryField(MutableDirectBuffer, int, long)} writes.
     */
    public static int retryFieldLength(final long retry)
    {
        return RETRY_PREFIX.length + AsciiEncoding.digitCount(retry) + 1;
    }

    /**
     * Write {@code "retry: N\n"}.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param retry  reconnection time in milliseconds, non-negative (see {@link #checkRetry(long)}).
     * @return bytes written.
     */
    public static int putRetryField(final MutableDirectBuffer buffer, final int index, final long retry)
    {
        return putNumericField(buffer, index, RETRY_PREFIX, retry);
    }

    /**
     * Bytes of {@code "event: NAME\n"}.
     *
     * @param name event type, free of CR and LF (see {@link #checkEventName(CharSequence)}).
     * @return the number of bytes {@link #putEventField(MutableDirectBuffer, int, CharSequence)} writes.
     */
    public static int eventFieldLength(final CharSequence name)
    {
        return EVENT_PREFIX.length + utf8Length(name) + 1;
    }

    /**
     * Write {@code "event: NAME\n"}.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param name   event type, already checked by {@link #checkEventName(CharSequence)}.
     * @return bytes written.
     */
    public static int putEventField(final MutableDirectBuffer buffer, final int index, final CharSequence name)
    {
        return putTextField(buffer, index, EVENT_PREFIX, name);
    }

    /**
     * Write {@code "event: NAME\n"} from a name already encoded as UTF-8 (e.g. straight from a request).
     * Check it first with {@link #indexOfLineBreak(DirectBuffer, int, int)}; the field takes
     * {@code EVENT_PREFIX + length + 1} bytes, see {@link #utf8EventFieldLength(int)}.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param name   holding the UTF-8 name.
     * @param offset of the name.
     * @param length of the name in bytes.
     * @return bytes written.
     */
    public static int putEventField(
        final MutableDirectBuffer buffer, final int index, final DirectBuffer name, final int offset, final int length)
    {
        return putTextField(buffer, index, EVENT_PREFIX, name, offset, length);
    }

    /**
     * Bytes of {@code "event: NAME\n"} for a name of {@code utf8Length} bytes.
     *
     * @param utf8Length of the encoded name.
     * @return the field's length.
     */
    public static int utf8EventFieldLength(final int utf8Length)
    {
        return EVENT_PREFIX.length + utf8Length + 1;
    }

    /**
     * Write {@code "id: ID\n"} from an id already encoded as UTF-8. Check it first: no CR, LF
     * ({@link #indexOfLineBreak(DirectBuffer, int, int)}) nor NUL.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param id     holding the UTF-8 id.
     * @param offset of the id.
     * @param length of the id in bytes.
     * @return bytes written.
     */
    public static int putIdField(
        final MutableDirectBuffer buffer, final int index, final DirectBuffer id, final int offset, final int length)
    {
        return putTextField(buffer, index, ID_PREFIX, id, offset, length);
    }

    /**
     * Bytes of {@code "id: ID\n"} for an id of {@code utf8Length} bytes.
     *
     * @param utf8Length of the encoded id.
     * @return the field's length.
     */
    public static int utf8IdFieldLength(final int utf8Length)
    {
        return ID_PREFIX.length + utf8Length + 1;
    }

    /**
     * Index of the first CR or LF in encoded bytes, or -1: a value holding one cannot be a field.
     *
     * @param bytes  to search.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the index of the first CR or LF, or -1.
     */
    public static int indexOfLineBreak(final DirectBuffer bytes, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = bytes.getByte(i);
            if (b == LF || b == CR)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Bytes of {@code "id: N\n"} for a numeric id.
     *
     * @param id the event id.
     * @return the number of bytes {@link #putIdField(MutableDirectBuffer, int, long)} writes.
     */
    public static int idFieldLength(final long id)
    {
        return ID_PREFIX.length + longAsciiLength(id) + 1;
    }

    /**
     * Write {@code "id: N\n"} for a numeric id, without allocating.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param id     the event id.
     * @return bytes written.
     */
    public static int putIdField(final MutableDirectBuffer buffer, final int index, final long id)
    {
        return putNumericField(buffer, index, ID_PREFIX, id);
    }

    /**
     * Bytes of {@code "id: ID\n"} for a text id.
     *
     * @param id the event id, free of CR, LF and NUL (see {@link #checkId(CharSequence)}).
     * @return the number of bytes {@link #putIdField(MutableDirectBuffer, int, CharSequence)} writes.
     */
    public static int idFieldLength(final CharSequence id)
    {
        return ID_PREFIX.length + utf8Length(id) + 1;
    }

    /**
     * Write {@code "id: ID\n"} for a text id.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param id     the event id, already checked by {@link #checkId(CharSequence)}.
     * @return bytes written.
     */
    public static int putIdField(final MutableDirectBuffer buffer, final int index, final CharSequence id)
    {
        return putTextField(buffer, index, ID_PREFIX, id);
    }

    /**
     * Bytes of the {@code data:} lines for text: one {@code "data: LINE\n"} per line, split at every CRLF,
     * CR and LF. Empty text is one empty line; a trailing line break yields a trailing empty line.
     *
     * @param data the text.
     * @return the number of bytes {@link #putDataLines(MutableDirectBuffer, int, CharSequence)} writes.
     */
    public static int dataLinesLength(final CharSequence data)
    {
        return linesLength(data, DATA_PREFIX.length, DATA_PREFIX.length);
    }

    /**
     * Write text as {@code data:} lines, see {@link #dataLinesLength(CharSequence)}.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param data   the text.
     * @return bytes written.
     */
    public static int putDataLines(final MutableDirectBuffer buffer, final int index, final CharSequence data)
    {
        return putLines(buffer, index, data, DATA_PREFIX, DATA_PREFIX);
    }

    /**
     * Bytes of the {@code data:} lines for data already encoded as UTF-8, split at every CRLF, CR and LF.
     *
     * @param utf8   the encoded text.
     * @param offset of the text in {@code utf8}.
     * @param length of the text in bytes.
     * @return the number of bytes {@link #putDataLines(MutableDirectBuffer, int, DirectBuffer, int, int)} writes.
     */
    public static int dataLinesLength(final DirectBuffer utf8, final int offset, final int length)
    {
        final int end = offset + length;
        int lines = 1;
        int bytes = 0;
        for (int i = offset; i < end; i++)
        {
            final byte b = utf8.getByte(i);
            if (b == LF)
            {
                lines++;
            }
            else if (b == CR)
            {
                lines++;
                if (i + 1 < end && utf8.getByte(i + 1) == LF)
                {
                    i++;
                }
            }
            else
            {
                bytes++;
            }
        }

        return bytes + lines * DATA_LINE_OVERHEAD;
    }

    /**
     * Write UTF-8 data as {@code data:} lines, see {@link #dataLinesLength(DirectBuffer, int, int)}.
     * Runs between line breaks are copied as they are.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param utf8   the encoded text.
     * @param offset of the text in {@code utf8}.
     * @param length of the text in bytes.
     * @return bytes written.
     */
    public static int putDataLines(
        final MutableDirectBuffer buffer, final int index, final DirectBuffer utf8, final int offset, final int length)
    {
        final int end = offset + length;
        int position = index;
        int lineStart = offset;
        for (int i = offset; i <= end; i++)
        {
            final byte b = i < end ? utf8.getByte(i) : LF;
            if (b == LF || b == CR)
            {
                buffer.putBytes(position, DATA_PREFIX);
                position += DATA_PREFIX.length;
                buffer.putBytes(position, utf8, lineStart, i - lineStart);
                position += i - lineStart;
                buffer.putByte(position++, LF);
                if (b == CR && i + 1 < end && utf8.getByte(i + 1) == LF)
                {
                    i++;
                }
                lineStart = i + 1;
            }
        }

        return position - index;
    }

    /**
     * Bytes of a comment: one {@code ": LINE\n"} per line ({@code ":\n"} for an empty line).
     *
     * @param comment the comment text.
     * @return the number of bytes {@link #putComment(MutableDirectBuffer, int, CharSequence)} writes.
     */
    public static int commentLength(final CharSequence comment)
    {
        return linesLength(comment, COMMENT_PREFIX.length, EMPTY_COMMENT_PREFIX.length);
    }

    /**
     * Write a comment, see {@link #commentLength(CharSequence)}. Clients ignore it; proxies see traffic.
     *
     * @param buffer  to write to.
     * @param index   at which to start.
     * @param comment the comment text.
     * @return bytes written.
     */
    public static int putComment(final MutableDirectBuffer buffer, final int index, final CharSequence comment)
    {
        return putLines(buffer, index, comment, COMMENT_PREFIX, EMPTY_COMMENT_PREFIX);
    }

    /**
     * Write the blank line that ends (and dispatches) a frame.
     *
     * @param buffer to write to.
     * @param index  at which to write.
     * @return 1.
     */
    public static int putEndOfFrame(final MutableDirectBuffer buffer, final int index)
    {
        buffer.putByte(index, LF);
        return 1;
    }

    /**
     * UTF-8 length of text, lone surrogates counted as U+FFFD.
     *
     * @param text to measure.
     * @return bytes {@link #putUtf8(MutableDirectBuffer, int, CharSequence)} writes.
     */
    public static int utf8Length(final CharSequence text)
    {
        return utf8Length(text, 0, text.length());
    }

    /**
     * Write text as UTF-8, lone surrogates as U+FFFD. Line breaks are written as they are.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @param text   to write.
     * @return bytes written.
     */
    public static int putUtf8(final MutableDirectBuffer buffer, final int index, final CharSequence text)
    {
        return putUtf8(buffer, index, text, 0, text.length());
    }

    /**
     * Check an event name: it must not contain CR or LF, which would let it forge fields or events.
     *
     * @param name to check.
     * @throws IllegalArgumentException naming the problem.
     */
    public static void checkEventName(final CharSequence name)
    {
        if (null == name)
        {
            throw new IllegalArgumentException("event name must not be null");
        }
        final int index = indexOfLineBreak(name);
        if (index >= 0)
        {
            throw new IllegalArgumentException(
                "event name must not contain CR or LF (found at index " + index + "): it would end the field");
        }
    }

    /**
     * Check an event id: it must not contain CR or LF (it would forge fields) nor NUL (clients ignore the line).
     *
     * @param id to check.
     * @throws IllegalArgumentException naming the problem.
     */
    public static void checkId(final CharSequence id)
    {
        if (null == id)
        {
            throw new IllegalArgumentException("id must not be null");
        }
        final int index = indexOfLineBreak(id);
        if (index >= 0)
        {
            throw new IllegalArgumentException(
                "id must not contain CR or LF (found at index " + index + "): it would end the field");
        }
        for (int i = 0, length = id.length(); i < length; i++)
        {
            if (id.charAt(i) == '\0')
            {
                throw new IllegalArgumentException(
                    "id must not contain NUL (found at index " + i + "): clients ignore such an id");
            }
        }
    }

    /**
     * Check a retry value: a non-negative number of milliseconds no larger than {@link Integer#MAX_VALUE}
     * (longer values break some clients).
     *
     * @param retry to check.
     * @throws IllegalArgumentException naming the problem.
     */
    public static void checkRetry(final long retry)
    {
        if (retry < 0)
        {
            throw new IllegalArgumentException("retry must be >= 0 milliseconds: " + retry);
        }
        if (retry > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "retry must be <= " + Integer.MAX_VALUE + " milliseconds (some clients fail on longer values): " +
                retry);
        }
    }

    /**
     * Is this well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF)?
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true when every byte belongs to a well-formed sequence.
     */
    public static boolean isValidUtf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                i++;
                continue;
            }

            final int need;
            int min;
            int max = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                need = 1;
                min = 0x80;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                need = 2;
                min = b0 == 0xE0 ? 0xA0 : 0x80;
                max = b0 == 0xED ? 0x9F : 0xBF;
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                need = 3;
                min = b0 == 0xF0 ? 0x90 : 0x80;
                max = b0 == 0xF4 ? 0x8F : 0xBF;
            }
            else
            {
                return false;
            }

            if (i + need >= end)
            {
                return false;
            }
            for (int k = 1; k <= need; k++)
            {
                final int b = buffer.getByte(i + k) & 0xFF;
                if (b < min || b > max)
                {
                    return false;
                }
                min = 0x80;
                max = 0xBF;
            }
            i += need + 1;
        }

        return true;
    }

    private static int putNumericField(
        final MutableDirectBuffer buffer, final int index, final byte[] prefix, final long value)
    {
        buffer.putBytes(index, prefix);
        int position = index + prefix.length;
        position += buffer.putLongAscii(position, value);
        buffer.putByte(position++, LF);
        return position - index;
    }

    private static int putTextField(
        final MutableDirectBuffer buffer, final int index, final byte[] prefix, final CharSequence value)
    {
        buffer.putBytes(index, prefix);
        int position = index + prefix.length;
        position += putUtf8(buffer, position, value);
        buffer.putByte(position++, LF);
        return position - index;
    }

    private static int putTextField(
        final MutableDirectBuffer buffer,
        final int index,
        final byte[] prefix,
        final DirectBuffer value,
        final int offset,
        final int length)
    {
        buffer.putBytes(index, prefix);
        int position = index + prefix.length;
        buffer.putBytes(position, value, offset, length);
        position += length;
        buffer.putByte(position++, LF);
        return position - index;
    }

    /**
     * Bytes of text written as lines (split at CRLF, CR and LF), each {@code prefix LINE \n}, an empty line with
     * {@code emptyLinePrefix} instead.
     */
    private static int linesLength(final CharSequence text, final int prefixLength, final int emptyLinePrefixLength)
    {
        final int length = text.length();
        int total = 0;
        int lineStart = 0;
        for (int i = 0; i <= length; i++)
        {
            final char c = i < length ? text.charAt(i) : '\n';
            if (c == '\n' || c == '\r')
            {
                total += i == lineStart ? emptyLinePrefixLength + 1 : prefixLength + utf8Length(text, lineStart, i) + 1;
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n')
                {
                    i++;
                }
                lineStart = i + 1;
            }
        }
        return total;
    }

    private static int putLines(
        final MutableDirectBuffer buffer,
        final int index,
        final CharSequence text,
        final byte[] prefix,
        final byte[] emptyLinePrefix)
    {
        final int length = text.length();
        int position = index;
        int lineStart = 0;
        for (int i = 0; i <= length; i++)
        {
            final char c = i < length ? text.charAt(i) : '\n';
            if (c == '\n' || c == '\r')
            {
                if (i == lineStart)
                {
                    buffer.putBytes(position, emptyLinePrefix);
                    position += emptyLinePrefix.length;
                }
                else
                {
                    buffer.putBytes(position, prefix);
                    position += prefix.length;
                    position += putUtf8(buffer, position, text, lineStart, i);
                }
                buffer.putByte(position++, LF);
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n')
                {
                    i++;
                }
                lineStart = i + 1;
            }
        }
        return position - index;
    }

    static int indexOfLineBreak(final CharSequence text)
    {
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == '\n' || c == '\r')
            {
                return i;
            }
        }
        return -1;
    }

    static int longAsciiLength(final long value)
    {
        if (value >= 0)
        {
            return AsciiEncoding.digitCount(value);
        }
        if (value == Long.MIN_VALUE)
        {
            return 20;
        }
        return 1 + AsciiEncoding.digitCount(-value);
    }

    static int utf8Length(final CharSequence text, final int start, final int end)
    {
        int bytes = 0;
        for (int i = start; i < end; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes;
    }

    static int putUtf8(
        final MutableDirectBuffer buffer, final int index, final CharSequence text, final int start, final int end)
    {
        int position = index;
        for (int i = start; i < end; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(position++, (byte)c);
            }
            else
            {
                final int consumed = putNonAscii(buffer, position, text, i, end, c);
                position += consumed >>> 8;
                i += (consumed & 0xFF) - 1;
            }
        }
        return position - index;
    }

    /**
     * Write one non-ASCII character (or surrogate pair) as UTF-8.
     *
     * @return bytes written in bits 8 and up, chars consumed (1 or 2) in the low byte.
     */
    private static int putNonAscii(
        final MutableDirectBuffer buffer, final int position, final CharSequence text, final int i, final int end,
        final char c)
    {
        if (c < 0x800)
        {
            buffer.putByte(position, (byte)(0xC0 | (c >> 6)));
            buffer.putByte(position + 1, (byte)(0x80 | (c & 0x3F)));
            return (2 << 8) | 1;
        }
        if (Character.isSurrogate(c))
        {
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                buffer.putByte(position, (byte)(0xF0 | (codePoint >> 18)));
                buffer.putByte(position + 1, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                buffer.putByte(position + 2, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.putByte(position + 3, (byte)(0x80 | (codePoint & 0x3F)));
                return (4 << 8) | 2;
            }
            return putThreeBytes(buffer, position, REPLACEMENT_CHAR);
        }
        return putThreeBytes(buffer, position, c);
    }

    private static int putThreeBytes(final MutableDirectBuffer buffer, final int position, final char c)
    {
        buffer.putByte(position, (byte)(0xE0 | (c >> 12)));
        buffer.putByte(position + 1, (byte)(0x80 | ((c >> 6) & 0x3F)));
        buffer.putByte(position + 2, (byte)(0x80 | (c & 0x3F)));
        return (3 << 8) | 1;
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
