package io.sseflow.server.hub.jwt;

import io.sseflow.server.Authorization;
import io.sseflow.server.PublishRequest;
import io.sseflow.server.Refusal;
import io.sseflow.server.SubscribeRequest;
import io.sseflow.server.selector.SelectorSet;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JwtAuthorizer} on the requests the multi-topic and Mercure endpoints hand it: several topic names (each
 * must be allowed), topic selectors (never refused for the topics: the token decides the private updates), a
 * publish whose topics are in its body (decided topic by topic), cookies split over several fields.
 */
class JwtAuthorizerTest
{
    private static final JwtAuthorizer STRICT =
        new JwtAuthorizer(new JwtAuthenticator(TestTokens.hs256Verifier(), false), false);
    private static final JwtAuthorizer ANONYMOUS =
        new JwtAuthorizer(new JwtAuthenticator(TestTokens.hs256Verifier(), true), true);
    private static final String NEWS = TestTokens.hs256(
        "{\"mercure\":{\"subscribe\":[\"news\",\"https://example.com/books/{id}\"],\"publish\":[\"news.{id}\"]}}");

    @Test
    void shouldRequireEveryTopicOfAMultiTopicSubscribe()
    {
        assertSame(Refusal.JWT_FORBIDDEN, STRICT.authorization(subscribe(List.of("news", "sports"), false, NEWS)).refusal());
        final Authorization allowed = STRICT.authorization(subscribe(List.of("news", "https://example.com/books/1"), false, NEWS));
        assertTrue(allowed.isAllowed());
        assertEquals(SelectorSet.of("news", "https://example.com/books/{id}"), allowed.privateSelectors());

        final Authorization publicToo = ANONYMOUS.authorization(subscribe(List.of("news", "sports"), false, NEWS));
        assertTrue(publicToo.isAllowed(), "anonymous subscribers have every topic's public updates");
        assertEquals(SelectorSet.of("news", "https://example.com/books/{id}"), publicToo.privateSelectors());
    }

    @Test
    void shouldGrantPrivateUpdatesToSelectorSubscribersWithoutRefusingTheirSelectors()
    {
        final Authorization withToken = STRICT.authorization(subscribe(List.of("*"), true, NEWS));
        assertTrue(withToken.isAllowed());
        assertTrue(withToken.privateSelectors().matchesAny("https://example.com/books/7"));
        assertFalse(withToken.privateSelectors().matchesAny("sports"));

        assertSame(Refusal.JWT_MISSING, STRICT.authorization(subscribe(List.of("*"), true, null)).refusal());
        final Authorization anonymous = ANONYMOUS.authorization(subscribe(List.of("*"), true, null));
        assertSame(Authorization.ALLOW, anonymous);
        assertNull(anonymous.privateSelectors(), "public updates only");
        assertSame(Refusal.JWT_MALFORMED, ANONYMOUS.authorization(subscribe(List.of("*"), true, "x.y.z")).refusal());
    }

    @Test
    void shouldLimitAnAllowedSubscribeToItsTokensExpiryWithoutTheSkew()
    {
        final String expiring = TestTokens.hs256("{\"exp\":" + (TestTokens.NOW + 120) +
            ",\"mercure\":{\"subscribe\":[\"news\"]}}");
        final String insideSkew = TestTokens.hs256("{\"exp\":" + (TestTokens.NOW - 30) +
            ",\"mercure\":{\"subscribe\":[\"news\"]}}");
        assertEquals((TestTokens.NOW + 120) * 1000, STRICT.authorization(subscribe(List.of("news"), false, expiring))
            .expiresAtEpochMillis());
        assertEquals((TestTokens.NOW + 120) * 1000, STRICT.authorization(subscribe(List.of("*"), true, expiring))
            .expiresAtEpochMillis());
        assertEquals((TestTokens.NOW + 120) * 1000, ANONYMOUS.authorization(subscribe(List.of("sports"), false, expiring))
            .expiresAtEpochMillis(), "a token's grant ends with it, even where anonymous subscribers are served");
        assertEquals((TestTokens.NOW - 30) * 1000, STRICT.authorization(subscribe(List.of("news"), false, insideSkew))
            .expiresAtEpochMillis(), "accepted inside the clock skew, already past its exp: ends at once");
        assertEquals(Authorization.NEVER_EXPIRES,
            STRICT.authorization(subscribe(List.of("news"), false, NEWS)).expiresAtEpochMillis());
        assertEquals(Authorization.NEVER_EXPIRES,
            ANONYMOUS.authorization(subscribe(List.of("news"), false, null)).expiresAtEpochMillis());
        assertSame(Refusal.JWT_FORBIDDEN,
            STRICT.authorization(subscribe(List.of("sports"), false, expiring)).refusal());
    }

