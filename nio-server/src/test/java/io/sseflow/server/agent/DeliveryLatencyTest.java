package io.sseflow.server.agent;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sseflow_delivery_latency_seconds} ({@link LatencyHistogram}): exact buckets, sum and count in the Prometheus text format; counted for
 * live deliveries, not for a replay of what was appended before the stream started.
 */
class DeliveryLatencyTest
{
    @Test
    void shouldRenderCumulativeBucketsTheSumInSecondsAndTheCount()
    {
        final LatencyHistogram latency =
            new LatencyHistogram(LatencyHistogram.DELIVERY, LatencyHistogram.DELIVERY_HELP);
        latency.record(50_000);
        latency.record(50_001);
        latency.record(3_000_000);
        latency.record(12_000_000_000L);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[latency.maxRenderedLength()]);
        final int length = latency.render(buffer, 0);
        assertEquals("""
            # HELP sseflow_delivery_latency_seconds Time from an event's append to this node's log to the write that \
            brings a live stream up to it.
            # TYPE sseflow_delivery_latency_seconds histogram
            sseflow_delivery_latency_seconds_bucket{le="0.00005"} 1
            sseflow_delivery_latency_seconds_bucket{le="0.0001"} 2
            sseflow_delivery_latency_seconds_bucket{le="0.00025"} 2
            sseflow_delivery_latency_seconds_bucket{le="0.0005"} 2
            sseflow_delivery_latency_seconds_bucket{le="0.001"} 2
            sseflow_delivery_latency_seconds_bucket{le="0.0025"} 2
            sseflow_delivery_latency_seconds_bucket{le="0.005"} 3
            sseflow_delivery_latency_seconds_bucket{le="0.01"} 3
            sseflow_delivery_latency_seconds_bucket{le="0.025"} 3
            sseflow_delivery_latency_seconds_bucket{le="0.05"} 3
            sseflow_delivery_latency_seconds_bucket{le="0.1"} 3
            sseflow_delivery_latency_seconds_bucket{le="0.25"} 3
            sseflow_delivery_latency_seconds_bucket{le="0.5"} 3
            sseflow_delivery_latency_seconds_bucket{le="1"} 3
            sseflow_delivery_latency_seconds_bucket{le="2.5"} 3
            sseflow_delivery_latency_seconds_bucket{le="5"} 3
            sseflow_delivery_latency_seconds_bucket{le="10"} 3
            sseflow_delivery_latency_seconds_bucket{le="+Inf"} 4
            sseflow_delivery_latency_seconds_sum 12.003100001
            sseflow_delivery_latency_seconds_count 4
            """, buffer.getStringWithoutLengthAscii(0, length));
    }

    @Test
    void shouldCountLiveDeliveriesAndNotAReplayOfOlderEvents() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).build().start())
        {
            final Topic topic = server.topic("latency");
            topic.publish("before", SseOptions.NONE);
            try (RawSseClient replay = RawSseClient.get(server.port(), "/events/latency", "Last-Event-ID: 0"))
            {
                assertTrue(replay.readHead().startsWith("HTTP/1.1 200"));
                assertEquals("before", replay.nextEvent().data());
                assertEquals(0, histogramCount(server), "a replay of an event older than the stream");

                topic.publish("live", SseOptions.NONE);
                assertEquals("live", replay.nextEvent().data());
                Await.value(() -> histogramCount(server), 1, "one live delivery");
            }
        }
    }

    private static long histogramCount(final SseServer server)
    {
        try
        {
            final String metrics = RawHttp.metrics(server.port());
            final String line = metrics.lines().filter((l) -> l.startsWith("sseflow_delivery_latency_seconds_count "))
                .findFirst().orElseThrow();
            return Long.parseLong(line.substring(line.indexOf(' ') + 1));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
