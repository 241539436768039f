package io.sseflow.server.hub.jwt;

/**
 * Finds the token in what a request carries, as pure functions of header and query values (already
 * percent-decoded), so that they can run wherever the request head is read.
 * <p>
 * Order, as Mercure hubs look: the {@code Authorization} header, then the {@code authorization} query parameter,
 * then {@code access_token}, then the {@code mercureAuthorization} cookie. The first source that is present is the
 * only one used: when it holds no usable token (another scheme, an empty value) or a token that does not verify,
 * the request is refused even if a later source holds a good one. Explicit credentials (a header, a query the
 * client wrote) so win over the cookie the browser attaches by itself.
 */
public final class TokenSources
{
    /**
     * The cookie that carries the token for {@code EventSource}, which cannot set headers.
     */
    public static final String COOKIE_NAME = "mercureAuthorization";

    /**
     * Mercure's query parameter.
     */
    /**
     * The cookie Mercure 1.0 (the draft) recommends for the access token; read after {@link #COOKIE_NAME}.
     */
    public static final String ACCESS_TOKEN_COOKIE_NAME = "__Secure-mercure_access_token";

    public static final String AUTHORIZATION_PARAMETER = "authorization";

    /**
     * RFC 6750's query parameter.
     */
    public static final String ACCESS_TOKEN_PARAMETER = "access_token";

    private static final String BEARER = "Bearer";

    private TokenSources()
    {
    }

    /**
     * The token of an {@code Authorization} header value: {@code Bearer TOKEN}, the scheme compared ignoring case
     * (RFC 9110 section 11.1), one or more spaces after it, surrounding whitespace ignored.
     *
     * @param authorization the field value, or null when the header is absent.
     * @return the token, or null when absent, of another scheme, or empty.
     */
    public static String bearerToken(final String authorization)
    {
        if (null == authorization)
        {
            return null;
        }
        final int end = trimEnd(authorization, authorization.length());
        final int start = trimStart(authorization, 0, end);
        final int schemeEnd = start + BEARER.length();
        if (schemeEnd >= end || !authorization.regionMatches(true, start, BEARER, 0, BEARER.length()) ||
            !isWhitespace(authorization.charAt(schemeEnd)))
        {
            return null;
        }
        final int tokenStart = trimStart(authorization, schemeEnd, end);
        return tokenStart < end ? authorization.substring(tokenStart, end) : null;
    }

    /**
     * The value of a cookie in a {@code Cookie} header value (RFC 6265 section 4.2.1:
     * {@code name=value; name2=value2}): pairs split at {@code ;}, whitespace around names and values ignored,
     * names compared exactly, a value in double quotes unquoted. A pair without {@code =} is skipped.
     *
     * @param cookieHeader the field value, or null when the header is absent.
     * @param name         the cookie name, such as {@link #COOKIE_NAME}.
     * @return the first value of that cookie ({@code ""} when empty), or null when there is none.
     */
    public static String cookie(final String cookieHeader, final String name)
    {
        if (null == cookieHeader)
        {
            return null;
        }
        final int length = cookieHeader.length();
        int pairStart = 0;
        while (pairStart <= length)
        {
            int pairEnd = cookieHeader.indexOf(';', pairStart);
            if (pairEnd < 0)
            {
                pairEnd = length;
            }
            final int equals = cookieHeader.indexOf('=', pairStart);
            if (equals >= 0 && equals < pairEnd)
            {
                final int nameEnd = trimEnd(cookieHeader, equals);
                final int nameStart = trimStart(cookieHeader, pairStart, nameEnd);
                if (nameEnd - nameStart == name.length() && cookieHeader.startsWith(name, nameStart))
                {
                    int valueEnd = trimEnd(cookieHeader, pairEnd);
                    int valueStart = trimStart(cookieHeader, equals + 1, valueEnd);
                    if (valueEnd - valueStart >= 2 &&
                        cookieHeader.charAt(valueStart) == '"' && cookieHeader.charAt(valueEnd - 1) == '"')
                    {
                        valueStart++;
                        valueEnd--;
                    }
                    return cookieHeader.substring(valueStart, valueEnd);
                }
            }
            pairStart = pairEnd + 1;
        }
        return null;
    }

    /**
     * The token a request presents, by the order in the class description.
     *
     * @param authorizationHeader the {@code Authorization} field value, or null when absent.
     * @param authorizationQuery  the decoded {@code authorization} query parameter, or null when absent.
     * @param accessTokenQuery    the decoded {@code access_token} query parameter, or null when absent.
     * @param cookieHeader        the {@code Cookie} field value, or null when absent.
     * @return the token and its source; {@link PresentedToken#NONE} when no source is present.
     */
    public static PresentedToken select(
        final String authorizationHeader,
        final String authorizationQuery,
        final String accessTokenQuery,
        final String cookieHeader)
    {
        if (null != authorizationHeader)
        {
            return PresentedToken.of(TokenSource.AUTHORIZATION_HEADER, bearerToken(authorizationHeader));
        }
        if (null != authorizationQuery)
        {
            return PresentedToken.of(TokenSource.AUTHORIZATION_QUERY, authorizationQuery);
        }
        if (null != accessTokenQuery)
        {
            return PresentedToken.of(TokenSource.ACCESS_TOKEN_QUERY, accessTokenQuery);
        }
        final String cookie = cookie(cookieHeader, COOKIE_NAME);
        if (null != cookie)
        {
            return PresentedToken.of(TokenSource.COOKIE, cookie);
        }
        final String accessTokenCookie = cookie(cookieHeader, ACCESS_TOKEN_COOKIE_NAME);
        if (null != accessTokenCookie)
        {
            return PresentedToken.of(TokenSource.COOKIE, accessTokenCookie);
        }
        return PresentedToken.NONE;
    }

    private static boolean isWhitespace(final char c)
    {
        return c == ' ' || c == '\t';
    }

    private static int trimStart(final String text, final int start, final int end)
    {
        int index = start;
        while (index < end && isWhitespace(text.charAt(index)))
        {
            index++;
        }
        return index;
    }

    private static int trimEnd(final String text, final int end)
    {
        int index = end;
        while (index > 0 && isWhitespace(text.charAt(index - 1)))
        {
            index--;
        }
        return index;
    }
}
