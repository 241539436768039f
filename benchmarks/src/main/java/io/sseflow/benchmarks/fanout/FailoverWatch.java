package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One subscriber of the failover phase on one node, on its own thread with a blocking channel: it decodes the stream
 * with {@link SseResponseDecoder} and keeps, for every sequence below its capacity, when the event was published (its
 * payload's stamp) and when it was read. Events must come in order, each once (the decoder refuses a repeated id; a
 * skipped sequence is counted here); the first such problem is kept as {@link #failure()}. The stream ending is a
 * failure too: a watcher is only put on a node that stays up.
 */
final class FailoverWatch implements SseResponseDecoder.Listener, AutoCloseable
{
    private final int node;
    private final SocketChannel channel;
    private final SseResponseDecoder decoder = new SseResponseDecoder(this);
    private final long[] publishedNs;
    private final long[] receivedNs;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean warmedUp;
    private volatile long expected;
    private volatile String failure;

    /**
     * Subscribe and start reading.
     *
     * @param node     the node's index, for messages.
     * @param address  the node's HTTP address.
     * @param topic    the topic to stream.
     * @param capacity sequences recorded (0 to capacity - 1); a later one is a failure.
     * @throws IOException if the connection fails.
     */
    FailoverWatch(final int node, final InetSocketAddress address, final String topic, final int capacity)
        throws IOException
    {
        this.node = node;
        this.publishedNs = new long[capacity];
        this.receivedNs = new long[capacity];
        this.channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.socket().connect(address, 5_000);
        channel.write(ByteBuffer.wrap(("GET /events/" + topic + " HTTP/1.1\r\nHost: " + address.getHostString() +
            ":" + address.getPort() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        this.thread = new Thread(this::run, "failover-watch-" + node);
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try
        {
            while (running)
            {
                buffer.clear();
                final int read = channel.read(buffer);
                if (read < 0)
                {
                    fail("node " + node + " ended the stream");
                    return;
                }
                if (!decoder.decode(buffer, 0, read))
                {
                    fail("node " + node + ": " + decoder.failure());
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                fail("node " + node + ": " + ex);
            }
        }
    }

    @Override
    public void onEvent(final long sequence, final long published)
    {
        final long now = EventPayload.now();
        final long next = expected;
        if (sequence != next)
        {
            fail("node " + node + ": " + (sequence > next ? "lost events " + next + ".." + (sequence - 1) :
                "event " + sequence + " repeated or out of order, expected " + next));
        }
        if (sequence >= receivedNs.length)
        {
            fail("node " + node + ": event " + sequence + " beyond the " + receivedNs.length + " recorded");
            return;
        }
        publishedNs[(int)sequence] = published;
        receivedNs[(int)sequence] = now;
        expected = Math.max(next, sequence + 1);
    }

    @Override
    public void onWarmUp()
    {
        warmedUp = true;
    }

    private void fail(final String reason)
    {
        if (failure == null)
        {
            failure = reason;
        }
    }

    /**
     * Has a warm-up event arrived (the stream is open).
     *
     * @return true once one has.
     */
    boolean warmedUp()
    {
        return warmedUp;
    }

    /**
     * Sequences received so far, in order: the next one expected.
     *
     * @return count.
     */
    long received()
    {
        return expected;
    }

    /**
     * The first problem seen.
     *
     * @return description, or null if none.
     */
    String failure()
    {
        return failure;
    }

    /**
     * When this watcher first read an event published at or after a time: with a publisher that stamps every
     * attempt just before writing it, the first event the cluster took after that time.
     *
     * @param thresholdNs a time from {@link EventPayload#now()}.
     * @return the read time, or -1 if no such event has been read.
     */
    long firstReadOfPublishedFrom(final long thresholdNs)
    {
        final long count = expected;
        for (int s = 0; s < count; s++)
        {
            if (receivedNs[s] != 0 && publishedNs[s] >= thresholdNs)
            {
                return receivedNs[s];
            }
        }
        return -1;
    }

    /** Stop reading and close the connection. */
    @Override
    public void close()
    {
        running = false;
        try
        {
            channel.close();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final IOException ignore)
        {
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
