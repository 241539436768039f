package io.sseflow.server.hub.jwt;

import java.util.Objects;

/**
 * Decides who a request is from the token it presents ({@link TokenSources#select}): a publisher always needs a
 * valid token; a subscriber without any token is anonymous when allowed ({@code --allow-anonymous}) and refused
 * otherwise; a token that is presented is verified, and a bad one is refused even where anonymous requests are
 * allowed (as Mercure hubs do, so that a client learns its token is wrong). Whether the claims allow the topic is
 * decided after, by matching the selectors ({@link io.sseflow.server.Refusal#JWT_FORBIDDEN} when not).
 * Thread-safe; once per request.
 */
public final class JwtAuthenticator
{
    private final JwtVerifier verifier;
    private final boolean allowAnonymous;

    /**
     * An authenticator.
     *
     * @param verifier       of tokens.
     * @param allowAnonymous are subscribers without a token served public updates?
     */
    public JwtAuthenticator(final JwtVerifier verifier, final boolean allowAnonymous)
    {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.allowAnonymous = allowAnonymous;
    }

    /**
     * A subscribe request.
     *
     * @param token what the request presents.
     * @return authenticated, anonymous, or refused.
     */
    public JwtAuthentication subscriber(final PresentedToken token)
    {
        return authenticate(token, allowAnonymous);
    }

    /**
     * A publish request: never anonymous. A token from the {@link TokenSource#COOKIE} still needs the request's
     * {@code Origin} checked by the caller.
     *
     * @param token what the request presents.
     * @return authenticated or refused.
     */
    public JwtAuthentication publisher(final PresentedToken token)
    {
        return authenticate(token, false);
    }

    private JwtAuthentication authenticate(final PresentedToken token, final boolean anonymousAllowed)
    {
        if (TokenSource.NONE == token.source())
        {
            return anonymousAllowed ? JwtAuthentication.anonymous() : JwtAuthentication.missing();
        }
        final JwtVerification verification = verifier.verify(token.token());
        return verification.isValid() ?
            JwtAuthentication.authenticated(token.source(), verification.claims()) :
            JwtAuthentication.refused(token.source(), verification.refusal());
    }
}
