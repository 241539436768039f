package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.agent.AgentInternals;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /events?topic=A&topic=B}: one stream of every event of its topics in hub order, each named by its hub
 * sequence, resumed exactly by {@code Last-Event-ID} whether its shared stream log lived on meanwhile or is filled
 * again from the topics' history; single-topic streams keep their per-topic ids.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultiTopicStreamTest
{
    private static final String STREAM_HEAD_START = "HTTP/1.1 200 OK\r\n";

    private SseServer server;

    @AfterEach
    void tearDown()
    {
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldStreamInterleavedTopicsInHubOrderThenResumeExactlyAfterACut() throws Exception
    {
        server = SseServer.builder().port(0).history(100).start();
        final Topic a = server.topic("a");
        final Topic b = server.topic("b");
        final Topic c = server.topic("c");

        final String firstPart;
        try (RawSseClient client = RawSseClient.get(server.port(), "/events?topic=a&topic=b"))
        {
            assertTrue(client.readHead().startsWith(STREAM_HEAD_START));
            Servers.awaitSubscribers(server, 1);
            publish(a, "a1");
            publish(b, "b1");
            publish(c, "c1");
            publish(a, "a2");
            publish(b, "b2");
            publish(c, "c2");
            firstPart = frame(1, "a1") + frame(2, "b1") + frame(4, "a2") + frame(5, "b2");
            assertEquals(firstPart, client.readBytes(firstPart.length()));
        }
        Servers.awaitSubscribers(server, 0);
        publish(a, "a3");
        publish(c, "c3");
        publish(b, "b3");
        Await.value(() -> server.metrics().eventsPublished(), 9, "published");

        // the stream's log was freed with its last subscriber: resuming fills a new one from the topics' history
        try (RawSseClient client = RawSseClient.get(server.port(), "/events?topic=b&topic=a", "Last-Event-ID: 4"))
        {
            client.readHead();
            final String resumed = frame(5, "b2") + frame(7, "a3") + frame(9, "b3");
            assertEquals(resumed, client.readBytes(resumed.length()));
            publish(b, "b4");
            assertEquals(frame(10, "b4"), client.readBytes(frame(10, "b4").length()));
        }

        // the single-topic stream of one of them is as before: per-topic ids
        try (RawSseClient client = RawSseClient.get(server.port(), "/events/a", "Last-Event-ID: 1"))
        {
            client.readHead();
            final String single = frame(2, "a2") + frame(3, "a3");
            assertEquals(single, client.readBytes(single.length()));
        }
    }

    @Test
    void shouldResumeOnAStreamLogThatLivedOnAndShareItBetweenSubscribersOfTheSameTopics() throws Exception
    {
        server = SseServer.builder().port(0).history(100).start();
        final Topic x = server.topic("x");
        final Topic y = server.topic("y");
        final Topic z = server.topic("z");
        try (RawSseClient keeper = RawSseClient.get(server.port(), "/events?topic=y&topic=x&topic=x"))
        {
            keeper.readHead();
            final RawSseClient cut = RawSseClient.get(server.port(), "/events?topic=x&topic=y");
            cut.readHead();
            Servers.awaitSubscribers(server, 2);
            assertEquals(1, AgentInternals.sharedStreams(server));
            publish(x, "x1");
            publish(z, "z1");
            publish(y, "y1");
            final String before = frame(1, "x1") + frame(3, "y1");
            assertEquals(before, cut.readBytes(before.length()));
            cut.close();
            Servers.awaitSubscribers(server, 1);
            publish(y, "y2");
            publish(z, "z2");
            publish(x, "x2");

            try (RawSseClient resumed = RawSseClient.get(server.port(), "/events?topic=x&topic=y&lastEventId=3"))
            {
                resumed.readHead();
                final String after = frame(4, "y2") + frame(6, "x2");
                assertEquals(after, resumed.readBytes(after.length()));
            }
            final String all = before + frame(4, "y2") + frame(6, "x2");
            assertEquals(all, keeper.readBytes(all.length()));
        }
        Servers.awaitSubscribers(server, 0);
        assertEquals(0, AgentInternals.sharedStreams(server));
        assertEquals(1, server.metrics().replays());
    }

    @Test
    void shouldFillFromHistoryPublishedBeforeAnyoneSubscribedAndReplayEverythingOnAnUnknownId() throws Exception
    {
        server = SseServer.builder().port(0).history(100).start();
        final Topic p = server.topic("p");
        final Topic q = server.topic("q");
        publish(q, "q1");
        publish(p, "p1");
        publish(q, "q2", SseOptions.builder().id("given-1").event("named").build());
        Await.value(() -> server.metrics().eventsPublished(), 3, "published");

        try (RawSseClient client = RawSseClient.get(server.port(), "/events?topic=p&topic=q", "Last-Event-ID: 1"))
        {
            client.readHead();
            final String expected = frame(2, "p1") + "event: named\nid: 3\ndata: q2\n\n";
            assertEquals(expected, client.readBytes(expected.length()));
        }
        try (RawSseClient client = RawSseClient.get(server.port(), "/events?topic=p&topic=q", "Last-Event-ID: nope"))
        {
            client.readHead();
            final String expected = frame(1, "q1") + frame(2, "p1") + "event: named\nid: 3\ndata: q2\n\n";
            assertEquals(expected, client.readBytes(expected.length()));
        }
        assertEquals(1, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldRefuseBadTopicListsWithAReason() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final String names = "topic name must match [A-Za-z0-9._-]{1,128}, not . or ..: " +
            "/events/{topic} or /events?topic=A&topic=B";
        assertRefused("/events", names);
        assertRefused("/events?lastEventId=3", names);
        assertRefused("/events?topic=a&topic=b%20c", names);
        assertRefused("/events?topic=a&topic=..", names);
        assertRefused("/events?topic=a&topic=", "empty \"topic\" selector");
        assertRefused("/events?topic=%zz", "malformed percent-escape in the query");
        final StringJoiner many = new StringJoiner("&topic=", "/events?topic=", "");
        for (int i = 0; i <= 100; i++)
        {
            many.add("t" + i);
        }
        assertRefused(many.toString(), "more than 100 \"topic\" parameters");
        final String post = RawHttp.post(server.port(), "/events?topic=a", "x");
        assertEquals("HTTP/1.1 405 Method Not Allowed", RawHttp.status(post), post);
        assertEquals(0, server.metrics().subscribers());
    }

    @Test
    void shouldTreatAnIdBeforeWhereEveryTopicsHistoryIsCompleteAsAReplayMiss() throws Exception
    {
        server = SseServer.builder().port(0).history(4).start();
        final Topic a = server.topic("a");
        final Topic b = server.topic("b");
        publish(b, "b1");
        for (int i = 1; i <= 5; i++)
        {
            publish(a, "a" + i);
        }
        publish(b, "b2");
        Await.value(() -> server.metrics().eventsPublished(), 7, "published");

        // a kept seq 3..6 (it evicted a1, seq 2), so the merged history is complete only from seq 3: resuming after
        // b1 (seq 1) would silently skip a1, and is a replay miss instead, from the oldest the stream keeps
        try (RawSseClient client = RawSseClient.get(server.port(), "/events?topic=a&topic=b", "Last-Event-ID: 1"))
        {
            client.readHead();
            final String expected = frame(4, "a3") + frame(5, "a4") + frame(6, "a5") + frame(7, "b2");
            assertEquals(expected, client.readBytes(expected.length()));
        }
        assertEquals(1, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldAskTheSubscribeAuthorizerAboutEachTopicAndAnswerHeadAndOptions() throws Exception
    {
        server = SseServer.builder().port(0).allowOrigin("*").subscribeAuthorizer((request) ->
            "secret".equals(request.topic()) ? SubscribeAuthorizer.Decision.FORBIDDEN :
                SubscribeAuthorizer.Decision.ALLOW).start();
        final String refused = RawHttp.get(server.port(), "/events?topic=a&topic=secret", "Connection: close");
        assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(refused), refused);
        final String head = RawHttp.exchange(server.port(),
            RawHttp.request("HEAD", "/events?topic=a&topic=b", RawHttp.closing(), ""));
        assertTrue(head.startsWith(STREAM_HEAD_START) && head.contains("Content-Type: text/event-stream\r\n") &&
            head.endsWith("\r\n\r\n"), head);
        final String options = RawHttp.exchange(server.port(), RawHttp.request("OPTIONS", "/events?topic=a",
            RawHttp.closing("Origin: http://example.com", "Access-Control-Request-Method: GET"), ""));
        assertTrue(options.startsWith("HTTP/1.1 204") || options.startsWith("HTTP/1.1 200"), options);
        assertTrue(options.contains("Access-Control-Allow-Origin: *"), options);
        assertEquals(0, server.metrics().subscribers());
        try (RawSseClient client = RawSseClient.get(server.port(), "/events?topic=a&topic=b"))
        {
            assertTrue(client.readHead().startsWith(STREAM_HEAD_START));
        }
    }

    private void assertRefused(final String path, final String reason) throws Exception
    {
        final String response = RawHttp.get(server.port(), path, "Connection: close");
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(response), response);
        assertTrue(RawHttp.body(response).contains(reason), response);
    }

    private static String frame(final long id, final String data)
    {
        return "id: " + id + "\ndata: " + data + "\n\n";
    }

    private static void publish(final Topic topic, final String data)
    {
        publish(topic, data, SseOptions.NONE);
    }

    private static void publish(final Topic topic, final String data, final SseOptions options)
    {
        Servers.publish(topic, data, options);
    }
}
