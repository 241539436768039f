package io.sseflow.server.agent;

import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.Refusal;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.ServerInternals;
import io.sseflow.server.ServerMetrics;
import io.sseflow.server.SseServer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters and refusals against a {@link ServerCounters} of its own (read through a {@link ServerMetrics}): what {@code /metrics} renders, byte for
 * byte, and how refusals are found by status and label.
 */
class ServerMetricsTest
{
    /**
     * Every line of {@code /metrics} in order, each counter at 100 + its id and each refusal at 1 + its ordinal.
     * Dashboards and alerts read these names and labels: a change here is a change for every operator.
     */
    private static final String RENDERED = """
            # HELP sseflow_connections Open client connections, including event streams.
            # TYPE sseflow_connections gauge
            sseflow_connections 100
            # HELP sseflow_subscribers Open event streams.
            # TYPE sseflow_subscribers gauge
            sseflow_subscribers 101
            # HELP sseflow_topics Live topics (one with no subscribers and no retained events is freed).
            # TYPE sseflow_topics gauge
            sseflow_topics 102
            # HELP sseflow_connections_accepted_total Connections accepted.
            # TYPE sseflow_connections_accepted_total counter
            sseflow_connections_accepted_total 103
            # HELP sseflow_connections_rejected_total Connections refused when accepted, over the connection limit (503) or the per-address limit (429).
            # TYPE sseflow_connections_rejected_total counter
            sseflow_connections_rejected_total 104
            # HELP sseflow_events_published_total Events appended to topic histories.
            # TYPE sseflow_events_published_total counter
            sseflow_events_published_total 105
            # HELP sseflow_publish_back_pressured_total Publishes refused because the publish ring was full.
            # TYPE sseflow_publish_back_pressured_total counter
            sseflow_publish_back_pressured_total 106
            # HELP sseflow_frames_delivered_total Whole SSE frames written to subscribers.
            # TYPE sseflow_frames_delivered_total counter
            sseflow_frames_delivered_total 107
            # HELP sseflow_delivered_bytes_total SSE frame bytes written to subscribers.
            # TYPE sseflow_delivered_bytes_total counter
            sseflow_delivered_bytes_total 108
            # HELP sseflow_heartbeats_total Heartbeat comments written to idle streams.
            # TYPE sseflow_heartbeats_total counter
            sseflow_heartbeats_total 109
            # HELP sseflow_slow_consumers_dropped_total Subscribers disconnected for falling behind the retained history.
            # TYPE sseflow_slow_consumers_dropped_total counter
            sseflow_slow_consumers_dropped_total 110
            # HELP sseflow_replays_total Subscriptions that asked for a replay with Last-Event-ID.
            # TYPE sseflow_replays_total counter
            sseflow_replays_total 111
            # HELP sseflow_replay_misses_total Replays whose Last-Event-ID was no longer retained (all retained events were replayed).
            # TYPE sseflow_replay_misses_total counter
            sseflow_replay_misses_total 112
            # HELP sseflow_http_errors_total Requests and refused connections answered with a 4xx or 5xx status.
            # TYPE sseflow_http_errors_total counter
            sseflow_http_errors_total 113
            # HELP sseflow_subscribers_disconnected_total Streams ended on request (Topic.disconnectSubscribers), after whole frames.
            # TYPE sseflow_subscribers_disconnected_total counter
            sseflow_subscribers_disconnected_total 114
            # HELP sseflow_streams_credentials_expired_total Streams ended when their credentials (a JWT's exp) expired, after whole frames.
            # TYPE sseflow_streams_credentials_expired_total counter
            sseflow_streams_credentials_expired_total 115
            # HELP sseflow_streams_credentials_in_url_total Streams authorized by credentials in the URL query, answered Cache-Control: private.
            # TYPE sseflow_streams_credentials_in_url_total counter
            sseflow_streams_credentials_in_url_total 116
            # HELP sseflow_mercure_last_event_id_alias_total Mercure subscriptions resumed from the lastEventId query parameter (lastEventID's polyfill spelling).
            # TYPE sseflow_mercure_last_event_id_alias_total counter
            sseflow_mercure_last_event_id_alias_total 117
            # HELP sseflow_history_bytes Direct memory the topics' retained history holds (frames and index), within --history-total-bytes.
            # TYPE sseflow_history_bytes gauge
            sseflow_history_bytes 118
            # HELP sseflow_stream_log_bytes Direct memory the logs of streams of several topics or selectors hold, within --stream-history-total-bytes.
            # TYPE sseflow_stream_log_bytes gauge
            sseflow_stream_log_bytes 119
            # HELP sseflow_subscription_updates_total Presence updates published (one per selector when a Mercure subscription starts and when it ends).
            # TYPE sseflow_subscription_updates_total counter
            sseflow_subscription_updates_total 120
            # HELP sseflow_subscriptions_unannounced_total Mercure subscriptions whose start (or end) was not announced: over the presence bounds or refused.
            # TYPE sseflow_subscriptions_unannounced_total counter
            sseflow_subscriptions_unannounced_total 121
            # HELP sseflow_requests_refused_total Requests and connections refused, by reason.
            # TYPE sseflow_requests_refused_total counter
            sseflow_requests_refused_total{reason="bad_request"} 1
            sseflow_requests_refused_total{reason="unauthorized"} 2
            sseflow_requests_refused_total{reason="forbidden"} 3
            sseflow_requests_refused_total{reason="not_found"} 4
            sseflow_requests_refused_total{reason="method_not_allowed"} 5
            sseflow_requests_refused_total{reason="request_timeout"} 6
            sseflow_requests_refused_total{reason="length_required"} 7
            sseflow_requests_refused_total{reason="too_large"} 8
            sseflow_requests_refused_total{reason="uri_too_long"} 9
            sseflow_requests_refused_total{reason="address_connection_limit"} 10
            sseflow_requests_refused_total{reason="headers_too_large"} 11
            sseflow_requests_refused_total{reason="not_implemented"} 12
            sseflow_requests_refused_total{reason="connection_limit"} 13
            sseflow_requests_refused_total{reason="topic_limit"} 14
            sseflow_requests_refused_total{reason="back_pressured"} 15
            sseflow_requests_refused_total{reason="shutting_down"} 16
            sseflow_requests_refused_total{reason="http_version"} 17
            sseflow_requests_refused_total{reason="server_error"} 18
            sseflow_requests_refused_total{reason="jwt_missing"} 19
            sseflow_requests_refused_total{reason="jwt_malformed"} 20
            sseflow_requests_refused_total{reason="jwt_algorithm_not_allowed"} 21
            sseflow_requests_refused_total{reason="jwt_unsupported_header"} 22
            sseflow_requests_refused_total{reason="jwt_bad_signature"} 23
            sseflow_requests_refused_total{reason="jwt_expired"} 24
            sseflow_requests_refused_total{reason="jwt_not_yet_valid"} 25
            sseflow_requests_refused_total{reason="jwt_bad_claims"} 26
            sseflow_requests_refused_total{reason="jwt_forbidden"} 27
            sseflow_requests_refused_total{reason="jwt_cookie_origin"} 28
            sseflow_requests_refused_total{reason="no_leader"} 29
            sseflow_requests_refused_total{reason="id_out_of_range"} 30
            sseflow_requests_refused_total{reason="id_conflict"} 31
            sseflow_requests_refused_total{reason="stream_share"} 32
            sseflow_requests_refused_total{reason="stream_budget"} 33
            sseflow_requests_refused_total{reason="address_template_limit"} 34
            sseflow_requests_refused_total{reason="template_limit"} 35
            sseflow_requests_refused_total{reason="publish_outcome_unknown"} 36
            sseflow_requests_refused_total{reason="bad_idempotency_key"} 37
            sseflow_requests_refused_total{reason="insufficient_storage"} 38
            sseflow_requests_refused_total{reason="jwt_wrong_audience_or_issuer"} 39
            sseflow_requests_refused_total{reason="jwt_bad_authorization_details"} 40
            sseflow_requests_refused_total{reason="jwt_token_in_url"} 41
            sseflow_requests_refused_total{reason="unsupported_media_type"} 42
            # HELP sseflow_stream_selectors_total Topic selectors of the streams started, by kind (a topic name is exact).
            # TYPE sseflow_stream_selectors_total counter
            sseflow_stream_selectors_total{kind="exact"} 7
            sseflow_stream_selectors_total{kind="wildcard"} 0
            sseflow_stream_selectors_total{kind="template"} 3
            # HELP sseflow_delivery_latency_seconds Time from an event's append to this node's log to the write that \
            brings a live stream up to it.
            # TYPE sseflow_delivery_latency_seconds histogram
            sseflow_delivery_latency_seconds_bucket{le="0.00005"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.0001"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.00025"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.0005"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.001"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.0025"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.005"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.01"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.025"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.05"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.1"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.25"} 0
            sseflow_delivery_latency_seconds_bucket{le="0.5"} 0
            sseflow_delivery_latency_seconds_bucket{le="1"} 0
            sseflow_delivery_latency_seconds_bucket{le="2.5"} 0
            sseflow_delivery_latency_seconds_bucket{le="5"} 0
            sseflow_delivery_latency_seconds_bucket{le="10"} 0
            sseflow_delivery_latency_seconds_bucket{le="+Inf"} 0
            sseflow_delivery_latency_seconds_sum 0.000000000
            sseflow_delivery_latency_seconds_count 0
            # HELP sseflow_agent_cycle_seconds Duration of the agent's duty cycles that did work.
            # TYPE sseflow_agent_cycle_seconds histogram
            sseflow_agent_cycle_seconds_bucket{le="0.00005"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.0001"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.00025"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.0005"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.001"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.0025"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.005"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.01"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.025"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.05"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.1"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.25"} 0
            sseflow_agent_cycle_seconds_bucket{le="0.5"} 0
            sseflow_agent_cycle_seconds_bucket{le="1"} 0
            sseflow_agent_cycle_seconds_bucket{le="2.5"} 0
            sseflow_agent_cycle_seconds_bucket{le="5"} 0
            sseflow_agent_cycle_seconds_bucket{le="10"} 0
            sseflow_agent_cycle_seconds_bucket{le="+Inf"} 0
            sseflow_agent_cycle_seconds_sum 0.000000000
            sseflow_agent_cycle_seconds_count 0
            # HELP sseflow_build_info The running build; its value is always 1.
            # TYPE sseflow_build_info gauge
            """ + "sseflow_build_info{version=\"" + io.sseflow.server.BuildInfo.version() + "\"} 1\n";

