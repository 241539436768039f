package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Memory;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 subscribers of which 10% stop reading (small receive buffers, never read): enough events are published
 * to lap the history many times over. The 900 readers must receive every event in order, the 100 must be dropped
 * as slow consumers, and the heap used after GC must not grow with the events published: a subscriber holds only
 * a cursor into the shared history, whatever it has not read. (Delivery rate and latency with and without the
 * stuck readers are compared in the fan-out benchmark, not here: this machine is shared, so timing is not
 * asserted in tests.)
 */
@Tag("heap")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowReadersMemoryTest
{
    private static final int SUBSCRIBERS = 1000;
    private static final int STUCK = SUBSCRIBERS / 10;
    private static final int HISTORY = 512;
    private static final int EVENTS = 6_000;
    private static final int DATA_BYTES = 1024;
    private static final long MAX_HEAP_GROWTH = 10L * 1024 * 1024;

    @Test
    void shouldDropTheStuckTenPercentDeliverEverythingToTheRestAndKeepMemoryBounded() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).history(HISTORY).socketSendBufferBytes(16 * 1024)
            .maxConnections(SUBSCRIBERS + 16).maxConnectionsPerAddress(SUBSCRIBERS + 16).heartbeatMs(3_600_000).start())
        {
            final Topic topic = server.topic("fan");
            Servers.publish(topic, "warm-up", SseOptions.NONE);
            final long heapAtStart = Memory.heapUsedAfterGc();
            final long directAtStart = Memory.directUsed();

            final List<SocketChannel> stuck = new ArrayList<>();
            final MultiReader readers = new MultiReader(SUBSCRIBERS - STUCK, server.port());
            for (int i = 0; i < STUCK; i++)
            {
                final SocketChannel channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024);
                channel.connect(new InetSocketAddress("127.0.0.1", server.port()));
                channel.write(ByteBuffer.wrap(
                    "GET /events/fan HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                stuck.add(channel);
            }
            readers.start();
            Servers.awaitSubscribers(server, SUBSCRIBERS);
            final long heapConnected = Memory.heapUsedAfterGc();

            final String data = "d".repeat(DATA_BYTES);
            for (int i = 1; i <= EVENTS; i++)
            {
                // pace by the slowest reader so that the readers stay well within the history
                final long published = i - 1;
                Await.until(readers::minimumReceived,
                    (slowest) -> published - slowest <= HISTORY / 4 || !readers.failures.isEmpty(), Await.DEFAULT_TIMEOUT, 1);
                Servers.publish(topic, data, SseOptions.NONE);
            }
            readers.awaitAll(EVENTS, 60_000);
            Await.value(() -> server.metrics().slowConsumersDropped(), STUCK, "slow consumers dropped");
            Servers.awaitSubscribers(server, SUBSCRIBERS - STUCK);
            final long heapAfter = Memory.heapUsedAfterGc();
            final long directAfter = Memory.directUsed();

            final long growth = heapAfter - heapConnected;
            System.out.printf(
                "SlowReadersMemoryTest: %d subscribers (%d never read), %d events of %d B published (history %d " +
                "events), %d readers got all in order, %d dropped as slow consumers; heap used after GC: %.1f MB at " +
                "start, %.1f MB with %d connected (%+.1f MB, %d B per subscriber, test clients included), %.1f MB " +
                "after publishing (%+.2f MB); direct memory %+.1f MB over the run%n",
                SUBSCRIBERS, STUCK, EVENTS, DATA_BYTES, HISTORY, readers.completed(), server.metrics().slowConsumersDropped(),
                mb(heapAtStart), mb(heapConnected), SUBSCRIBERS, mb(heapConnected - heapAtStart),
                (heapConnected - heapAtStart) / SUBSCRIBERS, mb(heapAfter), mb(growth), mb(directAfter - directAtStart));

            assertTrue(readers.failures.isEmpty(), readers.failures.toString());
            assertEquals(SUBSCRIBERS - STUCK, readers.completed());
            assertEquals(STUCK, server.metrics().slowConsumersDropped());
            assertTrue(growth < MAX_HEAP_GROWTH, "heap grew by " + growth + " B while publishing " + EVENTS + " events");

            readers.close();
            for (final SocketChannel channel : stuck)
            {
                channel.close();
            }
        }
    }

    private static double mb(final long bytes)
    {
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * Many SSE readers on one selector thread: each checks that ids arrive as 1, 2, 3... with nothing skipped.
     */
    private static final class MultiReader implements AutoCloseable
    {
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final Selector selector;
        private final Reader[] readers;
        private final Thread thread;
        private volatile boolean running = true;

        MultiReader(final int count, final int port) throws IOException
        {
            selector = Selector.open();
            readers = new Reader[count];
            for (int i = 0; i < count; i++)
            {
                final SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channel.write(ByteBuffer.wrap(
                    "GET /events/fan HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                channel.configureBlocking(false);
                readers[i] = new Reader(i);
                channel.register(selector, SelectionKey.OP_READ, readers[i]);
            }
            thread = new Thread(this::run, "slow-readers-test");
            thread.setDaemon(true);
        }

        void start()
        {
            thread.start();
        }

        long minimumReceived()
        {
            long minimum = Long.MAX_VALUE;
            for (final Reader reader : readers)
            {
                minimum = Math.min(minimum, reader.received);
            }
            return minimum;
        }

        int completed()
        {
            int completed = 0;
            for (final Reader reader : readers)
            {
                completed += reader.received == EVENTS ? 1 : 0;
            }
            return completed;
        }

        void awaitAll(final long events, final long timeoutMs) throws Exception
        {
            Await.until(this::minimumReceived, (slowest) -> slowest >= events || !failures.isEmpty(),
                Duration.ofMillis(timeoutMs), 10);
        }

        public void close() throws IOException
        {
            running = false;
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            for (final SelectionKey key : selector.keys())
            {
                key.channel().close();
            }
            selector.close();
        }

        private void run()
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            try
            {
                while (running)
                {
                    selector.select(100);
                    for (final SelectionKey key : selector.selectedKeys())
                    {
                        final Reader reader = (Reader)key.attachment();
                        buffer.clear();
                        final int read = ((SocketChannel)key.channel()).read(buffer);
                        if (read < 0)
                        {
                            if (reader.received < EVENTS)
                            {
                                failures.add("reader " + reader.index + " closed at " + reader.received);
                            }
                            key.cancel();
                            continue;
                        }
                        buffer.flip();
                        reader.onBytes(buffer, failures);
                    }
                    selector.selectedKeys().clear();
                }
            }
            catch (final IOException ex)
            {
                failures.add(ex.toString());
            }
        }
    }

    /**
     * Line-by-line check of one stream: after the head, {@code id: N} lines must count up from 2 (the warm-up
     * event, id 1, is skipped with Last-Event-ID), each followed by a blank line.
     */
    private static final class Reader
    {
        final int index;
        volatile long received;
        private final byte[] line = new byte[64];
        private int lineLength;
        private boolean inHead = true;
        private int headMatch;

        Reader(final int index)
        {
            this.index = index;
        }

        void onBytes(final ByteBuffer bytes, final Queue<String> failures)
        {
            while (bytes.hasRemaining())
            {
                final byte b = bytes.get();
                if (inHead)
                {
                    headMatch = b == "\r\n\r\n".charAt(headMatch) ? headMatch + 1 : (b == '\r' ? 1 : 0);
                    inHead = headMatch < 4;
                    continue;
                }
                if (b != '\n')
                {
                    if (lineLength < line.length)
                    {
                        line[lineLength] = b;
                    }
                    lineLength++;
                    continue;
                }
                if (lineLength > 4 && line[0] == 'i' && line[1] == 'd' && line[2] == ':')
                {
                    final long id = Long.parseLong(new String(line, 4, lineLength - 4, StandardCharsets.US_ASCII));
                    if (id != received + 2)
                    {
                        failures.add("reader " + index + " got id " + id + " after " + (received + 1));
                    }
                    received = id - 1;
                }
                lineLength = 0;
            }
        }
    }
}
