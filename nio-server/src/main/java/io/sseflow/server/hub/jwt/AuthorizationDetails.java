package io.sseflow.server.hub.jwt;

import io.sseflow.server.mercure.MatcherText;
import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;
import io.sseflow.server.selector.TopicTextProblem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Mercure 1.0 access token grants, read from its RFC 9396 {@code authorization_details} claim: the
 * entries of type {@value #TYPE} (others belong to other APIs and are skipped), each with a non-empty
 * {@code actions} array of strings ({@code publish}, {@code subscribe}; others grant nothing) and a non-empty
 * {@code topics} array of topic matcher objects ({@code {"match": M, "match_type": "exact" | "urlpattern"}},
 * {@code exact} when absent; {@code *} every topic whatever the type). Any entry that fails these rules, or more
 * than {@link #MAX_DETAILS} Mercure entries, {@link #MAX_TOPICS} topics in one, or {@link SelectorSet#MAX_SELECTORS}
 * distinct matchers for one action, refuses the whole token: nothing of it is acted on. A {@code payload} is
 * accepted but not used (this hub's presence events take the pre-standardization {@code mercure.payload}).
 * Immutable.
 */
final class AuthorizationDetails
{
    /**
     * The authorization detail type of Mercure 1.0.
     */
    static final String TYPE = "https://mercure.rocks/authorization-detail";

    /**
     * Most Mercure authorization details in one token.
     */
    static final int MAX_DETAILS = 16;

    /**
     * Most topic matchers in one detail's {@code topics}.
     */
    static final int MAX_TOPICS = 100;

    /**
     * No grant at all: a token without the claim.
     */
    static final AuthorizationDetails NONE = new AuthorizationDetails(List.of(), List.of());

    private final List<TopicSelector> publish;
    private final List<TopicSelector> subscribe;

    private AuthorizationDetails(final List<TopicSelector> publish, final List<TopicSelector> subscribe)
    {
        this.publish = List.copyOf(publish);
        this.subscribe = List.copyOf(subscribe);
    }

    /**
     * Read the claim.
     *
     * @param claim the {@code authorization_details} value as parsed from JSON, or null when absent.
     * @return the grants, or null when the claim is invalid or over the limits.
     */
    static AuthorizationDetails of(final Object claim)
    {
        if (null == claim)
        {
            return NONE;
        }
        if (!(claim instanceof List))
        {
            return null;
        }
        final Set<TopicSelector> publish = new LinkedHashSet<>();
        final Set<TopicSelector> subscribe = new LinkedHashSet<>();
        int details = 0;
        for (final Object entry : (List<?>)claim)
        {
            if (!(entry instanceof Map))
            {
                return null;
            }
            final Map<?, ?> detail = (Map<?, ?>)entry;
            if (!TYPE.equals(detail.get("type")))
            {
                if (!(detail.get("type") instanceof String))
                {
                    return null;
                }
                continue;
            }
            if (++details > MAX_DETAILS || !read(detail, publish, subscribe))
            {
                return null;
            }
        }
        if (publish.size() > SelectorSet.MAX_SELECTORS || subscribe.size() > SelectorSet.MAX_SELECTORS)
        {
            return null;
        }
        return new AuthorizationDetails(new ArrayList<>(publish), new ArrayList<>(subscribe));
    }

    private static boolean read(final Map<?, ?> detail, final Set<TopicSelector> publish, final Set<TopicSelector> subscribe)
    {
        final Object actions = detail.get("actions");
        final Object topics = detail.get("topics");
        final Object payload = detail.get("payload");
        if (!(actions instanceof List) || ((List<?>)actions).isEmpty() || !(topics instanceof List) ||
            ((List<?>)topics).isEmpty() || ((List<?>)topics).size() > MAX_TOPICS ||
            (null != payload && !(payload instanceof Map)))
        {
            return false;
        }
        boolean publishes = false;
        boolean subscribes = false;
        for (final Object action : (List<?>)actions)
        {
            if (!(action instanceof String))
            {
                return false;
            }
            publishes |= "publish".equals(action);
            subscribes |= "subscribe".equals(action);
        }
        final List<TopicSelector> matchers = new ArrayList<>(((List<?>)topics).size());
        for (final Object topic : (List<?>)topics)
        {
            final TopicSelector matcher = matcher(topic);
            if (null == matcher)
            {
                return false;
            }
            matchers.add(matcher);
        }
        if (publishes)
        {
            publish.addAll(matchers);
        }
        if (subscribes)
        {
            subscribe.addAll(matchers);
        }
        return true;
    }

    private static TopicSelector matcher(final Object topic)
    {
        if (!(topic instanceof Map))
        {
            return null;
        }
        final Object match = ((Map<?, ?>)topic).get("match");
        final Object type = ((Map<?, ?>)topic).get("match_type");
        if (!(match instanceof String) || MatcherText.check((String)match) != TopicTextProblem.NONE ||
            (null != type && !(type instanceof String)))
        {
            return null;
        }
        try
        {
            if (null == type || "exact".equals(type))
            {
                return TopicSelector.exact((String)match);
            }
            return "urlpattern".equals(type) ? TopicSelector.urlPattern((String)match) : null;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * Matchers of the topics the bearer may publish to.
     *
     * @return the matchers, distinct, in token order; empty for none.
     */
    List<TopicSelector> publish()
    {
        return publish;
    }

    /**
     * Matchers of the topics whose private updates the bearer may receive.
     *
     * @return the matchers, distinct, in token order; empty for none.
     */
    List<TopicSelector> subscribe()
    {
        return subscribe;
    }
}
