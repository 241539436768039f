package io.sseflow.server.hub.jwt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Objects;

/**
 * The hub's JWT settings, checked when made: the one algorithm tokens must be signed with, its key, and whether
 * subscribers without a token are served public updates. Immutable; {@link #verifier()} and
 * {@link #authenticator()} build what checks requests.
 */
public final class JwtSettings
{
    /**
     * The shortest HS256 secret, in bytes: the hash size, 256 bits (RFC 7518 section 3.2).
     */
    public static final int MIN_SECRET_BYTES = 32;

    /**
     * The smallest RSA modulus, in bits (RFC 7518 section 3.3).
     */
    public static final int MIN_RSA_BITS = 2048;

    private final JwtAlgorithm algorithm;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final boolean allowAnonymous;
    private final String audience;
    private final String issuer;

    private JwtSettings(
        final JwtAlgorithm algorithm, final byte[] secret, final PublicKey publicKey, final boolean allowAnonymous)
    {
        this(algorithm, secret, publicKey, allowAnonymous, null, null);
    }

    private JwtSettings(
        final JwtAlgorithm algorithm,
        final byte[] secret,
        final PublicKey publicKey,
        final boolean allowAnonymous,
        final String audience,
        final String issuer)
    {
        this.algorithm = algorithm;
        this.secret = secret;
        this.publicKey = publicKey;
        this.allowAnonymous = allowAnonymous;
        this.audience = audience;
        this.issuer = issuer;
    }

    /**
     * These settings taking Mercure 1.0 access tokens ({@code typ: at+jwt}) too: those whose {@code aud} holds
     * {@code audience} (the hub's resource identifier, {@code --jwt-audience}) and whose {@code iss} is
     * {@code issuer} ({@code --jwt-issuer}), signed with the same key. Without them every access token is refused.
     *
     * @param audience the hub's resource identifier, such as {@code https://hub.example.com/.well-known/mercure}.
     * @param issuer   the trusted issuer's identifier, such as {@code https://example.com}.
     * @return the settings.
     */
    public JwtSettings accessTokens(final String audience, final String issuer)
    {
        if (null == audience || audience.isEmpty() || null == issuer || issuer.isEmpty())
        {
            throw new IllegalArgumentException("access tokens need both a resource identifier (audience) and an issuer");
        }
        return new JwtSettings(algorithm, secret, publicKey, allowAnonymous, audience, issuer);
    }

    /**
     * The resource identifier a Mercure 1.0 access token's {@code aud} must hold.
     *
     * @return it, or null when access tokens are not taken.
     */
    public String audience()
    {
        return audience;
    }

    /**
     * The issuer a Mercure 1.0 access token's {@code iss} must be.
     *
     * @return it, or null when access tokens are not taken.
     */
    public String issuer()
    {
        return issuer;
    }

