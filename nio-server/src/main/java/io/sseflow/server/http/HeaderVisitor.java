package io.sseflow.server.http;

import org.agrona.DirectBuffer;

/**
 * Receives the header field lines of a parsed request head as offsets into the request buffer; see
 * {@link HttpRequestParser#forEachHeader(DirectBuffer, HeaderVisitor)}.
 */
@FunctionalInterface
public interface HeaderVisitor
{
    /**
     * One field line.
     *
     * @param buffer      holding the head.
     * @param nameOffset  of the field name (case as sent).
     * @param nameLength  of the field name.
     * @param valueOffset of the value, trimmed of optional whitespace.
     * @param valueLength of the value, 0 when empty.
     * @return true to continue with the next field, false to stop.
     */
    boolean onHeader(DirectBuffer buffer, int nameOffset, int nameLength, int valueOffset, int valueLength);
}
