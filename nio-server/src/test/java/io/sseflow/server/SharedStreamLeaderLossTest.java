package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SwitchableSequencer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node whose sequencer has had no leader for 10 s ends its streams of several topics
 * ({@code /events?topic=a&topic=b}) and its Mercure streams as it ends single-topic streams: after whole frames,
 * even while a frame of their shared log is only partly written (the log is freed only once it is written), so the
 * client gets that frame whole and then the end, never a reset; a reconnect is answered {@code 200} and resumes
 * exactly after its {@code Last-Event-ID}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedStreamLeaderLossTest
{
    private static final int BIG_DATA_BYTES = 256 * 1024;
    private static final int SMALL_BUFFER_BYTES = 4096;

    @Test
    void shouldEndMultiTopicAndMercureStreamsAfterTheirFrameInFlightThenResumeExactly() throws Exception
    {
        final AtomicBoolean ready = new AtomicBoolean(true);
        try (SseServer server = SseServer.builder()
            .host("127.0.0.1")
            .port(0)
            .maxEventBytes(BIG_DATA_BYTES + 1024)
            .socketSendBufferBytes(SMALL_BUFFER_BYTES)
            .eventSequencer((capacity) -> new SwitchableSequencer(new InMemoryEventSequencer(capacity), ready))
            .start();
            RawSseClient topics = subscribe(server.port(), "/events?topic=a&topic=b");
            RawSseClient mercure = subscribe(server.port(), "/.well-known/mercure?topic=a&topic=b"))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(topics.readHead()));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(mercure.readHead()));
            Servers.awaitSubscribers(server, 2);
            final Topic a = server.topic("a");
            final Topic b = server.topic("b");
            Servers.publish(a, "first", SseOptions.NONE);
            assertEquals(frame(1, "first"), topics.readBytes(frame(1, "first").length()));
            assertEquals(frame(1, "first"), mercure.readBytes(frame(1, "first").length()));

            // neither client reads: each stream blocks in the middle of the big frame, the small one queued behind it
            final String big = "x".repeat(BIG_DATA_BYTES);
            Servers.publish(b, big, SseOptions.NONE);
            Servers.publish(a, "queued", SseOptions.NONE);
            Await.value(() -> server.metrics().eventsPublished(), 3, "published");

            ready.set(false);
            Await.value(() -> server.metrics().get(ServerCounter.SUBSCRIBERS_DISCONNECTED), 2L,
                "shared streams ended", Duration.ofSeconds(30));
            assertEquals(0, server.metrics().subscribers());
            topics.timeout(20_000);
            mercure.timeout(20_000);
            assertEquals(frame(2, big), topics.readToEof());
            assertEquals(frame(2, big), mercure.readToEof());

            // a reconnect is answered 200 while there is no leader, and resumes exactly once there is one
            try (RawSseClient topicsAgain = subscribe(server.port(), "/events?topic=a&topic=b", "Last-Event-ID: 2");
                RawSseClient mercureAgain =
                    subscribe(server.port(), "/.well-known/mercure?topic=a&topic=b", "Last-Event-ID: 2"))
            {
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(topicsAgain.readHead()));
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(mercureAgain.readHead()));
                ready.set(true);
                Servers.awaitSubscribers(server, 2);
                Servers.publish(b, "after", SseOptions.NONE);
                final String resumed = frame(3, "queued") + frame(4, "after");
                assertEquals(resumed, topicsAgain.readBytes(resumed.length()));
                assertEquals(resumed, mercureAgain.readBytes(resumed.length()));
                assertEquals(2, server.metrics().get(ServerCounter.SUBSCRIBERS_DISCONNECTED));
                Await.value(() -> server.metrics().subscribers(), 2L, "subscribers still streaming");
            }
        }
    }

    private static RawSseClient subscribe(final int port, final String path, final String... headers)
        throws java.io.IOException
    {
        final RawSseClient client = RawSseClient.open(port, SMALL_BUFFER_BYTES);
        client.send(RawHttp.request("GET", path, headers, ""));
        return client;
    }

    private static String frame(final long id, final String data)
    {
        return "id: " + id + "\ndata: " + data + "\n\n";
    }
}
