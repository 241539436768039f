package io.sseflow.server.hub.jwt;

import io.sseflow.server.SseServer;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code Last-Event-ID} header of a resuming Mercure subscription never names an update the subscriber may not
 * receive: a private update's id is answered {@code earliest} to a subscriber whose token does not allow its topic
 * (as an unknown id would be), and echoed to one whose token does; a public id is echoed to both. A subscriber of
 * each kind stays connected while the updates are published, so each stream's log was live for the private one.
 * Private updates are also retained in the hub's history: published while no subscriber is connected, they are
 * replayed (by {@code Last-Event-ID}, {@code lastEventID=} or {@code earliest}) to a subscriber whose token allows
 * their topic, merged with the public ones in hub order, evicted like them, and never to a native stream.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JwtMercureLastEventIdTest
{
    private static final String FIELDS =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    private static final String BOOKS = "https://example.com/books/{id}";
    private static final String BOOK_1 = "https://example.com/books/1";
    private static final String PUBLISHER = TestTokens.hs256("{\"mercure\":{\"publish\":[\"" + BOOKS + "\"]}}");
    private static final String READER =
        "Authorization: Bearer " + TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + BOOKS + "\"]}}");
    private static final String SUBSCRIBE = "/.well-known/mercure?topic=" + encode(BOOKS);
    private static final String U0 = "id: u0\ndata: before\n\n";
    private static final String P1 = "id: p1\ndata: secret\n\n";
    private static final String U1 = "id: u1\ndata: after\n\n";
    private static final String BOOK_2 = "https://example.com/books/2";
    private static final String OTHER_READER = "Authorization: Bearer " +
        TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"https://example.com/authors/{id}\"]}}");
    private static final String R0 = "id: r0\ndata: one\n\n";
    private static final String Q1 = "id: q1\ndata: secret one\n\n";
    private static final String R2 = "id: r2\ndata: two\n\n";
    private static final String Q2 = "id: q2\ndata: secret two\n\n";
    private static final String R1 = "id: r1\ndata: one again\n\n";

    @Test
    void shouldNotDiscloseAPrivateUpdateTheSubscriberMayNotReceive() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous");
            RawSseClient liveReader = RawSseClient.get(hub.port(), SUBSCRIBE, READER);
            RawSseClient liveAnonymous = RawSseClient.get(hub.port(), SUBSCRIBE))
        {
            // both streams are live when p1 is published (the tests below show the replay to streams made later)
            assertEquals(FIELDS + "\r\n", liveReader.readHead());
            assertEquals(FIELDS + "\r\n", liveAnonymous.readHead());
            Servers.awaitSubscribers(hub, 2);
            publish(hub, "topic=" + encode(BOOK_1) + "&id=u0&data=before", "u0");
            publish(hub, "topic=" + encode(BOOK_1) + "&id=p1&data=secret&private=on", "p1");
            publish(hub, "topic=" + encode(BOOK_1) + "&id=u1&data=after", "u1");

            // anonymous: p1 is not theirs, so it is answered as an unknown id would be
            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=p1", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
                U0 + U1);
            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=nope", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
                U0 + U1);
            assertHeadAndStream(hub, SUBSCRIBE, FIELDS + "Last-Event-ID: u0\r\n\r\n", U1, "Last-Event-ID: u0");

            // the reader's token allows the books: p1 is theirs
            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=p1", FIELDS + "Last-Event-ID: p1\r\n\r\n", U1, READER);
            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=u0", FIELDS + "Last-Event-ID: u0\r\n\r\n", P1 + U1,
                READER);
            assertEquals(U0 + P1 + U1, liveReader.readBytes((U0 + P1 + U1).length()));
            assertEquals(U0 + U1, liveAnonymous.readBytes((U0 + U1).length()));
        }
    }

    @Test
    void shouldReplayRetainedPrivateUpdatesOnlyToAuthorizedSubscribers() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous"))
        {
            publish(hub, "topic=" + encode(BOOK_1) + "&id=r0&data=one", "r0");
            publish(hub, "topic=" + encode(BOOK_1) + "&id=q1&data=secret+one&private=on", "q1");
            publish(hub, "topic=" + encode(BOOK_2) + "&id=r2&data=two", "r2");
            publish(hub, "topic=" + encode(BOOK_2) + "&id=q2&data=secret+two&private=on", "q2");
            publish(hub, "topic=" + encode(BOOK_1) + "&id=r1&data=one+again", "r1");

            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=earliest", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
                R0 + Q1 + R2 + Q2 + R1, READER);
            assertHeadAndStream(hub, SUBSCRIBE, FIELDS + "Last-Event-ID: q1\r\n\r\n", R2 + Q2 + R1,
                "Last-Event-ID: q1", READER);
            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=r2", FIELDS + "Last-Event-ID: r2\r\n\r\n", Q2 + R1,
                READER);

            for (final String[] unauthorized : new String[][] {{}, {OTHER_READER}})
            {
                assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=earliest",
                    FIELDS + "Last-Event-ID: earliest\r\n\r\n", R0 + R2 + R1, unauthorized);
                assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=q1", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
                    R0 + R2 + R1, unauthorized);
                assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=r2", FIELDS + "Last-Event-ID: r2\r\n\r\n", R1,
                    unauthorized);
            }
        }
    }

    @Test
    void shouldEvictPrivateHistoryLikePublicAndNeverStreamItNatively() throws Exception
    {
        final String publisher = "Authorization: Bearer " +
            TestTokens.hs256("{\"mercure\":{\"publish\":[\"news\"]}}");
        final String reader = "Authorization: Bearer " +
            TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"news\"]}}");
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--history", "2"))
        {
            for (final String[] update : new String[][] {
                {"n0", ""}, {"p0", "&private=on"}, {"p1", "&private=on"}, {"p2", "&private=on"}})
            {
                final String answer = RawHttp.post(hub.port(), "/.well-known/mercure",
                    "topic=news&id=" + update[0] + "&data=" + update[0] + update[1],
                    "Content-Type: application/x-www-form-urlencoded", publisher, "Connection: close");
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
                assertEquals(update[0], RawHttp.body(answer));
            }

            // p0 is evicted (two private updates kept, as two public ones would be), so the replay starts where
            // nothing of the topic is missing: after p0, which leaves n0 out
            assertHeadAndStream(hub, "/.well-known/mercure?topic=news&lastEventID=earliest",
                FIELDS + "Last-Event-ID: earliest\r\n\r\n", "id: p1\ndata: p1\n\nid: p2\ndata: p2\n\n", reader);
            assertHeadAndStream(hub, "/.well-known/mercure?topic=news&lastEventID=p0",
                FIELDS + "Last-Event-ID: earliest\r\n\r\n", "id: p1\ndata: p1\n\nid: p2\ndata: p2\n\n", reader);
            assertHeadAndStream(hub, "/.well-known/mercure?topic=news&lastEventID=p1",
                FIELDS + "Last-Event-ID: p1\r\n\r\n", "id: p2\ndata: p2\n\n", reader);
            // the topic's native stream has only the public update: p1 is unknown there, so it replays from n0
            assertHeadAndStream(hub, "/events/news", FIELDS + "\r\n", "id: n0\ndata: n0\n\n",
                "Last-Event-ID: p1", reader);
        }
    }

    private static void assertHeadAndStream(
        final SseServer hub, final String path, final String head, final String stream, final String... headers)
        throws Exception
    {
        try (RawSseClient client = RawSseClient.get(hub.port(), path, headers))
        {
            assertEquals(head, client.readHead());
            assertEquals(stream, client.readBytes(stream.length()));
        }
    }

    private static void publish(final SseServer hub, final String form, final String id) throws Exception
    {
        final String answer = RawHttp.post(hub.port(), "/.well-known/mercure", form,
            "Content-Type: application/x-www-form-urlencoded", "Authorization: Bearer " + PUBLISHER,
            "Connection: close");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
        assertEquals(id, RawHttp.body(answer));
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
