package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.agent.AgentInternals;
import io.sseflow.server.hub.HubOptions;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscribe authorization: the embedded {@link SubscribeAuthorizer} hook (allow, 401, 403, failure, what it sees)
 * and the hub's {@code --subscribe-token} (header, query parameter, wrong, missing). A refusal is answered before
 * anything streams, creates no topic and is counted by reason; CORS preflights are not affected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscribeAuthorizationTest
{
    private static final SubscribeAuthorizer BY_ROLE = (request) ->
    {
        final String role = request.header("X-Role");
        if (null == role)
        {
            return SubscribeAuthorizer.Decision.UNAUTHORIZED;
        }
        return request.topic().startsWith(role + ".") ? SubscribeAuthorizer.Decision.ALLOW :
            SubscribeAuthorizer.Decision.FORBIDDEN;
    };

    @Test
    void shouldStreamWhenTheHookAllows() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).subscribeAuthorizer(BY_ROLE).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/ops.alerts", "X-Role: ops"))
        {
            assertEquals(SseServerTest.STREAM_HEAD, client.readHead());
            Servers.awaitSubscribers(server, 1);
            Servers.publish(server.topic("ops.alerts"), "disk full", SseOptions.NONE);
            assertEquals(new SseEvent("1", "message", "disk full"), client.nextEvent());
            assertEquals(0, server.metrics().get(ServerCounter.HTTP_ERRORS));
        }
    }

    @Test
    void shouldAnswer401WithoutCredentialsAnd403ForAnotherTopicBeforeStreaming() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).subscribeAuthorizer(BY_ROLE).allowOrigin("*").start())
        {
            final String missing = RawHttp.get(server.port(), "/events/ops.alerts");
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(missing), missing);
            assertTrue(missing.contains("\r\nWWW-Authenticate: Bearer\r\n"), missing);
            assertTrue(missing.contains("\r\nAccess-Control-Allow-Origin: *\r\n"), missing);
            assertEquals("not authorized to subscribe\n", RawHttp.body(missing));

            final String forbidden = RawHttp.get(server.port(), "/events/ops.alerts", "X-Role: dev");
            assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(forbidden), forbidden);
            assertEquals("not allowed to subscribe to this topic\n", RawHttp.body(forbidden));

            assertEquals(1, server.metrics().refused(Refusal.UNAUTHORIZED));
            assertEquals(1, server.metrics().refused(Refusal.FORBIDDEN));
            assertEquals(0, server.metrics().subscribers());
            final String metrics = RawHttp.body(RawHttp.get(server.port(), "/metrics", "Connection: close"));
            assertTrue(metrics.contains("sseflow_requests_refused_total{reason=\"unauthorized\"} 1\n"), metrics);
            assertTrue(metrics.contains("sseflow_requests_refused_total{reason=\"forbidden\"} 1\n"), metrics);
            assertTrue(metrics.contains("\nsseflow_topics 0\n"), "a refused subscribe creates no topic: " + metrics);

            // a CORS preflight is not authorized (browsers send it without credentials) and allows the header
            final String preflight = RawHttp.exchange(server.port(), "OPTIONS /events/ops.alerts HTTP/1.1\r\n" +
                "Host: 127.0.0.1\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: GET\r\n" +
                "Access-Control-Request-Headers: authorization\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 204 No Content", RawHttp.status(preflight), preflight);
            assertTrue(preflight.contains("Access-Control-Allow-Headers: last-event-id, authorization"), preflight);
        }
    }

    @Test
    void shouldShowTheHookTheTopicHeadersQueryAndAddress() throws Exception
    {
        final AtomicReference<String> seen = new AtomicReference<>();
        final SubscribeAuthorizer recorder = (request) ->
        {
            seen.set(request.topic() + "|" + request.header("authorization") + "|" + request.bearerToken() + "|" +
                request.headers("X-Tag") + "|" + request.headerNames() + "|" + request.queryParameter("who") + "|" +
                request.queryParameter("absent") + "|" + request.remoteAddress().isLoopbackAddress());
            return SubscribeAuthorizer.Decision.ALLOW;
        };
        try (SseServer server = SseServer.builder().port(0).subscribeAuthorizer(recorder).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/t-1?who=a%20b&x=1",
                "Authorization:   bEaReR  s3cret  ", "X-Tag: one", "x-tag: two"))
        {
            assertEquals(SseServerTest.STREAM_HEAD, client.readHead());
            assertEquals("t-1|bEaReR  s3cret|s3cret|[one, two]|[Host, Authorization, X-Tag, x-tag]|a b|null|true",
                seen.get());
        }
    }

    @Test
    void shouldAnswer500AndReportWhenTheHookFails() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (SseServer server = SseServer.builder().port(0).errorHandler(errors::add)
            .subscribeAuthorizer((request) ->
            {
                if (request.topic().equals("null"))
                {
                    return null;
                }
                throw new IllegalStateException("directory unavailable");
            }).start())
        {
            final String thrown = RawHttp.get(server.port(), "/events/t");
            assertEquals("HTTP/1.1 500 Internal Server Error", RawHttp.status(thrown), thrown);
            final String nothing = RawHttp.get(server.port(), "/events/null");
            assertEquals("HTTP/1.1 500 Internal Server Error", RawHttp.status(nothing), nothing);
            assertEquals(2, server.metrics().refused(Refusal.SERVER_ERROR));
            assertEquals(2, errors.size(), errors.toString());
            assertEquals("directory unavailable", errors.get(0).getMessage());

            // the server keeps serving
            final String metrics = RawHttp.get(server.port(), "/metrics", "Connection: close");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(metrics));
        }
    }

    @Test
    void shouldRequireTheHubSubscribeTokenInTheHeaderOrTheQuery() throws Exception
    {
        try (SseServer server = HubOptions.parse(new String[]{"--port", "0", "--subscribe-token", "s3cret-T0k"}).start())
        {
            final Topic topic = server.topic("news");
            try (RawSseClient header = RawSseClient.get(server.port(), "/events/news", "Authorization: Bearer s3cret-T0k");
                RawSseClient query = RawSseClient.get(server.port(), "/events/news?access_token=s3cret-T0k"))
            {
                assertEquals(SseServerTest.STREAM_HEAD, header.readHead());
                assertEquals(SseServerTest.PRIVATE_STREAM_HEAD, query.readHead());
                Servers.awaitSubscribers(server, 2);
                Servers.publish(topic, "hello", SseOptions.NONE);
                assertEquals("hello", header.nextEvent().data());
                assertEquals("hello", query.nextEvent().data());
            }

            for (final String[] refused : new String[][]{
                {"/events/news"},
                {"/events/news", "Authorization: Bearer s3cret-T0K"},
                {"/events/news", "Authorization: Bearer s3cret-T0k-and-more"},
                {"/events/news", "Authorization: Basic czNjcmV0LVQwaw=="},
                {"/events/news?access_token=wrong"},
                {"/events/news?access_token="},
                {"/events/news", "Authorization: Bearer wrong"},
            })
            {
                final String path = refused[0];
                final String[] headers = java.util.Arrays.copyOfRange(refused, 1, refused.length);
                final String response = RawHttp.get(server.port(), path, headers);
                assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(response), path + " " + List.of(headers));
                assertTrue(response.contains("\r\nWWW-Authenticate: Bearer\r\n"), response);
            }
            assertEquals(7, server.metrics().refused(Refusal.UNAUTHORIZED));
            assertEquals(0, server.metrics().subscribers());

            // publishing is governed by the publish token (none here, loopback), not by the subscribe token
            final String published = RawHttp.exchange(server.port(), RawHttp.request(
                "POST", "/events/news", new String[]{"Connection: close"}, "x"));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(published), published);
        }
    }

    @Test
    void shouldCheckTheTokenBeforeTheHookWhenBothAreSet() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).subscribeToken("tok").subscribeAuthorizer(BY_ROLE).start())
        {
            assertEquals("HTTP/1.1 401 Unauthorized",
                RawHttp.status(RawHttp.get(server.port(), "/events/ops.x", "X-Role: ops")));
            assertEquals("HTTP/1.1 403 Forbidden",
                RawHttp.status(RawHttp.get(server.port(), "/events/ops.x", "X-Role: dev", "Authorization: Bearer tok")));
            try (RawSseClient client = RawSseClient.get(
                server.port(), "/events/ops.x?access_token=tok", "X-Role: ops"))
            {
                assertEquals(SseServerTest.PRIVATE_STREAM_HEAD, client.readHead());
            }
        }
    }

    @Test
    void shouldRefuseAnInvalidTokenAndAViewUsedAfterTheCall()
    {
        assertThrows(IllegalArgumentException.class, () -> SseServer.builder().subscribeToken("has space").build());
        assertThrows(IllegalArgumentException.class, () -> SubscribeAuthorizer.bearerToken(""));
        final SubscribeRequest stale = AgentInternals.unwrappedSubscribeRequest();
        assertThrows(IllegalStateException.class, stale::topic);
        assertNull(SseServer.builder().build().config().subscribeAuthorizer());
    }

}