    @Test
    void shouldMarkASubscribeWhoseTokenCameInTheQuery()
    {
        assertFalse(STRICT.authorization(subscribe(List.of("news"), false, NEWS)).credentialsInUrl());
        assertFalse(STRICT.authorization(new FakeRequest(List.of("news"), false,
            Map.of("cookie", "mercureAuthorization=" + NEWS), Map.of(), true)).credentialsInUrl());
        for (final String parameter : List.of("authorization", "access_token"))
        {
            final Authorization fromQuery = STRICT.authorization(
                new FakeRequest(List.of("news"), false, Map.of(), Map.of(parameter, NEWS), true));
            assertTrue(fromQuery.isAllowed(), parameter);
            assertTrue(fromQuery.credentialsInUrl(), parameter);
        }
        assertSame(Refusal.JWT_MALFORMED, STRICT.authorization(
            new FakeRequest(List.of("news"), false, Map.of(), Map.of("authorization", "x.y.z"), true)).refusal());
    }

    @Test
    void shouldDecideAPublishWhoseTopicsAreInItsBodyTopicByTopic()
    {
        final Authorization head = STRICT.authorize(publish(List.of(), Map.of("authorization", "Bearer " + NEWS), true));
        assertTrue(head.isAllowed());
        assertTrue(head.allowsPublishTo("news.1"));
        assertFalse(head.allowsPublishTo("news"));
        assertSame(Refusal.JWT_FORBIDDEN, STRICT.authorize(publish(List.of("news"),
            Map.of("authorization", "Bearer " + NEWS), true)).refusal());
        assertSame(Refusal.JWT_MISSING, ANONYMOUS.authorize(publish(List.of("news.1"), Map.of(), true)).refusal(),
            "publishing is never anonymous");
    }

    @Test
    void shouldReadTheCookieFromEveryCookieFieldAndJudgeItsOrigin()
    {
        final Map<String, String> split = Map.of("cookie", "theme=dark", "cookie#2", "mercureAuthorization=" + NEWS);
        assertTrue(STRICT.authorize(publish(List.of("news.9"), split, true)).isAllowed());
        assertSame(Refusal.JWT_COOKIE_ORIGIN, STRICT.authorize(publish(List.of("news.9"), split, false)).refusal());
        assertEquals(TokenSource.COOKIE, JwtAuthorizer.presentedToken(publish(List.of(), split, false)).source());
    }

    private static SubscribeRequest subscribe(final List<String> topics, final boolean selectors, final String token)
    {
        return new FakeRequest(topics, selectors, null == token ? Map.of() : Map.of("authorization", "Bearer " + token), true);
    }

    private static PublishRequest publish(final List<String> topics, final Map<String, String> headers, final boolean origin)
    {
        return new FakeRequest(topics, false, headers, origin);
    }

    /**
     * A request of topics and headers (lower-case names; {@code name#2} is a second field of that name).
     */
    private static final class FakeRequest implements SubscribeRequest, PublishRequest
    {
        private final List<String> topics;
        private final boolean selectors;
        private final Map<String, String> headers;
        private final Map<String, String> query;
        private final boolean allowedOrigin;

        FakeRequest(final List<String> topics, final boolean selectors, final Map<String, String> headers,
            final boolean allowedOrigin)
        {
            this(topics, selectors, headers, Map.of(), allowedOrigin);
        }

        FakeRequest(final List<String> topics, final boolean selectors, final Map<String, String> headers,
            final Map<String, String> query, final boolean allowedOrigin)
        {
            this.topics = topics;
            this.selectors = selectors;
            this.headers = headers;
            this.query = query;
            this.allowedOrigin = allowedOrigin;
        }

        public String topic()
        {
            return topics.isEmpty() ? null : topics.get(0);
        }

        public List<String> topics()
        {
            return topics;
        }

        public boolean topicsAreSelectors()
        {
            return selectors;
        }

        public boolean isFromAllowedOrigin()
        {
            return allowedOrigin;
        }

        public InetAddress remoteAddress()
        {
            return InetAddress.getLoopbackAddress();
        }

        public String header(final String name)
        {
            return headers.get(name.toLowerCase());
        }

        public List<String> headers(final String name)
        {
            final String lower = name.toLowerCase();
            return headers.containsKey(lower + "#2") ? List.of(headers.get(lower), headers.get(lower + "#2")) :
                headers.containsKey(lower) ? List.of(headers.get(lower)) : List.of();
        }

        public List<String> headerNames()
        {
            return List.copyOf(headers.keySet());
        }

        public String bearerToken()
        {
            return null;
        }

        public String queryParameter(final String name)
        {
            return query.get(name);
        }
    }
}
