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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence (Mercure's active subscriptions, {@code --subscriptions}), hub in process with a JWT key: a subscriber's
 * start and end reach an observer of {@code /.well-known/mercure/subscriptions/{topic}{/subscriber}} as private
 * updates carrying its token's payload, the list API answers only to a token whose grant matches its path, and
 * without the flag there are neither.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PresenceTest
{
    private static final String BOOKS = "https://example.com/books/{id}";
    private static final String SUBSCRIPTIONS = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";
    private static final String OBSERVER =
        TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + SUBSCRIPTIONS + "\"]}}");
    private static final String READER =
        TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + BOOKS + "\"],\"payload\":{\"user\":\"ada\",\"n\":1}}}");
    private static final Pattern SUBSCRIBER = Pattern.compile("\"subscriber\":\"(urn:uuid:[0-9a-f-]{36})\"");
    private static final String ENCODED_BOOKS = "https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D";

    @Test
    void shouldAnnounceASubscriptionWithItsPayloadWhenItStartsAndWhenItEnds() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--subscriptions", "true");
            RawSseClient observer = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=" + encode(SUBSCRIPTIONS),
                "Authorization: Bearer " + OBSERVER))
        {
            assertTrue(observer.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            final SseEvent own = observer.nextEvent();
            assertTrue(own.data().contains("\"topic\":\"" + SUBSCRIPTIONS + "\""), own.data());

            final String subscriber;
            try (RawSseClient reader = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=" + encode(BOOKS),
                "Authorization: Bearer " + READER))
            {
                assertTrue(reader.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                final SseEvent started = observer.nextEvent();
                subscriber = subscriberOf(started.data());
                final String id = "/.well-known/mercure/subscriptions/" + ENCODED_BOOKS + "/" +
                    subscriber.replace(":", "%3A");
                assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"" + id + "\",\"type\":\"Subscription\"," +
                    "\"topic\":\"" + BOOKS + "\",\"subscriber\":\"" + subscriber + "\",\"active\":true," +
                    "\"payload\":{\"user\":\"ada\",\"n\":1}}", started.data());

                final String list = RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions/" + ENCODED_BOOKS,
                    "Authorization: Bearer " + OBSERVER, "Connection: close");
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(list), list);
                assertTrue(list.contains("\r\nContent-Type: application/ld+json\r\n"), list);
                assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"/.well-known/mercure/subscriptions/" +
                    ENCODED_BOOKS + "\",\"type\":\"Subscriptions\",\"lastEventID\":\"" + started.id() + "\"," +
                    "\"subscriptions\":[{\"id\":\"" + id + "\",\"type\":\"Subscription\",\"topic\":\"" + BOOKS + "\"," +
                    "\"subscriber\":\"" + subscriber + "\",\"active\":true,\"payload\":{\"user\":\"ada\",\"n\":1}}]}",
                    RawHttp.body(list));
            }
            final SseEvent ended = observer.nextEvent();
            assertEquals(subscriber, subscriberOf(ended.data()));
            assertTrue(ended.data().contains("\"active\":false,\"payload\":{\"user\":\"ada\",\"n\":1}}"), ended.data());

            final String after = RawHttp.body(RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions/" +
                ENCODED_BOOKS, "Authorization: Bearer " + OBSERVER, "Connection: close"));
            assertTrue(after.endsWith("\"subscriptions\":[]}"), after);
        }
    }

    @Test
    void shouldAnswerTheListOnlyToATokenWhoseGrantMatchesItsPath() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous", "--subscriptions", "true"))
        {
            final String anonymous = RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions", "Connection: close");
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(anonymous), anonymous);

            final String reader = RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions",
                "Authorization: Bearer " + READER, "Connection: close");
            assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(reader), reader);

            final String observer = RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions",
                "Authorization: Bearer " + OBSERVER, "Connection: close");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(observer), observer);
            assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"/.well-known/mercure/subscriptions\"," +
                "\"type\":\"Subscriptions\",\"lastEventID\":\"earliest\",\"subscriptions\":[]}", RawHttp.body(observer));

            final String malformed = RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions/a%2/b",
                "Authorization: Bearer " + OBSERVER, "Connection: close");
            assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(malformed), malformed);
        }
    }

    @Test
    void shouldNeitherAnnounceNorListWithoutTheFlag() throws Exception
    {
        try (SseServer hub = Servers.hub("--jwt-key", TestTokens.SECRET);
            RawSseClient reader = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=" + encode(BOOKS),
                "Authorization: Bearer " + READER))
        {
            assertTrue(reader.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            Servers.awaitSubscribers(hub, 1);
            final String list = RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions",
                "Authorization: Bearer " + OBSERVER, "Connection: close");
            assertEquals("HTTP/1.1 404 Not Found", RawHttp.status(list), list);
            assertEquals(0, hub.metrics().get(ServerCounter.SUBSCRIPTION_UPDATES));
        }
    }

    @Test
    void shouldAnnounceAtMostTheCapOfStartsASecondAndEndExactlyWhatItAnnounced() throws Exception
    {
        try (SseServer hub = Servers.hub("--subscriptions", "true"))
        {
            final int clients = 80;
            final int selectors = 30;
            final RawSseClient[] streams = new RawSseClient[clients];
            final long startedNs = System.nanoTime();
            long elapsedNs;
            long startUpdates;
            try
            {
                final StringBuilder query = new StringBuilder("/.well-known/mercure?topic=t0");
                for (int t = 1; t < selectors; t++)
                {
                    query.append("&topic=t").append(t);
                }
                for (int i = 0; i < clients; i++)
                {
                    streams[i] = RawSseClient.get(hub.port(), query.toString());
                    assertTrue(streams[i].readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                }
                Servers.awaitSubscribers(hub, clients);
                elapsedNs = System.nanoTime() - startedNs;
                startUpdates = hub.metrics().get(ServerCounter.SUBSCRIPTION_UPDATES);
            }
            finally
            {
                for (final RawSseClient stream : streams)
                {
                    if (null != stream)
                    {
                        stream.close();
                    }
                }
            }
            // 2,400 start updates asked for; at most 1,000 in each second the starts spanned (the hub's windows
            // follow one another from its first start, so one more than the whole seconds elapsed)
            final long windows = TimeUnit.NANOSECONDS.toSeconds(elapsedNs) + 1;
            System.out.printf("presence storm: %d subscriptions of %d selectors in %d ms: %d start updates, %d " +
                "unannounced%n", clients, selectors, TimeUnit.NANOSECONDS.toMillis(elapsedNs), startUpdates,
                hub.metrics().get(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED));
            assertTrue(startUpdates <= Math.min(clients * selectors, windows * 1_000), "start updates " + startUpdates);
            if (windows * 1_000 < clients * selectors)
            {
                assertTrue(hub.metrics().get(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED) > 0);
            }
            Servers.awaitSubscribers(hub, 0);
            final long starts = startUpdates;
            Await.value(() -> hub.metrics().get(ServerCounter.SUBSCRIPTION_UPDATES), 2 * starts, "an end per start");
        }
    }

    @Test
    void shouldAnnounceAgainOnceTheSecondOfACappedStormHasPassed() throws Exception
    {
        try (SseServer hub = Servers.hub("--subscriptions", "true"))
        {
            final int clients = 48;
            final int selectors = 25; // 40 of them make a second's cap exactly
            final RawSseClient[] streams = new RawSseClient[clients];
            try
            {
                for (int i = 0; i < clients; i++)
                {
                    final StringBuilder query = new StringBuilder("/.well-known/mercure?topic=c" + i + "-0");
                    for (int t = 1; t < selectors; t++)
                    {
                        query.append("&topic=c").append(i).append('-').append(t);
                    }
                    streams[i] = RawSseClient.get(hub.port(), query.toString());
                    assertTrue(streams[i].readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                }
                Servers.awaitSubscribers(hub, clients);
            }
            finally
            {
                for (final RawSseClient stream : streams)
                {
                    if (null != stream)
                    {
                        stream.close();
                    }
                }
            }
            // 1,200 starts asked for, at most a second's cap (1,000) announced; a later second announces again (the cap
            // is per second, not for the hub's life): poll with a fresh subscription until the list shows it announced
            final long announced = Await.until(() ->
            {
                try (RawSseClient late = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=late"))
                {
                    assertTrue(late.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                    final String list = RawHttp.body(
                        RawHttp.get(hub.port(), "/.well-known/mercure/subscriptions/late", "Connection: close"));
                    return list.contains(",\"topic\":\"late\",") ? 1 : 0;
                }
            }, (value) -> value == 1, Duration.ofSeconds(10), 50);
            assertEquals(1, announced, "no subscription announced after the storm");
        }
    }

    @Test
    void shouldHoldPresenceTopicsWithinHalfOfMaxTopicsApartFromEveryOtherTopic() throws Exception
    {
        try (SseServer hub = Servers.hub("--subscriptions", "true", "--max-topics", "100"))
        {
            final int clients = 40;
            final RawSseClient[] streams = new RawSseClient[clients];
            try
            {
                for (int i = 0; i < clients; i++)
                {
                    streams[i] = RawSseClient.get(hub.port(),
                        "/.well-known/mercure?topic=a" + i + "&topic=b" + i + "&topic=c" + i + "&topic=d" + i);
                    assertTrue(streams[i].readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                }
                Servers.awaitSubscribers(hub, clients);
            }
            finally
            {
                for (final RawSseClient stream : streams)
                {
                    if (null != stream)
                    {
                        stream.close();
                    }
                }
            }
            Servers.awaitSubscribers(hub, 0);
            // 160 presence topics asked for: those announced stop at presence's own limit (50), the rest counted;
            // the ended ones are kept, and publishers still have all of --max-topics (100) for their own topics
            final long topics = hub.metrics().get(ServerCounter.SUBSCRIPTION_UPDATES) / 2;
            assertTrue(topics <= 50, "presence topics " + topics);
            assertTrue(hub.metrics().get(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED) >= (160 - 50) / 4);
            for (int i = 0; i < 100; i++)
            {
                final String answer = RawHttp.post(hub.port(), "/events/fresh" + i, "x", "Connection: close");
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
            }
        }
    }

    @Test
    void shouldKeepAnnouncingEverySubscriptionOverAHubsLifeWithASmallTopicTable() throws Exception
    {
        keepsAnnouncingOverAHubsLife();
    }

    @Test
    void shouldKeepAnnouncingEverySubscriptionOverADurableHubsLifeWithASmallTopicTable() throws Exception
    {
        // presence's updates are transient: the state machine holds no topic for them, so the agent frees ended ones
        final java.io.File dataDir = java.nio.file.Files.createTempDirectory("sseflow-presence-durable").toFile();
        try
        {
            keepsAnnouncingOverAHubsLife("--data-dir", dataDir.getPath());
        }
        finally
        {
            org.agrona.IoUtil.delete(dataDir, true);
        }
    }

    private void keepsAnnouncingOverAHubsLife(final String... flags) throws Exception
    {
        final String chatter = TestTokens.hs256(
            "{\"mercure\":{\"subscribe\":[\"" + BOOKS + "\",\"chat\"],\"payload\":{\"user\":\"bob\"}}}");
        final int rounds = 40; // 80 subscription topics over the hub's life; presence may hold 10 at once
        final java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of(
            "--jwt-key", TestTokens.SECRET, "--subscriptions", "true", "--max-topics", "20"));
        arguments.addAll(java.util.List.of(flags));
        try (SseServer hub = Servers.hub(arguments.toArray(new String[0])))
        {
            String subscriber = null;
            try (RawSseClient observer = RawSseClient.get(hub.port(),
                "/.well-known/mercure?topic=" + encode(SUBSCRIPTIONS), "Authorization: Bearer " + OBSERVER))
            {
                assertTrue(observer.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                assertTrue(observer.nextEvent().data().contains("\"topic\":\"" + SUBSCRIPTIONS + "\""));
                for (int round = 0; round < rounds; round++)
                {
                    try (RawSseClient reader = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=" +
                        encode(BOOKS) + "&topic=chat", "Authorization: Bearer " + chatter))
                    {
                        assertTrue(reader.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                        // a subscription's selectors come in the order of their texts
                        final SseEvent chat = observer.nextEvent();
                        subscriber = subscriberOf(chat.data());
                        assertEquals(
                            bobs("chat", "chat", subscriber, true) + bobs(ENCODED_BOOKS, BOOKS, subscriber, true),
                            chat.data() + observer.nextEvent().data(), "round " + round);
                    }
                    final String ends = observer.nextEvent().data() + observer.nextEvent().data();
                    assertEquals(
                        bobs("chat", "chat", subscriber, false) + bobs(ENCODED_BOOKS, BOOKS, subscriber, false), ends);
                }
                final Matcher topics =
                    Pattern.compile("\nsseflow_topics (\\d+)\n").matcher(RawHttp.metrics(hub.port()));
                assertTrue(topics.find());
                System.out.printf("presence over a hub's life: %d subscriptions of 2 selectors, --max-topics 20: %d " +
                    "updates, %d unannounced, %s live topics%n", rounds,
                    hub.metrics().get(ServerCounter.SUBSCRIPTION_UPDATES),
                    hub.metrics().get(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED), topics.group(1));
                assertEquals(0, hub.metrics().get(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED));
                assertEquals(1 + 4 * rounds, hub.metrics().get(ServerCounter.SUBSCRIPTION_UPDATES));
                assertTrue(Integer.parseInt(topics.group(1)) <= 10, "live topics " + topics.group(1));
                final String publisher =
                    "Authorization: Bearer " + TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}");
                for (int i = 0; i < 10; i++)
                {
                    final String answer =
                        RawHttp.post(hub.port(), "/events/fresh" + i, "x", publisher, "Connection: close");
                    assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
                }
            }

            // the newest ended subscription's updates are still retained in their topics: once the observer's
            // stream (whose own log holds everything it streamed) is gone, a new one replaying from the oldest
            // retained update gets its two starts, then its two ends
            Servers.awaitSubscribers(hub, 0);
            Await.value(() -> hub.metrics().get(ServerCounter.SUBSCRIPTION_UPDATES), 2 + 4 * rounds, "its own end");
            try (RawSseClient replay = RawSseClient.get(hub.port(), "/.well-known/mercure?lastEventID=earliest&topic=" +
                encode(SUBSCRIPTIONS), "Authorization: Bearer " + OBSERVER))
            {
                assertTrue(replay.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                final String lastEnd = bobs(ENCODED_BOOKS, BOOKS, subscriber, false);
                final StringBuilder last = new StringBuilder();
                for (int i = 0; i < 2 * rounds && !last.toString().endsWith(lastEnd); i++)
                {
                    final String data = replay.nextEvent().data();
                    if (data.contains(subscriber))
                    {
                        last.append(data);
                    }
                }
                assertEquals(bobs("chat", "chat", subscriber, true) + bobs(ENCODED_BOOKS, BOOKS, subscriber, true) +
                    bobs("chat", "chat", subscriber, false) + bobs(ENCODED_BOOKS, BOOKS, subscriber, false),
                    last.toString());
            }
        }
    }

    private static String bobs(
        final String encodedSelector, final String selector, final String subscriber, final boolean active)
    {
        return "{\"@context\":\"https://mercure.rocks/\",\"id\":\"/.well-known/mercure/subscriptions/" +
            encodedSelector + "/" + subscriber.replace(":", "%3A") + "\",\"type\":\"Subscription\",\"topic\":\"" +
            selector + "\",\"subscriber\":\"" + subscriber + "\",\"active\":" + active +
            ",\"payload\":{\"user\":\"bob\"}}";
    }

    private static String subscriberOf(final String json)
    {
        final Matcher matcher = SUBSCRIBER.matcher(json);
        assertTrue(matcher.find(), json);
        return matcher.group(1);
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
