package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authorizers that answer in full ({@link Authorization}): a specific {@link Refusal} with its status line, header
 * and label, a grant ({@link TopicGrant}) of topic selectors, asked once per request and never per event, for
 * subscribing ({@link SubscribeAuthorizer#of}) and publishing ({@link PublishAuthorizer}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthorizerAnswersTest
{
    @Test
    void shouldAnswerTheRefusalASubscribeAuthorizerGives() throws Exception
    {
        final SubscribeAuthorizer authorizer = SubscribeAuthorizer.of((request) ->
            "expired".equals(request.topic()) ? Authorization.refuse(Refusal.JWT_EXPIRED) :
            Authorization.refuse(Refusal.FORBIDDEN, "members only"));
        try (SseServer server = SseServer.builder().port(0).subscribeAuthorizer(authorizer).start())
        {
            assertEquals("HTTP/1.1 401 Unauthorized\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Content-Length: 14\r\n" +
                "Connection: close\r\n" +
                "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token expired\"\r\n" +
                "\r\n" +
                "token expired\n", RawHttp.get(server.port(), "/events/expired"));
            assertEquals("HTTP/1.1 403 Forbidden\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Content-Length: 13\r\n" +
                "Connection: close\r\n" +
                "\r\n" +
                "members only\n", RawHttp.get(server.port(), "/events/club"));
            assertEquals(1, server.metrics().refused(Refusal.JWT_EXPIRED));
            assertEquals(1, server.metrics().refused(Refusal.FORBIDDEN));
            assertEquals(SubscribeAuthorizer.Decision.UNAUTHORIZED, authorizer.authorize(request("expired", false)));
            assertEquals(SubscribeAuthorizer.Decision.FORBIDDEN, authorizer.authorize(request("club", false)));
        }
    }

    @Test
    void shouldEndAStreamWhenTheCredentialsOfItsAnswerExpireAndMarkCredentialsInTheUrlPrivate() throws Exception
    {
        final SubscribeAuthorizer authorizer = SubscribeAuthorizer.of((request) ->
            "expired".equals(request.topic()) ? Authorization.ALLOW.expiringAt(System.currentTimeMillis() - 1) :
            null != request.queryParameter("key") ? Authorization.ALLOW.withCredentialsInUrl() : Authorization.ALLOW);
        try (SseServer server = SseServer.builder().port(0).subscribeAuthorizer(authorizer).start();
            RawSseClient expired = RawSseClient.get(server.port(), "/events/expired");
            RawSseClient lasting = RawSseClient.get(server.port(), "/events/lasting?key=k"))
        {
            assertEquals(SseServerTest.STREAM_HEAD, expired.readHead());
            assertEquals(SseServerTest.PRIVATE_STREAM_HEAD, lasting.readHead());
            assertEquals("", expired.readToEof());
            Servers.awaitSubscribers(server, 1);
            assertEquals(1, server.metrics().get(ServerCounter.STREAMS_CREDENTIALS_EXPIRED));
            assertEquals(1, server.metrics().get(ServerCounter.STREAMS_CREDENTIALS_IN_URL));
            Servers.publish(server.topic("lasting"), "still here", SseOptions.NONE);
            assertEquals("still here", lasting.nextEvent().data());
        }

        final Authorization refused = Authorization.refuse(Refusal.FORBIDDEN);
        assertSame(refused, refused.expiringAt(1L));
        assertSame(refused, refused.withCredentialsInUrl());
        assertEquals(Authorization.NEVER_EXPIRES, Authorization.ALLOW.expiresAtEpochMillis());
        assertFalse(Authorization.ALLOW.credentialsInUrl());
        final Authorization limited = Authorization.ALLOW.expiringAt(1_700_000_000_000L).withCredentialsInUrl();
        assertEquals(1_700_000_000_000L, limited.expiresAtEpochMillis());
        assertTrue(limited.credentialsInUrl() && limited.isAllowed());
        assertNull(limited.grant());
        assertEquals("Authorization{allowed, expires at 1700000000000 ms, credentials in URL}", limited.toString());
    }

    @Test
    void shouldAskTheAuthorizerOncePerRequestNeverPerEvent() throws Exception
    {
        final AtomicInteger asked = new AtomicInteger();
        final SubscribeAuthorizer counting = SubscribeAuthorizer.of((request) ->
        {
            asked.incrementAndGet();
            return Authorization.granting(TopicGrant.of(List.of(), List.of("prices")));
        });
        try (SseServer server = SseServer.builder().port(0).subscribeAuthorizer(counting).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/prices"))
        {
            assertEquals(SseServerTest.STREAM_HEAD, client.readHead());
            Servers.awaitSubscribers(server, 1);
            final Topic prices = server.topic("prices");
            for (int i = 0; i < 50; i++)
            {
                Servers.publish(prices, "tick " + i, SseOptions.NONE);
            }
            for (int i = 0; i < 50; i++)
            {
                assertEquals("tick " + i, client.nextEvent().data());
            }
            assertEquals(1, asked.get());
        }
    }

    @Test
    void shouldDecideHttpPublishesWithThePublishAuthorizerOnTheirHead() throws Exception
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final PublishAuthorizer byKey = (request) ->
        {
            seen.add(request.topics() + " " + request.isFromAllowedOrigin());
            final String key = request.header("X-Key");
            if (null == key)
            {
                return Authorization.refuse(Refusal.JWT_MISSING);
            }
            switch (key)
            {
                case "all":
                    return Authorization.ALLOW;
                case "orders":
                    return TopicGrant.of(List.of("orders.{id}"), List.of()).publish(request);
                case "null":
                    return null;
                default:
                    throw new IllegalStateException("key store down");
            }
        };
        try (SseServer server = SseServer.builder().port(0).errorHandler(errors::add).publishAuthorizer(byKey).start())
        {
            assertEquals("HTTP/1.1 401 Unauthorized\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Content-Length: 15\r\n" +
                "Connection: close\r\n" +
                "WWW-Authenticate: Bearer\r\n" +
                "\r\n" +
                "token required\n", RawHttp.post(server.port(), "/events/orders.7", "x"));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.post(server.port(), "/events/orders.7", "x",
                "X-Key: orders", "Origin: https://elsewhere.example")), "the authorizer replaces the open Origin rule");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.post(server.port(), "/events/any", "x", "X-Key: all")));
            final String forbidden = RawHttp.post(server.port(), "/events/orders", "x", "X-Key: orders");
            assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(forbidden), forbidden);
            assertTrue(forbidden.contains("\r\nWWW-Authenticate: Bearer error=\"insufficient_scope\"\r\n"), forbidden);
            assertEquals("token does not allow this topic\n", RawHttp.body(forbidden));
            for (final String failing : new String[]{"null", "throws"})
            {
                final String failed = RawHttp.post(server.port(), "/events/t", "x", "X-Key: " + failing);
                assertEquals("HTTP/1.1 500 Internal Server Error", RawHttp.status(failed), failed);
                assertEquals("publish authorizer failed\n", RawHttp.body(failed));
            }
            assertEquals(List.of("[orders.7] false", "[orders.7] false", "[any] false", "[orders] false", "[t] false",
                "[t] false"), seen);
            assertEquals("publish authorizer returned null", errors.get(0).getMessage());
            assertEquals("key store down", errors.get(1).getMessage());
            assertEquals(1, server.metrics().refused(Refusal.JWT_MISSING));
            assertEquals(1, server.metrics().refused(Refusal.JWT_FORBIDDEN));
            assertEquals(2, server.metrics().refused(Refusal.SERVER_ERROR));
        }
    }

    @Test
    void shouldJudgeOriginsForTheAuthorizer() throws Exception
    {
        final List<Boolean> seen = new CopyOnWriteArrayList<>();
        final PublishAuthorizer recording = (request) ->
        {
            seen.add(request.isFromAllowedOrigin());
            return Authorization.ALLOW;
        };
        try (SseServer server = SseServer.builder().port(0).allowOrigin("https://app.example")
            .publishAuthorizer(recording).start())
        {
            final String own = "http://localhost:" + server.port();
            for (final String header : new String[]{"Origin: https://APP.example", "Origin: " + own,
                "Referer: " + own + "/demo?x=1", "Referer: https://app.example", "Origin: https://app.example.evil",
                "Referer: https://evil.example/https://app.example", "Referer: /relative", "X-None: 1"})
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.post(server.port(), "/events/t", "x", header)));
            }
            assertEquals(List.of(true, true, true, true, false, false, false, false), seen);
        }
    }

    @Test
    void shouldRefuseAPublishTokenBesideAPublishAuthorizer()
    {
        assertEquals("a publish token and a publish authorizer exclude each other: set one",
            assertThrows(IllegalArgumentException.class, () -> SseServer.builder().publishToken("tok")
                .publishAuthorizer((request) -> Authorization.ALLOW).build()).getMessage());
    }

    @Test
    void shouldCheckTopicsAgainstTheSelectorsOfAGrant()
    {
        final TopicGrant grant = TopicGrant.of(List.of("https://example.com/books/{id}", "orders"), List.of("*"));
        assertTrue(grant.mayPublish("https://example.com/books/42"));
        assertFalse(grant.mayPublish("https://example.com/books/42/pages"));
        assertTrue(grant.mayPublish("orders"));
        assertFalse(grant.mayPublish("orders.1"));
        assertTrue(grant.maySubscribe("anything at all"));

        final TopicGrant readOnly = TopicGrant.of(List.of(), List.of("news", "sports"));
        assertNull(readOnly.publishSelectors());
        assertFalse(readOnly.mayPublish("news"));
        assertEquals(readOnly.subscribeSelectors(), readOnly.subscribe(request("news", false)).privateSelectors());
        assertSame(Refusal.JWT_FORBIDDEN, readOnly.subscribe(request("weather", false)).refusal());
        assertTrue(readOnly.subscribe(request("weather", true)).isAllowed(), "selectors need no grant");
        assertSame(Refusal.JWT_FORBIDDEN, readOnly.subscribe(new FakeRequest(List.of("news", "weather"), false)).refusal());
        assertTrue(readOnly.subscribe(new FakeRequest(List.of("news", "sports"), false)).isAllowed());
        assertNull(TopicGrant.of(List.of(), List.of()).subscribeSelectors());

        assertEquals("subscribe selectors: topic selector contains a control character",
            assertThrows(IllegalArgumentException.class, () -> TopicGrant.of(List.of(), List.of("a\nb"))).getMessage());
    }

    @Test
    void shouldMapDecisionsAndCheckReasons()
    {
        assertSame(Authorization.ALLOW, Authorization.of(SubscribeAuthorizer.Decision.ALLOW));
        assertEquals("not authorized to subscribe", Authorization.of(SubscribeAuthorizer.Decision.UNAUTHORIZED).reason());
        assertSame(Refusal.FORBIDDEN, Authorization.of(SubscribeAuthorizer.Decision.FORBIDDEN).refusal());
        assertNull(Authorization.of(null));
        assertSame(Authorization.refuse(Refusal.JWT_MISSING), Authorization.refuse(Refusal.JWT_MISSING));
        assertEquals(SubscribeAuthorizer.Decision.UNAUTHORIZED, Authorization.refuse(Refusal.JWT_BAD_CLAIMS).decision());
        assertEquals(SubscribeAuthorizer.Decision.FORBIDDEN, Authorization.refuse(Refusal.TOPIC_LIMIT).decision());
        assertFalse(Authorization.refuse(Refusal.JWT_MISSING).allowsPublishTo("t"));
        assertTrue(Authorization.ALLOW.allowsPublishTo("t"));
        assertEquals("a refusal's reason must be printable ASCII (no CR, LF or control character), found U+000D at 3",
            assertThrows(IllegalArgumentException.class, () -> Authorization.refuse(Refusal.FORBIDDEN, "bad\r\nX: y"))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Authorization.refuse(Refusal.FORBIDDEN, ""));
    }

    private static SubscribeRequest request(final String topic, final boolean selectors)
    {
        return new FakeRequest(List.of(topic), selectors);
    }

    /**
     * A subscribe request of topics only.
     */
    private static final class FakeRequest implements SubscribeRequest
    {
        private final List<String> topics;
        private final boolean selectors;

        FakeRequest(final List<String> topics, final boolean selectors)
        {
            this.topics = topics;
            this.selectors = selectors;
        }

        public String topic()
        {
            return topics.get(0);
        }

        public List<String> topics()
        {
            return topics;
        }

        public boolean topicsAreSelectors()
        {
            return selectors;
        }

        public InetAddress remoteAddress()
        {
            return InetAddress.getLoopbackAddress();
        }

        public String header(final String name)
        {
            return null;
        }

        public List<String> headers(final String name)
        {
            return List.of();
        }

        public List<String> headerNames()
        {
            return List.of();
        }

        public String bearerToken()
        {
            return null;
        }

        public String queryParameter(final String name)
        {
            return null;
        }
    }
}
