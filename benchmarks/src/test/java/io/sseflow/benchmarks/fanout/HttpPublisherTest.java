package io.sseflow.benchmarks.fanout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The publisher against a loopback server that answers {@code 200} ahead of time and records the requests.
 */
@Timeout(30)
class HttpPublisherTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    private static final int PAYLOAD = 40;

    @Test
    void shouldPublishEveryEventToTheOneTopic() throws IOException
    {
        assertEquals(List.of(
            "POST /events/fanout-9 4", "POST /events/fanout-9 5", "POST /events/fanout-9 6"),
            publishedBatch(new FanOutTopics("fanout-9", 1), 4, 3));
    }

    @Test
    void shouldPublishEachEventToTheTopicOfItsSequenceInTurn() throws IOException
    {
        assertEquals(List.of(
            "POST /events/fanout-9-1 4", "POST /events/fanout-9-2 5", "POST /events/fanout-9-0 6",
            "POST /events/fanout-9-1 7", "POST /events/fanout-9-2 8"),
            publishedBatch(new FanOutTopics("fanout-9", 3), 4, 5));
    }

    /** Publish one batch; each request as its target and the sequence in its payload. */
    private static List<String> publishedBatch(final FanOutTopics topics, final long first, final int count)
        throws IOException
    {
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            try (HttpPublisher publisher = new HttpPublisher(
                (InetSocketAddress)listener.getLocalAddress(), topics, PAYLOAD, 16, TIMEOUT_NS);
                SocketChannel connection = listener.accept())
            {
                final ByteBuffer answers = ByteBuffer.wrap(OK.repeat(count).getBytes(StandardCharsets.US_ASCII));
                while (answers.hasRemaining())
                {
                    connection.write(answers);
                }
                publisher.publish(first, count);

                final List<String> requests = new ArrayList<>();
                final StringBuilder received = new StringBuilder();
                final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                final long deadline = System.nanoTime() + TIMEOUT_NS;
                while (requests.size() < count && System.nanoTime() - deadline < 0)
                {
                    buffer.clear();
                    connection.read(buffer);
                    received.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
                    int end;
                    while (requests.size() < count && (end = received.indexOf("\r\n\r\n")) >= 0 &&
                        received.length() >= end + 4 + PAYLOAD)
                    {
                        final String head = received.substring(0, end);
                        final String payload = received.substring(end + 4, end + 4 + PAYLOAD);
                        final String requestLine = head.substring(0, head.indexOf(" HTTP/1.1"));
                        requests.add(requestLine + " " + Long.parseLong(payload.substring(0, 10)));
                        received.delete(0, end + 4 + PAYLOAD);
                    }
                }
                assertEquals(0, received.length(), "nothing after the batch");
                return requests;
            }
        }
    }
}
