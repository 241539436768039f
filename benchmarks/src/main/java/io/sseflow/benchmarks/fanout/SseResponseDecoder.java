package io.sseflow.benchmarks.fanout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decodes one subscriber's response as the bytes arrive, in reads of any size: the HTTP/1.1 response head (it must
 * be {@code 200} with {@code Content-Type: text/event-stream}), a chunked or identity body (RFC 9112 §7.1), and
 * the SSE lines in it (WHATWG HTML §9.2.6). The state is a few fields; nothing is allocated per event (the head is
 * read into a small array once per connection, the carry buffer below is allocated the first time a line is cut
 * and grows only for a longer line; failure reasons are built only on failure).
 * <p>
 * What it checks, beyond the framing: a measured event's data is {@link EventPayload}'s layout exactly (10-digit
 * sequence, space, 19-digit publish time, space, padding {@code x} to the end of the line) and a warm-up event's is
 * {@code w}; an event has one data line (a second means a missing blank line); a decimal {@code id:} line must be
 * greater than the connection's previous id (a repeated or reordered id fails). Comments (heartbeats),
 * {@code event:}, {@code retry:} and unknown fields are ignored. A line ends at a line feed, with or without a
 * carriage return before it (a carriage return elsewhere in a data or id line is an unexpected byte). Event order
 * by sequence is the
 * {@link Listener}'s to check (a stalled reader may skip events without failing).
 * <p>
 * The event stream is decoded a line at a time, not a byte at a time through a state switch: a line that is all in
 * the read is checked where it lies (its line feed found eight bytes at a time, then its fields read at their fixed
 * places, eight bytes at a time where the whole fixed part is there); only a line cut by the end of a read (or of a
 * chunk) is copied, into a per-connection carry buffer, and checked once its line feed arrives; a line carried so
 * is at most {@value #MAX_LINE} bytes.
 * <p>
 * Once {@link #decode} returns false, the response is broken for good and {@link #failure()} says why.
 */
final class SseResponseDecoder
{
    /** Receives what the decoder found, on the reading thread. */
    interface Listener
    {
        /**
         * A measured event, at its blank line.
         *
         * @param sequence    the event's sequence number.
         * @param publishedNs its publish time, see {@link EventPayload#now()}.
         */
        void onEvent(long sequence, long publishedNs);

        /** A warm-up event, at its blank line. */
        void onWarmUp();
    }

    private enum Body
    {
        HEAD, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, IDENTITY, END, BAD_MESSAGE
    }

    private static final int MAX_HEAD = 8192;
    private static final int MAX_ID_DIGITS = 18;
    private static final int MAX_LINE = 1 << 20;
    private static final int FIRST_CARRY_BYTES = 256;
    private static final int TIME_START = EventPayload.TIME_OFFSET;
    private static final int PADDING_START = EventPayload.MIN_LENGTH;
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW_SEVEN_BITS = 0x7f * ONES;
    private static final long HIGH_NIBBLES = 0xf0 * ONES;
    private static final long LINE_FEEDS = '\n' * ONES;
    private static final long PADDING_WORD = 'x' * ONES;
    private static final long ZERO_DIGITS = '0' * ONES;
    private static final long SIXES = 6 * ONES;

    private final Listener listener;

    private Body body = Body.HEAD;
    private byte[] head = new byte[512];
    private int headLength;
    private long chunkRemaining;
    private int chunkSizeDigits;

    private ByteBuffer carry;
    private boolean pendingWarmUp;
    private boolean pendingEvent;
    private long sequence;
    private long timeNs;
    private long lastId = -1;
    private long events;
    private String failure;

    /**
     * A decoder for one response.
     *
     * @param listener receives the events.
     */
    SseResponseDecoder(final Listener listener)
    {
        this.listener = listener;
    }

    /**
     * Consume bytes read from the connection.
     *
     * @param buffer holding the bytes.
     * @param offset index of the first.
     * @param length count of bytes.
     * @return false if the response is broken (see {@link #failure()}); it stays broken.
     */
    boolean decode(final ByteBuffer buffer, final int offset, final int length)
    {
        int i = offset;
        final int end = offset + length;
        while (i < end && body != Body.BAD_MESSAGE)
        {
            switch (body)
            {
                case HEAD:
                    i = onHead(buffer, i, end);
                    break;

                case CHUNK_SIZE:
                {
                    final byte b = buffer.get(i++);
                    if (b == '\n')
                    {
                        if (chunkSizeDigits == 0)
                        {
                            return fail("chunk size line without digits");
                        }
                        body = chunkRemaining == 0 ? Body.END : Body.CHUNK_DATA;
                    }
                    else if (b == ';' || b == ' ' || b == '\t')
                    {
                        body = Body.CHUNK_EXTENSION;
                    }
                    else if (b != '\r')
                    {
                        final int digit = Character.digit(b, 16);
                        if (digit < 0 || ++chunkSizeDigits > 15)
                        {
                            return fail("bad chunk size byte " + describe(b));
                        }
                        chunkRemaining = (chunkRemaining << 4) + digit;
                    }
                    break;
                }

                case CHUNK_EXTENSION:
                    if (buffer.get(i++) == '\n')
                    {
                        body = chunkRemaining == 0 ? Body.END : Body.CHUNK_DATA;
                    }
                    break;

                case CHUNK_DATA:
                {
                    final int n = (int)Math.min(chunkRemaining, end - i);
                    if (!onEventStream(buffer, i, i + n))
                    {
                        return false;
                    }
                    i += n;
                    chunkRemaining -= n;
                    if (chunkRemaining == 0)
                    {
                        body = Body.CHUNK_DATA_CR;
                    }
                    break;
                }

                case CHUNK_DATA_CR:
                {
                    final byte b = buffer.get(i++);
                    if (b == '\r')
                    {
                        body = Body.CHUNK_DATA_LF;
                    }
                    else if (b == '\n')
                    {
                        startChunk();
                    }
                    else
                    {
                        return fail("chunk not followed by CRLF");
                    }
                    break;
                }

                case CHUNK_DATA_LF:
                    if (buffer.get(i++) != '\n')
                    {
                        return fail("chunk not followed by CRLF");
                    }
                    startChunk();
                    break;

                case IDENTITY:
                    if (!onEventStream(buffer, i, end))
                    {
                        return false;
                    }
                    i = end;
                    break;

                default:
                    return fail("stream ended by the server (last chunk)");
            }
        }
        return body != Body.BAD_MESSAGE;
    }

    /**
     * Why the response is broken.
     *
     * @return the reason, or null while it is not.
     */
    String failure()
    {
        return failure;
    }

    /**
     * Measured events dispatched so far.
     *
     * @return count of events.
     */
    long events()
    {
        return events;
    }

    private void startChunk()
    {
        body = Body.CHUNK_SIZE;
        chunkRemaining = 0;
        chunkSizeDigits = 0;
    }

    private boolean fail(final String reason)
    {
        if (failure == null)
        {
            failure = reason;
        }
        body = Body.BAD_MESSAGE;
        return false;
    }

    private boolean failLine(final String what, final byte b)
    {
        return fail(what + ": unexpected byte " + describe(b) + " after id " + lastId + " (" + events +
            " events decoded)");
    }

    private static String describe(final byte b)
    {
        return b >= 0x21 && b < 0x7f ? "'" + (char)b + "'" : String.format(Locale.ROOT, "0x%02x", b & 0xff);
    }

    private int onHead(final ByteBuffer buffer, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            if (headLength == head.length)
            {
                if (head.length >= MAX_HEAD)
                {
                    fail("response head over " + MAX_HEAD + " bytes");
                    return end;
                }
                head = Arrays.copyOf(head, head.length * 2);
            }
            final byte b = buffer.get(i);
            head[headLength++] = b;
            if (b == '\n' && headLength >= 4 && head[headLength - 2] == '\r' &&
                head[headLength - 3] == '\n' && head[headLength - 4] == '\r')
            {
                final String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
                head = null;
                if (!text.startsWith("HTTP/1.1 200") && !text.startsWith("HTTP/1.0 200"))
                {
                    fail("answered " + text.substring(0, text.indexOf('\r')));
                    return end;
                }
                final String lower = text.toLowerCase(Locale.ROOT);
                if (!lower.contains("\ncontent-type: text/event-stream") &&
                    !lower.contains("\ncontent-type:text/event-stream"))
                {
                    fail("not text/event-stream: " + text.replace("\r\n", " | "));
                    return end;
                }
                if (lower.matches("(?s).*\ntransfer-encoding: *chunked.*"))
                {
                    startChunk();
                }
                else
                {
                    body = Body.IDENTITY;
                }
                return i + 1;
            }
        }
        return end;
    }

    /**
     * Decode the event stream's bytes in {@code [start, end)}: the rest of a line carried from before, the complete
     * lines where they lie, and carry what is left of a line the range cuts.
     */
    private boolean onEventStream(final ByteBuffer buffer, final int start, final int end)
    {
        int i = start;
        if (null != carry && carry.position() > 0)
        {
            final int lineFeed = lineFeed(buffer, i, end);
            final int rest = (lineFeed < 0 ? end : lineFeed + 1) - i;
            if (!carry(buffer, i, rest))
            {
                return false;
            }
            i += rest;
            if (lineFeed < 0)
            {
                return true;
            }
            final int carried = carry.position();
            carry.clear();
            if (!onLine(carry, 0, carried - 1))
            {
                return false;
            }
        }
        while (i < end)
        {
            final int lineFeed = lineFeed(buffer, i, end);
            if (lineFeed < 0)
            {
                return carry(buffer, i, end - i);
            }
            if (!onLine(buffer, i, lineFeed))
            {
                return false;
            }
            i = lineFeed + 1;
        }
        return true;
    }

    /**
     * The index of the first line feed in {@code [from, end)}, or -1: eight bytes at a time while eight are left
     * (a byte equal to {@code \n} is a zero byte of {@code word ^ 0x0a0a...}, found exactly: its high bit is the
     * only one not set by adding {@code 0x7f} to its low seven bits), then byte by byte.
     */
    private static int lineFeed(final ByteBuffer buffer, final int from, final int end)
    {
        int i = from;
        final boolean bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        for (; i <= end - Long.BYTES; i += Long.BYTES)
        {
            final long word = buffer.getLong(i) ^ LINE_FEEDS;
            final long zeros = ~(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word | LOW_SEVEN_BITS);
            if (zeros != 0)
            {
                return i + ((bigEndian ? Long.numberOfLeadingZeros(zeros) : Long.numberOfTrailingZeros(zeros)) >>> 3);
            }
        }
        for (; i < end; i++)
        {
            if (buffer.get(i) == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Keep {@code length} bytes from {@code from} for the line they start or continue, growing the carry buffer
     * (direct, as the reads are) up to {@value #MAX_LINE} bytes.
     */
    private boolean carry(final ByteBuffer buffer, final int from, final int length)
    {
        final int needed = (null == carry ? 0 : carry.position()) + length;
        if (needed > MAX_LINE)
        {
            return fail("line over " + MAX_LINE + " bytes after id " + lastId + " (" + events + " events decoded)");
        }
        if (null == carry || carry.capacity() < needed)
        {
            final int capacity = null == carry ? FIRST_CARRY_BYTES : carry.capacity() * 2;
            final ByteBuffer larger = ByteBuffer.allocateDirect(Math.min(MAX_LINE, Math.max(needed, capacity)));
            if (null != carry)
            {
                larger.put(carry.flip());
            }
            carry = larger;
        }
        carry.put(carry.position(), buffer, from, length);
        carry.position(needed);
        return true;
    }

    /**
     * One complete line: {@code [from, lineFeed)}, its line feed at {@code lineFeed} (a carriage return before it
     * ends the line too). The byte at the line's end is never a digit, a space or {@code x}, so a field that ends
     * early fails on it, as an unexpected byte, without a bounds check.
     */
    private boolean onLine(final ByteBuffer buffer, final int from, final int lineFeed)
    {
        final int to = lineFeed > from && buffer.get(lineFeed - 1) == '\r' ? lineFeed - 1 : lineFeed;
        if (to == from)
        {
            dispatch();
            return true;
        }
        final byte first = buffer.get(from);
        if (first == 'd')
        {
            if (to - from >= 5 && buffer.get(from + 1) == 'a' && buffer.get(from + 2) == 't' &&
                buffer.get(from + 3) == 'a' && buffer.get(from + 4) == ':')
            {
                return onData(buffer, valueStart(buffer, from + 5, to), to);
            }
        }
        else if (first == 'i')
        {
            if (to - from >= 3 && buffer.get(from + 1) == 'd' && buffer.get(from + 2) == ':')
            {
                return onId(buffer, valueStart(buffer, from + 3, to), to);
            }
        }
        // a comment (heartbeat), event:, retry:, an unknown field or a field name that only starts like data or id
        return true;
    }

    private static int valueStart(final ByteBuffer buffer, final int afterColon, final int to)
    {
        return afterColon < to && buffer.get(afterColon) == ' ' ? afterColon + 1 : afterColon;
    }

    /**
     * A data line's value, {@code [value, to)}: {@code w}, or the {@link EventPayload} layout exactly.
     */
    private boolean onData(final ByteBuffer buffer, final int value, final int to)
    {
        if (pendingEvent || pendingWarmUp)
        {
            return fail("second data line in one event (missing blank line?) after id " + lastId + " (" +
                events + " events decoded)");
        }
        final byte first = buffer.get(value);
        if (first == EventPayload.WARM_UP)
        {
            if (value + 1 != to)
            {
                return failLine("warm-up data line", buffer.get(value + 1));
            }
            pendingWarmUp = true;
            return true;
        }
        if (first < '0' || first > '9')
        {
            return failLine("data line", first);
        }
        if (to - value >= PADDING_START && onFixedFields(buffer, value))
        {
            return onPadding(buffer, value + PADDING_START, to);
        }
        long number = 0;
        for (int i = value, last = value + EventPayload.SEQUENCE_DIGITS; i < last; i++)
        {
            final byte b = buffer.get(i);
            if (b < '0' || b > '9')
            {
                return failLine("sequence of a data line", b);
            }
            number = number * 10 + (b - '0');
        }
        if (buffer.get(value + EventPayload.SEQUENCE_DIGITS) != ' ')
        {
            return failLine("sequence of a data line", buffer.get(value + EventPayload.SEQUENCE_DIGITS));
        }
        final long eventSequence = number;
        number = 0;
        for (int i = value + TIME_START, last = i + EventPayload.TIME_DIGITS; i < last; i++)
        {
            final byte b = buffer.get(i);
            if (b < '0' || b > '9')
            {
                return failLine("publish time of a data line", b);
            }
            number = number * 10 + (b - '0');
        }
        if (buffer.get(value + PADDING_START - 1) != ' ')
        {
            return failLine("publish time of a data line", buffer.get(value + PADDING_START - 1));
        }
        sequence = eventSequence;
        timeNs = number;
        return onPadding(buffer, value + PADDING_START, to);
    }

    /**
     * The sequence, space, publish time and space of a data line whose value starts at {@code value} and has at
     * least {@code PADDING_START} bytes, read eight bytes at a time (the sequence's ten digits as two overlapping
     * words, the time's nineteen as three); taken into {@link #sequence} and {@link #timeNs} when every byte is
     * right. When one is not, nothing is taken and the caller's byte-by-byte reading names it.
     */
    private boolean onFixedFields(final ByteBuffer buffer, final int value)
    {
        final boolean bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        final long sequenceHigh = word(buffer, value, bigEndian);
        final long sequenceLow = word(buffer, value + 2, bigEndian);
        final int time = value + TIME_START;
        final long timeHigh = word(buffer, time, bigEndian);
        final long timeMiddle = word(buffer, time + 8, bigEndian);
        final long timeLow = word(buffer, time + 11, bigEndian);
        if (!allDigits(sequenceHigh) || !allDigits(sequenceLow) || !allDigits(timeHigh) ||
            !allDigits(timeMiddle) || !allDigits(timeLow) ||
            buffer.get(value + EventPayload.SEQUENCE_DIGITS) != ' ' || buffer.get(value + PADDING_START - 1) != ' ')
        {
            return false;
        }
        sequence = digits(sequenceHigh) * 100 + digits(sequenceLow) % 100;
        timeNs = (digits(timeHigh) * 100_000_000L + digits(timeMiddle)) * 1_000 + digits(timeLow) % 1_000;
        return true;
    }

    /** The padding, {@code x} from {@code from} to the end of the line, eight bytes at a time while eight are left. */
    private boolean onPadding(final ByteBuffer buffer, final int from, final int to)
    {
        int i = from;
        while (i <= to - Long.BYTES && buffer.getLong(i) == PADDING_WORD)
        {
            i += Long.BYTES;
        }
        while (i < to && buffer.get(i) == 'x')
        {
            i++;
        }
        if (i != to)
        {
            return failLine("padding of a data line", buffer.get(i));
        }
        pendingEvent = true;
        return true;
    }

    /** Eight bytes from {@code index}, the first in the most significant place whatever the buffer's order. */
    private static long word(final ByteBuffer buffer, final int index, final boolean bigEndian)
    {
        final long word = buffer.getLong(index);
        return bigEndian ? word : Long.reverseBytes(word);
    }

    /**
     * Are all eight bytes decimal digits: high nibble 3, and still 3 with 6 added ({@code 0x3a..0x3f} become
     * {@code 0x40..0x45}).
     */
    private static boolean allDigits(final long word)
    {
        return (word & HIGH_NIBBLES) == ZERO_DIGITS && ((word + SIXES) & HIGH_NIBBLES) == ZERO_DIGITS;
    }

    /** The value of eight decimal digits, the first most significant: pairs, then fours, then the eight. */
    private static long digits(final long word)
    {
        long v = word - ZERO_DIGITS;
        v = ((v >>> 8) & 0x00ff00ff00ff00ffL) * 10 + (v & 0x00ff00ff00ff00ffL);
        v = ((v >>> 16) & 0x0000ffff0000ffffL) * 100 + (v & 0x0000ffff0000ffffL);
        return (v >>> 32) * 10_000 + (v & 0xffffffffL);
    }

    /**
     * An id line's value, {@code [value, to)}: at most {@value #MAX_ID_DIGITS} decimal digits, greater than the
     * previous id.
     */
    private boolean onId(final ByteBuffer buffer, final int value, final int to)
    {
        if (value == to)
        {
            return failLine("id line", buffer.get(to));
        }
        long id = 0;
        for (int i = value; i < to; i++)
        {
            final byte b = buffer.get(i);
            if (b < '0' || b > '9' || i - value == MAX_ID_DIGITS)
            {
                return failLine("id line", b);
            }
            id = id * 10 + (b - '0');
        }
        if (id <= lastId)
        {
            return fail("id " + id + " after id " + lastId + " (repeated or reordered; " + events +
                " events decoded)");
        }
        lastId = id;
        return true;
    }

    private void dispatch()
    {
        if (pendingEvent)
        {
            pendingEvent = false;
            events++;
            listener.onEvent(sequence, timeNs);
        }
        else if (pendingWarmUp)
        {
            pendingWarmUp = false;
            listener.onWarmUp();
        }
    }
}
