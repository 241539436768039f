package io.sseflow.server;

import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sseflow_stream_selectors_total{kind="..."}}: the selectors of every stream started, by kind, with bounded
 * labels (no topic in them); a refused request counts nothing.
 */
class StreamSelectorMetricsTest
{
    @Test
    void shouldCountTheSelectorsOfEveryStreamByKind() throws Exception
    {
        try (SseServer server = SseServer.builder().host("127.0.0.1").port(0).start();
            RawSseClient one = RawSseClient.get(server.port(), "/events/news");
            RawSseClient two = RawSseClient.get(server.port(), "/events?topic=news&topic=sport");
            RawSseClient mercure = RawSseClient.get(server.port(),
                "/.well-known/mercure?topic=*&topic=https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D&topic=plain"))
        {
            for (final RawSseClient client : new RawSseClient[]{one, two, mercure})
            {
                assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            }
            Servers.awaitSubscribers(server, 3);
            final String refused = RawHttp.get(server.port(), "/events?topic=news&topic=..", "Connection: close");
            assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(refused), refused);

            assertEquals(4, server.metrics().streamSelectors(SelectorKind.EXACT));
            assertEquals(1, server.metrics().streamSelectors(SelectorKind.WILDCARD));
            assertEquals(1, server.metrics().streamSelectors(SelectorKind.TEMPLATE));
            final String metrics = RawHttp.metrics(server.port());
            assertTrue(metrics.contains(
                "# HELP sseflow_stream_selectors_total Topic selectors of the streams started, by kind (a topic name " +
                "is exact).\n" +
                "# TYPE sseflow_stream_selectors_total counter\n" +
                "sseflow_stream_selectors_total{kind=\"exact\"} 4\n" +
                "sseflow_stream_selectors_total{kind=\"wildcard\"} 1\n" +
                "sseflow_stream_selectors_total{kind=\"template\"} 1\n"), metrics);
        }
    }
}
