package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.agent.AgentInternals;
import io.sseflow.server.support.Memory;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heap per idle subscriber of a stream of three topics, next to the same number of single-topic subscribers
 * measured the same way in the same JVM (heap in use after GC, the test's own client sockets included in both):
 * a multi-topic subscriber is a cursor into its shared stream log, so it costs what a single-topic one costs,
 * whose server-side heap the fan-out benchmark measures against the 1 KB target.
 */
@Tag("heap")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MultiTopicMemoryTest
{
    private static final int SUBSCRIBERS = 2000;
    private static final long MAX_EXTRA_BYTES_PER_SUBSCRIBER = 64;

    @Test
    void shouldCostNoMoreHeapPerIdleSubscriberThanASingleTopicStream() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).maxConnections(SUBSCRIBERS + 16)
            .maxConnectionsPerAddress(SUBSCRIBERS + 16).heartbeatMs(3_600_000).start())
        {
            for (final String name : new String[]{"a", "b", "c"})
            {
                Servers.publish(server.topic(name), "warm-up", SseOptions.NONE);
            }
            final long single = perSubscriber(server, "/events/a");
            final long multi = perSubscriber(server, "/events?topic=a&topic=b&topic=c");
            final long singleAgain = perSubscriber(server, "/events/a");
            System.out.printf("MultiTopicMemoryTest: heap after GC per idle subscriber (%d each, test clients " +
                "included): single-topic %d B, three topics %d B, single-topic again %d B%n",
                SUBSCRIBERS, single, multi, singleAgain);
            assertTrue(multi <= Math.max(single, singleAgain) + MAX_EXTRA_BYTES_PER_SUBSCRIBER,
                "three-topic subscriber " + multi + " B vs single-topic " + single + " / " + singleAgain + " B");
            assertEquals(0, AgentInternals.sharedStreams(server));
        }
    }

    private static long perSubscriber(final SseServer server, final String path) throws Exception
    {
        final long before = Memory.heapUsedAfterGc();
        final List<SocketChannel> channels = new ArrayList<>(SUBSCRIBERS);
        final byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try
        {
            for (int i = 0; i < SUBSCRIBERS; i++)
            {
                final SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
                channel.write(ByteBuffer.wrap(request));
                channels.add(channel);
            }
            Servers.awaitSubscribers(server, SUBSCRIBERS);
            return (Memory.heapUsedAfterGc() - before) / SUBSCRIBERS;
        }
        finally
        {
            for (final SocketChannel channel : channels)
            {
                close(channel);
            }
            Servers.awaitSubscribers(server, 0);
        }
    }

    private static void close(final SocketChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // the test ends the connection either way
        }
    }
}
