package io.sseflow.server;

import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.support.ForwardingSequencer;
import io.sseflow.server.support.RawHttp;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the sequencer says reaches the health and metrics endpoints: {@code /readyz} answers {@code 503} while the
 * sequencer is not ready (a cluster member with no leader known, or catching up) and {@code 200} again once it is;
 * the sequencer's own lines close {@code /metrics}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SequencerReadinessTest
{
    private static final byte[] LINE = "# HELP test_role Role.\n# TYPE test_role gauge\ntest_role 2\n"
        .getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldAnswerReadyz503WhileTheSequencerIsNotReadyAndRenderItsMetrics() throws Exception
    {
        final AtomicBoolean ready = new AtomicBoolean(false);
        try (SseServer server = SseServer.builder().port(0).eventSequencer((capacity) ->
            new ForwardingSequencer(new InMemoryEventSequencer(capacity))
            {
                @Override
                public boolean isReady()
                {
                    return ready.get();
                }

                @Override
                public int maxMetricsLength()
                {
                    return LINE.length;
                }

                @Override
                public int renderMetrics(final MutableDirectBuffer buffer, final int offset)
                {
                    buffer.putBytes(offset, LINE);
                    return LINE.length;
                }
            }).start())
        {
            assertEquals("HTTP/1.1 503 Service Unavailable\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Cache-Control: no-store\r\n" +
                "Content-Length: 21\r\n" +
                "Connection: close\r\n" +
                "\r\n" +
                "not ready: no leader\n", RawHttp.get(server.port(), "/readyz", "Connection: close"));
            ready.set(true);
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.get(server.port(), "/readyz", "Connection: close")));
            final String metrics = RawHttp.metrics(server.port());
            assertTrue(metrics.endsWith("\n" + new String(LINE, StandardCharsets.US_ASCII)), metrics);
        }
    }
}
