package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream's own response head (a Mercure subscription's, with {@code Last-Event-ID}) is written straight from the
 * response buffer: nothing is left when the socket takes it, and when the socket is full the whole head is kept, in
 * a buffer of its exact length, for the cursor to send first.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamHeadWriteTest
{
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\nLast-Event-ID: b1\r\n\r\n";

    @Test
    void shouldWriteTheHeadAtOnceOrKeepWhatTheSocketDidNotTake() throws IOException
    {
        final ServerCounters metrics = new ServerCounters();
        final ConnectionTable table = new ConnectionTable(metrics, new RequestParserPool(8192, 1 << 20, 4));
        final ServerConfig config = SseServer.builder().build().config();
        final ResponseWriter writer = new ResponseWriter(new AgentContext(config, null, metrics, null, table,
            new CachedNanoClock(), new AtomicBoolean(), null, config.maxEventBytes(), 0), 64 * 1024);
        final UnsafeBuffer id = new UnsafeBuffer("b1".getBytes(StandardCharsets.US_ASCII));
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel peer = SocketChannel.open(listener.getLocalAddress());
                SocketChannel channel = listener.accept())
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
                final Connection connection = new Connection(1, channel, true, null);

                int length = writer.responses().putEventStreamHeadWithLastEventId(writer.buffer(), 0, id, 0, 2);
                assertEquals(HEAD.length(), length);
                assertNull(writer.writeStreamHead(connection, length));
                assertEquals(HEAD, read(peer, HEAD.length()));

                final ByteBuffer filler = ByteBuffer.allocate(4096);
                long filled = 0;
                for (int i = 0; i < 100_000 && channel.write(filler.clear()) > 0; i++)
                {
                    filled += filler.position();
                }
                length = writer.responses().putEventStreamHeadWithLastEventId(writer.buffer(), 0, id, 0, 2);
                final ByteBuffer rest = writer.writeStreamHead(connection, length);
                assertEquals(HEAD.length(), rest.capacity());
                assertEquals(0, rest.position());
                assertEquals(HEAD, StandardCharsets.US_ASCII.decode(rest.duplicate()).toString());
                assertTrue(filled > 0, "the socket took some filler");
            }
        }
    }

    private static String read(final SocketChannel peer, final int length) throws IOException
    {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        for (int reads = 0; reads < 1_000 && received.size() < length; reads++)
        {
            buffer.clear().limit(length - received.size());
            final int n = peer.read(buffer);
            if (n < 0)
            {
                break;
            }
            received.write(buffer.array(), 0, n);
        }
        return received.toString(StandardCharsets.US_ASCII);
    }
}
