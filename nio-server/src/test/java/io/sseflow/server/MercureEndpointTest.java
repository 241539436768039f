package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Mercure's endpoint, {@code /.well-known/mercure}: the cases of Mercure's own conformance tests (an update published
 * with an id and two-paragraph data, received or not by a subscription of the given selectors) with the exact bytes
 * of the stream, then resuming ({@code Last-Event-ID}, {@code lastEventID}, {@code earliest}), generated ids, updates
 * of several topics received once, how native events and Mercure updates meet, and the {@code 400}s. Whether an
 * update was not received is told by a sentinel update published after it on the same stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MercureEndpointTest
{
    private static final String SENTINEL = "sentinel-topic";
    private static final String SENTINEL_FRAME = "id: sentinel\ndata: end\n\n";
    private static final String OK = "HTTP/1.1 200 OK";

    private SseServer server;

    @AfterEach
    void tearDown()
    {
        if (null != server)
        {
            server.close();
        }
    }

    static Stream<Arguments> conformanceCases()
    {
        return Stream.of(
            arguments("raw string", List.of("3c1f0a"), List.of("3c1f0a"), true, false),
            arguments("multiple topics", List.of("9d2e77", "41aa0b"), List.of("41aa0b"), true, false),
            arguments("multiple topic selectors", List.of("77be10"), List.of("foo", "77be10"), true, false),
            arguments("URI", List.of("https://example.net/foo/c0ffee"), List.of("https://example.net/foo/c0ffee"),
                true, false),
            arguments("URI template", List.of("https://example.net/foo/5eed42"),
                List.of("https://example.net/foo/{random}"), true, false),
            arguments("nonmatching raw string", List.of("will-not-match}"), List.of("another-name"), false, false),
            arguments("nonmatching URI", List.of("https://example.net/foo/will-not-match}"),
                List.of("https://example.net/foo/another-name"), false, false),
            arguments("nonmatching URI template", List.of("https://example.net/foo/will-not-match}"),
                List.of("https://example.net/bar/{var}"), false, false),
            arguments("private raw string", List.of("3c1f0a"), List.of("3c1f0a"), false, true),
            arguments("private URI", List.of("https://example.net/foo/c0ffee"), List.of("https://example.net/foo/c0ffee"),
                false, true),
            arguments("private URI template", List.of("https://example.net/foo/5eed42"),
                List.of("https://example.net/foo/{random}"), false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceCases")
    void shouldAnswerTheConformanceCase(
        final String name,
        final List<String> updateTopics,
        final List<String> selectors,
        final boolean mustBeReceived,
        final boolean isPrivate) throws Exception
    {
        server = SseServer.builder().port(0).start();
        final StringBuilder query = new StringBuilder("/.well-known/mercure?topic=").append(encode(SENTINEL));
        selectors.forEach((selector) -> query.append("&topic=").append(encode(selector)));
        final String id = "id-" + updateTopics.toString();
        final String data = "data for\n\n        " + name;
        final StringBuilder form = new StringBuilder();
        updateTopics.forEach((topic) -> form.append("topic=").append(encode(topic)).append('&'));
        form.append("id=").append(encode(id)).append("&data=").append(encode(data)).append(isPrivate ? "&private=on" : "");

        try (RawSseClient client = RawSseClient.get(server.port(), query.toString()))
        {
            assertTrue(client.readHead().contains("Content-Type: text/event-stream\r\n"));
            Servers.awaitSubscribers(server, 1);
            final String answer = publish(form.toString());
            assertEquals(OK, RawHttp.status(answer), answer);
            assertTrue(answer.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"), answer);
            assertEquals(id, RawHttp.body(answer));
            publish("topic=" + SENTINEL + "&id=sentinel&data=end");

            final String expected = (mustBeReceived ?
                "id: " + id + "\ndata: data for\ndata: \ndata:         " + name + "\n\n" : "") + SENTINEL_FRAME;
            assertEquals(expected, client.readBytes(expected.getBytes(StandardCharsets.UTF_8).length));
        }
    }

    @Test
    void shouldResumeAfterLastEventIdFromTheHeaderOrTheQueryOrFromTheEarliest() throws Exception
    {
        server = SseServer.builder().port(0).start();
        for (int i = 1; i <= 3; i++)
        {
            publish("topic=https%3A%2F%2Fexample.com%2Fbooks%2F" + i + "&id=b" + i + "&type=book&retry=500&data=v" + i);
        }
        final String selector = "/.well-known/mercure?topic=" + encode("https://example.com/books/{id}");
        final String b1 = "retry: 500\nevent: book\nid: b1\ndata: v1\n\n";
        final String b2 = "retry: 500\nevent: book\nid: b2\ndata: v2\n\n";
        final String b3 = "retry: 500\nevent: book\nid: b3\ndata: v3\n\n";
        assertStream(selector + "&lastEventID=b1", b2 + b3);
        assertStream(selector + "&lastEventID=b1", b3, "Last-Event-ID: b2");
        assertStream(selector + "&lastEventID=earliest", b1 + b2 + b3);
        assertStream(selector, b1 + b2 + b3, "Last-Event-ID: earliest");
        assertEquals(4, server.metrics().replays());
    }

    @Test
    void shouldGenerateUrnUuidIdsAndDeliverAnUpdateOfSeveralMatchingTopicsOnce() throws Exception
    {
        server = SseServer.builder().port(0).start();
        try (RawSseClient client = RawSseClient.get(server.port(),
            "/.well-known/mercure?topic=m1&topic=" + encode("https://example.com/m/{x}") + "&topic=" + SENTINEL))
        {
            client.readHead();
            Servers.awaitSubscribers(server, 1);
            final String answer = publish("topic=m1&topic=" + encode("https://example.com/m/2") + "&topic=m1&data=once");
            final String id = RawHttp.body(answer);
            assertTrue(id.matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            final String second = RawHttp.body(publish("topic=m1&data=twice"));
            assertTrue(!second.equals(id) && second.startsWith("urn:uuid:"), second);
            publish("topic=" + SENTINEL + "&id=sentinel&data=end");
            final String expected = "id: " + id + "\ndata: once\n\n" + "id: " + second + "\ndata: twice\n\n" + SENTINEL_FRAME;
            assertEquals(expected, client.readBytes(expected.length()));
        }
    }

    @Test
    void shouldShareTopicsWithNativeStreams() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final Topic news = server.topic("news");
        try (RawSseClient mercure = RawSseClient.get(server.port(), "/.well-known/mercure?topic=news");
             RawSseClient nativeStream = RawSseClient.get(server.port(), "/events/news"))
        {
            mercure.readHead();
            nativeStream.readHead();
            Servers.awaitSubscribers(server, 2);
            Servers.publish(server.topic("other"), "elsewhere", SseOptions.NONE);
            Servers.publish(news, "from the API", SseOptions.NONE);
            final String posted = RawHttp.post(server.port(), "/events/news", "from POST");
            assertEquals("2\n", RawHttp.body(posted), posted);
            assertEquals("secret", RawHttp.body(publish("topic=news&id=secret&data=hidden&private=on")));
            publish("topic=news&id=m-1&data=from+Mercure");

            // a private update reaches neither (no stream here may receive private updates); a Mercure stream names native events by their seq (1 went to "other"), the native stream by topic id
            final String mercureExpected = "id: 2\ndata: from the API\n\n" + "id: 3\ndata: from POST\n\n" +
                "id: m-1\ndata: from Mercure\n\n";
            assertEquals(mercureExpected, mercure.readBytes(mercureExpected.length()));
            final String nativeExpected = "id: 1\ndata: from the API\n\n" + "id: 2\ndata: from POST\n\n" +
                "id: m-1\ndata: from Mercure\n\n";
            assertEquals(nativeExpected, nativeStream.readBytes(nativeExpected.length()));
        }
    }

    @Test
    void shouldFeedAWildcardStreamFromTopicsCreatedAfterItAndAgainAfterTheyWereFreed() throws Exception
    {
        server = SseServer.builder().port(0).start();
        server.topic("idle");
        try (RawSseClient client = RawSseClient.get(server.port(), "/.well-known/mercure?topic=*");
             RawSseClient alsoAll = RawSseClient.get(server.port(), "/.well-known/mercure?topic=other&topic=*"))
        {
            client.readHead();
            alsoAll.readHead();
            Servers.awaitSubscribers(server, 2);
            assertEquals(1, io.sseflow.server.agent.AgentInternals.sharedStreams(server), "a set with * is *");
            // linked to the stream when it was created, then freed by the sweep: it holds nothing
            assertEquals(0L, Await.until(() -> AbandonedTopicsTest.topicsGauge(server), (topics) -> topics == 0,
                Await.DEFAULT_TIMEOUT, 10), "sseflow_topics");
            publish("topic=fresh&id=f1&data=1");
            Servers.publish(server.topic("later"), "2", SseOptions.NONE);
            Servers.publish(server.topic("idle"), "3", SseOptions.NONE);
            final String expected = "id: f1\ndata: 1\n\n" + "id: 2\ndata: 2\n\n" + "id: 3\ndata: 3\n\n";
            assertEquals(expected, client.readBytes(expected.length()));
            assertEquals(expected, alsoAll.readBytes(expected.length()));
        }
        Servers.awaitSubscribers(server, 0);
        assertEquals(0, io.sseflow.server.agent.AgentInternals.sharedStreams(server));
    }

    @Test
    void shouldRefuseBadPublishesAndSubscriptionsWith400AndAReason() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertPublishRefused("data=x", "missing \"topic\" parameter");
        assertPublishRefused("topic=a&id=x%0Ay", "\"id\" must be UTF-8 without CR, LF or NUL");
        assertPublishRefused("topic=a&id=x%0Dy", "\"id\" must be UTF-8 without CR, LF or NUL");
        assertPublishRefused("topic=a&id=x%00y", "\"id\" must be UTF-8 without CR, LF or NUL");
        assertPublishRefused("topic=a&id=%23x", "\"id\" must not start with '#'");
        assertPublishRefused("topic=a&type=a%0Ab", "\"type\" must be UTF-8 without CR, LF or NUL");
        assertPublishRefused("topic=a&retry=soon", "invalid \"retry\" parameter");
        assertPublishRefused("topic=a%0Ab", "\"topic\" contains a control character");
        assertPublishRefused("topic=" + "t".repeat(2049), "\"topic\" longer than 2048 bytes");
        assertSubscribeRefused("/.well-known/mercure", "missing \"topic\" parameter");
        assertSubscribeRefused("/.well-known/mercure?topic=a&lastEventID=x%0Ay", "last event id must be UTF-8");
        assertSubscribeRefused("/.well-known/mercure?topic=a%01", "\"topic\" selector contains a control character");
        assertEquals(0, server.metrics().eventsPublished());
        assertEquals(0, server.metrics().subscribers());
        final String put = RawHttp.exchange(server.port(), RawHttp.request("PUT", "/.well-known/mercure",
            RawHttp.closing(), ""));
        assertEquals("HTTP/1.1 405 Method Not Allowed", RawHttp.status(put), put);
    }

    @Test
    void shouldAuthorizeMercurePublishesAsNativeOnes() throws Exception
    {
        server = SseServer.builder().port(0).publishToken("s3cret").start();
        final String refused = publish("topic=a&data=x");
        assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(refused), refused);
        final String allowed = publish("topic=a&id=ok&data=x", "Authorization: Bearer s3cret");
        assertEquals(OK, RawHttp.status(allowed), allowed);
        assertEquals("ok", RawHttp.body(allowed));
        Await.value(() -> server.metrics().eventsPublished(), 1, "published");
    }

    private void assertStream(final String path, final String expected, final String... headers) throws Exception
    {
        try (RawSseClient client = RawSseClient.get(server.port(), path, headers))
        {
            client.readHead();
            assertEquals(expected, client.readBytes(expected.length()));
        }
    }

    private void assertPublishRefused(final String form, final String reason) throws Exception
    {
        final String answer = publish(form);
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(answer), answer);
        assertTrue(RawHttp.body(answer).contains(reason), answer);
    }

    private void assertSubscribeRefused(final String path, final String reason) throws Exception
    {
        final String answer = RawHttp.get(server.port(), path, "Connection: close");
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(answer), answer);
        assertTrue(RawHttp.body(answer).contains(reason), answer);
    }

    @Test
    void shouldAnswerARetriedUpdateWithItsIdAndAppendItOnce() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final String first = publish("topic=retried&id=u-1&data=once");
        final String retry = publish("topic=retried&id=u-1&data=once");
        assertEquals(OK, RawHttp.status(first), first);
        assertEquals("u-1", RawHttp.body(first));
        assertEquals(OK, RawHttp.status(retry), retry);
        assertEquals("u-1", RawHttp.body(retry));
        assertEquals(1, server.metrics().eventsPublished());
        assertStream("/.well-known/mercure?topic=retried&lastEventID=earliest", "id: u-1\ndata: once\n\n");
    }

    private String publish(final String form, final String... headers) throws Exception
    {
        final String[] all = new String[headers.length + 1];
        all[0] = "Content-Type: application/x-www-form-urlencoded";
        System.arraycopy(headers, 0, all, 1, headers.length);
        return RawHttp.post(server.port(), "/.well-known/mercure", form, all);
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
