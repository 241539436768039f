package io.sseflow.server.agent;

import io.sseflow.server.Authorization;
import io.sseflow.server.SubscribeAuthorizer;
import io.sseflow.server.SubscribeRequest;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.selector.SelectorSet;
import org.agrona.DirectBuffer;

import java.net.InetAddress;
import java.util.List;

/**
 * The agent's {@link SubscribeRequest}: a view over the request's bytes and its parser, wrapped for the duration of
 * one {@link SubscribeAuthorizer#authorization(SubscribeRequest)} call and cleared after it, so one instance serves
 * every request. It keeps, from the answer of the last request authorized, which private updates that subscriber
 * receives ({@link #privateSelectors()}), when its credentials expire ({@link #expiresAtEpochMillis()}) and whether
 * they came in the URL ({@link #credentialsInUrl()}), until the next request is wrapped.
 */
final class ParsedSubscribeRequest extends ParsedRequestHead implements SubscribeRequest
{
    private boolean topicsAreSelectors;
    private SelectorSet privateSelectors;
    private long expiresAtEpochMillis = Authorization.NEVER_EXPIRES;
    private boolean credentialsInUrl;
    private String payloadJson;

    ParsedSubscribeRequest()
    {
        super("SubscribeRequest", "SubscribeAuthorizer.authorize");
    }

    /**
     * Wrap a request for one topic name, as {@code /events/{topic}}.
     */
    ParsedSubscribeRequest wrap(
        final DirectBuffer buffer, final HttpRequestParser parser, final String topic, final InetAddress remoteAddress)
    {
        return wrap(buffer, parser, List.of(topic), false, remoteAddress);
    }

    /**
     * Wrap a request for topic names ({@code GET /events?topic=A&topic=B}) or for topic selectors (a Mercure
     * subscribe).
     */
    ParsedSubscribeRequest wrap(
        final DirectBuffer buffer,
        final HttpRequestParser parser,
        final List<String> topics,
        final boolean topicsAreSelectors,
        final InetAddress remoteAddress)
    {
        wrapHead(buffer, parser, List.copyOf(topics), remoteAddress);
        this.topicsAreSelectors = topicsAreSelectors;
        clearGrant();
        return this;
    }

    /**
     * Keep what an allowed answer grants the subscriber.
     *
     * @param answer the authorizer's answer, allowed.
     */
    void allowed(final Authorization answer)
    {
        privateSelectors = answer.privateSelectors();
        expiresAtEpochMillis = answer.expiresAtEpochMillis();
        credentialsInUrl = answer.credentialsInUrl();
        payloadJson = answer.payloadJson();
    }

    /**
     * Forget the grant of the request authorized before: a request served without an authorizer has none.
     */
    void clearGrant()
    {
        privateSelectors = null;
        expiresAtEpochMillis = Authorization.NEVER_EXPIRES;
        credentialsInUrl = false;
        payloadJson = null;
    }

    /**
     * What the credentials of the subscriber last authorized say about it (a JWT's {@code mercure.payload}).
     *
     * @return the payload as JSON text, or null for none.
     */
    String payloadJson()
    {
        return payloadJson;
    }

    /**
     * When the credentials of the subscriber last authorized expire: its stream ends then.
     *
     * @return milliseconds since the epoch, or {@link Authorization#NEVER_EXPIRES}.
     */
    long expiresAtEpochMillis()
    {
        return expiresAtEpochMillis;
    }

    /**
     * Did the subscriber last authorized carry its credentials in the URL (its response is then
     * {@code Cache-Control: private})?
     *
     * @return true when the authorizer said so.
     */
    boolean credentialsInUrl()
    {
        return credentialsInUrl;
    }

    /**
     * Which {@code private} updates the subscriber last authorized receives: those with a topic these selectors
     * match (its token's {@code mercure.subscribe}).
     *
     * @return the selectors, or null for public updates only (no authorizer, an anonymous subscriber, or an answer
     * without a grant).
     */
    SelectorSet privateSelectors()
    {
        return privateSelectors;
    }

    /**
     * {@inheritDoc}
     */
    public boolean topicsAreSelectors()
    {
        checkValid();
        return topicsAreSelectors;
    }
}
