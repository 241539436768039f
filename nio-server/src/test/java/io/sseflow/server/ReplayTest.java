package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayTest
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
    void shouldReplayAfterLastEventIdHeaderThenContinueLive() throws Exception
    {
        server = SseServer.builder().port(0).history(100).start();
        final Topic topic = server.topic("t");
        publishRange(topic, 1, 10);
        Await.value(() -> server.metrics().eventsPublished(), 10, "published");

        try (RawSseClient client = RawSseClient.get(server.port(), "/events/t", "Last-Event-ID: 7"))
        {
            client.readHead();
            assertEquals(List.of(event(8), event(9), event(10)), client.nextEvents(3));
            publishRange(topic, 11, 12);
            assertEquals(List.of(event(11), event(12)), client.nextEvents(2));
        }
        assertEquals(1, server.metrics().replays());
    }

    @Test
    void shouldReplayAfterLastEventIdQueryParameterAndPreferTheHeader() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final Topic topic = server.topic("q");
        publishRange(topic, 1, 5);
        topic.publish("text-id", SseOptions.builder().id("k/ä").build());
        publishRange(topic, 6, 7);
        Await.value(() -> server.metrics().eventsPublished(), 8, "published");

        try (RawSseClient client = RawSseClient.get(server.port(), "/events/q?lastEventId=3"))
        {
            client.readHead();
            assertEquals(List.of(event(4), event(5)), client.nextEvents(2));
            assertEquals(new SseEvent("k/ä", "message", "text-id"), client.nextEvent());
        }
        try (RawSseClient client = RawSseClient.get(server.port(), "/events/q?lastEventId=k%2F%C3%A4"))
        {
            client.readHead();
            assertEquals(List.of(event(6), event(7)), client.nextEvents(2));
        }
        try (RawSseClient client = RawSseClient.get(server.port(), "/events/q?lastEventId=1", "Last-Event-ID: 5"))
        {
            client.readHead();
            assertEquals(new SseEvent("k/ä", "message", "text-id"), client.nextEvent());
        }
    }

    @Test
    void shouldReplayEverythingRetainedWhenTheIdIsUnknownOrEvicted() throws Exception
    {
        server = SseServer.builder().port(0).history(5).start();
        final Topic topic = server.topic("evicted");
        publishRange(topic, 1, 20);
        Await.value(() -> server.metrics().eventsPublished(), 20, "published");

        for (final String lastId : new String[]{"3", "nope"})
        {
            try (RawSseClient client = RawSseClient.get(server.port(), "/events/evicted", "Last-Event-ID: " + lastId))
            {
                client.readHead();
                assertEquals(List.of(event(16), event(17), event(18), event(19), event(20)), client.nextEvents(5));
            }
        }
        assertEquals(2, server.metrics().get(ServerCounter.REPLAY_MISSES));
    }

    @Test
    void shouldHaveNoGapAndNoDuplicateAtTheSeamWhilePublishing() throws Exception
    {
        server = SseServer.builder().port(0).history(20_000).start();
        final Topic topic = server.topic("seam");
        final int total = 5_000;
        final Thread publisher = new Thread(() -> publishRange(topic, 1, total));
        publisher.start();
        // resume only after ids the server has appended: an id it has not seen yet would be a replay miss
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (server.metrics().eventsPublished() < 1 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }

        final List<RawSseClient> clients = new ArrayList<>();
        final List<Integer> resumeAfter = new ArrayList<>();
        try
        {
            // reconnect at ids taken while the publisher is running: each must see exactly id+1..total
            for (int i = 0; i < 10; i++)
            {
                final long seen = server.metrics().eventsPublished();
                final int lastId = (int)seen;
                resumeAfter.add(lastId);
                final RawSseClient client = RawSseClient.get(server.port(), "/events/seam", "Last-Event-ID: " + lastId);
                client.readHead();
                clients.add(client);
                Thread.sleep(2);
            }
            publisher.join();
            Await.value(() -> server.metrics().eventsPublished(), total, "published");

            for (int i = 0; i < clients.size(); i++)
            {
                final int from = resumeAfter.get(i);
                final RawSseClient client = clients.get(i);
                for (int id = from + 1; id <= total; id++)
                {
                    assertEquals(event(id), client.nextEvent(), "client resuming after " + from);
                }
            }
        }
        finally
        {
            for (final RawSseClient client : clients)
            {
                client.close();
            }
        }
    }

    static SseEvent event(final int id)
    {
        return new SseEvent(String.valueOf(id), "message", "event " + id);
    }

    static void publishRange(final Topic topic, final int from, final int to)
    {
        for (int i = from; i <= to; i++)
        {
            Servers.publish(topic, "event " + i, SseOptions.NONE);
        }
    }
}
