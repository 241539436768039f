package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.ServerInternals;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import io.sseflow.server.log.TopicLog;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeat comments: over a socket, an idle stream gets them and a busy one does not; on the agent's own terms,
 * with the time passed in, a stream is idle only when nothing was written to it for the whole interval.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatTest
{
    private static final long HEARTBEAT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Test
    void shouldSendHeartbeatCommentsOnIdleStreamsOnly() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).heartbeatMs(100).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/idle"))
        {
            assertEquals(ServerInternals.STREAM_HEAD, client.readHead());
            final long start = System.nanoTime();
            assertEquals(": heartbeat\n\n", client.readBytes(13));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs >= 50 && elapsedMs < 2_000, "first heartbeat after " + elapsedMs + " ms");
            assertEquals(": heartbeat\n\n", client.readBytes(13));

            server.topic("idle").publish("live");
            assertEquals("id: 1\ndata: live\n\n", client.readBytes(18));
            assertTrue(server.metrics().get(ServerCounter.HEARTBEATS) >= 2);
        }
    }

    @Test
    void shouldNotHeartbeatABusyStream() throws Exception
    {
        final long heartbeatMs = 1_000;
        try (SseServer server = SseServer.builder().port(0).heartbeatMs(heartbeatMs).start();
            RawSseClient client = RawSseClient.get(server.port(), "/events/busy"))
        {
            client.readHead();
            Servers.awaitSubscribers(server, 1);
            final Topic topic = server.topic("busy");
            // events back to back, each read before the next is published, for twice the heartbeat interval: a
            // heartbeat on a timer that ignored the stream's writes would fire in that time, one on idleness cannot
            final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * heartbeatMs);
            int i = 0;
            while ((i < 10 || System.nanoTime() - endNs < 0) && i < 100_000)
            {
                i++;
                Servers.publish(topic, "tick " + i, SseOptions.NONE);
                assertEquals(new SseEvent(String.valueOf(i), "message", "tick " + i), client.nextEvent());
            }
            assertEquals(0, client.comments());
            assertEquals(0, server.metrics().get(ServerCounter.HEARTBEATS));
        }
    }

    @Test
    void shouldHeartbeatOnlyAStreamWithNothingWrittenForTheWholeInterval() throws IOException
    {
        final ServerCounters metrics = new ServerCounters();
        final ConnectionTable table = new ConnectionTable(metrics, new RequestParserPool(8192, 1 << 20, 4));
        final CachedNanoClock clock = new CachedNanoClock();
        final ServerConfig config = SseServer.builder().heartbeatMs(TimeUnit.NANOSECONDS.toMillis(HEARTBEAT_NS))
            .build().config();
        final SubscriberFlusher flusher = new SubscriberFlusher(
            new AgentContext(config, null, metrics, null, table, clock, new AtomicBoolean(), null, config.maxEventBytes(), 0),
            null);
        final TopicLog log = new TopicLog(16, 1 << 16);
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel peer = SocketChannel.open(listener.getLocalAddress());
                SocketChannel channel = listener.accept())
            {
                final Connection stream = new Connection(1, channel, true, null);
                stream.startStreaming(null);
                stream.interestOps = SelectionKey.OP_READ;
                stream.cursor.open(log, log.nextOrdinal(), ByteBuffer.allocate(0), 0);

                assertFalse(heartbeat(flusher, clock, stream, HEARTBEAT_NS - 1), "idle for less than the interval");

                final byte[] frame = "id: 1\ndata: x\n\n".getBytes(StandardCharsets.US_ASCII);
                log.append(new UnsafeBuffer(frame), 0, frame.length, 4, 1, 1, 1);
                clock.update(HEARTBEAT_NS - 1);
                stream.cursor.flush(channel, clock.nanoTime());
                assertFalse(heartbeat(flusher, clock, stream, HEARTBEAT_NS), "written to just before");
                assertFalse(heartbeat(flusher, clock, stream, 2 * HEARTBEAT_NS - 2), "one nanosecond short");
                assertEquals(0, metrics.get(ServerCounter.HEARTBEATS));

                assertTrue(heartbeat(flusher, clock, stream, 2 * HEARTBEAT_NS - 1));
                assertEquals(1, metrics.get(ServerCounter.HEARTBEATS));
                assertEquals(2 * HEARTBEAT_NS - 1, stream.cursor.lastWriteNs(), "the heartbeat is a write");
                assertFalse(heartbeat(flusher, clock, stream, 3 * HEARTBEAT_NS - 2), "the interval starts again");

                stream.interestOps = SelectionKey.OP_READ | SelectionKey.OP_WRITE;
                assertFalse(heartbeat(flusher, clock, stream, 10 * HEARTBEAT_NS), "a blocked stream is not idle");
                assertEquals(1, metrics.get(ServerCounter.HEARTBEATS));

                final ByteBuffer received = ByteBuffer.allocate(64);
                final String expected = "id: 1\ndata: x\n\n: heartbeat\n\n";
                for (int reads = 0; reads < 1_000 && received.position() < expected.length(); reads++)
                {
                    peer.read(received);
                }
                assertEquals(expected, new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII));
            }
        }
        finally
        {
            log.close();
        }
    }

    private static boolean heartbeat(
        final SubscriberFlusher flusher, final CachedNanoClock clock, final Connection stream, final long nowNs)
    {
        clock.update(nowNs);
        return flusher.heartbeatIfIdle(stream, nowNs);
    }
}
