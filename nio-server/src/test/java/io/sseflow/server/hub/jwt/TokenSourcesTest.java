package io.sseflow.server.hub.jwt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link TokenSources}: the bearer token of an {@code Authorization} value, a cookie of a {@code Cookie} value, and
 * which source a request's token is taken from.
 */
class TokenSourcesTest
{
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln";

    @Test
    void shouldTakeTheTokenOfABearerAuthorizationWhateverTheSchemeCase()
    {
        assertEquals(TOKEN, TokenSources.bearerToken("Bearer " + TOKEN));
        assertEquals(TOKEN, TokenSources.bearerToken("bearer " + TOKEN));
        assertEquals(TOKEN, TokenSources.bearerToken("BEARER " + TOKEN));
        assertEquals(TOKEN, TokenSources.bearerToken("BeArEr " + TOKEN));
        assertEquals(TOKEN, TokenSources.bearerToken("Bearer   " + TOKEN + " \t"));
        assertEquals(TOKEN, TokenSources.bearerToken(" Bearer\t" + TOKEN));
        assertEquals("a b", TokenSources.bearerToken("Bearer a b"), "the token is checked by the verifier");
    }

    @Test
    void shouldFindNoBearerTokenInOtherSchemesOrEmptyValues()
    {
        assertNull(TokenSources.bearerToken(null));
        assertNull(TokenSources.bearerToken(""));
        assertNull(TokenSources.bearerToken("Bearer"));
        assertNull(TokenSources.bearerToken("Bearer "));
        assertNull(TokenSources.bearerToken("Bearer  \t "));
        assertNull(TokenSources.bearerToken("Bearer" + TOKEN));
        assertNull(TokenSources.bearerToken("Basic dXNlcjpwYXNz"));
        assertNull(TokenSources.bearerToken("Bearerx " + TOKEN));
        assertNull(TokenSources.bearerToken("Bear " + TOKEN));
        assertNull(TokenSources.bearerToken(TOKEN));
    }

    @Test
    void shouldFindTheMercureCookieAmongOthers()
    {
        final String name = TokenSources.COOKIE_NAME;
        assertEquals(TOKEN, TokenSources.cookie("mercureAuthorization=" + TOKEN, name));
        assertEquals(TOKEN, TokenSources.cookie("theme=dark; mercureAuthorization=" + TOKEN + "; lang=fr", name));
        assertEquals(TOKEN, TokenSources.cookie("theme=dark;mercureAuthorization=" + TOKEN, name));
        assertEquals(TOKEN, TokenSources.cookie("  mercureAuthorization  =  " + TOKEN + "  ;x=1", name));
        assertEquals(TOKEN, TokenSources.cookie("mercureAuthorization=\"" + TOKEN + "\"", name), "DQUOTE value");
        assertEquals(TOKEN, TokenSources.cookie("a=\"x;y\"; mercureAuthorization=" + TOKEN, name));
        assertEquals("first", TokenSources.cookie("mercureAuthorization=first; mercureAuthorization=second", name),
            "the first, as user agents send the most specific path first (RFC 6265 section 5.4)");
        assertEquals("v=w", TokenSources.cookie("mercureAuthorization=v=w", name));
        assertEquals("", TokenSources.cookie("mercureAuthorization=", name));
        assertEquals("", TokenSources.cookie("mercureAuthorization=\"\"", name));
        assertEquals("\"half", TokenSources.cookie("mercureAuthorization=\"half", name));
        assertEquals(TOKEN, TokenSources.cookie("flag; mercureAuthorization=" + TOKEN + ";", name));
    }

    @Test
    void shouldNotMistakeOtherCookiesForIt()
    {
        final String name = TokenSources.COOKIE_NAME;
        assertNull(TokenSources.cookie(null, name));
        assertNull(TokenSources.cookie("", name));
        assertNull(TokenSources.cookie(";;;", name));
        assertNull(TokenSources.cookie("mercureauthorization=" + TOKEN, name), "names are case-sensitive");
        assertNull(TokenSources.cookie("xmercureAuthorization=" + TOKEN, name));
        assertNull(TokenSources.cookie("mercureAuthorizationX=" + TOKEN, name));
        assertNull(TokenSources.cookie("mercureAuthorization", name));
        assertNull(TokenSources.cookie("a=mercureAuthorization=" + TOKEN, name));
    }

    @Test
    void shouldTakeTheHeaderThenTheQueryThenTheCookie()
    {
        assertToken(TokenSource.AUTHORIZATION_HEADER, "h",
            TokenSources.select("Bearer h", "q", "t", "mercureAuthorization=c"));
        assertToken(TokenSource.AUTHORIZATION_QUERY, "q", TokenSources.select(null, "q", "t", "mercureAuthorization=c"));
        assertToken(TokenSource.ACCESS_TOKEN_QUERY, "t", TokenSources.select(null, null, "t", "mercureAuthorization=c"));
        assertToken(TokenSource.COOKIE, "c", TokenSources.select(null, null, null, "a=b; mercureAuthorization=c"));
        assertSame(PresentedToken.NONE, TokenSources.select(null, null, null, null));
        assertSame(PresentedToken.NONE, TokenSources.select(null, null, null, "a=b; other=c"));
    }

    @Test
    void shouldUseTheFirstSourcePresentEvenWhenItHoldsNoUsableToken()
    {
        assertToken(TokenSource.AUTHORIZATION_HEADER, null,
            TokenSources.select("Basic dXNlcjpwYXNz", null, null, "mercureAuthorization=c"));
        assertToken(TokenSource.AUTHORIZATION_HEADER, null, TokenSources.select("", "q", null, null));
        assertToken(TokenSource.AUTHORIZATION_QUERY, null, TokenSources.select(null, "", "t", null));
        assertToken(TokenSource.ACCESS_TOKEN_QUERY, null, TokenSources.select(null, null, "", "mercureAuthorization=c"));
        assertToken(TokenSource.COOKIE, null, TokenSources.select(null, null, null, "mercureAuthorization="));
    }

    private static void assertToken(final TokenSource source, final String token, final PresentedToken presented)
    {
        assertEquals(source, presented.source(), presented.toString());
        assertEquals(token, presented.token(), presented.toString());
    }
}
