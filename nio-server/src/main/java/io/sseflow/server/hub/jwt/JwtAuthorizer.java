package io.sseflow.server.hub.jwt;

import io.sseflow.server.Authorization;
import io.sseflow.server.PublishAuthorizer;
import io.sseflow.server.PublishRequest;
import io.sseflow.server.Refusal;
import io.sseflow.server.RequestHead;
import io.sseflow.server.SubscribeAuthorizer;
import io.sseflow.server.SubscribeRequest;
import io.sseflow.server.TopicGrant;

import java.util.List;
import java.util.Objects;

/**
 * The hub's JWT authorization as the server's authorizers: each request's token is found
 * ({@link TokenSources#select}), verified once ({@link JwtAuthenticator}) and its {@code mercure} claim made a
 * {@link TopicGrant}, which decides the topics.
 * <ul>
 * <li>Subscribe: no token: {@link Refusal#JWT_MISSING} ({@code 401}), or public updates only with anonymous
 * subscribers allowed; a bad token: its {@code 401 invalid_token} refusal, always; a good one: allowed within its
 * grant when its {@code mercure.subscribe} selectors match every topic asked for, else
 * {@link Refusal#JWT_FORBIDDEN} ({@code 403}) — unless anonymous subscribers are allowed, who may have every
 * topic's public updates: then the grant only adds private ones. Selectors (a Mercure subscribe) need no grant.
 * A stream allowed by a token with {@code exp} ends at that instant ({@link Authorization#expiringAt}); one whose
 * token came in the query answers {@code Cache-Control: private} ({@link Authorization#withCredentialsInUrl()}).</li>
 * <li>Publish: a valid token is needed ({@code 401}); one from the {@code mercureAuthorization} cookie only from an
 * allowed web origin ({@link Refusal#JWT_COOKIE_ORIGIN}, {@code 403}, checked first: a browser sends the cookie of
 * a cross-site form too); its {@code mercure.publish} selectors must match the topic ({@code 403}).</li>
 * </ul>
 * Thread-safe; once per request, never per event.
 */
public final class JwtAuthorizer implements SubscribeAuthorizer, PublishAuthorizer
{
    private static final String COOKIE_HEADER = "Cookie";

    private final JwtAuthenticator authenticator;
    private final boolean allowAnonymous;

    /**
     * An authorizer.
     *
     * @param settings the algorithm, key and whether anonymous subscribers are served.
     */
    public JwtAuthorizer(final JwtSettings settings)
    {
        this(settings.authenticator(), settings.allowAnonymous());
    }

    /**
     * An authorizer over an authenticator (with its own clock).
     *
     * @param authenticator  of tokens.
     * @param allowAnonymous does the authenticator serve subscribers without a token?
     */
    public JwtAuthorizer(final JwtAuthenticator authenticator, final boolean allowAnonymous)
    {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.allowAnonymous = allowAnonymous;
    }

    /**
     * The three-valued form of {@link #authorization(SubscribeRequest)}.
     *
     * @param request the request.
     * @return the decision.
     */
    public Decision authorize(final SubscribeRequest request)
    {
        return authorization(request).decision();
    }

    /**
     * {@inheritDoc}
     */
    public Authorization authorization(final SubscribeRequest request)
    {
        final PresentedToken token = presentedToken(request);
        if (isInUrl(token.source()) && isDraftSubscription(request))
        {
            return Authorization.refuse(Refusal.JWT_TOKEN_IN_URL);
        }
        final JwtAuthentication authentication = authenticator.subscriber(token);
        if (isAccessTokenInUrl(authentication))
        {
            return Authorization.refuse(Refusal.JWT_TOKEN_IN_URL);
        }
        switch (authentication.outcome())
        {
            case ANONYMOUS:
                return Authorization.ALLOW;

            case REFUSED:
                return Authorization.refuse(authentication.refusal());

            case AUTHENTICATED:
            default:
                final TopicGrant grant = grant(authentication.claims());
                if (null == grant)
                {
                    return Authorization.refuse(Refusal.JWT_BAD_CLAIMS);
                }
                final Authorization answer = grant.subscribe(request);
                final Authorization allowed =
                    answer.isAllowed() || !allowAnonymous ? answer : Authorization.granting(grant);
                return ofToken(allowed, authentication).withPayload(authentication.claims().payloadJson());
        }
    }