    @Test
    void shouldRenderEveryCounterThenEveryRefusalThenTheSelectorKindsInThePrometheusTextFormat()
    {
        final ServerCounters metrics = new ServerCounters();
        for (final ServerCounter counter : ServerCounter.values())
        {
            metrics.add(counter, 100 + counter.id());
        }
        for (final Refusal refusal : Refusal.values())
        {
            for (int i = 0; i <= refusal.ordinal(); i++)
            {
                metrics.incrementRefused(refusal);
            }
        }
        metrics.addSelectors(SelectorKind.EXACT, 7);
        metrics.addSelectors(SelectorKind.WILDCARD, 0);
        metrics.addSelectors(SelectorKind.TEMPLATE, 3);

        assertEquals(RENDERED, render(metrics));
    }

    @Test
    void shouldNeverRenderMoreThanMaxRenderedLength()
    {
        final ServerCounters metrics = new ServerCounters();
        for (final ServerCounter counter : ServerCounter.values())
        {
            metrics.set(counter, Long.MIN_VALUE);
        }
        for (final Refusal refusal : Refusal.values())
        {
            metrics.incrementRefused(refusal);
        }
        final int maxDigits = String.valueOf(Long.MIN_VALUE).length();
        final int refusalDigits = Refusal.values().length * (maxDigits - 1);
        final int selectorDigits = SelectorKind.values().length * (maxDigits - 1);
        final int histogramDigits = 2 * (18 + 2) * (maxDigits - 1);

        assertEquals(ServerCounters.maxRenderedLength(),
            render(metrics).length() + refusalDigits + selectorDigits + histogramDigits);
    }

