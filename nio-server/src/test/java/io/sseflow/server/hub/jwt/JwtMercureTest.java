package io.sseflow.server.hub.jwt;

import io.sseflow.server.SseServer;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JWT on the Mercure endpoint and on multi-topic streams, hub in process: private updates only to subscribers
 * whose token allows one of their topics (token in the cookie, the header or the query), publishes decided topic by
 * topic from the form body, every topic of {@code /events?topic=A&topic=B} checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JwtMercureTest
{
    private static final String BOOKS = "https://example.com/books/{id}";
    private static final String BOOK_1 = "https://example.com/books/1";
    private static final String PUBLISHER = TestTokens.hs256("{\"mercure\":{\"publish\":[\"" + BOOKS + "\"]}}");
    private static final String READER = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + BOOKS + "\"]}}");
    private static final String OTHER_READER =
        TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"https://example.com/authors/{id}\"]}}");

    @Test
    void shouldDeliverPrivateUpdatesOnlyToSubscribersWhoseTokenAllowsTheirTopic() throws Exception
    {
        final String subscribe = "/.well-known/mercure?topic=" + encode(BOOKS);
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous");
            RawSseClient anonymous = RawSseClient.get(hub.port(), subscribe);
            RawSseClient reader = RawSseClient.get(hub.port(), subscribe, "Cookie: mercureAuthorization=" + READER);
            RawSseClient readerByQuery = RawSseClient.get(hub.port(), subscribe + "&authorization=" + READER);
            RawSseClient otherReader = RawSseClient.get(hub.port(), subscribe, "Authorization: Bearer " + OTHER_READER))
        {
            for (final RawSseClient client : new RawSseClient[]{anonymous, reader, readerByQuery, otherReader})
            {
                assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            }
            Servers.awaitSubscribers(hub, 4);

            assertEquals("p1", RawHttp.body(publish(hub, "topic=" + encode(BOOK_1) + "&id=p1&data=secret&private=on")));
            assertEquals("u1", RawHttp.body(publish(hub, "topic=" + encode(BOOK_1) + "&id=u1&data=public")));

            assertEquals(new SseEvent("p1", "message", "secret"), reader.nextEvent());
            assertEquals(new SseEvent("u1", "message", "public"), reader.nextEvent());
            assertEquals(new SseEvent("p1", "message", "secret"), readerByQuery.nextEvent());
            assertEquals(new SseEvent("u1", "message", "public"), readerByQuery.nextEvent());
            // the private update is not theirs: the next event they get is the public one
            assertEquals(new SseEvent("u1", "message", "public"), anonymous.nextEvent());
            assertEquals(new SseEvent("u1", "message", "public"), otherReader.nextEvent());
        }
    }

    @Test
    void shouldDecideMercurePublishesTopicByTopicAndRefuseWithoutAToken() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET);
            RawSseClient reader = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=*",
                "Authorization: Bearer " + TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"*\"]}}")))
        {
            assertTrue(reader.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            Servers.awaitSubscribers(hub, 1);

            final String noToken = RawHttp.post(hub.port(), "/.well-known/mercure", "topic=a&data=x",
                "Content-Type: application/x-www-form-urlencoded", "Connection: close");
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(noToken), noToken);
            assertTrue(noToken.contains("\r\nWWW-Authenticate: Bearer\r\n"), noToken);

            // one topic of the two is not in the token's mercure.publish: refused whole, nothing delivered
            final String partly = publish(hub, "topic=" + encode(BOOK_1) + "&topic=" + encode("https://example.com/x") +
                "&id=both&data=no");
            assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(partly), partly);
            assertTrue(partly.contains("\r\nWWW-Authenticate: Bearer error=\"insufficient_scope\"\r\n"), partly);

            final String subscriberOnly = RawHttp.post(hub.port(), "/.well-known/mercure", "topic=a&data=x",
                "Content-Type: application/x-www-form-urlencoded", "Authorization: Bearer " + READER, "Connection: close");
            assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(subscriberOnly), subscriberOnly);

            assertEquals("ok", RawHttp.body(publish(hub, "topic=" + encode(BOOK_1) + "&id=ok&data=yes")));
            assertEquals(new SseEvent("ok", "message", "yes"), reader.nextEvent());

            final String anonymous = RawHttp.get(hub.port(), "/.well-known/mercure?topic=*", "Connection: close");
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(anonymous), anonymous);
        }
    }

    @Test
    void shouldCheckEveryTopicOfAMultiTopicStream() throws Exception
    {
        final String newsOnly = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"news\"]}}");
        final String both = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"news\",\"sport\"]}}");
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET))
        {
            final String refused = RawHttp.get(hub.port(), "/events?topic=news&topic=sport",
                "Authorization: Bearer " + newsOnly, "Connection: close");
            assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(refused), refused);
            try (RawSseClient client = RawSseClient.get(hub.port(), "/events?topic=news&topic=sport",
                "Authorization: Bearer " + both))
            {
                assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            }
        }
    }

    private static String publish(final SseServer hub, final String form) throws Exception
    {
        return RawHttp.post(hub.port(), "/.well-known/mercure", form,
            "Content-Type: application/x-www-form-urlencoded", "Authorization: Bearer " + PUBLISHER, "Connection: close");
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
