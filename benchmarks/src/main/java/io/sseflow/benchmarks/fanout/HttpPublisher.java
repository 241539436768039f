package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes events through the server's own publish path, {@code POST /events/{topic}}, on one keep-alive
 * connection. A batch of requests is written with one write and its responses read back in order (HTTP/1.1
 * pipelining); a batch of one is plain request/response. Requests are built in place from a template: no
 * allocation per event. With several {@link FanOutTopics}, event {@code s} goes to topic {@code s mod count} (its
 * digit patched into the request line); warm-up events go to the first. Every response must be {@code 200}.
 */
final class HttpPublisher implements AutoCloseable
{
    private static final Consumer<SelectionKey> IGNORE = (key) -> {};
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer requests;
    private final ByteBuffer warmUpRequest;
    private final ByteBuffer responses = ByteBuffer.allocate(256 * 1024);
    private final int requestLength;
    private final int payloadOffset;
    private final int topicDigitOffset;
    private final FanOutTopics topics;
    private final int maxBatch;
    private final long timeoutNs;

    /**
     * Connect to the server.
     *
     * @param server       address of the server.
     * @param topics       topics to publish to.
     * @param payloadBytes length of each event's data, at least {@link EventPayload#MIN_LENGTH}.
     * @param maxBatch     most requests written at once.
     * @param timeoutNs    longest wait for a batch's responses before giving up.
     * @throws IOException if the connection fails.
     */
    HttpPublisher(
        final InetSocketAddress server,
        final FanOutTopics topics,
        final int payloadBytes,
        final int maxBatch,
        final long timeoutNs) throws IOException
    {
        if (payloadBytes < EventPayload.MIN_LENGTH)
        {
            throw new IllegalArgumentException("payload must be at least " + EventPayload.MIN_LENGTH + " bytes");
        }
        this.maxBatch = maxBatch;
        this.timeoutNs = timeoutNs;
        this.topics = topics;
        final String target = topics.publishTarget(0);
        // the one digit that tells several topics apart ends the target
        this.topicDigitOffset = "POST ".length() + target.length() - 1;
        final String headFormat = "POST " + target + " HTTP/1.1\r\n" +
            "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: %d\r\n" +
            "\r\n";
        final byte[] head = String.format(headFormat, payloadBytes).getBytes(StandardCharsets.US_ASCII);
        payloadOffset = head.length;
        requestLength = head.length + payloadBytes;
        requests = ByteBuffer.allocateDirect(requestLength * maxBatch);
        for (int k = 0; k < maxBatch; k++)
        {
            requests.put(k * requestLength, head);
            EventPayload.writeTemplate(requests, k * requestLength + payloadOffset, payloadBytes);
        }
        final byte[] warmUp = (String.format(headFormat, 1) + (char)EventPayload.WARM_UP)
            .getBytes(StandardCharsets.US_ASCII);
        warmUpRequest = ByteBuffer.allocateDirect(warmUp.length).put(warmUp).flip();

        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.socket().connect(server, (int)TimeUnit.NANOSECONDS.toMillis(timeoutNs));
        channel.configureBlocking(false);
        selector = Selector.open();
        key = channel.register(selector, 0);
    }

    /**
     * Largest batch {@link #publish(long, int)} takes.
     *
     * @return the batch limit.
     */
    int maxBatch()
    {
        return maxBatch;
    }

    /**
     * Publish one warm-up event (data {@code w}) and wait for its {@code 200}.
     *
     * @throws IOException on error, non-200 answer or timeout.
     */
    void publishWarmUp() throws IOException
    {
        warmUpRequest.clear();
        write(warmUpRequest);
        awaitResponses(1);
    }