    @Test
    void shouldGiveEachCounterItsOwnSlot()
    {
        final ServerRuntime runtime = new ServerRuntime(ServerInternals.conclude(SseServer.builder()));
        final ServerCounters counters = runtime.counters();
        final ServerMetrics metrics = ServerInternals.metrics(runtime);
        counters.increment(ServerCounter.HEARTBEATS);
        counters.add(ServerCounter.BYTES_DELIVERED, 42);
        counters.addAtomic(ServerCounter.PUBLISH_BACK_PRESSURED, 3);
        counters.increment(ServerCounter.CONNECTIONS);
        counters.increment(ServerCounter.CONNECTIONS);
        counters.decrement(ServerCounter.CONNECTIONS);
        counters.set(ServerCounter.TOPICS, 7);
        counters.incrementRefused(Refusal.TOPIC_LIMIT);

        assertEquals(1, metrics.get(ServerCounter.HEARTBEATS));
        assertEquals(42, metrics.bytesDelivered());
        assertEquals(3, metrics.get(ServerCounter.PUBLISH_BACK_PRESSURED));
        assertEquals(1, metrics.connections());
        assertEquals(7, metrics.get(ServerCounter.TOPICS));
        assertEquals(0, metrics.get(ServerCounter.EVENTS_PUBLISHED));
        assertEquals(1, metrics.refused(Refusal.TOPIC_LIMIT));
        assertEquals(0, metrics.refused(Refusal.CONNECTION_LIMIT));
        assertEquals(0, metrics.refused(Refusal.BAD_REQUEST));
    }

