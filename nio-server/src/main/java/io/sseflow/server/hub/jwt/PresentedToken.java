package io.sseflow.server.hub.jwt;

/**
 * The token a request presents and where it was found: the outcome of {@link TokenSources#select}.
 */
public final class PresentedToken
{
    /**
     * A request without any token.
     */
    public static final PresentedToken NONE = new PresentedToken(TokenSource.NONE, null);

    private final TokenSource source;
    private final String token;

    private PresentedToken(final TokenSource source, final String token)
    {
        this.source = source;
        this.token = token;
    }

    /**
     * A token found in a source; {@code null} (or empty) when the source is there but holds no usable token, such
     * as an {@code Authorization} header of another scheme.
     *
     * @param source where; not {@link TokenSource#NONE}.
     * @param token  the token text, or null.
     * @return the presented token.
     */
    public static PresentedToken of(final TokenSource source, final String token)
    {
        if (null == source || TokenSource.NONE == source)
        {
            throw new IllegalArgumentException("a presented token needs a source other than NONE, got " + source);
        }
        return new PresentedToken(source, null == token || token.isEmpty() ? null : token);
    }

    /**
     * Where the token was found.
     *
     * @return the source; {@link TokenSource#NONE} when the request has no token.
     */
    public TokenSource source()
    {
        return source;
    }

    /**
     * The token text, not yet verified.
     *
     * @return the token, or null when there is none or its source holds no usable one.
     */
    public String token()
    {
        return token;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "PresentedToken{source=" + source + (null == token ? ", no token" : ", " + token.length() + " chars") +
            "}";
    }
}
