package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The share of the stream-log budget each client's streams may hold ({@code streamHistoryTotalBytes} / 8), counted
 * per client as admission counts it: behind a trusted proxy (the tests' 127.0.0.1 is one by default), per client the
 * {@code X-Forwarded-For} header names. A client over its share is refused a new stream, 429 with the reason; joining
 * a stream that exists, and other clients' streams, are not refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamShareTest
{
    @Test
    void shouldRefuseANewStreamToTheForwardedClientOverItsShareOnly() throws Exception
    {
        final List<RawSseClient> streams = new ArrayList<>();
        try (SseServer server = SseServer.builder().port(0).maxEventBytes(1024).streamHistoryTotalBytes(64 * 1024)
            .heartbeatMs(60_000).start())
        {
            assertEquals(8 * 1024, server.config().streamHistoryBytesPerClient());
            assertEquals(4 * 1024, server.config().streamLogBytes());
            for (int i = 0; i < 40; i++)
            {
                for (final String topic : new String[]{"a", "b", "c", "d"})
                {
                    assertEquals(PublishResult.OK, server.topic(topic).publish(topic + i + "-" + "x".repeat(200)));
                }
            }

            int accepted = 0;
            String refused = null;
            final String[] sets = {"a&topic=b", "a&topic=c", "a&topic=d", "b&topic=c", "b&topic=d", "c&topic=d"};
            for (int i = 0; i < sets.length && null == refused; i++)
            {
                final RawSseClient stream =
                    RawSseClient.get(server.port(), "/events?topic=" + sets[i], "X-Forwarded-For: 192.0.2.1");
                final String head = stream.readHead();
                if (head.startsWith("HTTP/1.1 200 OK\r\n"))
                {
                    streams.add(stream);
                    accepted++;
                    continue;
                }
                refused = head + stream.readToEof();
                stream.close();
            }
            assertEquals(2, accepted, "two streams filled with 4 KiB each hold the client's 8 KiB share");
            assertEquals("HTTP/1.1 429 Too Many Requests", RawHttp.status(refused), refused);
            assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
            assertEquals("too much stream history held for this address: close a stream of several topics first\n",
                RawHttp.body(refused));
            assertEquals(1, server.metrics().refused(Refusal.STREAM_SHARE));

            final RawSseClient joined =
                RawSseClient.get(server.port(), "/events?topic=a&topic=b", "X-Forwarded-For: 192.0.2.1");
            streams.add(joined);
            assertTrue(joined.readHead().startsWith("HTTP/1.1 200 OK\r\n"), "joining a stream is not refused");
            final RawSseClient other = RawSseClient.get(server.port(), "/events?topic=c&topic=d",
                "X-Forwarded-For: 192.0.2.2", "Last-Event-ID: 1");
            streams.add(other);
            assertTrue(other.readHead().startsWith("HTTP/1.1 200 OK\r\n"), "another client behind the same proxy");
            final SseEvent first = other.nextEvent();
            assertTrue(first.data().matches("[cd][0-9]+-x{200}"), first.toString());
            assertEquals(1, server.metrics().refused(Refusal.STREAM_SHARE));
        }
        finally
        {
            for (final RawSseClient stream : streams)
            {
                stream.close();
            }
        }
    }
}
