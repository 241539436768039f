package io.sseflow.server;

import io.sseflow.server.http.HttpResponses;

/**
 * Header lines the server's answers add, each pre-encoded once with its CRLF.
 */
final class ResponseHeaders
{
    static final byte[] TEXT_HTML = HttpResponses.ascii("Content-Type: text/html; charset=utf-8\r\n");
    static final byte[] TEXT_PLAIN = HttpResponses.ascii("Content-Type: text/plain; charset=utf-8\r\n");
    static final byte[] TEXT_METRICS = HttpResponses.ascii("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n");
    static final byte[] ALLOW_GET = HttpResponses.ascii("Allow: GET\r\n");
    static final byte[] ALLOW_EVENTS = HttpResponses.ascii("Allow: GET, POST, OPTIONS\r\n");
    static final byte[] ALLOW_EVENTS_READ_ONLY = HttpResponses.ascii("Allow: GET, OPTIONS\r\n");
    static final byte[] RETRY_AFTER = HttpResponses.ascii("Retry-After: 1\r\n");
    static final byte[] WWW_AUTHENTICATE = HttpResponses.ascii("WWW-Authenticate: Bearer\r\n");
    static final byte[] WWW_AUTHENTICATE_INSUFFICIENT_SCOPE =
        HttpResponses.ascii("WWW-Authenticate: Bearer error=\"insufficient_scope\"\r\n");

    private ResponseHeaders()
    {
    }

    /**
     * The challenge for a bearer token that was presented but is not valid (RFC 6750 section 3.1).
     *
     * @param description ASCII without double quotes or backslashes, as {@code error_description} allows.
     * @return {@code WWW-Authenticate: Bearer error="invalid_token", error_description="..."} and CRLF.
     */
    static byte[] invalidToken(final String description)
    {
        return HttpResponses.ascii(
            "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"" + description + "\"\r\n");
    }
}
