package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 1,000 concurrent subscribers on one topic, each receiving all of 1,000 events in order. The client side is one
 * thread with one selector and a byte-level SSE check per connection, so 1,000 connections fit in a test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FanOutTest
{
    private static final int SUBSCRIBERS = 1_000;
    private static final int EVENTS = 1_000;

    @Test
    void shouldDeliverEveryEventInOrderToEachOfAThousandSubscribers() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).history(EVENTS + 24).start();
            Selector selector = Selector.open())
        {
            final Topic topic = server.topic("fan");
            final byte[] request = ("GET /events/fan HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            final StreamCheck[] checks = new StreamCheck[SUBSCRIBERS];
            for (int i = 0; i < SUBSCRIBERS; i++)
            {
                final SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
                channel.write(ByteBuffer.wrap(request));
                channel.configureBlocking(false);
                checks[i] = new StreamCheck(i);
                channel.register(selector, SelectionKey.OP_READ, checks[i]);
            }
            Servers.awaitSubscribers(server, SUBSCRIBERS);

            final Thread publisher = new Thread(() ->
            {
                for (int i = 1; i <= EVENTS; i++)
                {
                    Servers.publish(topic, "e" + i, SseOptions.NONE);
                }
            });
            publisher.start();

            final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            int complete = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (complete < SUBSCRIBERS && System.nanoTime() < deadline)
            {
                selector.select(100);
                for (final SelectionKey key : selector.selectedKeys())
                {
                    final StreamCheck check = (StreamCheck)key.attachment();
                    buffer.clear();
                    final int read = ((SocketChannel)key.channel()).read(buffer);
                    if (read < 0)
                    {
                        throw new IOException("subscriber " + check.index + " closed after " + check.frames + " frames");
                    }
                    buffer.flip();
                    check.consume(buffer);
                    if (check.frames == EVENTS && !check.done)
                    {
                        check.done = true;
                        complete++;
                    }
                }
                selector.selectedKeys().clear();
            }
            publisher.join();

            for (final StreamCheck check : checks)
            {
                assertEquals(EVENTS, check.frames, "frames of subscriber " + check.index);
            }
            assertEquals((long)SUBSCRIBERS * EVENTS, server.metrics().framesDelivered());
            assertEquals(0, server.metrics().slowConsumersDropped());
            for (final SelectionKey key : selector.keys())
            {
                key.channel().close();
            }
        }
    }

    /**
     * Checks {@code id: N\ndata: eN\n\n} frames with N = 1, 2, 3... after the response head.
     */
    static final class StreamCheck
    {
        final int index;
        int headMatch;
        boolean inBody;
        final byte[] line = new byte[128];
        int lineLength;
        long id;
        int frames;
        boolean done;

        StreamCheck(final int index)
        {
            this.index = index;
        }

        void consume(final ByteBuffer buffer)
        {
            while (buffer.hasRemaining())
            {
                final byte b = buffer.get();
                if (!inBody)
                {
                    headMatch = (b == (headMatch % 2 == 0 ? '\r' : '\n')) ? headMatch + 1 : (b == '\r' ? 1 : 0);
                    inBody = headMatch == 4;
                    continue;
                }
                if (b != '\n')
                {
                    line[lineLength++] = b;
                    continue;
                }
                onLine();
                lineLength = 0;
            }
        }

        private void onLine()
        {
            final String text = new String(line, 0, lineLength, StandardCharsets.US_ASCII);
            if (text.isEmpty())
            {
                frames++;
                if (id != frames)
                {
                    throw new AssertionError("subscriber " + index + ": frame " + frames + " has id " + id);
                }
            }
            else if (text.startsWith("id: "))
            {
                id = Long.parseLong(text.substring(4));
            }
            else if (!text.equals("data: e" + id))
            {
                throw new AssertionError("subscriber " + index + ": unexpected line '" + text + "' after id " + id);
            }
        }
    }
}
