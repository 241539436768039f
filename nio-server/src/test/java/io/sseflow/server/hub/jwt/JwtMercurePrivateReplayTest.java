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
 * Private updates are retained in the hub's history: published while no subscriber is connected, they are replayed to
 * a subscriber whose token allows their topic, merged with the public ones in hub order, on a resume by
 * {@code Last-Event-ID}, {@code lastEventID=} or {@code earliest}; a subscriber without the right gets only the
 * public ones, and its {@code Last-Event-ID} answer never names a private id.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JwtMercurePrivateReplayTest
{
    private static final String FIELDS =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    private static final String BOOKS = "https://example.com/books/{id}";
    private static final String BOOK_1 = "https://example.com/books/1";
    private static final String BOOK_2 = "https://example.com/books/2";
    private static final String PUBLISHER = TestTokens.hs256("{\"mercure\":{\"publish\":[\"" + BOOKS + "\"]}}");
    private static final String READER =
        "Authorization: Bearer " + TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + BOOKS + "\"]}}");
    private static final String OTHER_READER = "Authorization: Bearer " +
        TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"https://example.com/authors/{id}\"]}}");
    private static final String SUBSCRIBE = "/.well-known/mercure?topic=" + encode(BOOKS);
    private static final String U0 = "id: u0\ndata: one\n\n";
    private static final String P1 = "id: p1\ndata: secret one\n\n";
    private static final String U2 = "id: u2\ndata: two\n\n";
    private static final String P2 = "id: p2\ndata: secret two\n\n";
    private static final String U1 = "id: u1\ndata: one again\n\n";

    @Test
    void shouldReplayRetainedPrivateUpdatesOnlyToAuthorizedSubscribers() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous"))
        {
            publish(hub, BOOK_1, "u0", "one", false);
            publish(hub, BOOK_1, "p1", "secret one", true);
            publish(hub, BOOK_2, "u2", "two", false);
            publish(hub, BOOK_2, "p2", "secret two", true);
            publish(hub, BOOK_1, "u1", "one again", false);

            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=earliest", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
                U0 + P1 + U2 + P2 + U1, READER);
            assertHeadAndStream(hub, SUBSCRIBE, FIELDS + "Last-Event-ID: p1\r\n\r\n", U2 + P2 + U1,
                "Last-Event-ID: p1", READER);
            assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=u2", FIELDS + "Last-Event-ID: u2\r\n\r\n", P2 + U1,
                READER);

            for (final String[] unauthorized : new String[][] {{}, {OTHER_READER}})
            {
                assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=earliest",
                    FIELDS + "Last-Event-ID: earliest\r\n\r\n", U0 + U2 + U1, unauthorized);
                assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=p1", FIELDS + "Last-Event-ID: earliest\r\n\r\n",
                    U0 + U2 + U1, unauthorized);
                assertHeadAndStream(hub, SUBSCRIBE + "&lastEventID=u2", FIELDS + "Last-Event-ID: u2\r\n\r\n", U1,
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

    private static void publish(
        final SseServer hub, final String topic, final String id, final String data, final boolean isPrivate)
        throws Exception
    {
        final String form = "topic=" + encode(topic) + "&id=" + id + "&data=" + encode(data) +
            (isPrivate ? "&private=on" : "");
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
