package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OkHttpEventSourceTest
{
    @Test
    void shouldDeliverEventsInOrderWithIdsNamesAndDataToOkHttpSse() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            final Topic topic = server.topic("ok");
            final OkHttpClient client = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build();
            final int count = 300;
            final List<SseEvent> received = new CopyOnWriteArrayList<>();
            final CountDownLatch opened = new CountDownLatch(1);
            final CountDownLatch done = new CountDownLatch(1);
            final EventSource source = EventSources.createFactory(client).newEventSource(
                new Request.Builder().url(server.url() + "/events/ok").build(),
                new EventSourceListener()
                {
                    public void onOpen(final EventSource eventSource, final Response response)
                    {
                        opened.countDown();
                    }

                    public void onEvent(final EventSource eventSource, final String id, final String type, final String data)
                    {
                        received.add(new SseEvent(id, null == type ? "message" : type, data));
                        if (received.size() == count)
                        {
                            done.countDown();
                        }
                    }
                });
            assertTrue(opened.await(10, TimeUnit.SECONDS));
            Servers.awaitSubscribers(server, 1);

            for (int i = 1; i <= count; i++)
            {
                if (i % 3 == 0)
                {
                    Servers.publish(topic, Map.of("n", i), SseOptions.event("json"));
                }
                else if (i % 3 == 1)
                {
                    Servers.publish(topic, "line " + i + "\nsecond", SseOptions.NONE);
                }
                else
                {
                    Servers.publish(topic, "ünïcødé ✓ " + i, SseOptions.event("text"));
                }
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), "received " + received.size());
            source.cancel();
            client.dispatcher().executorService().shutdown();

            for (int i = 1; i <= count; i++)
            {
                final SseEvent expected;
                if (i % 3 == 0)
                {
                    expected = new SseEvent(String.valueOf(i), "json", "{\"n\":" + i + "}");
                }
                else if (i % 3 == 1)
                {
                    expected = new SseEvent(String.valueOf(i), "message", "line " + i + "\nsecond");
                }
                else
                {
                    expected = new SseEvent(String.valueOf(i), "text", "ünïcødé ✓ " + i);
                }
                assertEquals(expected, received.get(i - 1));
            }
        }
    }
}
