package io.sseflow.server.hub.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies Mercure tokens: compact JWS (RFC 7515) signed with the one configured algorithm and key, whose payload
 * is a JWT claims set (RFC 7519) with an optional {@code mercure} claim. Built once from {@link JwtSettings};
 * thread-safe; each {@link #verify(String)} allocates (it runs once per request, not per event).
 * <p>
 * What is checked, in order, each failure a {@link JwtRefusal}: length at most {@value #MAX_TOKEN_LENGTH}
 * characters of the base64url alphabet in three parts ({@code MALFORMED}); the header a JSON object whose
 * {@code alg} is the configured one ({@code ALGORITHM_NOT_ALLOWED}, so {@code none} too) with {@code typ} absent or
 * {@code JWT} and no {@code crit} ({@code UNSUPPORTED_HEADER}); the signature ({@code BAD_SIGNATURE}); the payload
 * a JSON object ({@code MALFORMED}); {@code exp} and {@code nbf}, when present, with {@value #CLOCK_SKEW_SECONDS}
 * seconds of clock skew allowed ({@code EXPIRED}, {@code NOT_YET_VALID}); the {@code mercure} claim's shape
 * ({@code BAD_CLAIMS}; the claim may also be named {@code https://mercure.rocks/}, which then wins). Other claims
 * ({@code iss}, {@code aud}, {@code sub}, {@code iat}) are not checked. No input makes it throw.
 */
public final class JwtVerifier
{
    /**
     * The longest token accepted, in characters; longer ones are {@link JwtRefusal#MALFORMED}.
     */
    public static final int MAX_TOKEN_LENGTH = 8192;

    /**
     * How far the clocks of the token's issuer and the hub may disagree: a token is still accepted this many
     * seconds after its {@code exp}, and this many seconds before its {@code nbf}. The skew widens only which tokens
     * are accepted, never how long a stream lasts: a stream ends at its token's {@code exp} by the hub's clock
     * ({@link JwtAuthorizer}), so one accepted inside the skew ends right after its first whole frames.
     */
    public static final long CLOCK_SKEW_SECONDS = 60;

    private static final String MERCURE_CLAIM = "mercure";
    private static final String NAMESPACED_MERCURE_CLAIM = "https://mercure.rocks/";

    private static final String AUTHORIZATION_DETAILS_CLAIM = "authorization_details";

    private final JwtAlgorithm algorithm;
    private final com.nimbusds.jose.JWSVerifier signatureVerifier;
    private final Clock clock;
    private final String audience;
    private final String issuer;

    /**
     * A verifier for the settings' algorithm and key.
     *
     * @param settings the algorithm and key.
     * @param clock    the time {@code exp} and {@code nbf} are compared with.
     */
    public JwtVerifier(final JwtSettings settings, final Clock clock)
    {
        Objects.requireNonNull(settings, "settings");
        this.algorithm = settings.algorithm();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audience = settings.audience();
        this.issuer = settings.issuer();
        try
        {
            switch (algorithm)
            {
                case HS256:
                    signatureVerifier = new MACVerifier(settings.secret());
                    break;
                case RS256:
                    signatureVerifier = new RSASSAVerifier((RSAPublicKey)settings.publicKey());
                    break;
                case ES256:
                    signatureVerifier = new ECDSAVerifier((ECPublicKey)settings.publicKey());
                    break;
                default:
                    throw new IllegalArgumentException("no verifier for " + algorithm);
            }
        }
        catch (final JOSEException ex)
        {
            throw new IllegalArgumentException("the " + algorithm + " key cannot verify tokens: " + ex.getMessage(), ex);
        }
    }

    /**
     * The algorithm tokens must be signed with.
     *
     * @return the algorithm.
     */
    public JwtAlgorithm algorithm()
    {
        return algorithm;
    }

    /**
     * Verify one token.
     *
     * @param token the compact JWS, as presented (without {@code Bearer }).
     * @return its claims, or why it is refused; never throws.
     */
    public JwtVerification verify(final String token)
    {
        try
        {
            return check(token);
        }
        catch (final RuntimeException ex)
        {
            // the checks above map every failure they know; anything else the library throws on hostile input
            return JwtVerification.refused(JwtRefusal.MALFORMED);
        }
    }

    private JwtVerification check(final String token)
    {
        if (null == token || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH)
        {
            return JwtVerification.refused(JwtRefusal.MALFORMED);
        }
        final int firstDot = token.indexOf('.');
        final int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0 || !isBase64UrlOrDots(token))
        {
            return JwtVerification.refused(JwtRefusal.MALFORMED);
        }

        final Map<String, Object> headerJson = jsonObject(token, 0, firstDot);
        if (null == headerJson)
        {
            return JwtVerification.refused(JwtRefusal.MALFORMED);
        }
        if (!algorithm.name().equals(headerJson.get("alg")))
        {
            return JwtVerification.refused(JwtRefusal.ALGORITHM_NOT_ALLOWED);
        }
        final boolean accessToken = isAccessTokenType(headerJson.get("typ"));
        if ((!accessToken && !isJwtType(headerJson.get("typ"))) || headerJson.containsKey("crit"))
        {
            return JwtVerification.refused(JwtRefusal.UNSUPPORTED_HEADER);
        }
        final JWSHeader header;
        try
        {
            header = JWSHeader.parse(headerJson, new Base64URL(token.substring(0, firstDot)));
        }
        catch (final ParseException ex)
        {
            return JwtVerification.refused(JwtRefusal.MALFORMED);
        }

        if (null == decode(token, secondDot + 1, token.length()))
        {
            return JwtVerification.refused(JwtRefusal.MALFORMED);
        }
        final byte[] signingInput = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
        final boolean signed;
        try
        {
            signed = signatureVerifier.verify(header, signingInput, new Base64URL(token.substring(secondDot + 1)));
        }
        catch (final JOSEException ex)
        {
            return JwtVerification.refused(JwtRefusal.BAD_SIGNATURE);
        }
        if (!signed)
        {
            return JwtVerification.refused(JwtRefusal.BAD_SIGNATURE);
        }

        final Map<String, Object> claims = jsonObject(token, firstDot + 1, secondDot);
        if (null == claims)
        {
            return JwtVerification.refused(JwtRefusal.MALFORMED);
        }
        return accessToken ? checkAccessTokenClaims(claims) : checkClaims(claims);
    }

    /**
     * The claims of a Mercure 1.0 access token (RFC 9068 as the draft's "Token Validation" profiles it): {@code exp}
     * required, {@code nbf} enforced, {@code aud} holding the configured resource identifier, {@code iss} the
     * configured issuer, the grants in {@code authorization_details} ({@link AuthorizationDetails}); the
     * {@code mercure} claim is not read.
     */
    private JwtVerification checkAccessTokenClaims(final Map<String, Object> claims)
    {
        final Object exp = claims.get("exp");
        final Object nbf = claims.get("nbf");
        if (!(exp instanceof Number) || (null != nbf && !(nbf instanceof Number)))
        {
            return JwtVerification.refused(null == exp ? JwtRefusal.WRONG_AUDIENCE_OR_ISSUER : JwtRefusal.BAD_CLAIMS);
        }
        final double now = clock.millis() / 1000.0;
        if (now >= ((Number)exp).doubleValue() + CLOCK_SKEW_SECONDS)
        {
            return JwtVerification.refused(JwtRefusal.EXPIRED);
        }
        if (null != nbf && now < ((Number)nbf).doubleValue() - CLOCK_SKEW_SECONDS)
        {
            return JwtVerification.refused(JwtRefusal.NOT_YET_VALID);
        }
        if (null == audience || !hasAudience(claims.get("aud")) || !issuer.equals(claims.get("iss")))
        {
            return JwtVerification.refused(JwtRefusal.WRONG_AUDIENCE_OR_ISSUER);
        }
        final AuthorizationDetails details = AuthorizationDetails.of(claims.get(AUTHORIZATION_DETAILS_CLAIM));
        return null == details ? JwtVerification.refused(JwtRefusal.BAD_AUTHORIZATION_DETAILS) :
            JwtVerification.valid(MercureClaims.ofAccessToken(details, expiry(exp)));
    }

    private boolean hasAudience(final Object aud)
    {
        if (aud instanceof String)
        {
            return audience.equals(aud);
        }
        return aud instanceof List && ((List<?>)aud).contains(audience);
    }

    /**
     * Is the header's {@code typ} a JWT access token's, {@code at+jwt} (RFC 9068; ignoring case, {@code application/}
     * may be left out)?
     */
    private static boolean isAccessTokenType(final Object typ)
    {
        return typ instanceof String && ("at+jwt".equalsIgnoreCase((String)typ) ||
            "application/at+jwt".equalsIgnoreCase((String)typ));
    }

    private JwtVerification checkClaims(final Map<String, Object> claims)
    {
        final Object exp = claims.get("exp");
        final Object nbf = claims.get("nbf");
        if ((null != exp && !(exp instanceof Number)) || (null != nbf && !(nbf instanceof Number)))
        {
            return JwtVerification.refused(JwtRefusal.BAD_CLAIMS);
        }
        final double now = clock.millis() / 1000.0;
        if (null != exp && now >= ((Number)exp).doubleValue() + CLOCK_SKEW_SECONDS)
        {
            return JwtVerification.refused(JwtRefusal.EXPIRED);
        }
        if (null != nbf && now < ((Number)nbf).doubleValue() - CLOCK_SKEW_SECONDS)
        {
            return JwtVerification.refused(JwtRefusal.NOT_YET_VALID);
        }

        final Object namespaced = claims.get(NAMESPACED_MERCURE_CLAIM);
        final Object mercure = null != namespaced ? namespaced : claims.get(MERCURE_CLAIM);
        if (null == mercure)
        {
            return JwtVerification.valid(new MercureClaims(List.of(), List.of(), expiry(exp)));
        }
        if (!(mercure instanceof Map))
        {
            return JwtVerification.refused(JwtRefusal.BAD_CLAIMS);
        }
        final Map<?, ?> mercureClaim = (Map<?, ?>)mercure;
        final List<String> publish = selectors(mercureClaim.get("publish"));
        final List<String> subscribe = selectors(mercureClaim.get("subscribe"));
        if (null == publish || null == subscribe)
        {
            return JwtVerification.refused(JwtRefusal.BAD_CLAIMS);
        }
        return JwtVerification.valid(
            new MercureClaims(publish, subscribe, expiry(exp), payloadJson(mercureClaim.get("payload"))));
    }

    /**
     * {@code mercure.payload} as JSON text again (any JSON value), or null when absent or null.
     */
    private static String payloadJson(final Object payload)
    {
        if (null == payload)
        {
            return null;
        }
        final String wrapped = JSONObjectUtils.toJSONString(Collections.singletonMap("p", payload));
        return wrapped.substring("{\"p\":".length(), wrapped.length() - 1);
    }

    private static long expiry(final Object exp)
    {
        if (null == exp)
        {
            return MercureClaims.NEVER;
        }
        final double seconds = Math.floor(((Number)exp).doubleValue());
        return seconds >= (double)MercureClaims.NEVER ? MercureClaims.NEVER : (long)seconds;
    }

    /**
     * The strings of a selector array: empty for an absent or null one, null for anything that is not an array
     * of strings.
     */
    private static List<String> selectors(final Object value)
    {
        if (null == value)
        {
            return Collections.emptyList();
        }
        if (!(value instanceof List))
        {
            return null;
        }
        final List<?> list = (List<?>)value;
        final List<String> selectors = new ArrayList<>(list.size());
        for (final Object element : list)
        {
            if (!(element instanceof String))
            {
                return null;
            }
            selectors.add((String)element);
        }
        return selectors;
    }

    private static boolean isJwtType(final Object typ)
    {
        if (null == typ)
        {
            return true;
        }
        // media types compare ignoring case, and "application/" may be left out (RFC 7515 section 4.1.9)
        return typ instanceof String && ("JWT".equalsIgnoreCase((String)typ) ||
            "application/jwt".equalsIgnoreCase((String)typ));
    }

    private static boolean isBase64UrlOrDots(final String token)
    {
        for (int i = 0, length = token.length(); i < length; i++)
        {
            final char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.'))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A part as base64url without padding (the caller checked the alphabet): null when it cannot be decoded, as a
     * part of 4n+1 characters.
     */
    private static byte[] decode(final String token, final int start, final int end)
    {
        try
        {
            return Base64.getUrlDecoder().decode(token.substring(start, end));
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static Map<String, Object> jsonObject(final String token, final int start, final int end)
    {
        final byte[] bytes = decode(token, start, end);
        if (null == bytes || bytes.length == 0)
        {
            return null;
        }
        final String json;
        try
        {
            json = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
        try
        {
            return JSONObjectUtils.parse(json);
        }
        catch (final ParseException ex)
        {
            return null;
        }
    }
}
