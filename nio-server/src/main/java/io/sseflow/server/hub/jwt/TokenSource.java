package io.sseflow.server.hub.jwt;

/**
 * Where a request's token came from, in the order {@link TokenSources#select} looks.
 */
public enum TokenSource
{
    /**
     * No token anywhere: an anonymous request.
     */
    NONE,

    /**
     * The {@code Authorization: Bearer TOKEN} header field (RFC 6750 section 2.1).
     */
    AUTHORIZATION_HEADER,

    /**
     * The {@code authorization} query parameter (Mercure's name).
     */
    AUTHORIZATION_QUERY,

    /**
     * The {@code access_token} query parameter (RFC 6750 section 2.3).
     */
    ACCESS_TOKEN_QUERY,

    /**
     * The {@code mercureAuthorization} cookie. The browser sends it with every request to the hub, including a
     * cross-site form {@code POST}: a publish authorized by it needs an {@code Origin} check against CSRF.
     */
    COOKIE
}
