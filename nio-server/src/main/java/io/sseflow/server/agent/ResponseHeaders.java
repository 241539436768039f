package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.http.HttpResponses;

/**
 * Header lines the server's answers add, each pre-encoded once with its CRLF.
 */
final class ResponseHeaders
{
    static final byte[] TEXT_HTML = HttpResponses.ascii("Content-Type: text/html; charset=utf-8\r\n");
    static final byte[] TEXT_PLAIN = HttpResponses.ascii("Content-Type: text/plain; charset=utf-8\r\n");
    static final byte[] TEXT_METRICS = HttpResponses.ascii("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n");
    static final byte[] JSON_LD = HttpResponses.ascii("Content-Type: application/ld+json\r\n");
    static final byte[] JSON = HttpResponses.ascii("Content-Type: application/json\r\n");
    static final byte[] ALLOW_GET = HttpResponses.ascii("Allow: GET\r\n");
    static final byte[] ALLOW_EVENTS = HttpResponses.ascii("Allow: GET, POST, OPTIONS\r\n");
    static final byte[] ALLOW_EVENTS_READ_ONLY = HttpResponses.ascii("Allow: GET, OPTIONS\r\n");
    static final byte[] ALLOW_MERCURE = HttpResponses.ascii("Allow: GET, POST, QUERY, OPTIONS\r\n");
    static final byte[] ALLOW_MERCURE_READ_ONLY = HttpResponses.ascii("Allow: GET, QUERY, OPTIONS\r\n");
    static final byte[] RETRY_AFTER = HttpResponses.ascii("Retry-After: 1\r\n");
    static final byte[] WWW_AUTHENTICATE = HttpResponses.ascii("WWW-Authenticate: Bearer\r\n");

    private static final byte[][] REFUSAL_HEADERS = new byte[Refusal.values().length][];

    static
    {
        for (final Refusal refusal : Refusal.values())
        {
            final String header = refusal.extraHeader();
            REFUSAL_HEADERS[refusal.ordinal()] = null == header ? null : HttpResponses.ascii(header + "\r\n");
        }
    }

    private ResponseHeaders()
    {
    }

    /**
     * The header line every answer of a refusal carries, pre-encoded with its CRLF.
     *
     * @param refusal which.
     * @return the line, or null.
     */
    static byte[] of(final Refusal refusal)
    {
        return REFUSAL_HEADERS[refusal.ordinal()];
    }
}
