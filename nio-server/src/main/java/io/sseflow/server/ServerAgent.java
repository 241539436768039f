package io.sseflow.server;

import io.sseflow.encoder.SseFields;
import io.sseflow.server.http.ChunkedBodyDecoder;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.topic.EventSequencer;
import io.sseflow.server.topic.PublishRecord;
import io.sseflow.server.topic.SequencedEventHandler;
import io.sseflow.server.transport.SelectionHandler;
import io.sseflow.server.transport.SelectorPoller;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's single thread of work, run by an Agrona {@code AgentRunner}. Each duty cycle:
 * <ol>
 *     <li>polls sequenced events from the {@link EventSequencer} and appends each frame once to its topic's log;</li>
 *     <li>flushes every subscriber of the topics that grew: one write of {@code log[cursor..head]} each;</li>
 *     <li>selects without blocking: accepts, reads and parses requests, resumes blocked writes;</li>
 *     <li>every few milliseconds: heartbeats for idle streams, request and linger timeouts.</li>
 * </ol>
 * In steady state nothing here allocates: buffers are pre-allocated, topics are found by their name bytes, and
 * the selected keys are handled through a {@link SelectorPoller}.
 */
final class ServerAgent implements Agent, SelectionHandler, SequencedEventHandler
{
    private static final int POLL_LIMIT = 1024;
    private static final int MAX_PUBLISH_ROUNDS = 64;
    private static final int MAX_POOLED_PARSERS = 1024;
    private static final int ACCEPT_LIMIT = 64;
    private static final int MAX_REJECTING = 256;
    private static final int MIN_CHUNKED_READ_WINDOW = 512;
    private static final byte[] ID_FIELD = HttpResponses.ascii("id: ");
    private static final InetAddress UNKNOWN_ADDRESS = InetAddress.getLoopbackAddress();

    private final ServerConfig config;
    private final TopicRegistry topics;
    private final ServerMetrics metrics;
    private final EventSequencer sequencer;
    private final HttpResponses responses;
    private final ServerSocketChannel serverChannel;
    private final SelectorPoller poller;
    private final SelectionKey acceptKey;
    private final CountDownLatch terminated;

    private final long heartbeatNs;
    private final long requestTimeoutNs;
    private final long shutdownTimeoutNs;

    private final ByteBuffer discardBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final UnsafeBuffer frameBuffer;
    private final PublishRecord record = new PublishRecord();
    private final BufferPool headPool;
    private final BufferPool bodyPool;
    private final ArrayDeque<Connection> bodyWaiters = new ArrayDeque<>();

    private final ManyToOneConcurrentArrayQueue<Topic> disconnectRequests;
    private final CachedNanoClock clock = new CachedNanoClock();
    private final ConnectionTable connections;
    private final ResponseWriter writer;
    private final SubscriberFlusher flusher;
    private final HttpPublishHandler publishHandler;
    private final SubscribeHandler subscribeHandler;
    private final RequestRouter router;
    private final ConnectionTimers timers;
    private final ClientAdmission admission;
    private Connection[] ready = new Connection[16];
    private int readyCount;
    private long nextConnectionId = 1;

    private long nowNs;
    private int lastPollCount;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private boolean draining;
    private long drainDeadlineNs;

    ServerAgent(
        final ServerConfig config,
        final TopicRegistry topics,
        final ServerMetrics metrics,
        final EventSequencer sequencer,
        final ServerSocketChannel serverChannel,
        final byte[] demoPage,
        final CountDownLatch terminated) throws IOException
    {
        this.config = config;
        this.topics = topics;
        this.metrics = metrics;
        this.sequencer = sequencer;
        topics.sequencer(sequencer);
        this.serverChannel = serverChannel;
        this.terminated = terminated;
        this.responses = new HttpResponses(config.allowOrigin());
        this.poller = new SelectorPoller(this);

        heartbeatNs = TimeUnit.MILLISECONDS.toNanos(config.heartbeatMs());
        requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMs());
        shutdownTimeoutNs = TimeUnit.MILLISECONDS.toNanos(config.shutdownTimeoutMs());
        disconnectRequests = new ManyToOneConcurrentArrayQueue<>(Math.min(config.maxTopics(), 4096));

