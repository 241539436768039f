package io.sseflow.server.hub;

import io.sseflow.server.hub.jwt.TestTokens;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence over a hub's life, hub jar with {@code --subscriptions true} and a small {@code --max-topics}
 * ({@link #MAX_TOPICS}: presence may hold {@value #MAX_TOPICS}/2 topics at once): {@link #BATCHES} batches of
 * {@link #PER_BATCH} Mercure subscriptions of four selectors each are opened and closed, 80 times more subscription
 * topics than presence may hold, paced below the 1,000 start updates a second presence allows. Every one is
 * announced, an observer sees each start and each end, nothing is counted unannounced, and presence's topics stay
 * within half the table.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=PresenceLifetimeIT}
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PresenceLifetimeIT
{
    private static final int MAX_TOPICS = 100;
    private static final int BATCHES = 100;
    private static final int PER_BATCH = 10;
    private static final int SELECTORS = 4;
    private static final long BATCH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(60);
    private static final String SUBSCRIPTIONS = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";
    private static final Pattern ENTRY = Pattern.compile(
        "\"topic\":\"([^\"]+)\",\"subscriber\":\"(urn:uuid:[0-9a-f-]{36})\",\"active\":(true|false),\"payload\":" +
        "\\{\"user\":\"bob\"}}$");

    @Test
    void shouldAnnounceEverySubscriptionOverFarMoreSubscriptionTopicsThanTheTableHolds() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-presence-life", ".err");
        final Process hub = ChildProcess.startHubJar(List.of("-Xmx128m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0", "--subscriptions", "true", "--max-topics", String.valueOf(MAX_TOPICS),
            "--jwt-key", TestTokens.SECRET);
        final String observerToken = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + SUBSCRIPTIONS + "\"]}}");
        final String readerToken =
            TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"*\"],\"payload\":{\"user\":\"bob\"}}}");
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            try (RawSseClient observer = RawSseClient.get(port, "/.well-known/mercure?topic=" +
                URLEncoder.encode(SUBSCRIPTIONS, StandardCharsets.UTF_8), "Authorization: Bearer " + observerToken))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(observer.readHead()));
                assertTrue(observer.nextEvent().data().contains("\"topic\":\"" + SUBSCRIPTIONS + "\""));
                final long startNs = System.nanoTime();
                long maxTopics = 0;
                long batchNs = startNs - BATCH_INTERVAL_NS;
                for (int batch = 0; batch < BATCHES; batch++)
                {
                    // a batch at most every 60 ms, never catching up: at most 17 batches (680 starts) in any second
                    final long nextNs = batchNs + BATCH_INTERVAL_NS;
                    long waitNs;
                    while ((waitNs = nextNs - System.nanoTime()) > 0)
                    {
                        LockSupport.parkNanos(waitNs);
                    }
                    batchNs = System.nanoTime();
                    final List<String> expected = new ArrayList<>();
                    final List<RawSseClient> readers = new ArrayList<>(PER_BATCH);
                    final Set<String> started;
                    try
                    {
                        for (int i = 0; i < PER_BATCH; i++)
                        {
                            readers.add(RawSseClient.get(port, "/.well-known/mercure?topic=room-" + batch + "-" + i +
                                "&topic=a&topic=b&topic=https%3A%2F%2Fexample.com%2Fu%2F" + i,
                                "Authorization: Bearer " + readerToken));
                            expected.addAll(List.of("room-" + batch + "-" + i, "a", "b", "https://example.com/u/" + i));
                        }
                        for (final RawSseClient reader : readers)
                        {
                            assertEquals("HTTP/1.1 200 OK", RawHttp.status(reader.readHead()));
                        }
                        started = read(observer, PER_BATCH * SELECTORS, true);
                        assertEquals(sorted(expected), sorted(topics(started)), "batch " + batch + ": every start");
                        assertEquals(PER_BATCH,
                            started.stream().map((entry) -> entry.split(" ")[1]).distinct().count(), "subscribers");
                        maxTopics = Math.max(maxTopics, gauge(port, "sseflow_topics"));
                    }
                    finally
                    {
                        for (final RawSseClient reader : readers)
                        {
                            reader.close();
                        }
                    }
                    assertEquals(
                        started, read(observer, PER_BATCH * SELECTORS, false), "batch " + batch + ": every end");
                }
                final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                final long updates = gauge(port, "sseflow_subscription_updates_total");
                final long unannounced = gauge(port, "sseflow_subscriptions_unannounced_total");
                System.out.printf("PresenceLifetimeIT: %d subscriptions of %d selectors opened and closed in %d ms " +
                    "with --max-topics %d: %d presence updates, %d unannounced, at most %d live topics%n",
                    BATCHES * PER_BATCH, SELECTORS, elapsedMs, MAX_TOPICS, updates, unannounced, maxTopics);
                assertEquals(0, unannounced);
                assertEquals(1 + 2L * BATCHES * PER_BATCH * SELECTORS, updates);
                assertTrue(maxTopics <= MAX_TOPICS / 2, "live topics " + maxTopics);
                final String fresh = RawHttp.post(port, "/events/fresh-after-the-churn", "x", "Authorization: Bearer " +
                    TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}"), "Connection: close");
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(fresh), fresh);
            }
            assertTrue(hub.isAlive(), "the hub is still up");
        }
        finally
        {
            ChildProcess.stop(hub, Duration.ofSeconds(10));
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * Read {@code count} presence updates, each for one (selector, subscriber) with the readers' payload and the
     * expected {@code active}, and none twice.
     *
     * @return the pairs read, as {@code "selector subscriber"}.
     */
    private static Set<String> read(final RawSseClient observer, final int count, final boolean active)
        throws IOException
    {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final SseEvent update = observer.nextEvent();
            final Matcher matcher = ENTRY.matcher(update.data());
            assertTrue(matcher.find(), update.data());
            assertEquals(String.valueOf(active), matcher.group(3), update.data());
            assertTrue(seen.add(matcher.group(1) + " " + matcher.group(2)), "twice: " + update.data());
        }
        return seen;
    }

    private static List<String> topics(final Set<String> entries)
    {
        final List<String> topics = new ArrayList<>();
        for (final String entry : entries)
        {
            topics.add(entry.substring(0, entry.indexOf(' ')));
        }
        return topics;
    }

    private static List<String> sorted(final List<String> texts)
    {
        final List<String> copy = new ArrayList<>(texts);
        copy.sort(null);
        return copy;
    }

    private static long gauge(final int port, final String name) throws IOException
    {
        for (final String line : RawHttp.metrics(port).split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in /metrics");
    }
}