    @Test
    void shouldReadARefusalByItsLabel()
    {
        final ServerRuntime runtime = new ServerRuntime(ServerInternals.conclude(SseServer.builder()));
        final ServerCounters counters = runtime.counters();
        final ServerMetrics metrics = ServerInternals.metrics(runtime);
        counters.incrementRefused(Refusal.ADDRESS_LIMIT);
        counters.incrementRefused(Refusal.ADDRESS_LIMIT);

        assertEquals(2, metrics.refused("address_connection_limit"));
        assertEquals(0, metrics.refused("connection_limit"));
        assertSame(Refusal.SERVER_ERROR, Refusal.ofLabel("server_error"));
        final IllegalArgumentException unknown =
            assertThrows(IllegalArgumentException.class, () -> metrics.refused("address_limit"));
        assertTrue(unknown.getMessage().startsWith(
            "no refusal reason \"address_limit\"; the reasons are bad_request, unauthorized, "), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith(", http_version, server_error, jwt_missing, jwt_malformed, " +
            "jwt_algorithm_not_allowed, jwt_unsupported_header, jwt_bad_signature, jwt_expired, jwt_not_yet_valid, " +
            "jwt_bad_claims, jwt_forbidden, jwt_cookie_origin, no_leader, id_out_of_range, id_conflict, " +
            "stream_share, stream_budget, address_template_limit, template_limit, publish_outcome_unknown, " +
            "bad_idempotency_key, insufficient_storage, jwt_wrong_audience_or_issuer, jwt_bad_authorization_details, " +
            "jwt_token_in_url, unsupported_media_type"),
            unknown.getMessage());
    }

    @Test
    void shouldMapEveryErrorStatusOfTheParserAndTheBodyDecoderToItsRefusal()
    {
        assertSame(Refusal.BAD_REQUEST, Refusal.ofStatus(400));
        assertSame(Refusal.TOO_LARGE, Refusal.ofStatus(413));
        assertSame(Refusal.URI_TOO_LONG, Refusal.ofStatus(414));
        assertSame(Refusal.HEADERS_TOO_LARGE, Refusal.ofStatus(431));
        assertSame(Refusal.NOT_IMPLEMENTED, Refusal.ofStatus(501));
        assertSame(Refusal.HTTP_VERSION, Refusal.ofStatus(505));
        assertSame(Refusal.BAD_REQUEST, Refusal.ofStatus(418));
        assertSame(Refusal.BAD_REQUEST, Refusal.ofStatus(-1));
        assertSame(Refusal.BAD_REQUEST, Refusal.ofStatus(1000));
        for (final Refusal refusal : Refusal.values())
        {
            assertEquals(refusal.status(), Refusal.ofStatus(refusal.status()).status(), refusal.name());
        }
    }

    @Test
    void shouldNameEveryCounterAndRefusalOnce()
    {
        final Set<String> names = new HashSet<>();
        for (final ServerCounter counter : ServerCounter.values())
        {
            assertTrue(names.add(counter.metricName()), counter.metricName());
            assertTrue(counter.metricName().matches("sseflow_[a-z_]+"), counter.metricName());
            assertEquals(counter.type() == ServerCounter.Type.COUNTER, counter.metricName().endsWith("_total"),
                counter.metricName());
            assertTrue(counter.help().endsWith(".") && counter.help().indexOf('\n') < 0, counter.help());
        }
        final Set<String> labels = new HashSet<>();
        for (final Refusal refusal : Refusal.values())
        {
            assertTrue(labels.add(refusal.label()), refusal.label());
            assertTrue(refusal.label().matches("[a-z_]+"), refusal.label());
            assertTrue(refusal.status() >= 400 && refusal.status() <= 599, refusal.name());
            assertTrue(!refusal.message().isEmpty() && refusal.message().chars().allMatch((c) -> c >= ' ' && c < 0x7F),
                refusal.message());
        }
    }

    private static String render(final ServerCounters metrics)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ServerCounters.maxRenderedLength()));
        final int length = metrics.renderPrometheus(buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
