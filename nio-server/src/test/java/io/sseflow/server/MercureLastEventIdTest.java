package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code Last-Event-ID} header of a resuming Mercure subscription's response: the requested id when it is
 * retained (the event preceding the first one sent), {@code earliest} when it is not or was asked for, none when the
 * request did not resume; the header's id wins over the query's; CORS exposes it; native streams are unchanged.
 * A stream held on a lagging node answers the requested id: the stream then starts right after it. Every case
 * asserts the exact bytes of the response head and then the stream that follows it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MercureLastEventIdTest
{
    private static final String FIELDS =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    private static final String BOOKS = "/.well-known/mercure?topic=" + encode("https://example.com/books/{id}");
    private static final String B1 = "id: b1\ndata: v1\n\n";
    private static final String B2 = "id: b2\ndata: v2\n\n";
    private static final String B3 = "id: b3\ndata: v3\n\n";

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
    void shouldAnswerTheRequestedIdWhenItIsRetained() throws Exception
    {
        startWithBooks(SseServer.builder());
        assertHeadAndStream(BOOKS, FIELDS + "Last-Event-ID: b1\r\n\r\n", B2 + B3, "Last-Event-ID: b1");
        assertHeadAndStream(BOOKS + "&lastEventID=b2", FIELDS + "Last-Event-ID: b2\r\n\r\n", B3);
        assertEquals(2, server.metrics().replays());
    }

    @Test
    void shouldAnswerEarliestForAnUnknownIdAndReplayEverythingRetained() throws Exception
    {
        startWithBooks(SseServer.builder());
        assertHeadAndStream(BOOKS + "&lastEventID=nope", FIELDS + "Last-Event-ID: earliest\r\n\r\n", B1 + B2 + B3);
        assertHeadAndStream(BOOKS, FIELDS + "Last-Event-ID: earliest\r\n\r\n", B1 + B2 + B3, "Last-Event-ID: gone");
        assertEquals(2, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldAnswerEarliestWhenEarliestIsAskedForOrTheHistoryIsEmpty() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertHead("/.well-known/mercure?topic=empty&lastEventID=b1", FIELDS + "Last-Event-ID: earliest\r\n\r\n");
        publishBooks();
        assertHeadAndStream(BOOKS + "&lastEventID=earliest", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
            B1 + B2 + B3);
        assertHeadAndStream(BOOKS, FIELDS + "Last-Event-ID: earliest\r\n\r\n", B1 + B2 + B3,
            "Last-Event-ID: earliest");
    }

    @Test
    void shouldPreferTheHeaderToTheQuery() throws Exception
    {
        startWithBooks(SseServer.builder());
        assertHeadAndStream(BOOKS + "&lastEventID=b1", FIELDS + "Last-Event-ID: b2\r\n\r\n", B3, "Last-Event-ID: b2");
        assertHeadAndStream(BOOKS + "&lastEventID=b2", FIELDS + "Last-Event-ID: earliest\r\n\r\n", B1 + B2 + B3,
            "Last-Event-ID: earliest");
    }

    @Test
    void shouldResumeFromThePolyfillsLastEventIdParameterAfterTheHeaderAndLastEventID() throws Exception
    {
        startWithBooks(SseServer.builder());
        // event-source-polyfill sends lastEventId=, as /events reads it: the updates published meanwhile follow
        assertHeadAndStream(BOOKS + "&lastEventId=b1", FIELDS + "Last-Event-ID: b1\r\n\r\n", B2 + B3);
        assertHeadAndStream(BOOKS + "&lastEventId=b1&lastEventID=b2", FIELDS + "Last-Event-ID: b2\r\n\r\n", B3);
        assertHeadAndStream(BOOKS + "&lastEventId=b1", FIELDS + "Last-Event-ID: b2\r\n\r\n", B3, "Last-Event-ID: b2");
        assertHeadAndStream(BOOKS + "&lastEventId=earliest", FIELDS + "Last-Event-ID: earliest\r\n\r\n", B1 + B2 + B3);
        assertEquals(4, server.metrics().replays());
        assertEquals(2, server.metrics().get(ServerCounter.MERCURE_LAST_EVENT_ID_ALIAS));
    }

    @Test
    void shouldSendNoLastEventIdWhenTheSubscriptionDoesNotResume() throws Exception
    {
        startWithBooks(SseServer.builder());
        try (RawSseClient client = RawSseClient.get(server.port(), BOOKS))
        {
            assertEquals(FIELDS + "\r\n", client.readHead());
        }
        try (RawSseClient client = RawSseClient.get(server.port(), BOOKS + "&lastEventID=", "Last-Event-ID: "))
        {
            assertEquals(FIELDS + "\r\n", client.readHead());
        }
    }

    @Test
    void shouldExposeTheHeaderToScriptsWhenCorsIsOn() throws Exception
    {
        startWithBooks(SseServer.builder().allowOrigin("*"));
        final String cors = FIELDS + "Access-Control-Allow-Origin: *\r\n";
        assertHeadAndStream(BOOKS + "&lastEventID=b2",
            cors + "Last-Event-ID: b2\r\nAccess-Control-Expose-Headers: Last-Event-ID\r\n\r\n", B3);
        try (RawSseClient client = RawSseClient.get(server.port(), BOOKS))
        {
            assertEquals(cors + "\r\n", client.readHead());
        }
    }

    @Test
    void shouldAnswerTheRequestedIdOfAStreamHeldUntilALaggingNodeHasIt() throws Exception
    {
        server = Servers.startCanBeBehind();
        final Topic a = server.topic("a");
        final Topic c = server.topic("c");
        Servers.publish(a, "a1", SseOptions.NONE);
        Servers.publish(c, "c2", SseOptions.NONE);
        Await.value(() -> server.metrics().eventsPublished(), 2, "published");
        try (RawSseClient held = RawSseClient.get(server.port(), "/.well-known/mercure?topic=a", "Last-Event-ID: 4"))
        {
            // the head goes out before the node has seq 4; the stream then starts right after it
            assertEquals(FIELDS + "Last-Event-ID: 4\r\n\r\n", held.readHead());
            Servers.awaitSubscribers(server, 1);
            Servers.publish(c, "c3", SseOptions.NONE);
            Servers.publish(a, "a4", SseOptions.NONE);
            Servers.publish(a, "a5", SseOptions.NONE);
            assertEquals("id: 5\ndata: a5\n\n", held.readBytes("id: 5\ndata: a5\n\n".length()));
        }
        // seq 2 is c's: passed by the node, not in the stream, a replay miss answered earliest
        assertHeadAndStream("/.well-known/mercure?topic=a", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
            "id: 1\ndata: a1\n\nid: 4\ndata: a4\n\nid: 5\ndata: a5\n\n", "Last-Event-ID: 2");
        assertEquals(1, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldLeaveNativeStreamsUnchanged() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.post(server.port(), "/events/a", "one")));
        assertHead("/events?topic=a&topic=b", FIELDS + "\r\n", "Last-Event-ID: 1");
        assertHead("/events?topic=a&topic=b&lastEventId=earliest", FIELDS + "\r\n");
        assertHead("/events/a", FIELDS + "\r\n", "Last-Event-ID: 1");
    }

    @Test
    void shouldSendOnlyIdsThatAreValidFieldValues()
    {
        assertTrue(sendable("urn:uuid:1b2c"));
        assertTrue(sendable("a b\tc"));
        assertTrue(sendable("caf\u00e9"));
        assertFalse(sendable(" a"));
        assertFalse(sendable("a\t"));
        assertFalse(sendable("a\u0001b"));
        assertFalse(sendable("a\u007fb"));

        final HttpResponses responses = new HttpResponses(null);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer id = new UnsafeBuffer("a\u0001b".getBytes(StandardCharsets.UTF_8));
        final int length = responses.putEventStreamHeadWithLastEventId(out, 0, id, 0, id.capacity());
        assertEquals(FIELDS + "Last-Event-ID: earliest\r\n\r\n", out.getStringWithoutLengthAscii(0, length));
        final UnsafeBuffer uuid = new UnsafeBuffer("urn:uuid:1b2c".getBytes(StandardCharsets.US_ASCII));
        final int uuidLength = responses.putEventStreamHeadWithLastEventId(out, 0, uuid, 0, uuid.capacity());
        assertEquals(FIELDS + "Last-Event-ID: urn:uuid:1b2c\r\n\r\n", out.getStringWithoutLengthAscii(0, uuidLength));
    }

    private static boolean sendable(final String id)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(id.getBytes(StandardCharsets.UTF_8));
        return HttpResponses.isSendableFieldValue(buffer, 0, buffer.capacity());
    }

    private void startWithBooks(final SseServer.Builder builder) throws Exception
    {
        server = builder.port(0).start();
        publishBooks();
    }

    private void publishBooks() throws Exception
    {
        for (int i = 1; i <= 3; i++)
        {
            final String answer = RawHttp.post(server.port(), "/.well-known/mercure",
                "topic=" + encode("https://example.com/books/" + i) + "&id=b" + i + "&data=v" + i,
                "Content-Type: application/x-www-form-urlencoded");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
        }
    }

    private void assertHead(final String path, final String head, final String... headers) throws Exception
    {
        try (RawSseClient client = RawSseClient.get(server.port(), path, headers))
        {
            assertEquals(head, client.readHead());
        }
    }

    private void assertHeadAndStream(
        final String path, final String head, final String stream, final String... headers) throws Exception
    {
        try (RawSseClient client = RawSseClient.get(server.port(), path, headers))
        {
            assertEquals(head, client.readHead());
            assertEquals(stream, client.readBytes(stream.length()));
        }
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
