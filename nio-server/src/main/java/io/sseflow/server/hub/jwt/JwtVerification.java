package io.sseflow.server.hub.jwt;

import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of {@link JwtVerifier#verify(String)}: the claims of a valid token, or why it is not accepted.
 */
public final class JwtVerification
{
    private static final Map<JwtRefusal, JwtVerification> REFUSED = new EnumMap<>(JwtRefusal.class);

    static
    {
        for (final JwtRefusal refusal : JwtRefusal.values())
        {
            REFUSED.put(refusal, new JwtVerification(null, refusal));
        }
    }

    private final MercureClaims claims;
    private final JwtRefusal refusal;

    private JwtVerification(final MercureClaims claims, final JwtRefusal refusal)
    {
        this.claims = claims;
        this.refusal = refusal;
    }

    static JwtVerification valid(final MercureClaims claims)
    {
        return new JwtVerification(claims, null);
    }

    static JwtVerification refused(final JwtRefusal refusal)
    {
        return REFUSED.get(refusal);
    }

    /**
     * Was the token accepted?
     *
     * @return true when {@link #claims()} holds its claims.
     */
    public boolean isValid()
    {
        return null != claims;
    }

    /**
     * The claims of an accepted token.
     *
     * @return the claims, or null when refused.
     */
    public MercureClaims claims()
    {
        return claims;
    }

    /**
     * Why the token was not accepted.
     *
     * @return the refusal, or null when valid.
     */
    public JwtRefusal refusal()
    {
        return refusal;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return null != claims ? "JwtVerification{valid, " + claims + "}" : "JwtVerification{" + refusal + "}";
    }
}
