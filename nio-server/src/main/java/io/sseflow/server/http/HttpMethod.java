package io.sseflow.server.http;

import org.agrona.DirectBuffer;

/**
 * Request methods the server tells apart (RFC 9110 section 9); any other token is {@link #OTHER}.
 */
public enum HttpMethod
{
    /**
     * GET.
     */
    GET,
    /**
     * HEAD.
     */
    HEAD,
    /**
     * POST.
     */
    POST,
    /**
     * PUT.
     */
    PUT,
    /**
     * DELETE.
     */
    DELETE,
    /**
     * OPTIONS.
     */
    OPTIONS,
    /**
     * PATCH.
     */
    PATCH,
    /**
     * QUERY (RFC 10008): safe and idempotent like GET, its parameters in the request body.
     */
    QUERY,
    /**
     * Any other syntactically valid method.
     */
    OTHER;

    private static final HttpMethod[] VALUES = values();

    /**
     * Match a method token; methods are case-sensitive (RFC 9110 section 9.1).
     *
     * @param buffer holding the token.
     * @param offset of the token.
     * @param length of the token.
     * @return the method, {@link #OTHER} when unknown.
     */
    public static HttpMethod match(final DirectBuffer buffer, final int offset, final int length)
    {
        for (final HttpMethod method : VALUES)
        {
            if (method != OTHER && AsciiBytes.equals(buffer, offset, length, method.name()))
            {
                return method;
            }
        }
        return OTHER;
    }
}
