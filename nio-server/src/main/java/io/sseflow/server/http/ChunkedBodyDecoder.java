package io.sseflow.server.http;

import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * Incremental decoder of a chunked request body (RFC 9112 section 7.1), a state machine like
 * {@link HttpRequestParser}: bytes are fed as they arrive, {@link Result#NEED_MORE} says the input ended mid-body
 * and the next call resumes where this one stopped, a malformed body ends in {@link State#BAD_MESSAGE} with a
 * status and a short reason.
 * <p>
 * The body is decoded in place: chunk data is moved down to follow the data decoded before it, so the body ends
 * up contiguous from {@link #bodyOffset()} in the very buffer the chunked bytes arrived in, and every byte of
 * framing (sizes, extensions, trailers) is consumed without being kept. After {@link Result#NEED_MORE} all input
 * was consumed, so the caller appends the next bytes at {@link #bodyEnd()}.
 * <pre>
 * chunked-body = *chunk last-chunk trailer-section CRLF
 * chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 * last-chunk   = 1*("0") [ chunk-ext ] CRLF
 * chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 * </pre>
 * Chunk extensions are skipped (control characters other than HTAB refused), trailer fields are checked for the
 * field-line shape and discarded. Lines must end with CRLF (a bare LF in the framing is refused: lenient chunk
 * parsing is a known request-smuggling vector). A chunk size that would take the body past the limit is
 * {@code 413} as soon as its digits are read, before any of its data.
 */
public final class ChunkedBodyDecoder
{
    /**
     * Outcome of {@link #decode}.
     */
    public enum Result
    {
        /**
         * Every byte given was consumed; the body is not complete yet.
         */
        NEED_MORE,
        /**
         * The body is complete; bytes after {@link #consumedTo()} belong to the next request.
         */
        COMPLETE,
        /**
         * The body is malformed or too large; see {@link #errorStatus()} and {@link #errorReason()}.
         */
        BAD_MESSAGE
    }

    /**
     * Where the decoder is in the body.
     */
    public enum State
    {
        /**
         * Expecting the first hex digit of a chunk size.
         */
        SIZE_START,
        /**
         * Reading hex digits of a chunk size.
         */
        SIZE,
        /**
         * Whitespace after the size, which must lead to a chunk extension.
         */
        SIZE_WHITESPACE,
        /**
         * Skipping a chunk extension.
         */
        EXTENSION,
        /**
         * Expecting the LF of the chunk-size line.
         */
        SIZE_LF,
        /**
         * Moving chunk data.
         */
        DATA,
        /**
         * Expecting the CR after chunk data.
         */
        DATA_CR,
        /**
         * Expecting the LF after chunk data.
         */
        DATA_LF,
        /**
         * At the start of a trailer field line, or of the blank line ending the body.
         */
        TRAILER_START,
        /**
         * Reading a trailer field name.
         */
        TRAILER_NAME,
        /**
         * Reading a trailer field value.
         */
        TRAILER_VALUE,
        /**
         * Expecting the LF of a trailer field line.
         */
        TRAILER_LF,
        /**
         * Expecting the LF of the blank line ending the body.
         */
        END_LF,
        /**
         * The body is complete.
         */
        COMPLETE,
        /**
         * Terminal state for a malformed body.
         */
        BAD_MESSAGE
    }

    /**
     * Longest chunk-size line accepted, size digits and extensions together; longer is {@code 400}.
     */
    public static final int MAX_CHUNK_LINE_LENGTH = 4096;

    private static final byte[] HEX_VALUE = new byte[128];

    static
    {
        Arrays.fill(HEX_VALUE, (byte)-1);
        for (int i = 0; i < 10; i++)
        {
            HEX_VALUE['0' + i] = (byte)i;
        }
        for (int i = 0; i < 6; i++)
        {
            HEX_VALUE['a' + i] = (byte)(10 + i);
            HEX_VALUE['A' + i] = (byte)(10 + i);
        }
    }

    private final long maxBodyLength;
    private final int maxTrailerLength;

    private State state = State.SIZE_START;
    private int bodyOffset;
    private int bodyLength;
    private long chunkRemaining;
    private int lineLength;
    private int trailerLength;
    private int consumedTo;
    private int errorStatus;
    private String errorReason;

    /**
     * A decoder with limits.
     *
     * @param maxBodyLength    largest decoded body; more is {@code 413}.
     * @param maxTrailerLength most bytes of trailer fields; more is {@code 431}.
     */
    public ChunkedBodyDecoder(final long maxBodyLength, final int maxTrailerLength)
    {
        if (maxBodyLength < 0 || maxBodyLength > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("max body length must be 0..2147483647: " + maxBodyLength);
        }
        this.maxBodyLength = maxBodyLength;
        this.maxTrailerLength = maxTrailerLength;
    }

    /**
     * Start a new body.
     *
     * @param bodyOffset where the chunked bytes start in the buffer, and so where the decoded body will start.
     */
    public void reset(final int bodyOffset)
    {
        state = State.SIZE_START;
        this.bodyOffset = bodyOffset;
        bodyLength = 0;
        chunkRemaining = 0;
        lineLength = 0;
        trailerLength = 0;
        consumedTo = bodyOffset;
        errorStatus = 0;
        errorReason = null;
    }

    /**
     * Decode chunked bytes {@code [offset, limit)} of the buffer, moving chunk data to {@link #bodyEnd()}.
     *
     * @param buffer holding the decoded body so far from {@link #bodyOffset()}, then the new chunked bytes.
     * @param offset of the new chunked bytes, at or after {@link #bodyEnd()}.
     * @param limit  end of the bytes read so far.
     * @return {@link Result#NEED_MORE} (everything consumed), {@link Result#COMPLETE} or {@link Result#BAD_MESSAGE}.
     */
    public Result decode(final MutableDirectBuffer buffer, final int offset, final int limit)
    {
        if (state == State.COMPLETE)
        {
            return Result.COMPLETE;
        }
        if (state == State.BAD_MESSAGE)
        {
            return Result.BAD_MESSAGE;
        }
        if (offset < bodyOffset + bodyLength)
        {
            throw new IllegalArgumentException("offset " + offset + " is inside the decoded body ending at " + bodyEnd());
        }

        State state = this.state;
        int position = offset;
        while (position < limit)
        {
            if (state == State.DATA)
            {
                final int length = (int)Math.min(chunkRemaining, limit - position);
                buffer.putBytes(bodyOffset + bodyLength, buffer, position, length);
                bodyLength += length;
                chunkRemaining -= length;
                position += length;
                if (chunkRemaining == 0)
                {
                    state = State.DATA_CR;
                }
                continue;
            }

            final byte b = buffer.getByte(position);
            switch (state)
            {
                case SIZE_START:
                    lineLength = 0;
                    chunkRemaining = 0;
                    if (hexValue(b) < 0)
                    {
                        return fail(position, 400, "malformed chunk size");
                    }
                    state = State.SIZE;
                    // fall-through: this byte is the first digit
                case SIZE:
                {
                    final int digit = hexValue(b);
                    if (digit >= 0)
                    {
                        chunkRemaining = (chunkRemaining << 4) + digit;
                        if (chunkRemaining > maxBodyLength - bodyLength)
                        {
                            return fail(position, 413, "request body too large");
                        }
                    }
                    else if (b == ';')
                    {
                        state = State.EXTENSION;
                    }
                    else if (b == ' ' || b == '\t')
                    {
                        state = State.SIZE_WHITESPACE;
                    }
                    else if (b == '\r')
                    {
                        state = State.SIZE_LF;
                    }
                    else if (b == '\n')
                    {
                        return fail(position, 400, "chunk-size line not ended by CRLF");
                    }
                    else
                    {
                        return fail(position, 400, "malformed chunk size");
                    }
                    break;
                }

                case SIZE_WHITESPACE:
                    if (b == ';')
                    {
                        state = State.EXTENSION;
                    }
                    else if (b != ' ' && b != '\t')
                    {
                        return fail(position, 400, "malformed chunk size");
                    }
                    break;

                case EXTENSION:
                    if (b == '\r')
                    {
                        state = State.SIZE_LF;
                    }
                    else if (b == '\n')
                    {
                        return fail(position, 400, "chunk-size line not ended by CRLF");
                    }
                    else if (isControl(b))
                    {
                        return fail(position, 400, "malformed chunk extension");
                    }
                    break;

                case SIZE_LF:
                    if (b != '\n')
                    {
                        return fail(position, 400, "chunk-size line not ended by CRLF");
                    }
                    state = chunkRemaining == 0 ? State.TRAILER_START : State.DATA;
                    break;

                case DATA_CR:
                    if (b != '\r')
                    {
                        return fail(position, 400, "chunk data not followed by CRLF");
                    }
                    state = State.DATA_LF;
                    break;

                case DATA_LF:
                    if (b != '\n')
                    {
                        return fail(position, 400, "chunk data not followed by CRLF");
                    }
                    state = State.SIZE_START;
                    break;

                case TRAILER_START:
                    if (b == '\r')
                    {
                        state = State.END_LF;
                    }
                    else if (HttpRequestParser.isTchar(b))
                    {
                        state = State.TRAILER_NAME;
                    }
                    else
                    {
                        return fail(position, 400, "malformed trailer field");
                    }
                    break;

                case TRAILER_NAME:
                    if (b == ':')
                    {
                        state = State.TRAILER_VALUE;
                    }
                    else if (!HttpRequestParser.isTchar(b))
                    {
                        return fail(position, 400, "malformed trailer field");
                    }
                    break;

                case TRAILER_VALUE:
                    if (b == '\r')
                    {
                        state = State.TRAILER_LF;
                    }
                    else if (isControl(b))
                    {
                        return fail(position, 400, "malformed trailer field");
                    }
                    break;

                case TRAILER_LF:
                    if (b != '\n')
                    {
                        return fail(position, 400, "trailer field not ended by CRLF");
                    }
                    state = State.TRAILER_START;
                    break;

                case END_LF:
                    if (b != '\n')
                    {
                        return fail(position, 400, "chunked body not ended by CRLF");
                    }
                    this.state = State.COMPLETE;
                    consumedTo = position + 1;
                    return Result.COMPLETE;

                default:
                    throw new IllegalStateException("unexpected decoder state " + state);
            }

            if (state.ordinal() <= State.SIZE_LF.ordinal() && ++lineLength > MAX_CHUNK_LINE_LENGTH)
            {
                return fail(position, 400, "chunk-size line too long");
            }
            if (state.ordinal() >= State.TRAILER_START.ordinal() && ++trailerLength > maxTrailerLength)
            {
                return fail(position, 431, "trailer fields too large");
            }
            position++;
        }

        this.state = state;
        consumedTo = position;
        return Result.NEED_MORE;
    }

    /**
     * Current state.
     *
     * @return the state.
     */
    public State state()
    {
        return state;
    }

    /**
     * Where the decoded body starts.
     *
     * @return the offset given to {@link #reset(int)}.
     */
    public int bodyOffset()
    {
        return bodyOffset;
    }

    /**
     * Bytes of body decoded so far.
     *
     * @return the length.
     */
    public int bodyLength()
    {
        return bodyLength;
    }

    /**
     * End of the body decoded so far: where the next chunked bytes go after {@link Result#NEED_MORE}.
     *
     * @return {@code bodyOffset() + bodyLength()}.
     */
    public int bodyEnd()
    {
        return bodyOffset + bodyLength;
    }

    /**
     * End of the chunked bytes consumed by the last {@link #decode} call: its {@code limit} after
     * {@link Result#NEED_MORE}, the index after the body's final CRLF after {@link Result#COMPLETE}.
     *
     * @return the index.
     */
    public int consumedTo()
    {
        return consumedTo;
    }

    /**
     * Status to answer a malformed body with.
     *
     * @return 400, 413 or 431.
     */
    public int errorStatus()
    {
        return errorStatus;
    }

    /**
     * Short reason for a malformed body.
     *
     * @return the reason.
     */
    public String errorReason()
    {
        return errorReason;
    }

    private Result fail(final int position, final int status, final String reason)
    {
        state = State.BAD_MESSAGE;
        consumedTo = position;
        errorStatus = status;
        errorReason = reason;
        return Result.BAD_MESSAGE;
    }

    private static int hexValue(final byte b)
    {
        return b >= 0 ? HEX_VALUE[b] : -1;
    }

    private static boolean isControl(final byte b)
    {
        return (b >= 0 && b < ' ' && b != '\t') || b == 0x7F;
    }
}
