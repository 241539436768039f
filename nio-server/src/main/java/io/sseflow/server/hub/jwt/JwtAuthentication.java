package io.sseflow.server.hub.jwt;

import io.sseflow.server.Refusal;

/**
 * Who a request is, as far as its token says: an authenticated bearer with its claims, an anonymous subscriber
 * (allowed public updates only), or a refusal to answer. The outcome of {@link JwtAuthenticator}.
 */
public final class JwtAuthentication
{
    /**
     * The kinds of outcome.
     */
    public enum Outcome
    {
        /**
         * A valid token: {@link #claims()} says what it allows.
         */
        AUTHENTICATED,

        /**
         * No token, and anonymous subscribers are allowed: public updates only.
         */
        ANONYMOUS,

        /**
         * Answer {@link #refusal()}.
         */
        REFUSED
    }

    private final Outcome outcome;
    private final TokenSource source;
    private final MercureClaims claims;
    private final JwtRefusal jwtRefusal;
    private final Refusal refusal;

    private JwtAuthentication(
        final Outcome outcome,
        final TokenSource source,
        final MercureClaims claims,
        final JwtRefusal jwtRefusal,
        final Refusal refusal)
    {
        this.outcome = outcome;
        this.source = source;
        this.claims = claims;
        this.jwtRefusal = jwtRefusal;
        this.refusal = refusal;
    }

    static JwtAuthentication authenticated(final TokenSource source, final MercureClaims claims)
    {
        return new JwtAuthentication(Outcome.AUTHENTICATED, source, claims, null, null);
    }

    static JwtAuthentication anonymous()
    {
        return new JwtAuthentication(Outcome.ANONYMOUS, TokenSource.NONE, null, null, null);
    }

    static JwtAuthentication missing()
    {
        return new JwtAuthentication(Outcome.REFUSED, TokenSource.NONE, null, null, Refusal.JWT_MISSING);
    }

    static JwtAuthentication refused(final TokenSource source, final JwtRefusal jwtRefusal)
    {
        return new JwtAuthentication(Outcome.REFUSED, source, null, jwtRefusal, jwtRefusal.refusal());
    }

    /**
     * The kind of outcome.
     *
     * @return the outcome.
     */
    public Outcome outcome()
    {
        return outcome;
    }

    /**
     * Where the token came from.
     *
     * @return the source; {@link TokenSource#NONE} for a request without a token.
     */
    public TokenSource source()
    {
        return source;
    }

    /**
     * What the token allows.
     *
     * @return the claims when {@link Outcome#AUTHENTICATED}, else null.
     */
    public MercureClaims claims()
    {
        return claims;
    }

    /**
     * Why the presented token was refused.
     *
     * @return the reason, or null when authenticated, anonymous, or refused for having no token.
     */
    public JwtRefusal jwtRefusal()
    {
        return jwtRefusal;
    }

    /**
     * What to answer: {@link Refusal#JWT_MISSING} ({@code 401} with {@code WWW-Authenticate: Bearer}) when no
     * token was presented, or the {@link JwtRefusal#refusal()} of a bad one ({@code 401} with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}).
     *
     * @return the refusal when {@link Outcome#REFUSED}, else null.
     */
    public Refusal refusal()
    {
        return refusal;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "JwtAuthentication{" + outcome + ", source=" + source +
            (null != claims ? ", " + claims : "") + (null != refusal ? ", " + refusal.label() : "") + "}";
    }
}
