package io.sseflow.server;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request timeout (slowloris), per-address connection limit and topic limit: each refusal has its status, its
 * reason and its {@code sseflow_requests_refused_total{reason="..."}} count in {@code /metrics}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerLimitsTest
{
    @Test
    void shouldAnswer408ToAClientSendingItsHeadAByteAtATime() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).requestTimeoutMs(300).start();
            RawSseClient slow = RawSseClient.open(server.port(), 0);
            RawSseClient idle = RawSseClient.open(server.port(), 0))
        {
            final byte[] head = "GET /events/t HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa"
                .getBytes(StandardCharsets.US_ASCII);
            int sent = 0;
            try
            {
                // one byte every 100 ms: the head would take several seconds, the timeout is 300 ms
                for (; sent < 20; sent++)
                {
                    slow.send(new byte[]{head[sent]});
                    Thread.sleep(100);
                }
            }
            catch (final IOException closedByServer)
            {
                // the server may already have closed the connection
            }
            final String response = slow.readToEof();
            assertEquals("HTTP/1.1 408 Request Timeout", RawHttp.status(response), response);
            assertEquals("request not received in time\n", RawHttp.body(response));

            assertEquals("", idle.readToEof(), "an idle connection is closed without an answer");
            Await.value(() -> server.metrics().refused(Refusal.REQUEST_TIMEOUT), 1, "408s");
            assertTrue(metricsText(server).contains("sseflow_requests_refused_total{reason=\"request_timeout\"} 1\n"));
        }
    }

    @Test
    void shouldAnswer429OverThePerAddressConnectionLimit() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).maxConnectionsPerAddress(2).start())
        {
            final RawSseClient first = RawSseClient.get(server.port(), "/events/t");
            first.readHead();
            try (RawSseClient second = RawSseClient.get(server.port(), "/events/t"))
            {
                second.readHead();
                Servers.awaitSubscribers(server, 2);

                final String refused = RawHttp.exchange(server.port(), RawHttp.request(
                    "GET", "/events/t", new String[0], ""));
                assertEquals("HTTP/1.1 429 Too Many Requests", RawHttp.status(refused), refused);
                assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
                assertEquals("too many connections from this address\n", RawHttp.body(refused));

                first.close();
                Servers.awaitSubscribers(server, 1);
                Await.value(() -> server.metrics().connections(), 1, "connections");
                // a slot is free again: /metrics (the second connection of this address) is served
                final String text = metricsText(server);
                assertTrue(text.contains(
                    "sseflow_requests_refused_total{reason=\"address_connection_limit\"} 1\n"), text);
                assertEquals(1, server.metrics().refused(Refusal.ADDRESS_LIMIT));
            }
        }
    }

    @Test
    void shouldAnswer503OverTheTopicLimit() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).maxTopics(2).start())
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(publish(server, "a")));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(publish(server, "b")));
            final String refused = publish(server, "c");
            assertEquals("HTTP/1.1 503 Service Unavailable", RawHttp.status(refused), refused);
            assertEquals("topic limit reached\n", RawHttp.body(refused));
            final String subscribe = RawHttp.exchange(server.port(), RawHttp.request(
                "GET", "/events/d", new String[0], ""));
            assertEquals("HTTP/1.1 503 Service Unavailable", RawHttp.status(subscribe), subscribe);

            assertEquals(2, server.metrics().refused(Refusal.TOPIC_LIMIT));
            assertTrue(metricsText(server).contains("sseflow_requests_refused_total{reason=\"topic_limit\"} 2\n"));
        }
    }

    private static String publish(final SseServer server, final String topic) throws IOException
    {
        return RawHttp.post(server.port(), "/events/" + topic, "x");
    }

    private static String metricsText(final SseServer server) throws IOException
    {
        return RawHttp.metrics(server.port());
    }
}
