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

    @Test
    void shouldNotDiscloseAPrivateUpdateTheSubscriberMayNotReceive() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous");
            RawSseClient liveReader = RawSseClient.get(hub.port(), SUBSCRIBE, READER);
            RawSseClient liveAnonymous = RawSseClient.get(hub.port(), SUBSCRIBE))
        {
            // both streams are live when p1 is published (a private update is kept only in the streams live then)
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
