package io.sseflow.server.http;

import org.agrona.DirectBuffer;

/**
 * Incremental HTTP/1.x request-head parser (RFC 9112), a state machine: bytes are fed as they arrive, the parser returns {@link #NEED_MORE} when the input
 * is short and resumes where it stopped on the next call, and a malformed head ends in {@link State#BAD_MESSAGE}
 * with a status and a short reason. Nothing is copied or decoded: the parser records offsets into the caller's
 * buffer, which must keep the head's bytes in place until the request is handled.
 * <p>
 * Bare LF is accepted as a line terminator (RFC 9112 section 2.2), and empty lines before the request line are
 * ignored (section 2.2), within the head limit. Obsolete line folding is rejected (section 5.2). The chunked
 * transfer coding is understood (section 7.1; the body is decoded by the {@link #chunkedBody()} decoder): it
 * must be the final and only coding, so {@code Transfer-Encoding} whose final coding is not {@code chunked}, or
 * that applies it twice, gets 400 (section 6.3), other codings before it 501, and {@code Transfer-Encoding}
 * together with {@code Content-Length}, or in an HTTP/1.0 request, 400 (section 6.1: a smuggling vector).
 * An HTTP/1.1 request without exactly one {@code Host} gets 400 (section 3.2); HTTP/1.0 requests are served
 * without it. Two {@code Authorization} fields get 400, so that no reader of the head can pick another one
 * than the authorization check did. More than {@link #MAX_HEADER_FIELDS} field lines get 431. A request line for
 * another protocol version, such as the HTTP/2 connection preface {@code PRI * HTTP/2.0}, gets 505.
 */
public final class HttpRequestParser
{
    /**
     * Result of {@link #parse}: the head is not complete yet.
     */
    public static final int NEED_MORE = 0;

    /**
     * Result of {@link #parse}: the head is complete; the body (if any) starts at {@link #headLength()}.
     */
    public static final int COMPLETE = 1;

    /**
     * Result of {@link #parse}: the request is malformed; see {@link #errorStatus()} and {@link #errorReason()}.
     */
    public static final int BAD_MESSAGE = 2;

    /**
     * Where the parser is in the head.
     */
    public enum State
    {
        /**
         * Expecting the LF of an empty line before the request line.
         */
        LEADING_LF,
        /**
         * Reading the method token (empty lines before it are skipped).
         */
        METHOD,
        /**
         * Reading the request target.
         */
        TARGET,
        /**
         * Reading the protocol version.
         */
        VERSION,
        /**
         * Expecting the LF after the request line's CR.
         */
        REQUEST_LINE_LF,
        /**
         * At the start of a header line, or of the blank line ending the head.
         */
        HEADER_START,
        /**
         * Reading a field name.
         */
        HEADER_NAME,
        /**
         * Reading a field value.
         */
        HEADER_VALUE,
        /**
         * Expecting the LF after a field line's CR.
         */
        HEADER_LF,
        /**
         * Expecting the LF of the blank line.
         */
        HEAD_END_LF,
        /**
         * The head is complete.
         */
        COMPLETE,
        /**
         * Terminal state for a malformed request.
         */
        BAD_MESSAGE
    }

    /**
     * Most field lines accepted in one head; more is 431.
     */
    public static final int MAX_HEADER_FIELDS = 100;

    private static final int MAX_METHOD_LENGTH = 16;
    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;
    private static final boolean[] TCHAR = new boolean[128];

