package io.sseflow.server;

import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;

import java.util.List;
import java.util.Objects;

/**
 * What a bearer may do, as topic selectors ({@code *}, exact topics, RFC 6570 URI templates; see
 * {@link TopicSelector}): the topics it may publish to, and those whose {@code private} updates it receives and
 * that it may subscribe to on {@code /events}. These are a Mercure token's {@code mercure.publish} and
 * {@code mercure.subscribe} claims; the hub's JWT authorization checks them here, and so can an application that
 * verifies its own tokens:
 * <pre>{@code
 * SseServer.builder().subscribeAuthorizer(SubscribeAuthorizer.of((request) ->
 * {
 *     final MyClaims claims = myVerifier.verify(request.bearerToken());          // once per request
 *     return null == claims ? Authorization.refuse(Refusal.JWT_MISSING) :
 *         TopicGrant.of(claims.publish(), claims.subscribe()).subscribe(request);
 * }));
 * }</pre>
 * Immutable and thread-safe; checking a topic allocates nothing. Made once per request (parsing the selectors
 * allocates), never per event.
 */
public final class TopicGrant
{
    private final SelectorSet publish;
    private final SelectorSet subscribe;

    private TopicGrant(final SelectorSet publish, final SelectorSet subscribe)
    {
        this.publish = publish;
        this.subscribe = subscribe;
    }

    /**
     * A grant of selector texts.
     *
     * @param publish   selectors of the topics the bearer may publish to; empty for none.
     * @param subscribe selectors of the topics the bearer may subscribe to and receive private updates of; empty
     *                  for none.
     * @return the grant.
     * @throws IllegalArgumentException naming the problem when a selector is invalid (see
     *                                  {@link TopicSelector#parse}) or a list has more than
     *                                  {@link SelectorSet#MAX_SELECTORS}.
     */
    public static TopicGrant of(final List<? extends CharSequence> publish, final List<? extends CharSequence> subscribe)
    {
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(subscribe, "subscribe");
        return new TopicGrant(selectors(publish, "publish"), selectors(subscribe, "subscribe"));
    }

    /**
     * A grant of parsed selectors (Mercure 1.0's matchers: {@link TopicSelector#exact},
     * {@link TopicSelector#urlPattern}).
     *
     * @param publish   selectors of the topics the bearer may publish to; empty for none.
     * @param subscribe selectors of the topics the bearer may subscribe to and receive private updates of; empty
     *                  for none.
     * @return the grant.
     * @throws IllegalArgumentException when a list has more than {@link SelectorSet#MAX_SELECTORS}.
     */
    public static TopicGrant ofSelectors(final List<TopicSelector> publish, final List<TopicSelector> subscribe)
    {
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(subscribe, "subscribe");
        return new TopicGrant(publish.isEmpty() ? null : SelectorSet.ofSelectors(publish),
            subscribe.isEmpty() ? null : SelectorSet.ofSelectors(subscribe));
    }

    private static SelectorSet selectors(final List<? extends CharSequence> texts, final String name)
    {
        if (texts.isEmpty())
        {
            return null;
        }
        try
        {
            return SelectorSet.of(texts);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(name + " selectors: " + ex.getMessage(), ex);
        }
    }

    /**
     * The selectors of the topics the bearer may publish to.
     *
     * @return the set, or null for none.
     */
    public SelectorSet publishSelectors()
    {
        return publish;
    }

    /**
     * The selectors of the topics the bearer may subscribe to and receive private updates of.
     *
     * @return the set, or null for none.
     */
    public SelectorSet subscribeSelectors()
    {
        return subscribe;
    }

    /**
     * May the bearer publish to this topic?
     *
     * @param topic a topic.
     * @return true when a publish selector matches it.
     */
    public boolean mayPublish(final CharSequence topic)
    {
        return null != publish && publish.matchesAny(topic);
    }

    /**
     * May the bearer subscribe to this topic (and receive its private updates)?
     *
     * @param topic a topic.
     * @return true when a subscribe selector matches it.
     */
    public boolean maySubscribe(final CharSequence topic)
    {
        return null != subscribe && subscribe.matchesAny(topic);
    }

    /**
     * The answer to a subscribe request: allowed within this grant when the subscribe selectors match every topic
     * it asks for, or when it asks for selectors ({@link SubscribeRequest#topicsAreSelectors()}: the grant then
     * decides only which private updates it gets); otherwise {@link Refusal#JWT_FORBIDDEN} ({@code 403}).
     *
     * @param request the request.
     * @return the answer.
     */
    public Authorization subscribe(final SubscribeRequest request)
    {
        if (request.topicsAreSelectors())
        {
            return Authorization.granting(this);
        }
        for (final String topic : request.topics())
        {
            if (!maySubscribe(topic))
            {
                return Authorization.refuse(Refusal.JWT_FORBIDDEN);
            }
        }
        return Authorization.granting(this);
    }

    /**
     * The answer to a publish request: allowed within this grant when the publish selectors match every topic on
     * its head (a Mercure publish, whose topics are in its body, is then decided topic by topic with
     * {@link Authorization#allowsPublishTo}); otherwise {@link Refusal#JWT_FORBIDDEN} ({@code 403}).
     *
     * @param request the request.
     * @return the answer.
     */
    public Authorization publish(final PublishRequest request)
    {
        for (final String topic : request.topics())
        {
            if (!mayPublish(topic))
            {
                return Authorization.refuse(Refusal.JWT_FORBIDDEN);
            }
        }
        return Authorization.granting(this);
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "TopicGrant{publish=" + (null == publish ? "[]" : publish) + ", subscribe=" +
            (null == subscribe ? "[]" : subscribe) + "}";
    }
}
