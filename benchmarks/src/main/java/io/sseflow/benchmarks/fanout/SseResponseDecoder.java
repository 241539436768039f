package io.sseflow.benchmarks.fanout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decodes one subscriber's response as the bytes arrive, in reads of any size: the HTTP/1.1 response head (it must
 * be {@code 200} with {@code Content-Type: text/event-stream}), a chunked or identity body (RFC 9112 §7.1), and
 * the SSE lines in it (WHATWG HTML §9.2.6). The state is a few fields; nothing is allocated per event (the head is
 * read into a small array once per connection; failure reasons are built only on failure).
 * <p>
 * What it checks, beyond the framing: a measured event's data is {@link EventPayload}'s layout exactly (10-digit
 * sequence, space, 19-digit publish time, space, padding {@code x} to the end of the line) and a warm-up event's is
 * {@code w}; an event has one data line (a second means a missing blank line); a decimal {@code id:} line must be
 * greater than the connection's previous id (a repeated or reordered id fails). Comments (heartbeats),
 * {@code event:}, {@code retry:} and unknown fields are ignored. Event order by sequence is the
 * {@link Listener}'s to check (a stalled reader may skip events without failing).
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

    private enum Line
    {
        LINE_START, FIELD_DATA, FIELD_ID, DATA_SPACE, DATA_START, WARM_UP_END, DATA_SEQUENCE, DATA_TIME,
        DATA_PADDING, ID_SPACE, ID_START, ID_DIGITS, SKIP_LINE
    }

    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 8192;
    private static final int MAX_ID_DIGITS = 18;

    private final Listener listener;

    private Body body = Body.HEAD;
    private byte[] head = new byte[512];
    private int headLength;
    private long chunkRemaining;
    private int chunkSizeDigits;

    private Line line = Line.LINE_START;
    private int matched;
    private int digits;
    private boolean pendingWarmUp;
    private boolean pendingEvent;
    private long sequence;
    private long timeNs;
    private long id;
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

    private boolean onEventStream(final ByteBuffer buffer, final int start, final int end)
    {
        Line state = line;
        for (int i = start; i < end; i++)
        {
            final byte b = buffer.get(i);
            switch (state)
            {
                case LINE_START:
                    if (b == '\n')
                    {
                        dispatch();
                    }
                    else if (b == 'd')
                    {
                        matched = 1;
                        state = Line.FIELD_DATA;
                    }
                    else if (b == 'i')
                    {
                        matched = 1;
                        state = Line.FIELD_ID;
                    }
                    else if (b != '\r')
                    {
                        state = Line.SKIP_LINE;
                    }
                    break;

                case FIELD_DATA:
                    if (matched == DATA.length)
                    {
                        state = b == ':' ? Line.DATA_SPACE : (b == '\n' ? Line.LINE_START : Line.SKIP_LINE);
                    }
                    else if (b == DATA[matched])
                    {
                        matched++;
                    }
                    else
                    {
                        state = b == '\n' ? Line.LINE_START : Line.SKIP_LINE;
                    }
                    break;

                case FIELD_ID:
                    if (matched == ID.length)
                    {
                        state = b == ':' ? Line.ID_SPACE : (b == '\n' ? Line.LINE_START : Line.SKIP_LINE);
                    }
                    else if (b == ID[matched])
                    {
                        matched++;
                    }
                    else
                    {
                        state = b == '\n' ? Line.LINE_START : Line.SKIP_LINE;
                    }
                    break;

                case DATA_SPACE:
                    if (b == ' ')
                    {
                        state = Line.DATA_START;
                        break;
                    }
                    // fall-through: no space after the colon
                case DATA_START:
                    if (pendingEvent || pendingWarmUp)
                    {
                        return fail("second data line in one event (missing blank line?) after id " + lastId + " (" +
                            events + " events decoded)");
                    }
                    if (b >= '0' && b <= '9')
                    {
                        sequence = b - '0';
                        digits = 1;
                        state = Line.DATA_SEQUENCE;
                    }
                    else if (b == EventPayload.WARM_UP)
                    {
                        state = Line.WARM_UP_END;
                    }
                    else
                    {
                        return failLine("data line", b);
                    }
                    break;

                case WARM_UP_END:
                    if (b == '\n')
                    {
                        pendingWarmUp = true;
                        state = Line.LINE_START;
                    }
                    else if (b != '\r')
                    {
                        return failLine("warm-up data line", b);
                    }
                    break;

                case DATA_SEQUENCE:
                    if (b >= '0' && b <= '9' && digits < EventPayload.SEQUENCE_DIGITS)
                    {
                        sequence = sequence * 10 + (b - '0');
                        digits++;
                    }
                    else if (b == ' ' && digits == EventPayload.SEQUENCE_DIGITS)
                    {
                        timeNs = 0;
                        digits = 0;
                        state = Line.DATA_TIME;
                    }
                    else
                    {
                        return failLine("sequence of a data line", b);
                    }
                    break;

                case DATA_TIME:
                    if (b >= '0' && b <= '9' && digits < EventPayload.TIME_DIGITS)
                    {
                        timeNs = timeNs * 10 + (b - '0');
                        digits++;
                    }
                    else if (b == ' ' && digits == EventPayload.TIME_DIGITS)
                    {
                        state = Line.DATA_PADDING;
                    }
                    else
                    {
                        return failLine("publish time of a data line", b);
                    }
                    break;

                case DATA_PADDING:
                    if (b == '\n')
                    {
                        pendingEvent = true;
                        state = Line.LINE_START;
                    }
                    else if (b != 'x' && b != '\r')
                    {
                        return failLine("padding of a data line", b);
                    }
                    break;

                case ID_SPACE:
                    if (b == ' ')
                    {
                        state = Line.ID_START;
                        break;
                    }
                    // fall-through: no space after the colon
                case ID_START:
                    if (b < '0' || b > '9')
                    {
                        return failLine("id line", b);
                    }
                    id = b - '0';
                    digits = 1;
                    state = Line.ID_DIGITS;
                    break;

                case ID_DIGITS:
                    if (b >= '0' && b <= '9' && digits < MAX_ID_DIGITS)
                    {
                        id = id * 10 + (b - '0');
                        digits++;
                    }
                    else if (b == '\n')
                    {
                        if (id <= lastId)
                        {
                            return fail("id " + id + " after id " + lastId + " (repeated or reordered; " + events +
                                " events decoded)");
                        }
                        lastId = id;
                        state = Line.LINE_START;
                    }
                    else if (b != '\r')
                    {
                        return failLine("id line", b);
                    }
                    break;

                default:
                    if (b != '\n')
                    {
                        do
                        {
                            if (++i == end)
                            {
                                line = Line.SKIP_LINE;
                                return true;
                            }
                        }
                        while (buffer.get(i) != '\n');
                    }
                    state = Line.LINE_START;
                    break;
            }
        }
        line = state;
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
