package io.sseflow.server.http;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Writes HTTP/1.1 responses (RFC 9112) into a buffer from byte sequences computed once: status lines, the
 * event-stream head, the CORS headers for the configured origin, the preflight answer.
 */
public final class HttpResponses
{
    /**
     * CR LF.
     */
    public static final byte[] CRLF = ascii("\r\n");

    /**
     * The interim answer to {@code Expect: 100-continue} (RFC 9110 section 10.1.1).
     */
    public static final byte[] CONTINUE_100 = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    private static final byte[][] STATUS_LINES = new byte[600][];
    private static final byte[] TEXT_PLAIN = ascii("Content-Type: text/plain; charset=utf-8\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] NO_STORE = ascii("Cache-Control: no-store\r\n");
    private static final byte[] EARLIEST = ascii("earliest");

    static
    {
        status(100, "Continue");
        status(200, "OK");
        status(204, "No Content");
        status(400, "Bad Request");
        status(401, "Unauthorized");
        status(403, "Forbidden");
        status(404, "Not Found");
        status(405, "Method Not Allowed");
        status(408, "Request Timeout");
        status(409, "Conflict");
        status(411, "Length Required");
        status(413, "Content Too Large");
        status(414, "URI Too Long");
        status(415, "Unsupported Media Type");
        status(429, "Too Many Requests");
        status(431, "Request Header Fields Too Large");
        status(500, "Internal Server Error");
        status(501, "Not Implemented");
        status(503, "Service Unavailable");
        status(504, "Gateway Timeout");
        status(505, "HTTP Version Not Supported");
        status(507, "Insufficient Storage");
    }

    private final byte[] corsHeaders;
    private final byte[][] eventStreamHeads = new byte[CacheControl.VALUES.length][];
    private final byte[][] eventStreamFields = new byte[CacheControl.VALUES.length][];
    private final byte[][] preflight = new byte[2][];
    private final byte[][] optionsWithoutCors = new byte[2][];
    private final byte[][] preflightKeepAlive = new byte[2][];
    private final byte[][] optionsWithoutCorsKeepAlive = new byte[2][];

    /**
     * Responses for a server with or without CORS.
     *
     * @param allowOrigin the allowed origin ({@code *} or an exact origin), or null for no CORS headers.
     */
    public HttpResponses(final String allowOrigin)
    {
        if (null == allowOrigin)
        {
            corsHeaders = new byte[0];
        }
        else if ("*".equals(allowOrigin))
        {
            corsHeaders = ascii("Access-Control-Allow-Origin: *\r\n");
        }
        else
        {
            // with credentials, the exact origin and Allow-Credentials are required (Fetch, CORS protocol)
            corsHeaders = ascii(
                "Access-Control-Allow-Origin: " + allowOrigin + "\r\n" +
                "Access-Control-Allow-Credentials: true\r\n" +
                "Vary: Origin\r\n");
        }

        final String cors = new String(corsHeaders, StandardCharsets.US_ASCII);
        for (final CacheControl cacheControl : CacheControl.VALUES)
        {
            final String fields =
                "HTTP/1.1 200 OK\r\n" +
                "Content-Type: text/event-stream\r\n" +
                new String(cacheControl.headerLine(), StandardCharsets.US_ASCII) +
                "X-Accel-Buffering: no\r\n" +
                cors;
            eventStreamFields[cacheControl.ordinal()] = ascii(fields);
            eventStreamHeads[cacheControl.ordinal()] = ascii(fields + "\r\n");
        }

        for (int query = 0; query < 2; query++)
        {
            final String methods = query == 1 ? "GET, POST, QUERY, OPTIONS" : "GET, POST, OPTIONS";
            final String preflightFields =
                "HTTP/1.1 204 No Content\r\n" +
                cors +
                "Access-Control-Allow-Methods: " + methods + "\r\n" +
                "Access-Control-Allow-Headers: last-event-id, authorization, content-type, cache-control, " +
                "idempotency-key\r\n" +
                "Access-Control-Max-Age: 600\r\n";
            preflight[query] = ascii(preflightFields + "\r\n");
            preflightKeepAlive[query] = ascii(preflightFields + "Connection: keep-alive\r\n\r\n");

            final String optionsFields =
                "HTTP/1.1 204 No Content\r\n" +
                "Allow: " + methods + "\r\n";
            optionsWithoutCors[query] = ascii(optionsFields + "\r\n");
            optionsWithoutCorsKeepAlive[query] = ascii(optionsFields + "Connection: keep-alive\r\n\r\n");
        }
    }

    /**
     * The head of an event stream: status, {@code Content-Type: text/event-stream},
     * {@code Cache-Control: no-cache}, {@code X-Accel-Buffering: no}, CORS headers; no {@code Content-Length}
     * (the stream ends when the connection closes).
     *
     * @return the bytes; do not modify.
     */
    public byte[] eventStreamHead()
    {
        return eventStreamHead(CacheControl.NO_CACHE);
    }

    /**
     * The head of an event stream with this {@code Cache-Control}: as {@link #eventStreamHead()} otherwise.
     *
     * @param cacheControl of the response.
     * @return the bytes; do not modify.
     */
    public byte[] eventStreamHead(final CacheControl cacheControl)
    {
        return eventStreamHeads[cacheControl.ordinal()];
    }

    /**
     * The head alone of an event stream, as the answer to {@code HEAD}: the fields of {@link #eventStreamHead()}
     * and the connection's persistence.
     *
     * @param buffer      to write into.
     * @param index       at which to write.
     * @param persistence of the connection.
     * @return bytes written.
     */
    public int putEventStreamHead(final MutableDirectBuffer buffer, final int index, final Persistence persistence)
    {
        return putEventStreamHead(buffer, index, persistence, CacheControl.NO_CACHE);
    }

    /**
     * The head alone of an event stream with this {@code Cache-Control}, as the answer to {@code HEAD}.
     *
     * @param buffer       to write into.
     * @param index        at which to write.
     * @param persistence  of the connection.
     * @param cacheControl of the response.
     * @return bytes written.
     */
    public int putEventStreamHead(
        final MutableDirectBuffer buffer,
        final int index,
        final Persistence persistence,
        final CacheControl cacheControl)
    {
        int position = index;
        position += putBytes(buffer, position, eventStreamFields[cacheControl.ordinal()]);
        position += putPersistence(buffer, position, persistence);
        position += putBytes(buffer, position, CRLF);
        return position - index;
    }

    /**
     * The head of an event stream that tells a resuming Mercure subscriber where it resumes: the fields of
     * {@link #eventStreamHead()}, then {@code Last-Event-ID: <id>}, or {@code Last-Event-ID: earliest} when there is
     * no id or the id cannot be sent as a header value ({@link #isSendableFieldValue}), and, when CORS is on,
     * {@code Access-Control-Expose-Headers: Last-Event-ID} so that a script in the browser can read it.
     *
     * @param buffer   to write into; room for the id and about 200 bytes more than {@link #eventStreamHead()}.
     * @param index    at which to write.
     * @param id       holding the id, or null for {@code earliest}.
     * @param idOffset of the id.
     * @param idLength of the id; 0 for {@code earliest}.
     * @return bytes written.
     */
    public int putEventStreamHeadWithLastEventId(
        final MutableDirectBuffer buffer,
        final int index,
        final DirectBuffer id,
        final int idOffset,
        final int idLength)
    {
        return putEventStreamHeadWithLastEventId(buffer, index, id, idOffset, idLength, CacheControl.NO_CACHE);
    }

    /**
     * {@link #putEventStreamHeadWithLastEventId(MutableDirectBuffer, int, DirectBuffer, int, int)} with this
     * {@code Cache-Control}.
     *
     * @param buffer       to write into.
     * @param index        at which to write.
     * @param id           holding the id, or null for {@code earliest}.
     * @param idOffset     of the id.
     * @param idLength     of the id; 0 for {@code earliest}.
     * @param cacheControl of the response.
     * @return bytes written.
     */
    public int putEventStreamHeadWithLastEventId(
        final MutableDirectBuffer buffer,
        final int index,
        final DirectBuffer id,
        final int idOffset,
        final int idLength,
        final CacheControl cacheControl)
    {
        return putEventStreamHeadWithLastEventId(
            buffer, index, id, idOffset, idLength, cacheControl, LastEventIdField.LAST_EVENT_ID);
    }

    /**
     * {@link #putEventStreamHeadWithLastEventId(MutableDirectBuffer, int, DirectBuffer, int, int, CacheControl)}
     * naming the field {@code field} ({@code Mercure-Last-Event-ID} for Mercure 1.0), in the CORS exposure too.
     *
     * @param buffer       to write into.
     * @param index        at which to write.
     * @param id           holding the id, or null for {@code earliest}.
     * @param idOffset     of the id.
     * @param idLength     of the id; 0 for {@code earliest}.
     * @param cacheControl of the response.
     * @param field        the field's name; not {@link LastEventIdField#NONE}.
     * @return bytes written.
     */
    public int putEventStreamHeadWithLastEventId(
        final MutableDirectBuffer buffer,
        final int index,
        final DirectBuffer id,
        final int idOffset,
        final int idLength,
        final CacheControl cacheControl,
        final LastEventIdField field)
    {
        if (LastEventIdField.NONE == field)
        {
            throw new IllegalArgumentException("no field to name");
        }
        int position = index;
        position += putBytes(buffer, position, eventStreamFields[cacheControl.ordinal()]);
        position += putBytes(buffer, position, field.nameColonSpace());
        if (null != id && idLength > 0 && isSendableFieldValue(id, idOffset, idLength))
        {
            buffer.putBytes(position, id, idOffset, idLength);
            position += idLength;
        }
        else
        {
            position += putBytes(buffer, position, EARLIEST);
        }
        position += putBytes(buffer, position, CRLF);
        if (hasCors())
        {
            position += putBytes(buffer, position, field.exposeHeader());
        }
        position += putBytes(buffer, position, CRLF);
        return position - index;
    }

    /**
     * Can these bytes be sent, unchanged, as an HTTP field value (RFC 9110 section 5.5)? Every byte must be a
     * visible ASCII character or {@code obs-text} (0x80 and above: the UTF-8 of a non-ASCII id, sent as the client
     * sent it), with space and horizontal tab allowed only inside; other control characters and DEL are not
     * allowed in a field value, and a space or tab at either end would be stripped by the recipient.
     *
     * @param value  holding the bytes.
     * @param offset of the first byte.
     * @param length of the bytes; at least 1.
     * @return true when they can be sent as they are.
     */
    public static boolean isSendableFieldValue(final DirectBuffer value, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final int b = value.getByte(offset + i) & 0xFF;
            final boolean visible = (b > 0x20 && b < 0x7F) || b >= 0x80;
            final boolean inner = i > 0 && i < length - 1 && (b == ' ' || b == '\t');
            if (!visible && !inner)
            {
                return false;
            }
        }
        return length > 0;
    }

