package io.sseflow.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides whether a {@code GET /events/{topic}} may stream, before anything is written and before the topic is
 * created. Set with {@link SseServer.Builder#subscribeAuthorizer(SubscribeAuthorizer)}; the hub's
 * {@code --subscribe-token} is {@link #bearerToken(String)}.
 * <p>
 * Called on the server agent thread, once per subscribe request (never per event): it must answer quickly and
 * never block (no remote calls; check a signature or a local cache). The server asks
 * {@link #authorization(SubscribeRequest)}, which by default maps {@link #authorize(SubscribeRequest)}'s
 * {@link Decision}: a refusal is answered {@code 401} (with {@code WWW-Authenticate: Bearer}) or {@code 403} and
 * counted in {@code sseflow_requests_refused_total{reason="unauthorized"|"forbidden"}}. An authorizer that answers
 * a specific {@link Refusal} (such as {@link Refusal#JWT_EXPIRED}, {@code 401} with
 * {@code WWW-Authenticate: Bearer error="invalid_token", ...}, counted as {@code jwt_expired}) or grants private
 * updates ({@link Authorization#granting(TopicGrant)}) overrides {@link #authorization(SubscribeRequest)}, or is
 * made with {@link #of(Function)}. An exception or a null answer is reported to the error handler and answered
 * {@code 500}. {@code OPTIONS} preflights are not authorized (browsers send them without credentials).
 */
@FunctionalInterface
public interface SubscribeAuthorizer
{
    /**
     * The answer to a subscribe request.
     */
    enum Decision
    {
        /**
         * Stream.
         */
        ALLOW,

        /**
         * {@code 401 Unauthorized}: credentials missing or not valid.
         */
        UNAUTHORIZED,

        /**
         * {@code 403 Forbidden}: valid credentials, but not for this topic.
         */
        FORBIDDEN
    }

    /**
     * Decide.
     *
     * @param request the topic, headers and query of the request; valid only during this call.
     * @return the decision.
     */
    Decision authorize(SubscribeRequest request);

    /**
     * Answer a subscribe request in full: allowed (public updates only, or within a {@link TopicGrant} that adds
     * private ones) or refused with a specific {@link Refusal} and reason. The server calls this, once per request;
     * by default it is {@link Authorization#of(Decision) the answer} of {@link #authorize(SubscribeRequest)}, asked
     * once per topic of a request for several ({@code GET /events?topic=A&topic=B}, a Mercure subscribe with several
     * selectors), each time with that one topic as {@link SubscribeRequest#topic()}: the first refusal is the answer.
     *
     * @param request the topic, headers and query of the request; valid only during this call.
     * @return the answer; null is reported as a failure and answered {@code 500}.
     */
    default Authorization authorization(final SubscribeRequest request)
    {
        final List<String> topics = request.topics();
        if (topics.size() <= 1)
        {
            return Authorization.of(authorize(request));
        }
        for (final String topic : topics)
        {
            final Decision decision = authorize(new OneTopicRequest(request, topic));
            if (decision != Decision.ALLOW)
            {
                return Authorization.of(decision);
            }
        }
        return Authorization.ALLOW;
    }

    /**
     * An authorizer that answers in full: {@link #authorization(SubscribeRequest)} is the function, and
     * {@link #authorize(SubscribeRequest)} its {@link Authorization#decision()}.
     *
     * @param authorization from the request to its answer; called once per request.
     * @return the authorizer.
     */
    static SubscribeAuthorizer of(final Function<? super SubscribeRequest, Authorization> authorization)
    {
        Objects.requireNonNull(authorization, "authorization");
        return new SubscribeAuthorizer()
        {
            public Decision authorize(final SubscribeRequest request)
            {
                final Authorization answer = authorization.apply(request);
                return null == answer ? null : answer.decision();
            }

            public Authorization authorization(final SubscribeRequest request)
            {
                return authorization.apply(request);
            }
        };
    }

    /**
     * Require a token as {@code Authorization: Bearer TOKEN} or, for {@code EventSource} which cannot set
     * headers, as the query parameter {@code access_token=TOKEN} (RFC 6750 sections 2.1 and 2.3; a stream so
     * authorized answers {@code Cache-Control: private}, {@link Authorization#withCredentialsInUrl()}). Compared in
     * constant time; anything else is {@link Decision#UNAUTHORIZED}.
     *
     * @param token 1..512 visible ASCII characters.
     * @return the authorizer.
     */
    static SubscribeAuthorizer bearerToken(final String token)
    {
        Objects.requireNonNull(token, "token");
        if (!ServerConfigRules.isValidToken(token))
        {
            throw new IllegalArgumentException("subscribe token must be 1..512 visible ASCII characters without spaces");
        }
        final byte[] expected = token.getBytes(StandardCharsets.US_ASCII);
        final Authorization allowFromUrl = Authorization.ALLOW.withCredentialsInUrl();
        return of((request) ->
        {
            final String presented = request.bearerToken();
            final String fromQuery = null == presented ? request.queryParameter("access_token") : null;
            final String candidate = null != presented ? presented : fromQuery;
            if (null == candidate ||
                !MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8)))
            {
                return Authorization.of(Decision.UNAUTHORIZED);
            }
            return null != presented ? Authorization.ALLOW : allowFromUrl;
        });
    }
}
