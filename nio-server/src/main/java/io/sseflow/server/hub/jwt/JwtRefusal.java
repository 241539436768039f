package io.sseflow.server.hub.jwt;

import io.sseflow.server.Refusal;

/**
 * Why a token is not accepted. Each is answered {@code 401} with
 * {@code WWW-Authenticate: Bearer error="invalid_token"} and counted under its own reason, its
 * {@link #refusal()}.
 */
public enum JwtRefusal
{
    /**
     * Not a compact JWS: not three base64url parts, a part that does not decode, a header or payload that is not
     * a JSON object, longer than {@link JwtVerifier#MAX_TOKEN_LENGTH}; or no token where its source was present.
     */
    MALFORMED(Refusal.JWT_MALFORMED),

    /**
     * The header's {@code alg} is {@code none}, missing, or another algorithm than the one configured (so an HS256
     * token signed with an RSA public key as its secret is refused when RS256 is configured).
     */
    ALGORITHM_NOT_ALLOWED(Refusal.JWT_ALGORITHM_NOT_ALLOWED),

    /**
     * The header's {@code typ} is neither absent nor {@code JWT}, or it lists {@code crit} parameters.
     */
    UNSUPPORTED_HEADER(Refusal.JWT_UNSUPPORTED_HEADER),

    /**
     * The signature does not verify with the configured key.
     */
    BAD_SIGNATURE(Refusal.JWT_BAD_SIGNATURE),

    /**
     * {@code exp} has passed, beyond the clock skew allowed.
     */
    EXPIRED(Refusal.JWT_EXPIRED),

    /**
     * {@code nbf} is still ahead, beyond the clock skew allowed.
     */
    NOT_YET_VALID(Refusal.JWT_NOT_YET_VALID),

    /**
     * A claim of the wrong shape: {@code mercure} not an object, {@code mercure.publish} or
     * {@code mercure.subscribe} not an array of strings, {@code exp} or {@code nbf} not a number.
     */
    BAD_CLAIMS(Refusal.JWT_BAD_CLAIMS),

    /**
     * A Mercure 1.0 access token not issued for this hub: {@code aud}, {@code iss} or {@code exp} wrong or
     * missing, or the hub has no resource identifier and issuer configured.
     */
    WRONG_AUDIENCE_OR_ISSUER(Refusal.JWT_WRONG_AUDIENCE_OR_ISSUER),

    /**
     * A Mercure 1.0 access token whose {@code authorization_details} are invalid or over the limits.
     */
    BAD_AUTHORIZATION_DETAILS(Refusal.JWT_BAD_AUTHORIZATION_DETAILS);

    private final Refusal refusal;

    JwtRefusal(final Refusal refusal)
    {
        this.refusal = refusal;
    }

    /**
     * The server's refusal for it: status, {@code WWW-Authenticate} line, reason text and metric label.
     *
     * @return the refusal.
     */
    public Refusal refusal()
    {
        return refusal;
    }
}
