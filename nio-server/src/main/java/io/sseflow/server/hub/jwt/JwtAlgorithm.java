package io.sseflow.server.hub.jwt;

import java.util.Locale;

/**
 * The signature algorithms the hub verifies (RFC 7518 section 3.1). Exactly one is configured; tokens with any
 * other {@code alg} are refused.
 */
public enum JwtAlgorithm
{
    /**
     * HMAC with SHA-256, with a shared secret of at least 256 bits.
     */
    HS256,

    /**
     * RSASSA-PKCS1-v1_5 with SHA-256, with an RSA public key of at least 2048 bits.
     */
    RS256,

    /**
     * ECDSA with P-256 and SHA-256, with an EC public key on P-256.
     */
    ES256;

    /**
     * The algorithm of a name, ignoring case.
     *
     * @param name such as {@code RS256}.
     * @return the algorithm.
     * @throws IllegalArgumentException naming the supported ones when the name is none of them.
     */
    public static JwtAlgorithm of(final String name)
    {
        for (final JwtAlgorithm algorithm : values())
        {
            if (algorithm.name().equals(name.toUpperCase(Locale.ROOT)))
            {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown JWT algorithm '" + name + "'; the hub verifies HS256, RS256 or ES256");
    }

    /**
     * Is it verified with a public key (not a shared secret)?
     *
     * @return true for RS256 and ES256.
     */
    public boolean usesPublicKey()
    {
        return this != HS256;
    }
}