    static
    {
        // RFC 9110 section 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
        // "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        for (char c = '0'; c <= '9'; c++)
        {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++)
        {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (final char c : "!#$%&'*+-.^_`|~".toCharArray())
        {
            TCHAR[c] = true;
        }
    }

    private final int maxHeadLength;
    private final long maxContentLength;

    private State state = State.METHOD;
    private int position;
    private int tokenStart;
    private int valueStart;
    private int valueEnd;
    private int nameEnd;

    private HttpMethod method;
    private int targetOffset;
    private int targetLength;
    private int pathOffset;
    private int pathLength;
    private int queryOffset;
    private int queryLength;
    private boolean http11;
    private int headLength;
    private long contentLength;
    private boolean closeRequested;
    private boolean keepAliveRequested;
    private boolean expectContinue;
    private boolean transferEncoding;
    private int transferCodings;
    private int chunkedCodings;
    private boolean lastCodingChunked;
    private boolean chunked;
    private boolean contentLengthSeen;
    private boolean targetMalformed;
    private int headerCount;
    private int fieldsOffset;
    private int hostCount;
    private int lastEventIdOffset;
    private int lastEventIdLength;
    private int contentTypeOffset;
    private int contentTypeLength;
    private int contentTypeCount;
    private int authorizationOffset;
    private int authorizationLength;
    private int originOffset;
    private int idempotencyKeyOffset;
    private int idempotencyKeyLength;
    private int idempotencyKeyCount;
    private int originLength;
    private int xForwardedForOffset;
    private int xForwardedForLength;
    private int xForwardedForCount;
    private int forwardedOffset;
    private int forwardedLength;
    private int forwardedCount;

    private int errorStatus;
    private String errorReason;
    private final ChunkedBodyDecoder chunkedBody;

    /**
     * A parser with limits.
     *
     * @param maxHeadLength    bytes of request line and header fields; more is 431 (414 within the request line).
     * @param maxContentLength largest accepted body ({@code Content-Length} or decoded chunked); more is 413.
     */
    public HttpRequestParser(final int maxHeadLength, final long maxContentLength)
    {
        this.maxHeadLength = maxHeadLength;
        this.maxContentLength = maxContentLength;
        chunkedBody = new ChunkedBodyDecoder(maxContentLength, maxHeadLength);
        reset();
    }

    /**
     * Forget the current request, to parse the next one from offset 0.
     */
    public void reset()
    {
        state = State.METHOD;
        position = 0;
        tokenStart = 0;
        valueStart = -1;
        valueEnd = -1;
        nameEnd = 0;
        method = null;
        targetOffset = 0;
        targetLength = 0;
        pathOffset = 0;
        pathLength = 0;
        queryOffset = 0;
        queryLength = 0;
        http11 = false;
        headLength = 0;
        contentLength = 0;
        closeRequested = false;
        keepAliveRequested = false;
        expectContinue = false;
        transferEncoding = false;
        transferCodings = 0;
        chunkedCodings = 0;
        lastCodingChunked = false;
        chunked = false;
        chunkedBody.reset(0);
        contentLengthSeen = false;
        targetMalformed = false;
        headerCount = 0;
        fieldsOffset = 0;
        hostCount = 0;
        lastEventIdOffset = -1;
        lastEventIdLength = 0;
        contentTypeOffset = -1;
        contentTypeLength = 0;
        contentTypeCount = 0;
        authorizationOffset = -1;
        authorizationLength = 0;
        originOffset = -1;
        idempotencyKeyOffset = -1;
        idempotencyKeyLength = 0;
        idempotencyKeyCount = 0;
        originLength = 0;
        xForwardedForOffset = -1;
        xForwardedForLength = 0;
        xForwardedForCount = 0;
        forwardedOffset = -1;
        forwardedLength = 0;
        forwardedCount = 0;
        errorStatus = 0;
        errorReason = null;
    }

    /**
     * Parse what has arrived. The request starts at offset 0 of the buffer; bytes before {@code limit} are
     * what has been read so far, including those already parsed by earlier calls.
     *
     * @param buffer holding the request bytes from offset 0.
     * @param limit  end of the bytes read so far.
     * @return {@link #NEED_MORE}, {@link #COMPLETE} or {@link #BAD_MESSAGE}.
     */
    public int parse(final DirectBuffer buffer, final int limit)
    {
        if (state == State.COMPLETE)
        {
            return COMPLETE;
        }
        if (state == State.BAD_MESSAGE)
        {
            return BAD_MESSAGE;
        }

        final int end = Math.min(limit, maxHeadLength);
        int position = this.position;
        State state = this.state;
        while (position < end)
        {
            final byte b = buffer.getByte(position);
            switch (state)
            {
                case LEADING_LF:
                    if (b != '\n')
                    {
                        return fail(400, "CR not followed by LF");
                    }
                    tokenStart = position + 1;
                    state = State.METHOD;
                    break;

                case METHOD:
                    if (position == tokenStart && (b == '\r' || b == '\n'))
                    {
                        // RFC 9112 section 2.2: ignore empty lines received before the request line
                        if (b == '\n')
                        {
                            tokenStart = position + 1;
                        }
                        else
                        {
                            state = State.LEADING_LF;
                        }
                    }
                    else if (b == ' ')
                    {
                        final int length = position - tokenStart;
                        if (length == 0)
                        {
                            return fail(400, "missing method");
                        }
                        method = HttpMethod.match(buffer, tokenStart, length);
                        targetOffset = position + 1;
                        state = State.TARGET;
                    }
                    else if (!isTchar(b) || position - tokenStart >= MAX_METHOD_LENGTH)
                    {
                        return fail(400, "malformed method");
                    }
                    break;

                case TARGET:
                    if (b == ' ')
                    {
                        targetLength = position - targetOffset;
                        // judged after the version, so that "PRI * HTTP/2.0" is answered 505 rather than 400
                        targetMalformed = !splitTarget(buffer);
                        tokenStart = position + 1;
                        state = State.VERSION;
                    }
                    else if (b <= ' ' || b == 0x7F)
                    {
                        return fail(400, "malformed request target");
                    }
                    break;

                case VERSION:
                    if (b == '\r' || b == '\n')
                    {
                        final int length = position - tokenStart;
                        if (AsciiBytes.equals(buffer, tokenStart, length, "HTTP/1.1"))
                        {
                            http11 = true;
                        }
                        else if (AsciiBytes.equals(buffer, tokenStart, length, "HTTP/1.0"))
                        {
                            http11 = false;
                        }
                        else if (length == 8 && AsciiBytes.equals(buffer, tokenStart, 5, "HTTP/"))
                        {
                            return fail(505, "only HTTP/1.1 and HTTP/1.0 are supported");
                        }
                        else
                        {
                            return fail(400, "malformed protocol version");
                        }
                        if (targetMalformed)
                        {
                            return fail(400, "malformed request target");
                        }
                        fieldsOffset = b == '\r' ? position + 2 : position + 1;
                        state = b == '\r' ? State.REQUEST_LINE_LF : State.HEADER_START;
                    }
                    else if (position - tokenStart >= 8)
                    {
                        return fail(400, "malformed protocol version");
                    }
                    break;

                case REQUEST_LINE_LF:
                case HEADER_LF:
                    if (b != '\n')
                    {
                        return fail(400, "CR not followed by LF");
                    }
                    if (state == State.HEADER_LF)
                    {
                        final int result = onHeader(buffer);
                        if (result != NEED_MORE)
                        {
                            return result;
                        }
                    }
                    state = State.HEADER_START;
                    break;

                case HEADER_START:
                    if (b == '\r')
                    {
                        state = State.HEAD_END_LF;
                        break;
                    }
                    if (b == '\n')
                    {
                        this.position = position + 1;
                        return onHeadComplete(position + 1);
                    }
                    if (b == ' ' || b == '\t')
                    {
                        return fail(400, "obsolete line folding is not accepted");
                    }
                    tokenStart = position;
                    state = State.HEADER_NAME;
                    // fall-through: this byte is the first of the name
                case HEADER_NAME:
                    if (b == ':')
                    {
                        if (position == tokenStart)
                        {
                            return fail(400, "empty header name");
                        }
                        nameEnd = position;
                        valueStart = -1;
                        valueEnd = -1;
                        state = State.HEADER_VALUE;
                    }
                    else if (!isTchar(b))
                    {
                        return fail(400, "malformed header name");
                    }
                    break;

                case HEADER_VALUE:
                    if (b == '\r' || b == '\n')
                    {
                        if (b == '\r')
                        {
                            state = State.HEADER_LF;
                        }
                        else
                        {
                            final int result = onHeader(buffer);
                            if (result != NEED_MORE)
                            {
                                return result;
                            }
                            state = State.HEADER_START;
                        }
                    }
                    else if (b == ' ' || b == '\t')
                    {
                        // optional whitespace: trimmed at both ends (RFC 9110 section 5.5)
                    }
                    else if ((b >= 0 && b < ' ') || b == 0x7F)
                    {
                        return fail(400, "control character in header value");
                    }
                    else
                    {
                        if (valueStart < 0)
                        {
                            valueStart = position;
                        }
                        valueEnd = position + 1;
                    }
                    break;

                case HEAD_END_LF:
                    if (b != '\n')
                    {
                        return fail(400, "CR not followed by LF");
                    }
                    this.position = position + 1;
                    return onHeadComplete(position + 1);

                default:
                    throw new IllegalStateException("unexpected parser state " + state);
            }
            position++;
        }

        this.position = position;
        this.state = state;
        if (position >= maxHeadLength)
        {
            if (state == State.LEADING_LF || (state == State.METHOD && tokenStart >= position))
            {
                return fail(400, "too many empty lines before the request line");
            }
            return state.ordinal() <= State.VERSION.ordinal() ?
                fail(414, "request line too long") :
                fail(431, "request header fields too large");
        }
        return NEED_MORE;
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
     * The request method.
     *
     * @return the method.
     */
    public HttpMethod method()
    {
        return method;
    }

    /**
     * Offset of the path (the request target without query; for an absolute-form target, without scheme and
     * authority).
     *
     * @return the offset.
     */
    public int pathOffset()
    {
        return pathOffset;
    }

    /**
     * Length of the path.
     *
     * @return the length.
     */
    public int pathLength()
    {
        return pathLength;
    }

    /**
     * Offset of the query, after {@code ?}.
     *
     * @return the offset.
     */
    public int queryOffset()
    {
        return queryOffset;
    }

    /**
     * Length of the query, 0 when there is none.
     *
     * @return the length.
     */
    public int queryLength()
    {
        return queryLength;
    }

    /**
     * Is this an HTTP/1.1 request (rather than 1.0)?
     *
     * @return true for HTTP/1.1.
     */
    public boolean isHttp11()
    {
        return http11;
    }

    /**
     * Length of the head; the body starts there.
     *
     * @return bytes.
     */
    public int headLength()
    {
        return headLength;
    }

    /**
     * {@code Content-Length}, 0 when absent.
     *
     * @return bytes of body.
     */
    public long contentLength()
    {
        return contentLength;
    }

    /**
     * Is the body chunked ({@code Transfer-Encoding: chunked})? Its bytes are then decoded by
     * {@link #chunkedBody()}.
     *
     * @return true for a chunked body.
     */
    public boolean isChunked()
    {
        return chunked;
    }

    /**
     * The decoder of a chunked body, reset to start at {@link #headLength()} when a chunked head completes.
     *
     * @return this parser's decoder.
     */
    public ChunkedBodyDecoder chunkedBody()
    {
        return chunkedBody;
    }

    /**
     * Length of the body: {@code Content-Length}, or for a chunked body the bytes decoded so far (all of it once
     * the decoder is complete). The body starts at {@link #headLength()}.
     *
     * @return bytes of body.
     */
    public long bodyLength()
    {
        return chunked ? chunkedBody.bodyLength() : contentLength;
    }

    /**
     * Should the connection be kept open after the response (RFC 9112 section 9.3)?
     *
     * @return true for a persistent connection.
     */
    public boolean isKeepAlive()
    {
        return http11 ? !closeRequested : keepAliveRequested && !closeRequested;
    }

    /**
     * Did an HTTP/1.1 client send {@code Expect: 100-continue}? (An HTTP/1.0 one is ignored, RFC 9110 section
     * 10.1.1.)
     *
     * @return true when it waits for an interim 100 before the body.
     */
    public boolean expectsContinue()
    {
        return expectContinue && http11;
    }

    /**
     * Offset of the {@code Last-Event-ID} value, -1 when absent.
     *
     * @return the offset.
     */
    public int lastEventIdOffset()
    {
        return lastEventIdOffset;
    }

    /**
     * Length of the {@code Last-Event-ID} value.
     *
     * @return the length.
     */
    public int lastEventIdLength()
    {
        return lastEventIdLength;
    }

    /**
     * Offset of the {@code Content-Type} value, -1 when absent or sent more than once (RFC 9110 section 8.3: one
     * media type).
     *
     * @return the offset.
     */
    public int contentTypeOffset()
    {
        return contentTypeCount == 1 ? contentTypeOffset : -1;
    }

    /**
     * Length of the {@code Content-Type} value, 0 when {@link #contentTypeOffset()} is -1.
     *
     * @return the length.
     */
    public int contentTypeLength()
    {
        return contentTypeCount == 1 ? contentTypeLength : 0;
    }

    /**
     * Offset of the {@code Authorization} value, -1 when absent.
     *
     * @return the offset.
     */
    public int authorizationOffset()
    {
        return authorizationOffset;
    }

    /**
     * Length of the {@code Authorization} value.
     *
     * @return the length.
     */
    public int authorizationLength()
    {
        return authorizationLength;
    }

    /**
     * Offset of the last {@code Idempotency-Key} value, -1 when absent.
     *
     * @return the offset.
     */
    public int idempotencyKeyOffset()
    {
        return idempotencyKeyOffset;
    }

    /**
     * Length of the last {@code Idempotency-Key} value.
     *
     * @return the length.
     */
    public int idempotencyKeyLength()
    {
        return idempotencyKeyLength;
    }

    /**
     * {@code Idempotency-Key} field lines in the head (more than one is refused by the publish handlers).
     *
     * @return the count.
     */
    public int idempotencyKeyCount()
    {
        return idempotencyKeyCount;
    }

    /**
     * Offset of the {@code Origin} value, -1 when absent.
     *
     * @return the offset.
     */
    public int originOffset()
    {
        return originOffset;
    }

    /**
     * Length of the {@code Origin} value.
     *
     * @return the length.
     */
    public int originLength()
    {
        return originLength;
    }

    /**
     * Offset of the last {@code X-Forwarded-For} value, -1 when absent.
     *
     * @return the offset.
     */
    public int xForwardedForOffset()
    {
        return xForwardedForOffset;
    }

    /**
     * Length of the last {@code X-Forwarded-For} value.
     *
     * @return the length.
     */
    public int xForwardedForLength()
    {
        return xForwardedForLength;
    }

    /**
     * Number of {@code X-Forwarded-For} field lines (several form one list, in order; see {@link ForwardedFor}).
     *
     * @return the count.
     */
    public int xForwardedForCount()
    {
        return xForwardedForCount;
    }

    /**
     * Offset of the last {@code Forwarded} (RFC 7239) value, -1 when absent.
     *
     * @return the offset.
     */
    public int forwardedOffset()
    {
        return forwardedOffset;
    }

    /**
     * Length of the last {@code Forwarded} value.
     *
     * @return the length.
     */
    public int forwardedLength()
    {
        return forwardedLength;
    }

    /**
     * Number of {@code Forwarded} field lines.
     *
     * @return the count.
     */
    public int forwardedCount()
    {
        return forwardedCount;
    }

    /**
     * Number of header field lines in the head.
     *
     * @return the count.
     */
    public int headerCount()
    {
        return headerCount;
    }

    /**
     * Visit every header field line of a complete head, in order, as offsets into the buffer that was parsed.
     * Names keep their case; values are trimmed of optional whitespace at both ends. Rescans the head, which is
     * already validated, so it keeps nothing per field: meant for rare paths such as authorization.
     *
     * @param buffer  the buffer given to {@link #parse}, still holding the head.
     * @param visitor called once per field line until it returns false.
     * @return the number of fields visited.
     * @throws IllegalStateException when the head is not complete.
     */
    public int forEachHeader(final DirectBuffer buffer, final HeaderVisitor visitor)
    {
        if (state != State.COMPLETE)
        {
            throw new IllegalStateException("head not complete: " + state);
        }
        int visited = 0;
        int lineStart = fieldsOffset;
        final int end = headLength;
        while (lineStart < end)
        {
            int lineEnd = lineStart;
            while (lineEnd < end && buffer.getByte(lineEnd) != '\n')
            {
                lineEnd++;
            }
            final int next = lineEnd + 1;
            if (lineEnd > lineStart && buffer.getByte(lineEnd - 1) == '\r')
            {
                lineEnd--;
            }
            if (lineEnd == lineStart)
            {
                break;
            }
            int colon = lineStart;
            while (buffer.getByte(colon) != ':')
            {
                colon++;
            }
            int valueStart = colon + 1;
            int valueEnd = lineEnd;
            while (valueStart < valueEnd && isOptionalWhitespace(buffer.getByte(valueStart)))
            {
                valueStart++;
            }
            while (valueEnd > valueStart && isOptionalWhitespace(buffer.getByte(valueEnd - 1)))
            {
                valueEnd--;
            }
            visited++;
            if (!visitor.onHeader(buffer, lineStart, colon - lineStart, valueStart, valueEnd - valueStart))
            {
                break;
            }
            lineStart = next;
        }
        return visited;
    }

    /**
     * Status to answer a malformed request with.
     *
     * @return 400, 413, 414, 431, 501 or 505.
     */
    public int errorStatus()
    {
        return errorStatus;
    }

    /**
     * Short reason for a malformed request.
     *
     * @return the reason.
     */
    public String errorReason()
    {
        return errorReason;
    }

    private int onHeadComplete(final int headLength)
    {
        this.headLength = headLength;
        if (transferEncoding)
        {
            if (contentLengthSeen)
            {
                return fail(400, "both Transfer-Encoding and Content-Length");
            }
            if (!http11)
            {
                return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (!lastCodingChunked)
            {
                return fail(400, "Transfer-Encoding must end with chunked");
            }
            if (chunkedCodings > 1)
            {
                return fail(400, "chunked applied more than once");
            }
            if (transferCodings > 1)
            {
                return fail(501, "only the chunked transfer coding is supported");
            }
            chunked = true;
        }
        if (contentLength > maxContentLength)
        {
            return fail(413, "request body too large");
        }
        if (hostCount > 1)
        {
            return fail(400, "more than one Host header");
        }
        if (http11 && hostCount == 0)
        {
            return fail(400, "missing Host header");
        }
        if (chunked)
        {
            chunkedBody.reset(headLength);
        }
        state = State.COMPLETE;
        return COMPLETE;
    }

    private int onHeader(final DirectBuffer buffer)
    {
        final int nameOffset = tokenStart;
        final int nameLength = nameEnd - tokenStart;
        final int valueOffset = valueStart < 0 ? nameEnd + 1 : valueStart;
        final int valueLength = valueStart < 0 ? 0 : valueEnd - valueStart;
        if (++headerCount > MAX_HEADER_FIELDS)
        {
            return fail(431, "too many header fields");
        }

        switch (nameLength)
        {
            case 4:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "host"))
                {
                    hostCount++;
                }
                break;

            case 6:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "origin"))
                {
                    originOffset = valueOffset;
                    originLength = valueLength;
                }
                else if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "expect"))
                {
                    expectContinue = AsciiBytes.equalsIgnoreCase(buffer, valueOffset, valueLength, "100-continue");
                }
                break;

            case 9:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "forwarded"))
                {
                    forwardedOffset = valueOffset;
                    forwardedLength = valueLength;
                    forwardedCount++;
                }
                break;

            case 10:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "connection"))
                {
                    closeRequested |= AsciiBytes.containsToken(buffer, valueOffset, valueLength, "close");
                    keepAliveRequested |= AsciiBytes.containsToken(buffer, valueOffset, valueLength, "keep-alive");
                }
                break;

            case 12:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "content-type"))
                {
                    contentTypeOffset = valueOffset;
                    contentTypeLength = valueLength;
                    contentTypeCount++;
                }
                break;

            case 13:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "last-event-id"))
                {
                    lastEventIdOffset = valueOffset;
                    lastEventIdLength = valueLength;
                }
                else if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "authorization"))
                {
                    if (authorizationOffset >= 0)
                    {
                        return fail(400, "more than one Authorization header");
                    }
                    authorizationOffset = valueOffset;
                    authorizationLength = valueLength;
                }
                break;

            case 14:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "content-length"))
                {
                    // RFC 9112 section 6.3: an invalid or conflicting Content-Length is unrecoverable
                    final long length = parseContentLength(buffer, valueOffset, valueLength);
                    if (length < 0 || (contentLengthSeen && contentLength != length))
                    {
                        return fail(400, "invalid Content-Length");
                    }
                    contentLength = length;
                    contentLengthSeen = true;
                }
                break;

            case 15:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "x-forwarded-for"))
                {
                    xForwardedForOffset = valueOffset;
                    xForwardedForLength = valueLength;
                    xForwardedForCount++;
                }
                else if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "idempotency-key"))
                {
                    idempotencyKeyOffset = valueOffset;
                    idempotencyKeyLength = valueLength;
                    idempotencyKeyCount++;
                }
                break;

            case 17:
                if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "transfer-encoding"))
                {
                    transferEncoding = true;
                    readTransferCodings(buffer, valueOffset, valueLength);
                }
                break;

            default:
                break;
        }
        return NEED_MORE;
    }

    private void readTransferCodings(final DirectBuffer buffer, final int offset, final int length)
    {
        // RFC 9112 section 6.1: Transfer-Encoding = #transfer-coding, a comma-separated list over all field lines
        final int end = offset + length;
        int elementStart = offset;
        while (elementStart <= end)
        {
            int elementEnd = elementStart;
            while (elementEnd < end && buffer.getByte(elementEnd) != ',')
            {
                elementEnd++;
            }
            int nameStart = elementStart;
            int nameEnd = elementStart;
            while (nameEnd < elementEnd && buffer.getByte(nameEnd) != ';')
            {
                nameEnd++;
            }
            while (nameStart < nameEnd && isOptionalWhitespace(buffer.getByte(nameStart)))
            {
                nameStart++;
            }
            while (nameEnd > nameStart && isOptionalWhitespace(buffer.getByte(nameEnd - 1)))
            {
                nameEnd--;
            }
            if (nameEnd > nameStart || elementEnd > nameEnd)
            {
                final boolean isChunked = AsciiBytes.equalsIgnoreCase(buffer, nameStart, nameEnd - nameStart, "chunked");
                transferCodings++;
                chunkedCodings += isChunked ? 1 : 0;
                lastCodingChunked = isChunked;
            }
            elementStart = elementEnd + 1;
        }
    }

    private boolean splitTarget(final DirectBuffer buffer)
    {
        int start = targetOffset;
        final int end = targetOffset + targetLength;
        if (targetLength == 0)
        {
            return false;
        }
        if (buffer.getByte(start) != '/')
        {
            // absolute-form (RFC 9112 section 3.2.2): skip scheme and authority
            int i = start;
            while (i + 2 < end && !(buffer.getByte(i) == ':' && buffer.getByte(i + 1) == '/' && buffer.getByte(i + 2) == '/'))
            {
                i++;
            }
            if (i + 2 >= end)
            {
                return false;
            }
            i += 3;
            while (i < end && buffer.getByte(i) != '/')
            {
                i++;
            }
            if (i == end)
            {
                return false;
            }
            start = i;
        }
        int question = start;
        while (question < end && buffer.getByte(question) != '?')
        {
            question++;
        }
        pathOffset = start;
        pathLength = question - start;
        queryOffset = question < end ? question + 1 : end;
        queryLength = end - queryOffset;
        return true;
    }

    private int fail(final int status, final String reason)
    {
        state = State.BAD_MESSAGE;
        errorStatus = status;
        errorReason = reason;
        return BAD_MESSAGE;
    }

    private static long parseContentLength(final DirectBuffer buffer, final int offset, final int length)
    {
        return AsciiBytes.parseDigits(buffer, offset, length, MAX_CONTENT_LENGTH_DIGITS);
    }

    private static boolean isOptionalWhitespace(final byte b)
    {
        return b == ' ' || b == '\t';
    }

    static boolean isTchar(final byte b)
    {
        return b > 0 && TCHAR[b];
    }
}
