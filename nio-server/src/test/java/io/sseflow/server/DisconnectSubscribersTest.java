package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Topic#disconnectSubscribers()}: the topic's streams end with a FIN after whole frames (a frame in
 * flight is finished first), other topics are untouched, and a client that reconnects with Last-Event-ID
 * continues without a gap.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DisconnectSubscribersTest
{
    @Test
    void shouldEndTheTopicsStreamsCleanlyAndLetClientsResume() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            final Topic news = server.topic("news");
            final Topic other = server.topic("other");
            final List<RawSseClient> clients = new ArrayList<>();
            try (RawSseClient bystander = RawSseClient.get(server.port(), "/events/other"))
            {
                for (int i = 0; i < 3; i++)
                {
                    clients.add(RawSseClient.get(server.port(), "/events/news"));
                }
                bystander.readHead();
                for (final RawSseClient client : clients)
                {
                    client.readHead();
                }
                Servers.awaitSubscribers(server, 4);
                for (int i = 1; i <= 5; i++)
                {
                    Servers.publish(news, "n" + i, SseOptions.NONE);
                }
                for (final RawSseClient client : clients)
                {
                    assertEquals("5", client.nextEvents(5).get(4).id());
                }

                assertTrue(news.disconnectSubscribers());
                for (final RawSseClient client : clients)
                {
                    assertNull(client.nextEvent(), "end of stream");
                    assertTrue(client.rawText().endsWith("data: n5\n\n"), client.rawText());
                    client.close();
                }
                Await.value(() -> server.metrics().subscribersDisconnected(), 3, "streams ended");
                Servers.awaitSubscribers(server, 1);

                Servers.publish(news, "n6", SseOptions.NONE);
                Servers.publish(other, "o1", SseOptions.NONE);
                assertEquals(new SseEvent("1", "message", "o1"), bystander.nextEvent());
                try (RawSseClient resumed = RawSseClient.get(server.port(), "/events/news", "Last-Event-ID: 5"))
                {
                    resumed.readHead();
                    assertEquals(new SseEvent("6", "message", "n6"), resumed.nextEvent());
                }
                final String metrics = RawHttp.metrics(server.port());
                assertTrue(metrics.contains("\nsseflow_subscribers_disconnected_total 3\n"), metrics);
            }
        }
    }

    @Test
    void shouldFinishTheFrameInFlightBeforeTheFin() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).history(1024).socketSendBufferBytes(8 * 1024).start();
            RawSseClient blocked = RawSseClient.open(server.port(), 4 * 1024))
        {
            final Topic topic = server.topic("big");
            blocked.send(RawHttp.request("GET", "/events/big", new String[0], ""));
            Servers.awaitSubscribers(server, 1);
            final String data = "z".repeat(10_000);
            final int published = 40;
            for (int i = 0; i < published; i++)
            {
                Servers.publish(topic, data, SseOptions.NONE);
            }
            // the client reads nothing yet: the server writes until the socket takes no more, in the middle of some
            // frame (SubscriberCursorTest ends a stream blocked mid-frame byte for byte against a fake channel)
            Await.value(() -> server.metrics().eventsPublished(), published, "events appended");
            Await.atLeast(() -> server.metrics().get(ServerCounter.BYTES_DELIVERED), 1, "the stream started");
            assertTrue(topic.disconnectSubscribers());
            Await.value(() -> server.metrics().subscribersDisconnected(), 1, "streams ended");

            blocked.readHead();
            int received = 0;
            SseEvent event;
            while (null != (event = blocked.nextEvent()))
            {
                received++;
                assertEquals(String.valueOf(received), event.id());
                assertEquals(data, event.data());
            }
            // kernel buffers hold only part of the 400 KB, so the server was cut short inside some frame
            assertTrue(received >= 1 && received <= published, "received " + received + " of " + published);
            assertTrue(blocked.rawText().endsWith(data + "\n\n"), "the stream ends after a whole frame");
            Await.value(() -> server.metrics().connections(), 0, "connections");
            assertEquals(0, server.metrics().slowConsumersDropped());
        }
    }

    @Test
    void shouldRefuseWhenTheServerIsNotRunning()
    {
        final SseServer server = SseServer.builder().port(0).start();
        final Topic topic = server.topic("t");
        assertTrue(topic.disconnectSubscribers(), "nothing to end is fine");
        server.close();
        assertFalse(topic.disconnectSubscribers());
    }
}