    /**
     * An allowed answer as the token it rests on limits it: a stream ends when the token expires (its {@code exp},
     * without the clock skew {@link JwtVerifier} allows on accepting it), and a token taken from the URL's query
     * marks the response {@code Cache-Control: private}.
     */
    private static Authorization ofToken(final Authorization answer, final JwtAuthentication authentication)
    {
        final long exp = authentication.claims().expiresAtEpochSecond();
        final Authorization expiring = MercureClaims.NEVER == exp ? answer : answer.expiringAt(epochMillis(exp));
        final TokenSource source = authentication.source();
        return TokenSource.AUTHORIZATION_QUERY == source || TokenSource.ACCESS_TOKEN_QUERY == source ?
            expiring.withCredentialsInUrl() : expiring;
    }

    private static long epochMillis(final long epochSecond)
    {
        return epochSecond >= Authorization.NEVER_EXPIRES / 1000 ? Authorization.NEVER_EXPIRES :
            Math.max(Long.MIN_VALUE / 1000, epochSecond) * 1000;
    }

    /**
     * {@inheritDoc}
     */
    public Authorization authorize(final PublishRequest request)
    {
        final PresentedToken token = presentedToken(request);
        if (TokenSource.COOKIE == token.source() && !request.isFromAllowedOrigin())
        {
            return Authorization.refuse(Refusal.JWT_COOKIE_ORIGIN);
        }
        final JwtAuthentication authentication = authenticator.publisher(token);
        if (isAccessTokenInUrl(authentication))
        {
            return Authorization.refuse(Refusal.JWT_TOKEN_IN_URL);
        }
        if (authentication.outcome() != JwtAuthentication.Outcome.AUTHENTICATED)
        {
            return Authorization.refuse(authentication.refusal());
        }
        final TopicGrant grant = grant(authentication.claims());
        return null == grant ? Authorization.refuse(Refusal.JWT_BAD_CLAIMS) : grant.publish(request);
    }

    /**
     * The token a request presents, by {@link TokenSources}' order; several {@code Cookie} fields are read as one.
     *
     * @param request the request.
     * @return the token and its source.
     */
    static PresentedToken presentedToken(final RequestHead request)
    {
        final List<String> cookies = request.headers(COOKIE_HEADER);
        return TokenSources.select(
            request.header("Authorization"),
            request.queryParameter(TokenSources.AUTHORIZATION_PARAMETER),
            request.queryParameter(TokenSources.ACCESS_TOKEN_PARAMETER),
            cookies.isEmpty() ? null : String.join("; ", cookies));
    }

    /**
     * The grant of verified claims, or null when a selector in them is not one (too long, a control character,
     * too many): then the claims are refused as {@link Refusal#JWT_BAD_CLAIMS}.
     */
    private static boolean isInUrl(final TokenSource source)
    {
        return TokenSource.AUTHORIZATION_QUERY == source || TokenSource.ACCESS_TOKEN_QUERY == source;
    }

    /**
     * Does the subscription use Mercure 1.0's matcher parameters (under which no token may come in the URL)?
     */
    private static boolean isDraftSubscription(final RequestHead request)
    {
        return null != request.queryParameter("match") || null != request.queryParameter("match_exact") ||
            null != request.queryParameter("match_urlpattern");
    }

    private static boolean isAccessTokenInUrl(final JwtAuthentication authentication)
    {
        return authentication.outcome() == JwtAuthentication.Outcome.AUTHENTICATED &&
            authentication.claims().isAccessToken() && isInUrl(authentication.source());
    }

    private static TopicGrant grant(final MercureClaims claims)
    {
        try
        {
            if (claims.isAccessToken())
            {
                final AuthorizationDetails details = claims.authorizationDetails();
                return TopicGrant.ofSelectors(details.publish(), details.subscribe());
            }
            return TopicGrant.of(claims.publish(), claims.subscribe());
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "JwtAuthorizer{allowAnonymous=" + allowAnonymous + "}";
    }
}
