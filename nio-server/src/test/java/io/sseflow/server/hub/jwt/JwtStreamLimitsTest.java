package io.sseflow.server.hub.jwt;

import io.sseflow.server.ServerCounter;
import io.sseflow.server.SseServer;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a subscriber's token limits beyond the topics, hub in process with {@code --jwt-key}: every stream it opened
 * (Mercure, {@code /events/{topic}}, {@code /events?topic=}) ends after whole frames when it expires, also one
 * accepted inside the verifier's clock skew, while a token without {@code exp} streams on; a stream whose token came in
 * the query answers {@code Cache-Control: private, no-cache}, one whose token came in the header or the cookie
 * {@code no-cache}. Exact bytes throughout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JwtStreamLimitsTest
{
    private static final String FIELDS = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n";
    private static final String NO_CACHE = FIELDS + "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    private static final String PRIVATE = FIELDS + "Cache-Control: private, no-cache\r\nX-Accel-Buffering: no\r\n";
    private static final String PUBLISHER = TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}");
    private static final String FOREVER = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"news\",\"sport\"]}}");
    private static final String N2 = "id: n2\ndata: two\n\n";
    private static final String SEQ_1 = "id: 1\ndata: one\n\n";
    private static final String SEQ_2 = "id: 2\ndata: two\n\n";

    @Test
    void shouldEndEveryStreamOfATokenAfterWholeFramesWhenItExpiresAndLeaveOthersStreaming() throws Exception
    {
        final String expiring = subscriber(System.currentTimeMillis() / 1000 + 3);
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET))
        {
            publish(hub, "n1", "one");
            publish(hub, "n2", "two");
            try (RawSseClient mercure = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=news&lastEventID=earliest",
                    "Authorization: Bearer " + expiring);
                RawSseClient topic = RawSseClient.get(hub.port(), "/events/news",
                    "Cookie: mercureAuthorization=" + expiring, "Last-Event-ID: n1");
                RawSseClient topics = RawSseClient.get(hub.port(), "/events?topic=news&topic=sport&authorization=" + expiring,
                    "Last-Event-ID: unknown");
                RawSseClient forever = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=news",
                    "Authorization: Bearer " + FOREVER))
            {
                assertEquals(NO_CACHE + "Last-Event-ID: earliest\r\n\r\n", mercure.readHead());
                assertEquals(NO_CACHE + "\r\n", topic.readHead());
                assertEquals(PRIVATE + "\r\n", topics.readHead());
                assertEquals(NO_CACHE + "\r\n", forever.readHead());

                // the replays are whole frames, then each stream ends: the client reconnects with a fresh token
                assertEquals(SEQ_1 + SEQ_2, mercure.readToEof());
                assertEquals(N2, topic.readToEof());
                assertEquals(SEQ_1 + SEQ_2, topics.readToEof());
                Await.value(() -> hub.metrics().get(ServerCounter.STREAMS_CREDENTIALS_EXPIRED), 3, "streams expired");
                Servers.awaitSubscribers(hub, 1);

                publish(hub, "n3", "three");
                assertEquals(new SseEvent("3", "message", "three"), forever.nextEvent());
                assertTrue(RawHttp.metrics(hub.port()).contains("\nsseflow_streams_credentials_expired_total 3\n"));
            }
        }
    }

    @Test
    void shouldEndAStreamWhoseTokenWasAcceptedInsideTheClockSkewAfterItsReplay() throws Exception
    {
        final String expired = subscriber(System.currentTimeMillis() / 1000 - 30);
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET))
        {
            publish(hub, "n1", "one");
            publish(hub, "n2", "two");
            try (RawSseClient client = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=news&lastEventID=1",
                "Authorization: Bearer " + expired))
            {
                assertEquals(NO_CACHE + "Last-Event-ID: 1\r\n\r\n", client.readHead());
                assertEquals(SEQ_2, client.readToEof());
            }
            Await.value(() -> hub.metrics().get(ServerCounter.STREAMS_CREDENTIALS_EXPIRED), 1, "streams expired");
            Servers.awaitSubscribers(hub, 0);
        }
    }

    @Test
    void shouldAnswerCacheControlPrivateWhenTheTokenCameInTheQuery() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET))
        {
            publish(hub, "n1", "one");
            final String mercure = "/.well-known/mercure?topic=news&lastEventID=earliest";
            for (final String path : List.of(mercure + "&authorization=" + FOREVER, mercure + "&access_token=" + FOREVER))
            {
                try (RawSseClient client = RawSseClient.get(hub.port(), path))
                {
                    assertEquals(PRIVATE + "Last-Event-ID: earliest\r\n\r\n", client.readHead());
                    assertEquals(SEQ_1, client.readBytes(SEQ_1.length()));
                }
            }
            for (final String header : List.of("Authorization: Bearer " + FOREVER, "Cookie: mercureAuthorization=" + FOREVER))
            {
                try (RawSseClient client = RawSseClient.get(hub.port(), mercure, header))
                {
                    assertEquals(NO_CACHE + "Last-Event-ID: earliest\r\n\r\n", client.readHead());
                    assertEquals(SEQ_1, client.readBytes(SEQ_1.length()));
                }
            }
            try (RawSseClient client = RawSseClient.get(hub.port(), "/events/news?authorization=" + FOREVER))
            {
                assertEquals(PRIVATE + "\r\n", client.readHead());
            }

            assertEquals(PRIVATE + "Connection: close\r\n\r\n", RawHttp.exchange(hub.port(), RawHttp.request(
                "HEAD", "/events/news?authorization=" + FOREVER, new String[]{"Connection: close"}, "")));
            assertEquals(PRIVATE + "Connection: close\r\n\r\n", RawHttp.exchange(hub.port(), RawHttp.request(
                "HEAD", "/.well-known/mercure?topic=news&access_token=" + FOREVER, new String[]{"Connection: close"}, "")));
            assertEquals(NO_CACHE + "Connection: close\r\n\r\n", RawHttp.exchange(hub.port(), RawHttp.request(
                "HEAD", "/events/news", new String[]{"Authorization: Bearer " + FOREVER, "Connection: close"}, "")));
            assertEquals(3, hub.metrics().get(ServerCounter.STREAMS_CREDENTIALS_IN_URL));
        }
    }

    private static String subscriber(final long exp)
    {
        return TestTokens.hs256("{\"exp\":" + exp + ",\"mercure\":{\"subscribe\":[\"news\",\"sport\"]}}");
    }

    private static void publish(final SseServer hub, final String id, final String data) throws Exception
    {
        final String answer = RawHttp.post(hub.port(), "/events/news?id=" + id, data,
            "Authorization: Bearer " + PUBLISHER, "Connection: close");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
    }
}
