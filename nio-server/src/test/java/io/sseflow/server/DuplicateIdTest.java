package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DESIGN's duplicate rule with the in-memory sequencer: a publish whose explicit id is still retained in its topic
 * is answered {@code 200} with that id and not appended again, over HTTP and through the embedded
 * {@link Topic#publish}; once that event is evicted, the id is new again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DuplicateIdTest
{
    private SseServer server;

    @AfterEach
    void tearDown()
    {
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldAnswerARetriedHttpPublishWithItsIdAndAppendItOnce() throws Exception
    {
        server = SseServer.builder().port(0).history(3).start();
        try (RawSseClient live = RawSseClient.get(server.port(), "/events/orders"))
        {
            live.readHead();
            Servers.awaitSubscribers(server, 1);
            assertEquals("order-1\n", RawHttp.body(RawHttp.post(server.port(), "/events/orders?id=order-1", "first")));
            assertEquals("order-1\n", RawHttp.body(RawHttp.post(server.port(), "/events/orders?id=order-1", "retry")));
            assertEquals("42\n", RawHttp.body(RawHttp.post(server.port(), "/events/orders?id=42", "numeric")));
            final String retried = RawHttp.post(server.port(), "/events/orders?id=42&event=again", "numeric retry");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(retried), retried);
            assertEquals("42\n", RawHttp.body(retried));
            assertEquals("43\n", RawHttp.body(RawHttp.post(server.port(), "/events/orders", "assigned")));
            final String frames = "id: order-1\ndata: first\n\n" +
                "id: 42\ndata: numeric\n\n" +
                "id: 43\ndata: assigned\n\n";
            assertEquals(frames, live.readBytes(frames.length()));
            assertEquals(3, server.metrics().eventsPublished());

            assertEquals("44\n", RawHttp.body(RawHttp.post(server.port(), "/events/orders", "evicts order-1")));
            assertEquals("order-1\n", RawHttp.body(RawHttp.post(server.port(), "/events/orders?id=order-1", "new again")));
            final String later = "id: 44\ndata: evicts order-1\n\nid: order-1\ndata: new again\n\n";
            assertEquals(later, live.readBytes(later.length()));
        }
        try (RawSseClient replay = RawSseClient.get(server.port(), "/events/orders", "Last-Event-ID: 43"))
        {
            replay.readHead();
            final String frames = "id: 44\ndata: evicts order-1\n\n" +
                "id: order-1\ndata: new again\n\n";
            assertEquals(frames, replay.readBytes(frames.length()));
        }
        assertEquals(5, server.metrics().eventsPublished());
    }

    @Test
    void shouldAppendAnEmbeddedPublishWithARetainedIdOnce() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final Topic topic = server.topic("t");
        Servers.publish(topic, "one", SseOptions.builder().id("a").build());
        Servers.publish(topic, "one again", SseOptions.builder().id("a").build());
        Servers.publish(topic, "seven", SseOptions.builder().id(7).build());
        Servers.publish(topic, "seven again", SseOptions.builder().id("7").build());
        Servers.publish(topic, "assigned", SseOptions.NONE);
        Await.value(() -> server.metrics().eventsPublished(), 3, "published");
        try (RawSseClient replay = RawSseClient.get(server.port(), "/events/t", "Last-Event-ID: 0"))
        {
            replay.readHead();
            final String frames = "id: a\ndata: one\n\nid: 7\ndata: seven\n\nid: 8\ndata: assigned\n\n";
            assertEquals(frames, replay.readBytes(frames.length()));
        }
        assertEquals(3, server.metrics().eventsPublished());
    }
}
