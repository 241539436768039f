package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetricsTest
{
    @Test
    void shouldReportExactValuesAfterAKnownWorkload() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).start())
        {
            final Topic topic = server.topic("m");
            final RawSseClient a = RawSseClient.get(server.port(), "/events/m");
            final RawSseClient b = RawSseClient.get(server.port(), "/events/m");
            a.readHead();
            b.readHead();
            Servers.awaitSubscribers(server, 2);

            for (int i = 0; i < 5; i++)
            {
                topic.publish("abcd");
            }
            a.nextEvents(5);
            b.nextEvents(5);
            final int frameBytes = "id: 1\ndata: abcd\n\n".length();

            try (RawSseClient replay = RawSseClient.get(server.port(), "/events/m", "Last-Event-ID: 3"))
            {
                replay.readHead();
                replay.nextEvents(2);
            }
            a.close();
            Servers.awaitSubscribers(server, 1);
            RawHttp.exchange(server.port(), "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");

            final String response = RawHttp.exchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(response));
            assertTrue(response.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), response);
            final String body = RawHttp.body(response);
            assertTrue(body.startsWith(
                "# HELP sseflow_connections Open client connections, including event streams.\n" +
                "# TYPE sseflow_connections gauge\n" +
                "sseflow_connections 2\n"), body);
            assertMetric(body, "sseflow_subscribers", 1);
            assertMetric(body, "sseflow_topics", 1);
            final long historyBytes = io.sseflow.server.agent.AgentInternals.historyBudget(server).used();
            assertTrue(historyBytes > 0, "history held");
            assertMetric(body, "sseflow_history_bytes", historyBytes);
            assertMetric(body, "sseflow_stream_log_bytes", 0);
            assertTrue(body.contains("\nsseflow_agent_cycle_seconds_count ") &&
                !body.contains("\nsseflow_agent_cycle_seconds_count 0\n"), "duty cycles that did work were timed");
            assertMetric(body, "sseflow_connections_accepted_total", 5);
            assertMetric(body, "sseflow_events_published_total", 5);
            assertMetric(body, "sseflow_frames_delivered_total", 12);
            assertMetric(body, "sseflow_delivered_bytes_total", 12L * frameBytes);
            assertMetric(body, "sseflow_replays_total", 1);
            assertMetric(body, "sseflow_replay_misses_total", 0);
            assertMetric(body, "sseflow_slow_consumers_dropped_total", 0);
            assertMetric(body, "sseflow_http_errors_total", 1);
            assertTrue(body.contains("# TYPE sseflow_events_published_total counter\n"), body);
            b.close();
        }
    }

    private static void assertMetric(final String body, final String name, final long value)
    {
        assertTrue(body.contains("\n" + name + " " + value + "\n"), name + " " + value + " in\n" + body);
    }
}
