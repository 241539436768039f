package io.sseflow.server.hub.jwt;

import io.sseflow.server.Refusal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sseflow.server.hub.jwt.TestTokens.CLAIMS;
import static io.sseflow.server.hub.jwt.TestTokens.hs256;
import static io.sseflow.server.hub.jwt.TestTokens.hs256Verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link JwtAuthenticator}: publishers always need a valid token; subscribers without one are anonymous only when
 * allowed; a bad token is refused with its reason wherever it came from, even when anonymous requests are allowed.
 */
class JwtAuthenticatorTest
{
    private static final String VALID = hs256(CLAIMS);
    private static final String EXPIRED = hs256("{\"exp\":" + (TestTokens.NOW - 3600) + "}");

    @Test
    void shouldRefuseARequestWithoutATokenUnlessAnonymousSubscribersAreAllowed()
    {
        final JwtAuthentication closed = new JwtAuthenticator(hs256Verifier(), false).subscriber(PresentedToken.NONE);
        assertEquals(JwtAuthentication.Outcome.REFUSED, closed.outcome());
        assertEquals(Refusal.JWT_MISSING, closed.refusal());
        assertNull(closed.jwtRefusal());
        assertEquals(TokenSource.NONE, closed.source());

        final JwtAuthentication open = new JwtAuthenticator(hs256Verifier(), true).subscriber(PresentedToken.NONE);
        assertEquals(JwtAuthentication.Outcome.ANONYMOUS, open.outcome());
        assertNull(open.refusal());
        assertNull(open.claims());

        final JwtAuthentication publisher = new JwtAuthenticator(hs256Verifier(), true).publisher(PresentedToken.NONE);
        assertEquals(JwtAuthentication.Outcome.REFUSED, publisher.outcome(), "publishing is never anonymous");
        assertEquals(Refusal.JWT_MISSING, publisher.refusal());
    }

    @Test
    void shouldAuthenticateAValidTokenFromEverySource()
    {
        final JwtAuthenticator authenticator = new JwtAuthenticator(hs256Verifier(), false);
        final List<PresentedToken> presented = List.of(
            TokenSources.select("Bearer " + VALID, null, null, null),
            TokenSources.select(null, VALID, null, null),
            TokenSources.select(null, null, VALID, null),
            TokenSources.select(null, null, null, "x=1; mercureAuthorization=" + VALID));
        final List<TokenSource> sources = List.of(TokenSource.AUTHORIZATION_HEADER, TokenSource.AUTHORIZATION_QUERY,
            TokenSource.ACCESS_TOKEN_QUERY, TokenSource.COOKIE);
        for (int i = 0; i < presented.size(); i++)
        {
            for (final JwtAuthentication authentication :
                List.of(authenticator.subscriber(presented.get(i)), authenticator.publisher(presented.get(i))))
            {
                assertEquals(JwtAuthentication.Outcome.AUTHENTICATED, authentication.outcome(), authentication.toString());
                assertEquals(sources.get(i), authentication.source());
                assertEquals(List.of("*"), authentication.claims().publish());
                assertNull(authentication.refusal());
            }
        }
    }

    @Test
    void shouldRefuseABadTokenEvenWhenAnonymousSubscribersAreAllowed()
    {
        final JwtAuthenticator authenticator = new JwtAuthenticator(hs256Verifier(), true);
        final JwtAuthentication expired =
            authenticator.subscriber(TokenSources.select(null, null, null, "mercureAuthorization=" + EXPIRED));
        assertEquals(JwtAuthentication.Outcome.REFUSED, expired.outcome());
        assertEquals(JwtRefusal.EXPIRED, expired.jwtRefusal());
        assertEquals(Refusal.JWT_EXPIRED, expired.refusal());
        assertEquals(TokenSource.COOKIE, expired.source());
    }

    @Test
    void shouldNotFallBackToALaterSourceWhenTheFirstHoldsNoUsableToken()
    {
        final JwtAuthenticator authenticator = new JwtAuthenticator(hs256Verifier(), true);
        final JwtAuthentication basic = authenticator.subscriber(
            TokenSources.select("Basic dXNlcjpwYXNz", null, null, "mercureAuthorization=" + VALID));
        assertEquals(JwtAuthentication.Outcome.REFUSED, basic.outcome());
        assertEquals(JwtRefusal.MALFORMED, basic.jwtRefusal());
        assertEquals(TokenSource.AUTHORIZATION_HEADER, basic.source());

        final JwtAuthentication expiredHeader = authenticator.subscriber(
            TokenSources.select("Bearer " + EXPIRED, VALID, VALID, "mercureAuthorization=" + VALID));
        assertEquals(JwtRefusal.EXPIRED, expiredHeader.jwtRefusal());
        final JwtAuthentication emptyQuery = authenticator.subscriber(TokenSources.select(null, "", VALID, null));
        assertEquals(JwtRefusal.MALFORMED, emptyQuery.jwtRefusal());
        assertEquals(TokenSource.AUTHORIZATION_QUERY, emptyQuery.source());
    }

    @Test
    void shouldMapEveryJwtRefusalToA401InvalidTokenRefusal()
    {
        for (final JwtRefusal refusal : JwtRefusal.values())
        {
            assertEquals(401, refusal.refusal().status(), refusal.name());
            assertEquals("jwt_" + refusal.name().toLowerCase(java.util.Locale.ROOT), refusal.refusal().label());
        }
    }
}
