package io.sseflow.server.hub.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;

import static io.sseflow.server.hub.jwt.TestTokens.CLAIMS;
import static io.sseflow.server.hub.jwt.TestTokens.CLOCK;
import static io.sseflow.server.hub.jwt.TestTokens.NOW;
import static io.sseflow.server.hub.jwt.TestTokens.SECRET;
import static io.sseflow.server.hub.jwt.TestTokens.base64Url;
import static io.sseflow.server.hub.jwt.TestTokens.claims;
import static io.sseflow.server.hub.jwt.TestTokens.header;
import static io.sseflow.server.hub.jwt.TestTokens.hs256;
import static io.sseflow.server.hub.jwt.TestTokens.hs256Verifier;
import static io.sseflow.server.hub.jwt.TestTokens.macSigner;
import static io.sseflow.server.hub.jwt.TestTokens.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JwtVerifier}: valid HS256 / RS256 / ES256 tokens give their claims; every other token gives its named
 * refusal, never an exception.
 */
class JwtVerifierTest
{
    private static final MercureClaims GRANTED = claims(List.of("*"), List.of("https://example.com/books/{id}", "news"));

    @TempDir
    Path directory;

    @Test
    void shouldGiveThePublishAndSubscribeSelectorsOfAValidHs256Token()
    {
        final JwtVerification verification = hs256Verifier().verify(hs256(CLAIMS));

        assertTrue(verification.isValid(), verification.toString());
        assertNull(verification.refusal());
        assertEquals(List.of("*"), verification.claims().publish());
        assertEquals(List.of("https://example.com/books/{id}", "news"), verification.claims().subscribe());
        assertEquals(MercureClaims.NEVER, verification.claims().expiresAtEpochSecond());
    }

    @Test
    void shouldTakeAbsentOrNullOrEmptyArraysAsNoSelectorsAndIgnoreThePayload()
    {
        final JwtVerifier verifier = hs256Verifier();
        assertEquals(claims(List.of(), List.of()), verifier.verify(hs256("{\"sub\":\"alice\"}")).claims());
        assertEquals(claims(List.of(), List.of()), verifier.verify(hs256("{\"mercure\":null}")).claims());
        assertEquals(claims(List.of(), List.of()), verifier.verify(hs256("{\"mercure\":{}}")).claims());
        assertEquals(claims(List.of(), List.of("a")),
            verifier.verify(hs256("{\"mercure\":{\"publish\":[],\"subscribe\":[\"a\"],\"payload\":{\"x\":[1]}}}")).claims());
        assertEquals(claims(List.of("p"), List.of()),
            verifier.verify(hs256("{\"mercure\":{\"publish\":[\"p\"],\"subscribe\":null}}")).claims());
    }

    @Test
    void shouldPreferTheNamespacedMercureClaim()
    {
        assertEquals(claims(List.of(), List.of("ns")), hs256Verifier().verify(hs256(
            "{\"mercure\":{\"subscribe\":[\"plain\"]},\"https://mercure.rocks/\":{\"subscribe\":[\"ns\"]}}")).claims());
    }

    @Test
    void shouldVerifyRs256WithAPemPublicKeyFile()
    {
        final KeyPair pair = TestTokens.rsaKeyPair(2048);
        final Path pem = TestTokens.writePem(directory, "rsa.pem", pair.getPublic());
        final JwtVerifier verifier = new JwtVerifier(JwtSettings.publicKeyFile(JwtAlgorithm.RS256, pem), CLOCK);

        final String token = sign(header(JWSAlgorithm.RS256), CLAIMS, TestTokens.rsaSigner(pair));
        assertEquals(GRANTED, verifier.verify(token).claims());

        final KeyPair other = TestTokens.rsaKeyPair(2048);
        assertEquals(JwtRefusal.BAD_SIGNATURE,
            verifier.verify(sign(header(JWSAlgorithm.RS256), CLAIMS, TestTokens.rsaSigner(other))).refusal());
    }

