package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.support.ForwardingSequencer;
import io.sseflow.server.support.RawHttp;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sequencer without a leader (a clustered one during an election) refuses publishes: over HTTP with
 * {@code 503} and {@code Retry-After: 1}, counted as {@code no_leader}; embedded as {@link PublishResult#NO_LEADER};
 * once a leader is back, publishing works again.
 */
class NoLeaderPublishTest
{
    @Test
    void shouldAnswerAPublishWithoutALeader503RetryAfterAndPublishOnceALeaderIsBack() throws Exception
    {
        final AtomicBoolean leaderless = new AtomicBoolean(true);
        try (SseServer server = SseServer.builder()
            .host("127.0.0.1")
            .port(0)
            .eventSequencer((capacity) -> new LeaderlessSequencer(new InMemoryEventSequencer(capacity), leaderless))
            .start())
        {
            assertEquals(
                "HTTP/1.1 503 Service Unavailable\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Content-Length: 33\r\n" +
                "Connection: close\r\n" +
                "Retry-After: 1\r\n" +
                "\r\n" +
                "no cluster leader; retry shortly\n",
                RawHttp.post(server.port(), "/events/news", "hello"));
            assertEquals(PublishResult.NO_LEADER, server.topic("news").publish("hello", SseOptions.NONE));
            assertEquals(1, server.metrics().refused(Refusal.NO_LEADER));
            assertTrue(RawHttp.metrics(server.port()).contains("sseflow_requests_refused_total{reason=\"no_leader\"} 1\n"));

            leaderless.set(false);
            final String answer = RawHttp.post(server.port(), "/events/news", "hello");
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n") && answer.endsWith("\r\n\r\n1\n"), answer);
        }
    }

    private static final class LeaderlessSequencer extends ForwardingSequencer
    {
        private final AtomicBoolean leaderless;

        LeaderlessSequencer(final EventSequencer delegate, final AtomicBoolean leaderless)
        {
            super(delegate);
            this.leaderless = leaderless;
        }

        @Override
        public PublishResult tryClaim(final int length, final PublishClaim claim)
        {
            return leaderless.get() ? PublishResult.NO_LEADER : super.tryClaim(length, claim);
        }
    }
}
