package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowConsumerTest
{
    @Test
    void shouldDisconnectAClientThatNeverReadsOnceLappedAndKeepServingOthers() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).history(64).socketSendBufferBytes(8 * 1024).start())
        {
            final Topic topic = server.topic("firehose");
            try (RawSseClient stuck = RawSseClient.open(server.port(), 4 * 1024);
                RawSseClient healthy = RawSseClient.get(server.port(), "/events/firehose"))
            {
                stuck.send(RawHttp.request("GET", "/events/firehose", new String[0], ""));
                healthy.readHead();
                Servers.awaitSubscribers(server, 2);

                final String data = "y".repeat(4 * 1024);
                final int count = 400;
                final java.util.concurrent.atomic.AtomicInteger healthyReceived = new java.util.concurrent.atomic.AtomicInteger();
                final Thread reader = new Thread(() ->
                {
                    try
                    {
                        for (int i = 1; i <= count; i++)
                        {
                            healthyReceived.set(i - 1);
                            final SseEvent event = healthy.nextEvent();
                            if (null == event || !event.id().equals(String.valueOf(i)))
                            {
                                throw new AssertionError("healthy client got " + event + " at " + i);
                            }
                        }
                    }
                    catch (final Exception ex)
                    {
                        throw new AssertionError(ex);
                    }
                });
                reader.start();
                for (int i = 0; i < count; i++)
                {
                    // pace the publisher by the healthy client, which stays well within the history of 64 events
                    while (i - healthyReceived.get() > 16 && reader.isAlive())
                    {
                        Thread.yield();
                    }
                    Servers.publish(topic, data, SseOptions.NONE);
                }
                reader.join(30_000);
                assertEquals(count - 1, healthyReceived.get());

                Await.value(() -> server.metrics().slowConsumersDropped(), 1, "slow consumers dropped");
                Servers.awaitSubscribers(server, 1);
                assertEquals(1, server.metrics().connections());

                // a dropped slow consumer is reset (SO_LINGER 0), not closed: after what its socket already holds
                // it reads a reset, not EOF, and the server's kernel no longer queues anything for it
                stuck.timeout(5_000);
                final java.net.SocketException reset = assertThrows(java.net.SocketException.class, stuck::readToEof);
                assertEquals("Connection reset", reset.getMessage());
                final String received = stuck.rawText();
                assertTrue(received.length() < count * data.length(), "stuck client cannot have received everything");
                assertTrue(received.startsWith(SseServerTest.STREAM_HEAD), received.substring(0, Math.min(100, received.length())));
            }

            final String metrics = RawHttp.metrics(server.port());
            assertTrue(metrics.contains("\nsseflow_slow_consumers_dropped_total 1\n"), metrics);
        }
    }
}