        connections = new ConnectionTable(
            metrics, new RequestParserPool(config.maxRequestHeadBytes(), config.maxEventBytes(), MAX_POOLED_PARSERS));
        writer = new ResponseWriter(
            metrics, responses, connections, clock, requestTimeoutNs, 64 * 1024 + ServerMetrics.maxRenderedLength());
        flusher = new SubscriberFlusher(metrics, connections, writer, clock, requestTimeoutNs, heartbeatNs);
        final int maxRecordLength = Math.min(config.maxEventBytes(), sequencer.maxRecordLength());
        frameBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(maxRecordLength + 64));
        final int port = ((InetSocketAddress)serverChannel.getLocalAddress()).getPort();
        publishHandler = new HttpPublishHandler(
            config, topics, metrics, sequencer, connections, writer, maxRecordLength, port);
        subscribeHandler = new SubscribeHandler(
            config, topics, metrics, writer, flusher, clock, closeRequested, constant(responses.eventStreamHead()));
        router = new RequestRouter(
            config, topics, metrics, writer, subscribeHandler, publishHandler, demoPage, closeRequested);
        timers = new ConnectionTimers(config, topics, metrics, connections, writer, flusher);
        admission = new ClientAdmission(config, connections, writer);
        headPool = new BufferPool(config.maxRequestHeadBytes(), 256);
        bodyPool = new BufferPool(config.requestBodyBufferBytes(), config.requestBodyBuffers(), config.requestBodyBuffers());
        bodyPool.handover(this::handOverBodyBuffer);
        // last, so that when an allocation above fails the listening socket is not registered and closes at once
        this.acceptKey = serverChannel.register(poller.selector(), SelectionKey.OP_ACCEPT);
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "sseflow-server";
    }

    /**
     * {@inheritDoc}
     */
    public int doWork() throws IOException
    {
        nowNs = System.nanoTime();
        clock.update(nowNs);
        int workCount = drainPublishes();
        if (flusher.hasDirtyTopics())
        {
            workCount += flusher.flushDirtyTopics();
        }
        workCount += poller.selectNow();
        if (!disconnectRequests.isEmpty())
        {
            workCount += disconnectRequested();
        }
        workCount += timers.poll(nowNs);
        if (closeRequested.get())
        {
            workCount += drain();
        }
        return workCount;
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        // also the way out after a fatal error (see FailStopAgent), when this agent's state may be inconsistent:
        // each step is tried whatever the one before threw, and closing the selector is what finally releases the
        // port (a registered channel's socket is closed when its key is deregistered)
        Throwable error = null;
        try
        {
            sequencer.close();
        }
        catch (final Throwable ex)
        {
            error = ex;
        }
        try
        {
            serverChannel.close();
        }
        catch (final Throwable ex)
        {
            error = firstOf(error, ex);
        }
        for (int i = connections.count() - 1; i >= 0; i--)
        {
            final Connection connection = connections.get(i);
            try
            {
                connections.close(connection);
            }
            catch (final Throwable ex)
            {
                error = firstOf(error, ex);
                CloseHelper.quietClose(connection.channel);
            }
        }
        try
        {
            poller.close();
        }
        catch (final Throwable ex)
        {
            error = firstOf(error, ex);
        }
        terminated.countDown();
        if (error instanceof RuntimeException)
        {
            throw (RuntimeException)error;
        }
        if (error instanceof Error)
        {
            throw (Error)error;
        }
    }

    void requestClose()
    {
        closeRequested.set(true);
    }

    boolean requestDisconnect(final Topic topic)
    {
        return disconnectRequests.offer(topic);
    }

    /**
     * {@inheritDoc}
     */
    public int onSelected(final SelectionKey key)
    {
        if (key == acceptKey)
        {
            return accept();
        }

        final Connection connection = (Connection)key.attachment();
        if (!key.isValid() || connection.state == Connection.CLOSED)
        {
            return 0;
        }
        try
        {
            final int readyOps = key.readyOps();
            if ((readyOps & SelectionKey.OP_WRITE) != 0)
            {
                onWritable(connection);
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && connection.state != Connection.CLOSED)
            {
                onReadable(connection);
            }
        }
        catch (final IOException | CancelledKeyException ex)
        {
            connections.close(connection);
        }
        return 1;
    }

    /**
     * {@inheritDoc}
     */
    public void onEvent(
        final DirectBuffer buffer, final int recordOffset, final int recordLength, final long seq, final long numericId)
    {
        final PublishRecord record = this.record.wrap(buffer, recordOffset);
        final int topicIndex = record.topicIndex();
        final Topic topic = topics.byIndex(topicIndex);
        if (null == topic)
        {
            config.errorHandler().onError(new IllegalStateException("event for no live topic, index " + topicIndex));
            return;
        }
        final int idLength = record.idLength();
        final int prefixLength = record.prefixLength();
        final int dataLength = record.dataLength();
        final int idOffset = record.idOffset();
        final int prefixOffset = record.prefixOffset();
        final int dataOffset = record.dataOffset();

        final UnsafeBuffer frame = frameBuffer;
        int position = 0;
        frame.putBytes(position, buffer, prefixOffset, prefixLength);
        position += prefixLength;
        final int idTextOffset;
        final int idTextLength;
        if (numericId != EventSequencer.TEXT_ID)
        {
            final int fieldLength = SseFields.putIdField(frame, position, numericId);
            idTextOffset = position + ID_FIELD.length;
            idTextLength = fieldLength - ID_FIELD.length - 1;
            position += fieldLength;
        }
        else
        {
            idTextOffset = position + ID_FIELD.length;
            idTextLength = idLength;
            position += SseFields.putIdField(frame, position, buffer, idOffset, idLength);
        }
        frame.putBytes(position, buffer, dataOffset, dataLength);
        position += dataLength;
        position += SseFields.putEndOfFrame(frame, position);

        try
        {
            topic.logOrCreate().append(frame, 0, position, idTextOffset, idTextLength, seq, numericId);
        }
        finally
        {
            topic.unpin();
        }
        metrics.increment(ServerMetrics.EVENTS_PUBLISHED);
        flusher.markDirty(topic);

        final long correlationId = record.correlationId();
        if (0 != correlationId)
        {
            final Connection connection = publishHandler.onSequenced(correlationId, frame, idTextOffset, idTextLength);
            if (null != connection && connection.state == Connection.READING && connection.readLimit > 0)
            {
                scheduleReady(connection);
            }
        }
    }

    SelectorPoller poller()
    {
        return poller;
    }

    private int accept()
    {
        int accepted = 0;
        while (accepted < ACCEPT_LIMIT)
        {
            final SocketChannel channel;
            try
            {
                channel = serverChannel.accept();
            }
            catch (final IOException ex)
            {
                config.errorHandler().onError(ex);
                break;
            }
            if (null == channel)
            {
                break;
            }
            accepted++;
            metrics.increment(ServerMetrics.CONNECTIONS_ACCEPTED);

            final InetAddress address = remoteAddress(channel);
            final ClientAdmission.Decision decision = admission.onAccept(address);
            final boolean underTotal = decision != ClientAdmission.Decision.CONNECTION_LIMIT;
            final boolean admitted = decision.admitted();
            if (!admitted && connections.rejectingCount() >= MAX_REJECTING)
            {
                metrics.increment(ServerMetrics.CONNECTIONS_REJECTED);
                metrics.incrementRefused(
                    underTotal ? ServerMetrics.REFUSED_ADDRESS_LIMIT : ServerMetrics.REFUSED_CONNECTION_LIMIT);
                ConnectionTable.resetQuietly(channel);
                continue;
            }

            final Connection connection = new Connection(
                nextConnectionId++,
                channel,
                admitted,
                connections.acquireParser());
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
                if (config.socketSendBufferBytes() > 0)
                {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferBytes());
                }
                connection.key = channel.register(poller.selector(), SelectionKey.OP_READ, connection);
                connection.interestOps = SelectionKey.OP_READ;
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(channel);
                continue;
            }

            connections.add(connection);
            connection.deadlineNs = nowNs + requestTimeoutNs;
            if (admitted)
            {
                admission.admit(connection, address, decision);
            }
            else
            {
                connections.reject();
                if (underTotal)
                {
                    writer.sendError(connection, 429, "too many connections from this address", ResponseHeaders.RETRY_AFTER);
                }
                else
                {
                    writer.sendError(connection, 503, "too many connections", ResponseHeaders.RETRY_AFTER, ServerMetrics.REFUSED_CONNECTION_LIMIT);
                }
            }
        }
        return accepted;
    }

    private void onReadable(final Connection connection) throws IOException
    {
        if (connection.state == Connection.READING)
        {
            BufferPool.PooledBuffer request = connection.request;
            if (null == request)
            {
                request = connection.request = headPool.acquire();
                connection.readLimit = 0;
            }
            final ByteBuffer byteBuffer = request.byteBuffer;
            byteBuffer.limit(byteBuffer.capacity()).position(connection.readLimit);
            final int read = connection.channel.read(byteBuffer);
            if (read < 0)
            {
                connections.close(connection);
                return;
            }
            connection.readLimit += read;
            processRequests(connection);
        }
        else
        {
            final ByteBuffer discard = discardBuffer;
            discard.clear();
            if (connection.channel.read(discard) < 0)
            {
                connections.close(connection);
            }
        }
    }

    private void onWritable(final Connection connection) throws IOException
    {
        if (connection.state == Connection.STREAMING)
        {
            flusher.flush(connection);
        }
        else if (connection.state == Connection.ENDING_STREAM)
        {
            flusher.flushEndingStream(connection);
        }
        else if (connection.state == Connection.WRITING)
        {
            if (writer.resumeWrite(connection) && connection.state == Connection.READING)
            {
                processRequests(connection);
            }
        }
    }

    /**
     * Parse, decide and answer the requests buffered on a connection, in order. Every decision a request head
     * allows is taken on the complete head ({@link #onHeadComplete}), before any of its body is read: a refused
     * request is answered and its body never buffered. A head that passed reads its body into the buffer its head
     * arrived in, or, when it does not fit there, into one of the bounded body buffers (waiting for one, not read,
     * while none is free), and only then is told {@code 100 Continue}.
     */
    private void processRequests(final Connection connection)
    {
        while (connection.state == Connection.READING && null != connection.request && connection.readLimit > 0)
        {
            final HttpRequestParser parser = connection.parser;
            if (parser.state() != HttpRequestParser.State.COMPLETE)
            {
                final int result = parser.parse(connection.request.view, connection.readLimit);
                if (result == HttpRequestParser.NEED_MORE)
                {
                    return;
                }
                if (result == HttpRequestParser.BAD_MESSAGE)
                {
                    writer.sendError(connection, parser.errorStatus(), parser.errorReason(), null);
                    return;
                }
                connection.keepAlive = parser.isKeepAlive();
                connection.announceKeepAlive = connection.keepAlive && !parser.isHttp11();
                if (!onHeadComplete(connection))
                {
                    return;
                }
            }

            final int requestEnd = parser.isChunked() ? receiveChunkedBody(connection) : receiveBody(connection);
            if (requestEnd < 0)
            {
                return;
            }
            router.route(connection, connection.request.view);
            if (connection.state == Connection.CLOSED)
            {
                return;
            }
            consume(connection, requestEnd);
        }
    }

    private boolean onHeadComplete(final Connection connection)
    {
        return admission.onRequestHead(connection, connection.request.view, connection.parser) &&
            router.onHead(connection, connection.request.view);
    }

    /**
     * The body framed by {@code Content-Length}.
     *
     * @return the end of the request when it is all buffered; -1 when more is to come or it was answered.
     */
    private int receiveBody(final Connection connection)
    {
        final HttpRequestParser parser = connection.parser;
        final int requestEnd = (int)(parser.headLength() + parser.contentLength());
        if (requestEnd > connection.request.capacity() && !moveToBodyBuffer(connection))
        {
            return -1;
        }
        if (connection.readLimit < requestEnd)
        {
            sendContinueIfExpected(connection);
            return -1;
        }
        return requestEnd;
    }

    /**
     * The chunked body, decoded in place after the head as it arrives; what follows it moves down to the body's end.
     *
     * @return the end of the request (head and decoded body) when complete; -1 when more is to come or it was
     * answered.
     */
    private int receiveChunkedBody(final Connection connection)
    {
        final HttpRequestParser parser = connection.parser;
        final ChunkedBodyDecoder decoder = parser.chunkedBody();
        final BufferPool.PooledBuffer request = connection.request;
        final int limit = connection.readLimit;
        final ChunkedBodyDecoder.Result result = decoder.decode(request.view, decoder.bodyEnd(), limit);
        if (result == ChunkedBodyDecoder.Result.BAD_MESSAGE)
        {
            writer.sendError(connection, decoder.errorStatus(), decoder.errorReason(), null);
            return -1;
        }

        final int bodyEnd = decoder.bodyEnd();
        if (result == ChunkedBodyDecoder.Result.COMPLETE)
        {
            final int following = limit - decoder.consumedTo();
            if (following > 0)
            {
                request.view.putBytes(bodyEnd, request.view, decoder.consumedTo(), following);
            }
            connection.readLimit = bodyEnd + following;
            return bodyEnd;
        }

        connection.readLimit = bodyEnd;
        final int window = request.capacity() - bodyEnd;
        final boolean narrow = window < MIN_CHUNKED_READ_WINDOW && request.owner == headPool &&
            RequestRouter.takesBody(parser);
        if ((window == 0 || narrow) && !moveToBodyBuffer(connection))
        {
            return -1;
        }
        sendContinueIfExpected(connection);
        return -1;
    }

    /**
     * Move the request into a body buffer: a request that takes no body is limited to its head buffer ({@code 413});
     * while none is free, the request waits in line for one, not read.
     *
     * @return true when the request is now in a body buffer.
     */
    private boolean moveToBodyBuffer(final Connection connection)
    {
        final BufferPool.PooledBuffer request = connection.request;
        if (request.owner == bodyPool || !RequestRouter.takesBody(connection.parser))
        {
            writer.sendError(connection, 413,
                request.owner == bodyPool ? "request body too large" : "request body too large for this endpoint", null);
            return false;
        }
        final BufferPool.PooledBuffer body = bodyPool.acquire();
        if (null == body)
        {
            connection.setInterest(0);
            bodyWaiters.addLast(connection);
            return false;
        }
        body.view.putBytes(0, request.view, 0, connection.readLimit);
        connection.request = body;
        request.release();
        return true;
    }

    private boolean handOverBodyBuffer(final BufferPool.PooledBuffer buffer)
    {
        Connection waiter;
        while (null != (waiter = bodyWaiters.pollFirst()))
        {
            final BufferPool.PooledBuffer request = waiter.request;
            if (waiter.state == Connection.READING && null != request && request.owner == headPool)
            {
                buffer.view.putBytes(0, request.view, 0, waiter.readLimit);
                waiter.request = buffer;
                request.release();
                waiter.setInterest(SelectionKey.OP_READ);
                scheduleReady(waiter);
                return true;
            }
        }
        return false;
    }

    private void sendContinueIfExpected(final Connection connection)
    {
        if (connection.parser.expectsContinue() && !connection.continueSent)
        {
            connection.continueSent = true;
            writer.writeQuietly(connection, HttpResponses.CONTINUE_100);
        }
    }

    private void consume(final Connection connection, final int requestEnd)
    {
        if (connection.state == Connection.STREAMING)
        {
            connections.releaseParser(connection);
            connection.releaseRequest();
            connection.readLimit = 0;
            return;
        }
        connection.parser.reset();
        connection.continueSent = false;
        final BufferPool.PooledBuffer request = connection.request;
        if (null == request)
        {
            connection.readLimit = 0;
            return;
        }
        final int remaining = connection.readLimit - requestEnd;
        if (remaining > 0)
        {
            if (request.owner != headPool && remaining <= headPool.bufferCapacity())
            {
                final BufferPool.PooledBuffer head = headPool.acquire();
                head.view.putBytes(0, request.view, requestEnd, remaining);
                connection.request = head;
                request.release();
            }
            else
            {
                final ByteBuffer byteBuffer = request.byteBuffer;
                byteBuffer.limit(connection.readLimit).position(requestEnd);
                byteBuffer.compact();
            }
            connection.readLimit = remaining;
        }
        else
        {
            connection.readLimit = 0;
            connection.request = null;
            request.release();
        }
    }

    private int disconnectRequested()
    {
        int workCount = 0;
        Topic topic;
        while (null != (topic = disconnectRequests.poll()))
        {
            topic.disconnectRequested.set(false);
            final Connection[] subscribers = topic.subscribers;
            for (int i = topic.subscriberCount - 1; i >= 0; i--)
            {
                flusher.endStream(subscribers[i]);
                workCount++;
            }
        }
        return workCount;
    }

    /**
     * Append every pending event before any subscriber is written to, so that each subscriber gets all of them in
     * one write: syscalls, not encoding, bound fan-out here. An HTTP publisher's pipelined POSTs are taken one per
     * round (each waits for its id), so rounds go on while answered publishers have more requests buffered; at
     * most {@code POLL_LIMIT} events are appended between two flushes, as before, so subscribers are not lapped.
     */
    private int drainPublishes()
    {
        int workCount = 0;
        int appended = 0;
        int rounds = 0;
        int polled;
        do
        {
            polled = sequencer.poll(this, POLL_LIMIT - appended);
            lastPollCount = polled;
            appended += polled;
            workCount += polled;
            if (readyCount > 0)
            {
                workCount += processReady();
            }
        }
        while (polled > 0 && appended < POLL_LIMIT && ++rounds < MAX_PUBLISH_ROUNDS);
        return workCount;
    }

    private int processReady()
    {
        int count = 0;
        for (; count < readyCount; count++)
        {
            final Connection connection = ready[count];
            ready[count] = null;
            connection.readyIndex = -1;
            if (connection.state == Connection.READING)
            {
                processRequests(connection);
            }
        }
        readyCount = 0;
        return count;
    }

    private int drain()
    {
        if (!draining)
        {
            draining = true;
            drainDeadlineNs = nowNs + shutdownTimeoutNs;
            acceptKey.cancel();
            CloseHelper.quietClose(serverChannel);
            sequencer.close();
            return 1;
        }

        boolean flushed = lastPollCount == 0 && !flusher.hasDirtyTopics() && readyCount == 0;
        for (int i = 0; flushed && i < connections.count(); i++)
        {
            final Connection connection = connections.get(i);
            flushed = connection.state == Connection.STREAMING ? !connection.cursor.hasPending() :
                connection.state != Connection.WRITING && connection.state != Connection.AWAITING_PUBLISH &&
                connection.state != Connection.ENDING_STREAM;
        }

        if (flushed || nowNs - drainDeadlineNs >= 0)
        {
            for (int i = connections.count() - 1; i >= 0; i--)
            {
                final Connection connection = connections.get(i);
                try
                {
                    connection.channel.shutdownOutput();
                }
                catch (final IOException ignore)
                {
                    // closing anyway
                }
                connections.close(connection);
            }
            throw new AgentTerminationException("closed");
        }
        return 0;
    }

    private void scheduleReady(final Connection connection)
    {
        if (connection.readyIndex < 0)
        {
            if (readyCount == ready.length)
            {
                ready = Arrays.copyOf(ready, readyCount << 1);
            }
            connection.readyIndex = readyCount;
            ready[readyCount++] = connection;
        }
    }

    private static Throwable firstOf(final Throwable first, final Throwable next)
    {
        return null == first ? next : first;
    }

    private static InetAddress remoteAddress(final SocketChannel channel)
    {
        try
        {
            final SocketAddress address = channel.getRemoteAddress();
            return address instanceof InetSocketAddress ? ((InetSocketAddress)address).getAddress() : UNKNOWN_ADDRESS;
        }
        catch (final IOException ex)
        {
            return UNKNOWN_ADDRESS;
        }
    }

    private static ByteBuffer constant(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }
}
