package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A reader that asks for a replay of a large history and does not read it, on a topic that gets no new events, is
 * never lapped: it used to hold its send queue in the kernel (megabytes with the auto-tuned buffer) for as long as
 * it kept its socket. Now it is dropped as a slow consumer (reset) once it has not drained its replay within the
 * drain timeout, and the kernel frees its queue; a reader that reads the same replay is not dropped and stays live.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayDrainTest
{
    private static final int EVENTS = 100;
    private static final int DATA_BYTES = 60_000;
    private static final long QUEUED_AFTER_DROP_LIMIT = 64 * 1024;

    @Test
    void shouldDropAReaderThatDoesNotDrainItsReplayOnAQuietTopicAndKeepTheOneThatReads() throws Exception
    {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
        try (SseServer server = SseServer.builder().port(0).heartbeatMs(3_600_000).drainTimeoutMs(2_000).start())
        {
            final int port = server.port();
            final Topic topic = server.topic("archive");
            final String data = "r".repeat(DATA_BYTES);
            for (int i = 0; i < EVENTS; i++)
            {
                Servers.publish(topic, data, SseOptions.NONE);
            }

            try (SocketChannel stalled = SocketChannel.open();
                RawSseClient reader = RawSseClient.get(port, "/events/archive", "Last-Event-ID: 0"))
            {
                stalled.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024);
                stalled.connect(new InetSocketAddress("127.0.0.1", port));
                stalled.write(ByteBuffer.wrap(("GET /events/archive HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));

                assertTrue(reader.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                for (int i = 1; i <= EVENTS; i++)
                {
                    final SseEvent event = reader.nextEvent();
                    assertEquals(Integer.toString(i), event.id());
                    assertEquals(data, event.data());
                }
                Servers.awaitSubscribers(server, 2);
                final long queuedWhileStalled = ConnectionResetTest.queuedBytesFromLocalPort(port);

                Await.value(() -> server.metrics().slowConsumersDropped(), 1, "the stalled replay dropped");
                final long queued = Await.until(() -> ConnectionResetTest.queuedBytesFromLocalPort(port),
                    (bytes) -> bytes <= QUEUED_AFTER_DROP_LIMIT, Await.DEFAULT_TIMEOUT, 20);
                System.out.printf("ReplayDrainTest: kernel send queue from the server's port %d B while the replay " +
                    "was stalled, %d B after the drop%n", queuedWhileStalled, queued);
                assertTrue(queued <= QUEUED_AFTER_DROP_LIMIT, "kernel still queues " + queued + " B");
                assertEquals(1, server.metrics().subscribers(), "the reader stays");

                Servers.publish(topic, "live", SseOptions.NONE);
                final SseEvent live = reader.nextEvent();
                assertEquals(Integer.toString(EVENTS + 1), live.id());
                assertEquals("live", live.data());
                assertEquals(1, server.metrics().slowConsumersDropped(), "the reader was never dropped");
            }
        }
    }
}
