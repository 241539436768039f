package io.sseflow.server.hub.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Tokens for the tests, made with the JWT library itself, and keys generated with the JDK.
 */
public final class TestTokens
{
    /**
     * The HS256 secret the tests start hubs with ({@code --jwt-key}).
     */
    public static final String SECRET = "!ChangeThisMercureHubJWTSecretKey!";
    static final long NOW = 1_700_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    static final String CLAIMS =
        "{\"mercure\":{\"publish\":[\"*\"],\"subscribe\":[\"https://example.com/books/{id}\",\"news\"]}}";

    private TestTokens()
    {
    }

    static JWSHeader header(final JWSAlgorithm algorithm)
    {
        return new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build();
    }

    static String sign(final JWSHeader header, final String payload, final JWSSigner signer)
    {
        final JWSObject jws = new JWSObject(header, new Payload(payload));
        try
        {
            jws.sign(signer);
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
        return jws.serialize();
    }

    /**
     * A token of this payload, signed HS256 with {@link #SECRET}.
     *
     * @param payload the claims, as JSON.
     * @return the compact JWS.
     */
    public static String hs256(final String payload)
    {
        return sign(header(JWSAlgorithm.HS256), payload, macSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A token of this payload with this header {@code typ} ({@code at+jwt} for a Mercure 1.0 access token), signed
     * HS256 with {@link #SECRET}.
     *
     * @param typ     the header's {@code typ}.
     * @param payload the claims, as JSON.
     * @return the compact JWS.
     */
    public static String hs256(final String typ, final String payload)
    {
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)).build(), payload,
            macSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    static MACSigner macSigner(final byte[] secret)
    {
        try
        {
            return new MACSigner(secret);
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static RSASSASigner rsaSigner(final KeyPair pair)
    {
        return new RSASSASigner(pair.getPrivate());
    }

    static ECDSASigner ecSigner(final KeyPair pair)
    {
        try
        {
            return new ECDSASigner((ECPrivateKey)pair.getPrivate());
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static JwtVerifier hs256Verifier()
    {
        return new JwtVerifier(JwtSettings.sharedSecret(SECRET), CLOCK);
    }

    static KeyPair rsaKeyPair(final int bits)
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static KeyPair ecKeyPair(final String curve)
    {
        try
        {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static String pem(final String label, final byte[] der)
    {
        return "-----BEGIN " + label + "-----\n" +
            Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) +
            "\n-----END " + label + "-----\n";
    }

    static Path writePem(final Path directory, final String name, final PublicKey key)
    {
        return write(directory, name, pem("PUBLIC KEY", key.getEncoded()));
    }

    static Path write(final Path directory, final String name, final String text)
    {
        try
        {
            return Files.writeString(directory.resolve(name), text, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static String base64Url(final String text)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static MercureClaims claims(final List<String> publish, final List<String> subscribe)
    {
        return new MercureClaims(publish, subscribe, MercureClaims.NEVER);
    }

    static Map<String, Object> mercure(final Object publish, final Object subscribe)
    {
        return Map.of("publish", publish, "subscribe", subscribe);
    }
}