    /**
     * HS256 tokens signed with a shared secret, taken as its UTF-8 bytes (as Mercure hubs and the libraries that
     * make their tokens take it).
     *
     * @param secret at least {@link #MIN_SECRET_BYTES} bytes in UTF-8.
     * @return the settings, without anonymous subscribers.
     * @throws IllegalArgumentException when the secret is shorter.
     */
    public static JwtSettings sharedSecret(final String secret)
    {
        Objects.requireNonNull(secret, "secret");
        final byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES)
        {
            throw new IllegalArgumentException("an HS256 secret must be at least " + MIN_SECRET_BYTES + " bytes (" +
                MIN_SECRET_BYTES * 8 + " bits) long, this one has " + bytes.length + " (" + bytes.length * 8 + " bits)");
        }
        return new JwtSettings(JwtAlgorithm.HS256, bytes, null, false);
    }

    /**
     * RS256 or ES256 tokens, verified with the public key of a PEM file ({@code PUBLIC KEY} or
     * {@code CERTIFICATE}), read now.
     *
     * @param algorithm RS256 or ES256.
     * @param pemFile   the file.
     * @return the settings, without anonymous subscribers.
     * @throws IllegalArgumentException when the file cannot be read, holds no public key, or a key that does not
     *                                  fit the algorithm.
     */
    public static JwtSettings publicKeyFile(final JwtAlgorithm algorithm, final Path pemFile)
    {
        Objects.requireNonNull(pemFile, "pemFile");
        checkPublicKeyAlgorithm(algorithm);
        return publicKey(algorithm, PemPublicKeys.read(pemFile, algorithm));
    }

    /**
     * RS256 or ES256 tokens, verified with a public key.
     *
     * @param algorithm RS256 (an RSA key of at least {@link #MIN_RSA_BITS} bits) or ES256 (an EC key on P-256).
     * @param key       the key.
     * @return the settings, without anonymous subscribers.
     * @throws IllegalArgumentException when the key does not fit the algorithm.
     */
    public static JwtSettings publicKey(final JwtAlgorithm algorithm, final PublicKey key)
    {
        Objects.requireNonNull(key, "key");
        checkPublicKeyAlgorithm(algorithm);
        if (JwtAlgorithm.RS256 == algorithm)
        {
            if (!(key instanceof RSAPublicKey))
            {
                throw new IllegalArgumentException("RS256 needs an RSA public key, got " + key.getAlgorithm());
            }
            final int bits = ((RSAPublicKey)key).getModulus().bitLength();
            if (bits < MIN_RSA_BITS)
            {
                throw new IllegalArgumentException(
                    "an RS256 key must have at least " + MIN_RSA_BITS + " bits, this one has " + bits);
            }
        }
        else
        {
            if (!(key instanceof ECPublicKey))
            {
                throw new IllegalArgumentException("ES256 needs an EC public key on P-256, got " + key.getAlgorithm());
            }
            if (!isP256(((ECPublicKey)key).getParams()))
            {
                throw new IllegalArgumentException("ES256 needs an EC key on curve P-256 (secp256r1), this one is on " +
                    "another curve (" + ((ECPublicKey)key).getParams().getCurve().getField().getFieldSize() + " bits)");
            }
        }
        return new JwtSettings(algorithm, null, key, false);
    }

    /**
     * The same settings, serving subscribers without a token (public updates only) or not.
     *
     * @param allow true to serve them; false to answer them {@code 401}.
     * @return new settings.
     */
    public JwtSettings allowAnonymous(final boolean allow)
    {
        return new JwtSettings(algorithm, secret, publicKey, allow, audience, issuer);
    }

    /**
     * The one algorithm accepted.
     *
     * @return the algorithm.
     */
    public JwtAlgorithm algorithm()
    {
        return algorithm;
    }

    /**
     * Are subscribers without a token served public updates?
     *
     * @return true when they are; false when they are answered {@code 401}.
     */
    public boolean allowAnonymous()
    {
        return allowAnonymous;
    }

    /**
     * A verifier of tokens with these settings and the system clock.
     *
     * @return the verifier; thread-safe.
     */
    public JwtVerifier verifier()
    {
        return new JwtVerifier(this, java.time.Clock.systemUTC());
    }

    /**
     * An authenticator of requests with these settings and the system clock.
     *
     * @return the authenticator; thread-safe.
     */
    public JwtAuthenticator authenticator()
    {
        return new JwtAuthenticator(verifier(), allowAnonymous);
    }

    byte[] secret()
    {
        return secret;
    }

    PublicKey publicKey()
    {
        return publicKey;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "JwtSettings{algorithm=" + algorithm + (null != secret ? ", shared secret" : ", public key") +
            ", allowAnonymous=" + allowAnonymous +
            (null == audience ? "" : ", audience=" + audience + ", issuer=" + issuer) + "}";
    }

    private static void checkPublicKeyAlgorithm(final JwtAlgorithm algorithm)
    {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!algorithm.usesPublicKey())
        {
            throw new IllegalArgumentException(algorithm + " is verified with a shared secret, not a public key; " +
                "a public key needs RS256 or ES256");
        }
    }

    private static boolean isP256(final ECParameterSpec params)
    {
        try
        {
            final AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            final ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
            return p256.getCurve().equals(params.getCurve()) && p256.getOrder().equals(params.getOrder()) &&
                p256.getGenerator().equals(params.getGenerator()) && p256.getCofactor() == params.getCofactor();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JVM does not know the P-256 curve, which ES256 needs", ex);
        }
    }
}