    /**
     * The answer to a CORS preflight, or to {@code OPTIONS} when CORS is off.
     *
     * @param cors is CORS configured?
     * @return the bytes; do not modify.
     */
    public byte[] options(final boolean cors)
    {
        return cors ? preflight[0] : optionsWithoutCors[0];
    }

    /**
     * The answer to {@code OPTIONS} for a connection: {@link #options(boolean)}, announcing keep-alive when the
     * client needs to be told.
     *
     * @param cors        is CORS configured?
     * @param persistence of the connection.
     * @return the bytes; do not modify.
     */
    public byte[] options(final boolean cors, final Persistence persistence)
    {
        return options(cors, persistence, false);
    }

    /**
     * The answer to {@code OPTIONS} for a connection, listing {@code QUERY} (RFC 10008) among the methods when the
     * path takes it, so that a browser's preflight lets a cross-origin {@code QUERY} through.
     *
     * @param cors        is CORS configured?
     * @param persistence of the connection.
     * @param query       does the path take {@code QUERY}?
     * @return the bytes; do not modify.
     */
    public byte[] options(final boolean cors, final Persistence persistence, final boolean query)
    {
        final int methods = query ? 1 : 0;
        if (persistence == Persistence.KEEP_ALIVE_ANNOUNCED)
        {
            return cors ? preflightKeepAlive[methods] : optionsWithoutCorsKeepAlive[methods];
        }
        return cors ? preflight[methods] : optionsWithoutCors[methods];
    }