    /**
     * Publish {@code count} events with sequence numbers from {@code firstSequence}, stamped with the current time
     * just before they are written, and wait for every {@code 200}.
     *
     * @param firstSequence sequence of the first event.
     * @param count         events in this batch, 1 to {@link #maxBatch()}.
     * @throws IOException on error, non-200 answer or timeout.
     */
    void publish(final long firstSequence, final int count) throws IOException
    {
        final ByteBuffer requests = this.requests;
        requests.clear();
        final long nowNs = EventPayload.now();
        for (int k = 0; k < count; k++)
        {
            EventPayload.patch(requests, k * requestLength + payloadOffset, firstSequence + k, nowNs);
        }
        if (topics.count() > 1)
        {
            for (int k = 0; k < count; k++)
            {
                requests.put(k * requestLength + topicDigitOffset, (byte)('0' + topics.topicOf(firstSequence + k)));
            }
        }
        requests.limit(count * requestLength);
        write(requests);
        awaitResponses(count);
    }

    private void write(final ByteBuffer buffer) throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (buffer.hasRemaining())
        {
            if (channel.write(buffer) == 0)
            {
                key.interestOps(SelectionKey.OP_WRITE);
                selector.select(IGNORE, 1);
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IOException("publish timed out writing");
                }
            }
        }
    }

    private void awaitResponses(final int count) throws IOException
    {
        final ByteBuffer responses = this.responses;
        final byte[] bytes = responses.array();
        final long deadline = System.nanoTime() + timeoutNs;
        int remaining = count;
        int parsed = 0;
        while (true)
        {
            while (remaining > 0)
            {
                final int consumed = parseResponse(bytes, parsed, responses.position());
                if (consumed == 0)
                {
                    break;
                }
                parsed += consumed;
                remaining--;
            }
            if (remaining == 0)
            {
                break;
            }
            final int read = channel.read(responses);
            if (read < 0)
            {
                throw new IOException("server closed the publish connection");
            }
            if (read == 0)
            {
                if (!responses.hasRemaining())
                {
                    throw new IOException("publish responses over " + responses.capacity() + " bytes");
                }
                key.interestOps(SelectionKey.OP_READ);
                selector.select(IGNORE, 1);
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IOException("publish timed out waiting for " + remaining + " of " + count +
                        " responses");
                }
            }
        }
        responses.flip().position(parsed);
        responses.compact();
    }

    /**
     * Parse one complete response at {@code start}.
     *
     * @return bytes it takes, or 0 if not all there yet.
     */
    private static int parseResponse(final byte[] bytes, final int start, final int end) throws IOException
    {
        final int headEnd = indexOf(bytes, start, end, HEAD_END);
        if (headEnd < 0)
        {
            return 0;
        }
        final int bodyStart = headEnd + HEAD_END.length;
        if (bytes[start + 9] != '2' || bytes[start + 10] != '0' || bytes[start + 11] != '0')
        {
            throw new IOException("publish answered " +
                new String(bytes, start, Math.min(end - start, 200), StandardCharsets.ISO_8859_1));
        }
        long contentLength = 0;
        for (int i = start; i < headEnd; i++)
        {
            if (bytes[i] == '\n' && regionMatchesIgnoreCase(bytes, i + 1, headEnd, CONTENT_LENGTH))
            {
                int j = i + 1 + CONTENT_LENGTH.length;
                while (bytes[j] == ' ')
                {
                    j++;
                }
                while (bytes[j] >= '0' && bytes[j] <= '9')
                {
                    contentLength = contentLength * 10 + (bytes[j++] - '0');
                }
            }
        }
        if (end - bodyStart < contentLength)
        {
            return 0;
        }
        return (int)(bodyStart + contentLength - start);
    }

    private static int indexOf(final byte[] bytes, final int start, final int end, final byte[] pattern)
    {
        outer:
        for (int i = start, last = end - pattern.length; i <= last; i++)
        {
            for (int j = 0; j < pattern.length; j++)
            {
                if (bytes[i + j] != pattern[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean regionMatchesIgnoreCase(
        final byte[] bytes, final int start, final int end, final byte[] lowerCase)
    {
        if (end - start < lowerCase.length)
        {
            return false;
        }
        for (int j = 0; j < lowerCase.length; j++)
        {
            if ((bytes[start + j] | 0x20) != lowerCase[j] && bytes[start + j] != lowerCase[j])
            {
                return false;
            }
        }
        return true;
    }

    /** Close the connection. */
    public void close()
    {
        try
        {
            selector.close();
            channel.close();
        }
        catch (final IOException ignore)
        {
        }
    }
}
