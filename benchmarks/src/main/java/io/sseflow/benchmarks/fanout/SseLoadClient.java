package io.sseflow.benchmarks.fanout;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * N SSE subscribers on one thread and one selector. Every connection's bytes go through its own
 * {@link SseResponseDecoder} (HTTP/1.1 response head, chunked or identity body, SSE lines; a few fields per
 * connection, nothing allocated per event). Each connection must see sequence 0, 1, 2... in order: a gap, a repeat or a
 * disconnect is a failure. The bytes are decoded by each connection's {@link SseResponseDecoder}. Publish-to-receive
 * latency, measured when the bytes are read, goes into a {@link SingleWriterRecorder} between {@link #startLatency()}
 * and {@link #stopLatency()}: the client thread is its only writer, the phase reading it takes the interval
 * histogram.
 * <p>
 * Stalled readers: a given percentage of the connections, spread evenly (with 10%, every 10th), are opened with a
 * small {@code SO_RCVBUF} and read like the others until {@link #stall(long)}; from then on they are not read at all
 * (interest set to nothing, so their receive buffers fill and the server's writes to them block), they no longer
 * hold back {@link #slowestExpected()}, and their events, gaps and disconnects are counted apart, never as
 * failures ({@link StalledReaders}). {@link #resume(long, long)} reads them again, to see which ones the server dropped (end of stream or reset) and
 * which ones it kept (they catch up).
 * <p>
 * The thread stops by itself at its deadline, or on {@link #close()}.
 */
final class SseLoadClient implements AutoCloseable
{
    private static final int MAX_PENDING_CONNECTS = 256;
    private static final int READ_BUFFER_BYTES = 256 * 1024;
    private static final long HIGHEST_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);

    /** Where the stalled connections are; a phase requests a change, the client thread makes it. */
    private enum Stall
    {
        READING, STALL_REQUESTED, STALLED, RESUME_REQUESTED, RESUMED
    }

    private final InetSocketAddress[] servers;
    private final int connections;
    private final int stalledReceiveBuffer;
    private final StalledReaders stalled;
    private final long deadlineNs;
    private final ByteBuffer[] requests;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Subscriber[] subscribers;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final Thread thread;
    private final Selector selector;

    private int opened;
    private int pendingConnects;
    private long deliveredLocal;
    private long failuresLocal;
    private long nowNs;
    private boolean recording;

    private volatile boolean running = true;
    private volatile int connectedCount;
    private volatile int warmedUpCount;
    private volatile long delivered;
    private volatile long minExpected;
    private long lastScanNs;
    private volatile long failures;
    private volatile String firstFailure;
    private final SingleWriterRecorder latency = new SingleWriterRecorder(HIGHEST_LATENCY_NS, 3);
    private volatile boolean recordLatency;
    private volatile long readIntervalNs;

    private volatile Stall stallState = Stall.READING;

    /**
     * Prepare a client; {@link #start()} opens the connections. With several servers (the nodes of a cluster, which
     * all send the same events), subscriber {@code i} connects to {@code servers[i % servers.length]}.
     *
     * @param servers              addresses of the SSE servers.
     * @param topics               topics to subscribe to, all on one stream.
     * @param connections          number of subscribers.
     * @param stalledPercent       percentage of them that {@link #stall(long)} stops reading (0 for none).
     * @param stalledReceiveBuffer {@code SO_RCVBUF} of those, set before they connect (bytes).
     * @param timeLimitNs          the client thread stops by itself after this long.
     * @throws IOException if the selector cannot be opened.
     */
    SseLoadClient(
        final InetSocketAddress[] servers,
        final FanOutTopics topics,
        final int connections,
        final int stalledPercent,
        final int stalledReceiveBuffer,
        final long timeLimitNs) throws IOException
    {
        if (servers.length == 0)
        {
            throw new IllegalArgumentException("no server to subscribe to");
        }
        this.servers = servers.clone();
        this.connections = connections;
        this.stalledReceiveBuffer = stalledReceiveBuffer;
        this.stalled = new StalledReaders(connections, stalledPercent);
        this.deadlineNs = System.nanoTime() + timeLimitNs;
        this.subscribers = new Subscriber[connections];
        this.selector = Selector.open();
        this.requests = new ByteBuffer[servers.length];
        for (int i = 0; i < servers.length; i++)
        {
            final byte[] bytes = ("GET " + topics.subscribeTarget() + " HTTP/1.1\r\n" +
                "Host: " + servers[i].getHostString() + ":" + servers[i].getPort() + "\r\n" +
                "Accept: text/event-stream\r\n" +
                "Cache-Control: no-cache\r\n" +
                "\r\n").getBytes(StandardCharsets.US_ASCII);
            this.requests[i] = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }
        this.thread = new Thread(this::run, "sse-load-client");
        this.thread.setDaemon(true);
    }

    /** Start the client thread: it connects every subscriber, then reads until closed or out of time. */
    void start()
    {
        thread.start();
    }

    /**
     * The stalled connections: which ones, and what became of them.
     *
     * @return counts published by the client thread.
     */
    StalledReaders stalled()
    {
        return stalled;
    }

    /**
     * Stop reading the stalled connections (on the client thread; returns once done or after the timeout). Their
     * events, gaps and disconnects are counted apart from then on, never as failures, and they no longer count in
     * {@link #slowestExpected()} or {@link #delivered()}.
     *
     * @param timeoutNs longest wait for the client thread.
     * @return true if they are stalled.
     */
    boolean stall(final long timeoutNs)
    {
        return request(Stall.STALL_REQUESTED, Stall.STALLED, timeoutNs);
    }

    /**
     * Read the stalled connections again, to see which ones the server dropped and which ones catch up.
     *
     * @param sequence  a kept connection has caught up once it received every event below this sequence.
     * @param timeoutNs longest wait for the client thread.
     * @return true if they are read again.
     */
    boolean resume(final long sequence, final long timeoutNs)
    {
        stalled.catchUpSequence(sequence);
        return request(Stall.RESUME_REQUESTED, Stall.RESUMED, timeoutNs);
    }

    private boolean request(final Stall requested, final Stall done, final long timeoutNs)
    {
        stallState = requested;
        selector.wakeup();
        final long deadline = System.nanoTime() + timeoutNs;
        while (stallState != done && thread.isAlive() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(100_000);
        }
        return stallState == done;
    }

    /**
     * Subscribers whose request has been sent.
     *
     * @return count of connected subscribers.
     */
    int connected()
    {
        return connectedCount;
    }

    /**
     * Subscribers that received at least one warm-up event.
     *
     * @return count of warmed-up subscribers.
     */
    int warmedUp()
    {
        return warmedUpCount;
    }

    /**
     * Measured events received in order, summed over all subscribers (updated once per read).
     *
     * @return deliveries so far.
     */
    long delivered()
    {
        return delivered;
    }

    /**
     * Events every subscriber has received: the smallest next-expected sequence, refreshed about every millisecond.
     *
     * @return sequence number the slowest subscriber waits for.
     */
    long slowestExpected()
    {
        return minExpected;
    }

    /**
     * Gaps, repeats, disconnects and protocol errors so far.
     *
     * @return number of failures.
     */
    long failures()
    {
        return failures;
    }

    /**
     * The first failure, described.
     *
     * @return description or null if none.
     */
    String firstFailure()
    {
        return firstFailure;
    }

    /**
     * Is the client thread still running.
     *
     * @return true until closed or out of time.
     */
    boolean isRunning()
    {
        return thread.isAlive();
    }

    /**
     * Start recording publish-to-receive latency: from the client thread's next select round, every measured
     * delivery to a reading subscriber goes into a {@link SingleWriterRecorder} that only the client thread writes.
     * Whatever was recorded before is discarded.
     */
    void startLatency()
    {
        latency.reset();
        recordLatency = true;
    }

    /**
     * Stop recording latency and take what was recorded since {@link #startLatency()}: the recorder's interval
     * histogram, handed over from the client thread without locking it. Call once the events of interest are all
     * delivered; a delivery read in the client's current select round may still be recorded after this returns,
     * into the next interval (discarded by the next {@link #startLatency()}).
     *
     * @return latencies in nanoseconds.
     */
    Histogram stopLatency()
    {
        recordLatency = false;
        return latency.getIntervalHistogram();
    }

    /**
     * Let at least this long pass between the starts of two select rounds, so that bytes pile up in the sockets
     * and each read takes many events (0, the default, reads as soon as bytes arrive). Used in the maximum-rate
     * phase so that the client's own syscalls, as slow as the server's, do not set the ceiling.
     *
     * @param intervalNs pause between rounds in nanoseconds.
     */
    void readInterval(final long intervalNs)
    {
        this.readIntervalNs = intervalNs;
    }

    /**
     * Stop the client thread and close all connections (with RST, so no TIME_WAIT is left behind).
     */
    public void close() throws InterruptedException
    {
        running = false;
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void run()
    {
        try
        {
            long roundStart = System.nanoTime();
            while (running && roundStart - deadlineNs < 0)
            {
                openConnections();
                recording = recordLatency;
                selector.select(onSelected, 10);
                delivered = deliveredLocal;
                final Stall state = stallState;
                if (state == Stall.STALL_REQUESTED || state == Stall.RESUME_REQUESTED)
                {
                    setStalled(state == Stall.STALL_REQUESTED);
                    minExpected = scanMinExpected();
                    stallState = state == Stall.STALL_REQUESTED ? Stall.STALLED : Stall.RESUMED;
                }
                final long scanNs = System.nanoTime();
                if (scanNs - lastScanNs > 1_000_000L)
                {
                    lastScanNs = scanNs;
                    minExpected = scanMinExpected();
                    if (state == Stall.RESUMED)
                    {
                        stalled.publishCaughtUp(scanCaughtUp());
                    }
                }
                if (state != Stall.READING)
                {
                    stalled.publish();
                }
                final long intervalNs = readIntervalNs;
                if (intervalNs > 0)
                {
                    final long nextRound = roundStart + intervalNs;
                    long now;
                    while ((now = System.nanoTime()) - nextRound < 0 && running)
                    {
                        LockSupport.parkNanos(nextRound - now);
                    }
                }
                roundStart = System.nanoTime();
                if (failuresLocal != failures)
                {
                    failures = failuresLocal;
                }
            }
        }
        catch (final Throwable ex)
        {
            fail(null, "client error: " + ex);
            failures = failuresLocal;
        }
        finally
        {
            if (running)
            {
                fail(null, "client stopped at its time limit");
                failures = failuresLocal;
            }
            closeAll();
        }
    }

    private long scanMinExpected()
    {
        long min = Long.MAX_VALUE;
        for (final Subscriber subscriber : subscribers)
        {
            if (subscriber == null)
            {
                return 0;
            }
            if (!subscriber.stalled)
            {
                min = Math.min(min, subscriber.expected);
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    private int scanCaughtUp()
    {
        final long target = stalled.catchUpSequence();
        int count = 0;
        for (final Subscriber subscriber : subscribers)
        {
            if (subscriber != null && subscriber.stalled && !subscriber.closed && subscriber.expected >= target)
            {
                count++;
            }
        }
        return count;
    }

    private void setStalled(final boolean stall)
    {
        if (stall)
        {
            stalled.onStall(minExpected);
        }
        for (final Subscriber subscriber : subscribers)
        {
            if (subscriber == null || !stalled.stallable(subscriber.index))
            {
                continue;
            }
            subscriber.stalled = true;
            if (!subscriber.closed && subscriber.key.isValid())
            {
                subscriber.key.interestOps(stall ? 0 : SelectionKey.OP_READ);
            }
        }
    }

    private void openConnections() throws IOException
    {
        while (opened < connections && pendingConnects < MAX_PENDING_CONNECTS)
        {
            final SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (stalled.stallable(opened))
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, stalledReceiveBuffer);
            }
            final Subscriber subscriber = new Subscriber(this, opened, channel);
            subscribers[opened++] = subscriber;
            pendingConnects++;
            if (channel.connect(servers[subscriber.index % servers.length]))
            {
                pendingConnects--;
                subscriber.key = channel.register(selector, 0, subscriber);
                sendRequest(subscriber);
            }
            else
            {
                subscriber.key = channel.register(selector, SelectionKey.OP_CONNECT, subscriber);
            }
        }
    }

    private void onSelected(final SelectionKey key)
    {
        final Subscriber subscriber = (Subscriber)key.attachment();
        try
        {
            if (!key.isValid())
            {
                return;
            }
            final int ready = key.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0)
            {
                subscriber.channel.finishConnect();
                pendingConnects--;
                sendRequest(subscriber);
            }
            else if ((ready & SelectionKey.OP_WRITE) != 0)
            {
                sendRequest(subscriber);
            }
            if ((ready & SelectionKey.OP_READ) != 0)
            {
                read(subscriber);
            }
        }
        catch (final IOException ex)
        {
            disconnect(subscriber, "I/O error: " + ex.getMessage());
        }
    }

    private void sendRequest(final Subscriber subscriber) throws IOException
    {
        final ByteBuffer request = requests[subscriber.index % requests.length];
        request.clear();
        request.position(subscriber.requestSent);
        subscriber.requestSent += subscriber.channel.write(request);
        if (subscriber.requestSent < request.limit())
        {
            subscriber.key.interestOps(SelectionKey.OP_WRITE);
        }
        else
        {
            subscriber.key.interestOps(SelectionKey.OP_READ);
            connectedCount++;
        }
    }

    private void read(final Subscriber subscriber) throws IOException
    {
        final ByteBuffer buffer = readBuffer;
        int bytes;
        do
        {
            buffer.clear();
            bytes = subscriber.channel.read(buffer);
            if (bytes < 0)
            {
                disconnect(subscriber, "closed by the server");
                return;
            }
            nowNs = EventPayload.now();
            if (!subscriber.decoder.decode(buffer, 0, bytes))
            {
                disconnect(subscriber, subscriber.decoder.failure());
                return;
            }
        }
        while (bytes == READ_BUFFER_BYTES);
    }

    void onWarmUp(final Subscriber subscriber)
    {
        if (!subscriber.warmedUp)
        {
            subscriber.warmedUp = true;
            warmedUpCount++;
        }
    }

    void onEvent(final Subscriber subscriber, final long sequence, final long publishedNs)
    {
        if (subscriber.stalled)
        {
            stalled.onEvent(subscriber, sequence);
            return;
        }
        if (sequence != subscriber.expected)
        {
            fail(subscriber, sequence > subscriber.expected ?
                "lost events " + subscriber.expected + ".." + (sequence - 1) :
                "event " + sequence + " out of order or repeated, expected " + subscriber.expected);
            subscriber.expected = sequence + 1;
            return;
        }
        subscriber.expected = sequence + 1;
        deliveredLocal++;
        if (recording)
        {
            latency.recordValue(Math.max(1, Math.min(nowNs - publishedNs, HIGHEST_LATENCY_NS)));
        }
    }

    private void disconnect(final Subscriber subscriber, final String reason)
    {
        if (!subscriber.closed)
        {
            subscriber.closed = true;
            if (subscriber.stalled)
            {
                stalled.onDropped(subscriber, reason);
            }
            else
            {
                fail(subscriber, reason);
            }
            subscriber.key.cancel();
            try
            {
                subscriber.channel.close();
            }
            catch (final IOException ignore)
            {
            }
        }
    }

    private void fail(final Subscriber subscriber, final String reason)
    {
        failuresLocal++;
        if (firstFailure == null)
        {
            firstFailure = (subscriber == null ? "" : "connection " + subscriber.index + ": ") + reason;
        }
    }

    private void closeAll()
    {
        for (final Subscriber subscriber : subscribers)
        {
            if (subscriber != null && !subscriber.closed)
            {
                subscriber.closed = true;
                try
                {
                    subscriber.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                catch (final IOException ignore)
                {
                }
                try
                {
                    subscriber.channel.close();
                }
                catch (final IOException ignore)
                {
                }
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
        }
    }
}