    /**
     * Is a CORS origin configured?
     *
     * @return true when CORS headers are sent.
     */
    public boolean hasCors()
    {
        return corsHeaders.length > 0;
    }

    /**
     * An error answer with a short plain-text reason, announcing that the connection closes.
     *
     * @param buffer       to write into.
     * @param index        at which to write.
     * @param status       status code.
     * @param reason       ASCII reason, sent as the body followed by LF.
     * @param extraHeaders complete header lines to add (each ending CRLF), or null.
     * @return bytes written.
     */
    public int putError(
        final MutableDirectBuffer buffer, final int index, final int status, final String reason, final byte[] extraHeaders)
    {
        return putError(buffer, index, status, reason, extraHeaders, true);
    }

    /**
     * An error answer, with its reason as the body or, for a {@code HEAD} request, only announced by
     * {@code Content-Length} (RFC 9110 section 9.3.2).
     *
     * @param buffer       to write into.
     * @param index        at which to write.
     * @param status       status code.
     * @param reason       ASCII reason, sent as the body followed by LF.
     * @param extraHeaders complete header lines to add (each ending CRLF), or null.
     * @param withBody     false to leave the body out (the answer to {@code HEAD}).
     * @return bytes written.
     */
    public int putError(
        final MutableDirectBuffer buffer,
        final int index,
        final int status,
        final String reason,
        final byte[] extraHeaders,
        final boolean withBody)
    {
        int position = index;
        position += putBytes(buffer, position, statusLine(status));
        position += putBytes(buffer, position, TEXT_PLAIN);
        position += putBytes(buffer, position, CONTENT_LENGTH);
        position += buffer.putNaturalIntAscii(position, reason.length() + 1);
        position += putBytes(buffer, position, CRLF);
        position += putBytes(buffer, position, CONNECTION_CLOSE);
        position += putBytes(buffer, position, corsHeaders);
        if (null != extraHeaders)
        {
            position += putBytes(buffer, position, extraHeaders);
        }
        position += putBytes(buffer, position, CRLF);
        if (withBody)
        {
            position += buffer.putStringWithoutLengthAscii(position, reason);
            buffer.putByte(position++, (byte)'\n');
        }
        return position - index;
    }