    @Test
    void shouldVerifyEs256WithAPemPublicKeyFile()
    {
        final KeyPair pair = TestTokens.ecKeyPair("secp256r1");
        final Path pem = TestTokens.writePem(directory, "ec.pem", pair.getPublic());
        final JwtVerifier verifier = new JwtVerifier(JwtSettings.publicKeyFile(JwtAlgorithm.ES256, pem), CLOCK);

        final String token = sign(header(JWSAlgorithm.ES256), CLAIMS, TestTokens.ecSigner(pair));
        assertEquals(GRANTED, verifier.verify(token).claims());

        final String signingInput = token.substring(0, token.lastIndexOf('.'));
        final String otherSignature = sign(header(JWSAlgorithm.ES256), "{}", TestTokens.ecSigner(pair));
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(
            signingInput + otherSignature.substring(otherSignature.lastIndexOf('.'))).refusal());
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(signingInput + "." + base64Url("short")).refusal(),
            "an ES256 signature must be 64 bytes (R || S)");
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(signingInput + ".").refusal());
    }

    @Test
    void shouldRefuseAlgNone()
    {
        final JwtVerifier verifier = hs256Verifier();
        final String unsecured = new PlainObject(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(),
            new Payload(CLAIMS)).serialize();
        assertTrue(unsecured.endsWith("."), unsecured);

        assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED, verifier.verify(unsecured).refusal());
        final String hs256Signature = hs256(CLAIMS).substring(hs256(CLAIMS).lastIndexOf('.'));
        assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED,
            verifier.verify(unsecured.substring(0, unsecured.length() - 1) + hs256Signature).refusal());
        for (final String header : List.of("{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\"}",
            "{\"typ\":\"JWT\"}", "{\"alg\":null}", "{\"alg\":256}", "{\"alg\":\"hs256\"}", "{\"alg\":\"HS256 \"}",
            "{\"alg\":[\"HS256\"]}"))
        {
            assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED,
                verifier.verify(base64Url(header) + "." + base64Url(CLAIMS) + ".").refusal(), header);
        }
    }

    @Test
    void shouldRefuseAnHs256TokenSignedWithThePublicKeyWhenRs256IsConfigured()
    {
        final KeyPair pair = TestTokens.rsaKeyPair(2048);
        final Path pem = TestTokens.writePem(directory, "rsa.pem", pair.getPublic());
        final JwtVerifier verifier = new JwtVerifier(JwtSettings.publicKeyFile(JwtAlgorithm.RS256, pem), CLOCK);

        final String withDer = sign(header(JWSAlgorithm.HS256), CLAIMS, macSigner(pair.getPublic().getEncoded()));
        final String withPem = sign(header(JWSAlgorithm.HS256), CLAIMS,
            macSigner(TestTokens.pem("PUBLIC KEY", pair.getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII)));

        assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED, verifier.verify(withDer).refusal());
        assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED, verifier.verify(withPem).refusal());
        assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED, verifier.verify(
            sign(header(JWSAlgorithm.ES256), CLAIMS, TestTokens.ecSigner(TestTokens.ecKeyPair("secp256r1")))).refusal());
    }

    @Test
    void shouldRefuseOtherHmacAlgorithmsWhenHs256IsConfigured()
    {
        final byte[] secret = (SECRET + SECRET).getBytes(StandardCharsets.UTF_8);
        assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED,
            hs256Verifier().verify(sign(header(JWSAlgorithm.HS384), CLAIMS, macSigner(secret))).refusal());
        assertEquals(JwtRefusal.ALGORITHM_NOT_ALLOWED,
            hs256Verifier().verify(sign(header(JWSAlgorithm.HS512), CLAIMS, macSigner(secret))).refusal());
    }

    @Test
    void shouldRefuseAWrongSecretAndATamperedToken()
    {
        final JwtVerifier verifier = hs256Verifier();
        final String other = sign(header(JWSAlgorithm.HS256), CLAIMS,
            macSigner("another secret of at least 32 bytes".getBytes(StandardCharsets.UTF_8)));
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(other).refusal());

        final String token = hs256(CLAIMS);
        final int firstDot = token.indexOf('.');
        final int secondDot = token.lastIndexOf('.');
        final String widened = token.substring(0, firstDot + 1) +
            base64Url("{\"mercure\":{\"publish\":[\"*\"],\"subscribe\":[\"*\"]}}") + token.substring(secondDot);
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(widened).refusal());

        final char[] signature = token.toCharArray();
        final int middle = secondDot + 10;
        signature[middle] = signature[middle] == 'A' ? 'B' : 'A';
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(new String(signature)).refusal());
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(token.substring(0, secondDot + 1)).refusal());
        assertEquals(JwtRefusal.BAD_SIGNATURE, verifier.verify(token.substring(0, token.length() - 4)).refusal());
    }

    @Test
    void shouldRefuseExpiredAndNotYetValidTokensWithSixtySecondsOfSkew()
    {
        final JwtVerifier verifier = hs256Verifier();
        assertEquals(JwtRefusal.EXPIRED, verifier.verify(hs256("{\"exp\":" + (NOW - 61) + "}")).refusal());
        assertEquals(JwtRefusal.EXPIRED, verifier.verify(hs256("{\"exp\":" + (NOW - 60) + "}")).refusal());
        assertEquals(NOW - 59, verifier.verify(hs256("{\"exp\":" + (NOW - 59) + "}")).claims().expiresAtEpochSecond());
        assertEquals(NOW + 3600, verifier.verify(hs256("{\"exp\":" + (NOW + 3600) + ".75}")).claims()
            .expiresAtEpochSecond());
        assertEquals(MercureClaims.NEVER, verifier.verify(hs256("{\"exp\":1e300}")).claims().expiresAtEpochSecond());

        assertEquals(JwtRefusal.NOT_YET_VALID, verifier.verify(hs256("{\"nbf\":" + (NOW + 61) + "}")).refusal());
        assertTrue(verifier.verify(hs256("{\"nbf\":" + (NOW + 60) + "}")).isValid());
        assertTrue(verifier.verify(hs256("{\"nbf\":" + (NOW - 1) + ",\"exp\":" + (NOW + 1) + "}")).isValid());
        assertEquals(JwtRefusal.EXPIRED, verifier.verify(
            hs256("{\"nbf\":" + (NOW + 3600) + ",\"exp\":" + (NOW - 3600) + "}")).refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"mercure\":\"*\"}",
        "{\"mercure\":[\"*\"]}",
        "{\"mercure\":true}",
        "{\"mercure\":{\"publish\":\"*\"}}",
        "{\"mercure\":{\"subscribe\":\"*\"}}",
        "{\"mercure\":{\"subscribe\":{\"0\":\"*\"}}}",
        "{\"mercure\":{\"subscribe\":[\"a\",1]}}",
        "{\"mercure\":{\"publish\":[null]}}",
        "{\"mercure\":{\"publish\":[[\"*\"]]}}",
        "{\"mercure\":{\"subscribe\":[{\"topic\":\"*\"}]}}",
        "{\"exp\":\"" + (NOW + 60) + "\"}",
        "{\"nbf\":false}",
    })
    void shouldRefuseClaimsOfTheWrongShape(final String payload)
    {
        assertEquals(JwtRefusal.BAD_CLAIMS, hs256Verifier().verify(hs256(payload)).refusal(), payload);
    }

    @Test
    void shouldAcceptTypJwtOrNoTypAndRefuseOtherTypesAndCriticalParameters()
    {
        final JwtVerifier verifier = hs256Verifier();
        final byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        for (final String typ : List.of("JWT", "jwt", "application/jwt", "application/JWT"))
        {
            final JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)).build();
            assertEquals(GRANTED, verifier.verify(sign(header, CLAIMS, macSigner(secret))).claims(), typ);
        }
        assertEquals(GRANTED, verifier.verify(
            sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), CLAIMS, macSigner(secret))).claims());

        // at+jwt is a Mercure 1.0 access token: this verifier has no audience and issuer to take one with
        final JWSHeader accessToken = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build();
        assertEquals(JwtRefusal.WRONG_AUDIENCE_OR_ISSUER, verifier.verify(
            sign(accessToken, "{\"exp\":" + (NOW + 60) + "}", macSigner(secret))).refusal());
        for (final String typ : List.of("secevent+jwt", "JOSE", "JWE", ""))
        {
            final JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(typ)).build();
            assertEquals(JwtRefusal.UNSUPPORTED_HEADER, verifier.verify(sign(header, CLAIMS, macSigner(secret))).refusal(),
                typ);
        }
        final JWSHeader critical = new JWSHeader.Builder(JWSAlgorithm.HS256)
            .criticalParams(Set.of("exp")).build();
        assertEquals(JwtRefusal.UNSUPPORTED_HEADER, verifier.verify(sign(critical, CLAIMS, macSigner(secret))).refusal());
        assertEquals(JwtRefusal.UNSUPPORTED_HEADER, verifier.verify(
            base64Url("{\"alg\":\"HS256\",\"typ\":42}") + "." + base64Url(CLAIMS) + ".c2ln").refusal());
    }

    @Test
    void shouldRefuseMalformedTokens()
    {
        final JwtVerifier verifier = hs256Verifier();
        final String token = hs256(CLAIMS);
        final String header = token.substring(0, token.indexOf('.'));
        final String signature = token.substring(token.lastIndexOf('.') + 1);
        final List<String> malformed = List.of(
            "",
            "abc",
            "a.b",
            header + "." + base64Url(CLAIMS),
            token + ".",
            token + "." + signature,
            header + "." + base64Url(CLAIMS) + "." + signature + "." + signature + "." + signature,
            " " + token,
            token + " ",
            token.replace('.', ','),
            token.substring(0, 10) + "+" + token.substring(11),
            token.substring(0, 10) + "/" + token.substring(11),
            token.substring(0, 10) + "=" + token.substring(11),
            token.substring(0, 10) + "\u00e9" + token.substring(11),
            token.substring(0, 10) + "\n" + token.substring(11),
            header + "==." + base64Url(CLAIMS) + "." + signature,
            "e." + base64Url(CLAIMS) + "." + signature,
            "." + base64Url(CLAIMS) + "." + signature,
            base64Url("not json") + "." + base64Url(CLAIMS) + "." + signature,
            base64Url("[\"alg\",\"HS256\"]") + "." + base64Url(CLAIMS) + "." + signature,
            base64Url("\"HS256\"") + "." + base64Url(CLAIMS) + "." + signature,
            base64Url("{\"alg\":\"HS256\"") + "." + base64Url(CLAIMS) + "." + signature,
            "..",
            "...");
        for (final String bad : malformed)
        {
            assertEquals(JwtRefusal.MALFORMED, verifier.verify(bad).refusal(), bad);
        }
        assertEquals(JwtRefusal.MALFORMED, verifier.verify(null).refusal());
    }

    @Test
    void shouldRefuseASignedPayloadThatIsNotAJsonObject()
    {
        final JwtVerifier verifier = hs256Verifier();
        for (final String payload : List.of("not json", "[1,2]", "\"mercure\"", "42", "null", "{\"mercure\":", ""))
        {
            assertEquals(JwtRefusal.MALFORMED, verifier.verify(hs256(payload)).refusal(), payload);
        }
        final byte[] latin1 = "{\"sub\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(JwtRefusal.MALFORMED, verifier.verify(signBytes(latin1)).refusal(), "payload bytes not UTF-8");
        assertTrue(verifier.verify(signBytes("{\"sub\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8))).isValid());
    }

    @Test
    void shouldRefuseTokensLongerThanTheLimitAsMalformed()
    {
        final JwtVerifier verifier = hs256Verifier();
        String longest = null;
        String tooLong = null;
        for (int filler = 5000; filler < 7000 && (null == longest || null == tooLong); filler++)
        {
            final String token = hs256("{\"sub\":\"" + "x".repeat(filler) + "\"}");
            if (token.length() <= JwtVerifier.MAX_TOKEN_LENGTH)
            {
                longest = token;
            }
            else if (null == tooLong)
            {
                tooLong = token;
            }
        }
        assertTrue(JwtVerifier.MAX_TOKEN_LENGTH - longest.length() < 4, "longest " + longest.length());
        assertTrue(verifier.verify(longest).isValid());
        assertTrue(tooLong.length() > JwtVerifier.MAX_TOKEN_LENGTH);
        assertEquals(JwtRefusal.MALFORMED, verifier.verify(tooLong).refusal());
        assertEquals(JwtRefusal.MALFORMED, verifier.verify("a".repeat(1 << 20)).refusal());
        assertEquals(JwtRefusal.MALFORMED, verifier.verify(".".repeat(1 << 20)).refusal());
    }

    private static String signBytes(final byte[] payload)
    {
        final JWSObject jws = new JWSObject(header(JWSAlgorithm.HS256), new Payload(payload));
        try
        {
            jws.sign(macSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
        return jws.serialize();
    }
}
