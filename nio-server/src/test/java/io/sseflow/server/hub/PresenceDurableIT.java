package io.sseflow.server.hub;

import io.sseflow.server.cluster.ClusterSettings;
import io.sseflow.server.hub.jwt.TestTokens;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.SseEvent;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence on a single durable node from the hub jar ({@code --data-dir}, {@code --subscriptions true}, a JWT key):
 * the updates of a subscription that came and went go through the sequencer into the log like any update, so after a
 * {@code kill -9} and a restart on the same data dir an observer replaying the subscription topics from
 * {@code earliest} gets both, {@code active} true then false, with the subscriber's payload. (A cluster replicates
 * what its log holds; this is the check that presence is in it.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PresenceDurableIT
{
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String SUBSCRIPTIONS = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";

    private final File dataDir = tempDir("sseflow-presence-");
    private HubNode node;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != node)
        {
            node.kill();
        }
        IoUtil.delete(dataDir, true);
        IoUtil.delete(new File(ClusterSettings.singleNode(dataDir, 1).aeronDirectoryName()), true);
    }

    @Test
    void shouldReplaySubscriptionUpdatesAfterKill9AndRestart() throws Exception
    {
        final File stderr = File.createTempFile("sseflow-presence-", ".stderr");
        final String[] flags = {"--port", "0", "--data-dir", dataDir.getPath(), "--jwt-key", TestTokens.SECRET,
            "--allow-anonymous", "--subscriptions", "true"};
        final String reader = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"chat\"],\"payload\":{\"name\":\"ada\"}}}");
        final String observer = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + SUBSCRIPTIONS + "\"]}}");
        node = new HubNode(stderr, flags).start().awaitReady(READY);
        try (RawSseClient member = RawSseClient.get(node.port(), "/.well-known/mercure?topic=chat",
            "Authorization: Bearer " + reader))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(member.readHead()));
            awaitPublished(1);
        }
        awaitPublished(2);

        node.kill();
        node = new HubNode(stderr, flags).start().awaitReady(READY);
        try (RawSseClient replay = RawSseClient.get(node.port(), "/.well-known/mercure?lastEventID=earliest&topic=" +
            URLEncoder.encode(SUBSCRIPTIONS, StandardCharsets.UTF_8), "Authorization: Bearer " + observer))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(replay.readHead()));
            final SseEvent started = replay.nextEvent();
            final SseEvent ended = replay.nextEvent();
            assertTrue(started.data().contains(",\"topic\":\"chat\",") &&
                started.data().endsWith(",\"active\":true,\"payload\":{\"name\":\"ada\"}}"), started.data());
            assertTrue(ended.data().contains(",\"topic\":\"chat\",") &&
                ended.data().endsWith(",\"active\":false,\"payload\":{\"name\":\"ada\"}}"), ended.data());
            assertEquals(started.data().replace("\"active\":true", "\"active\":false"), ended.data());

            // SIGTERM with announced streams open (the observer's own): their ends are offered while the hub
            // drains, and it still stops cleanly
            final Process process = node.process();
            process.destroy();
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "stopped on SIGTERM within 15 s");
            assertEquals(143, process.exitValue(), node.stderr()); // SIGTERM's, as on any stop (DebPackageIT)
            assertTrue(!node.stderr().contains("Exception"), node.stderr());
            node = null;
        }
    }

    private void awaitPublished(final long count)
    {
        Await.condition(() -> metrics().contains("\nsseflow_events_published_total " + count + "\n"),
            count + " presence updates in the log", Duration.ofSeconds(20));
    }

    private String metrics()
    {
        try
        {
            return RawHttp.metrics(node.port());
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static File tempDir(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix).toFile();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