    /**
     * A complete answer with a body.
     *
     * @param buffer      to write into.
     * @param index       at which to write.
     * @param status      status code.
     * @param contentType complete {@code Content-Type} header line (ending CRLF).
     * @param body        holding the body.
     * @param bodyOffset  of the body.
     * @param bodyLength  of the body.
     * @param persistence of the connection.
     * @return bytes written.
     */
    public int putResponse(
        final MutableDirectBuffer buffer,
        final int index,
        final int status,
        final byte[] contentType,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength,
        final Persistence persistence)
    {
        int position = putHead(buffer, index, status, contentType, bodyLength, persistence);
        buffer.putBytes(position, body, bodyOffset, bodyLength);
        position += bodyLength;
        return position - index;
    }

    /**
     * The answer to a publish: {@code 200}, the id assigned followed by LF as a plain-text body.
     *
     * @param buffer    to write into.
     * @param index     at which to write.
     * @param id        holding the id text.
     * @param idOffset  of the id text.
     * @param idLength    of the id text.
     * @param persistence of the connection.
     * @return bytes written.
     */
    public int putPublished(
        final MutableDirectBuffer buffer,
        final int index,
        final DirectBuffer id,
        final int idOffset,
        final int idLength,
        final Persistence persistence)
    {
        int position = putHead(buffer, index, 200, TEXT_PLAIN, idLength + 1, persistence);
        buffer.putBytes(position, id, idOffset, idLength);
        position += idLength;
        buffer.putByte(position++, (byte)'\n');
        return position - index;
    }

    /**
     * Status line, headers and the blank line of a response with a body of known length.
     *
     * @param buffer        to write into.
     * @param index         at which to write.
     * @param status        status code.
     * @param contentType   complete {@code Content-Type} header line (ending CRLF).
     * @param contentLength bytes of body that will follow (or would, for {@code HEAD}).
     * @param persistence   of the connection.
     * @return the index after the head.
     */
    public int putHead(
        final MutableDirectBuffer buffer,
        final int index,
        final int status,
        final byte[] contentType,
        final int contentLength,
        final Persistence persistence)
    {
        int position = index;
        position += putBytes(buffer, position, statusLine(status));
        position += putBytes(buffer, position, contentType);
        position += putBytes(buffer, position, NO_STORE);
        position += putBytes(buffer, position, CONTENT_LENGTH);
        position += buffer.putNaturalIntAscii(position, contentLength);
        position += putBytes(buffer, position, CRLF);
        position += putPersistence(buffer, position, persistence);
        position += putBytes(buffer, position, corsHeaders);
        position += putBytes(buffer, position, CRLF);
        return position;
    }

    /**
     * Bytes as US-ASCII.
     *
     * @param text ASCII text.
     * @return the bytes.
     */
    public static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The status line for a code.
     *
     * @param status a code this class knows.
     * @return {@code HTTP/1.1 CODE REASON CRLF}.
     */
    public static byte[] statusLine(final int status)
    {
        final byte[] line = status >= 0 && status < STATUS_LINES.length ? STATUS_LINES[status] : null;
        return null != line ? line : STATUS_LINES[500];
    }

    private static int putPersistence(final MutableDirectBuffer buffer, final int index, final Persistence persistence)
    {
        switch (persistence)
        {
            case CLOSE:
                return putBytes(buffer, index, CONNECTION_CLOSE);
            case KEEP_ALIVE_ANNOUNCED:
                return putBytes(buffer, index, CONNECTION_KEEP_ALIVE);
            case KEEP_ALIVE:
            default:
                return 0;
        }
    }

    private static int putBytes(final MutableDirectBuffer buffer, final int index, final byte[] bytes)
    {
        buffer.putBytes(index, bytes);
        return bytes.length;
    }

    private static void status(final int code, final String reason)
    {
        STATUS_LINES[code] = ascii("HTTP/1.1 " + code + " " + reason + "\r\n");
    }
}
