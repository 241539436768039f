package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import io.sseflow.server.support.CpuSplit;
import io.sseflow.server.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reconnect storm against presence, hub jar with {@code --subscriptions true} and {@code --max-topics 4000}:
 * {@link #ROUNDS} rounds of {@link #PER_ROUND} Mercure subscriptions of four selectors each, opened from
 * {@code 127.0.2.x} and dropped at once, beside a {@link ControlProbe}. The presence updates stay within the bound
 * (at most 1,000 start updates a second, one end per start), presence takes at most half the topic table, a publish
 * to a new topic is still answered {@code 200}, and the control subscriber's worst delivery and {@code /healthz}
 * stay under 1 s.
 * <p>
 * {@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=PresenceStormIT}
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PresenceStormIT
{
    private static final int ROUNDS = 10;
    private static final int PER_ROUND = 400;
    private static final int MAX_TOPICS = 4000;

    @Test
    void shouldBoundPresenceUpdatesAndTopicsThroughAReconnectStorm() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-presence-storm", ".err");
        final CpuSplit cpus = CpuSplit.pinTestToLowerHalf();
        final Process hub = ChildProcess.startHubJar(cpus.hubCommandPrefix(),
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0", "--subscriptions", "true", "--max-topics", String.valueOf(MAX_TOPICS));
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            final ControlProbe probe = ControlProbe.start(port, 120_000);
            final long startNs = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++)
            {
                final List<SocketChannel> subscribers = new ArrayList<>(PER_ROUND);
                try
                {
                    for (int i = 0; i < PER_ROUND; i++)
                    {
                        final String request = "GET /.well-known/mercure?topic=room-" + round + "-" + i +
                            "&topic=a&topic=b&topic=https%3A%2F%2Fexample.com%2Fu%2F" + i + " HTTP/1.1\r\nHost: x\r\n\r\n";
                        final SocketChannel subscriber = SocketChannel.open();
                        subscribers.add(subscriber);
                        subscriber.bind(new InetSocketAddress("127.0.2." + (1 + round), 0));
                        subscriber.connect(new InetSocketAddress("127.0.0.1", port));
                        subscriber.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                    }
                    Await.condition(() -> gauge(port, "sseflow_subscribers") >= PER_ROUND / 2,
                        "round " + round + " subscribed", Duration.ofSeconds(30));
                }
                finally
                {
                    for (final SocketChannel subscriber : subscribers)
                    {
                        subscriber.close();
                    }
                }
            }
            Await.condition(() -> gauge(port, "sseflow_subscribers") <= 1, "every storm stream ended",
                Duration.ofSeconds(30));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            final long updates = gauge(port, "sseflow_subscription_updates_total");
            final long unannounced = gauge(port, "sseflow_subscriptions_unannounced_total");
            final long topics = gauge(port, "sseflow_topics");
            final String fresh = RawHttp.post(port, "/events/fresh-after-the-storm", "x", "Connection: close");
            probe.close();
            final ControlProbe.Figures figures = probe.assertUnaffected(1_000, "presence reconnect storm");
            System.out.printf("PresenceStormIT: %d subscriptions of 4 selectors opened and dropped in %d ms: %d " +
                    "presence updates (%d/s), %d subscriptions unannounced, %d topics of %d; %s; %s%n",
                ROUNDS * PER_ROUND, elapsedMs, updates, updates * 1000 / Math.max(1, elapsedMs), unannounced, topics,
                MAX_TOPICS, cpus.describe(), figures);

            final long windows = TimeUnit.MILLISECONDS.toSeconds(elapsedMs) + 1;
            assertTrue(updates <= 2 * 1_000 * windows, updates + " updates in " + elapsedMs + " ms");
            assertTrue(updates % 2 == 0, "an end per start: " + updates);
            assertTrue(topics <= MAX_TOPICS / 2 + 10, "topics " + topics);
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(fresh), fresh);
            assertTrue(hub.isAlive(), "the hub is still up");
        }
        finally
        {
            ChildProcess.stop(hub, Duration.ofSeconds(10));
            cpus.close();
            Files.deleteIfExists(stderr);
        }
    }

    private static long gauge(final int port, final String name)
    {
        final String metrics;
        try
        {
            metrics = RawHttp.metrics(port);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("GET /metrics: " + ex, ex);
        }
        for (final String line : metrics.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in /metrics");
    }
}
