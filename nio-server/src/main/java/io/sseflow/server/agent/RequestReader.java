package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.http.ChunkedBodyDecoder;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.HttpResponses;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Reading requests: a connection's bytes go into a head buffer from a pool, are parsed, and each complete head is
 * decided at once, by {@link ClientAdmission} (a trusted proxy's client) and the {@link RequestRouter}, before any
 * of its body is read. A body framed by {@code Content-Length} or chunked is read into the head's buffer or, when
 * it does not fit there, into one of the bounded body buffers ({@code --request-body-buffers}); while none is free
 * the connection waits in line, not read, and the next buffer released is handed to it. {@code 100 Continue} is
 * sent once the body is wanted. A complete request is routed; what follows it (a pipelined request) moves to the
 * start of its buffer, or into a head buffer when it came in a body buffer.
 * <p>
 * Pipelined publishes are taken without waiting for the answers before them: each is offered as soon as it is
 * complete, up to {@link PendingPublishes#CAPACITY} in flight, and answered in request order
 * ({@link ResponseWriter#sendAnswers}). The connection stops being read (back pressure on the client's socket) while
 * that many are in flight, when the next request is not a publish or expects {@code 100 Continue} (it is decided
 * only once every answer before it is written), and after a request that ends the connection.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class RequestReader
{
    private static final int MIN_CHUNKED_READ_WINDOW = 512;

    private final ConnectionTable connections;
    private final ClientAdmission admission;
    private final RequestRouter router;
    private final ResponseWriter writer;
    private final Consumer<Connection> readyQueue;
    private final ByteBuffer discardBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final BufferPool headPool;
    private final BufferPool bodyPool;
    private final ArrayDeque<Connection> bodyWaiters = new ArrayDeque<>();

    /**
     * @param context     the agent's: the settings (head and body buffer sizes, the number of body buffers) and
     *                    the connection table.
     * @param admission   deciding a proxied connection's client on each head.
     * @param router      deciding heads and answering complete requests.
     * @param writer      answering refusals and {@code 100 Continue}.
     * @param readyQueue  takes a connection handed a body buffer, whose buffered request is to be processed in
     *                    this duty cycle.
     */
    RequestReader(
        final AgentContext context,
        final ClientAdmission admission,
        final RequestRouter router,
        final ResponseWriter writer,
        final Consumer<Connection> readyQueue)
    {
        this.connections = context.connections;
        this.admission = admission;
        this.router = router;
        this.writer = writer;
        this.readyQueue = readyQueue;
        final ServerConfig config = context.config;
        headPool = new BufferPool(config.maxRequestHeadBytes(), 256);
        // a hub of several agents splits the buffers between them, at least one each
        final int bodyBuffers = Math.max(1, config.requestBodyBuffers() / config.agents());
        bodyPool = new BufferPool(config.requestBodyBufferBytes(), bodyBuffers, bodyBuffers);
        bodyPool.handover(this::handOverBodyBuffer);
    }

    /**
     * Read what a connection's socket has: request bytes while it reads requests, then parse and answer them;
     * otherwise (streaming, lingering, waiting) the bytes are discarded and only the end of the stream counts.
     *
     * @param connection whose socket is readable.
     * @throws IOException when the read fails.
     */
    void onReadable(final Connection connection) throws IOException
    {
        if (connection.isReading())
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
                if (connection.hasPublishesInFlight())
                {
                    connection.publishes.endInput();
                    ResponseWriter.stopReading(connection);
                    return;
                }
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

    /**
     * Parse, decide and answer the requests buffered on a connection, in order. Every decision a request head
     * allows is taken on the complete head ({@link #onHeadComplete}), before any of its body is read: a refused
     * request is answered and its body never buffered. A head that passed reads its body into the buffer its head
     * arrived in, or, when it does not fit there, into one of the bounded body buffers (waiting for one, not read,
     * while none is free), and only then is told {@code 100 Continue}. First, the decided answers owed to publishes
     * in flight are written.
     */
    void processRequests(final Connection connection)
    {
        writer.sendAnswers(connection);
        while (connection.isReading() && null != connection.request && connection.readLimit > 0 &&
            !connection.waitingForBodyBuffer)
        {
            HttpRequestParser parser = connection.parser;
            if (null == parser)
            {
                parser = connections.acquireParser();
                connection.parser = parser;
            }
            if (parser.state() != HttpRequestParser.State.COMPLETE)
            {
                final PendingPublishes publishes = connection.publishes;
                if (null != publishes && !publishes.isEmpty() && (publishes.isFull() || publishes.isEnding()))
                {
                    ResponseWriter.stopReading(connection);
                    return;
                }
                connection.headDecided = false;
                final int result = parser.parse(connection.request.view, connection.readLimit);
                if (result == HttpRequestParser.NEED_MORE)
                {
                    return;
                }
                if (result == HttpRequestParser.BAD_MESSAGE)
                {
                    writer.sendError(connection, Refusal.ofStatus(parser.errorStatus()), parser.errorReason());
                    return;
                }
                connection.keepAlive = parser.isKeepAlive();
                connection.announceKeepAlive = connection.keepAlive && !parser.isHttp11();
            }
            if (!connection.headDecided)
            {
                if (connection.hasPublishesInFlight() && (!RequestRouter.isPublish(parser) || parser.expectsContinue()))
                {
                    ResponseWriter.stopReading(connection);
                    return;
                }
                if (!onHeadComplete(connection))
                {
                    return;
                }
                connection.headDecided = true;
            }

            final int requestEnd = parser.isChunked() ? receiveChunkedBody(connection) : receiveBody(connection);
            if (requestEnd < 0)
            {
                return;
            }
            router.route(connection, connection.request.view);
            if (connection.isClosed())
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
            writer.sendError(connection, Refusal.ofStatus(decoder.errorStatus()), decoder.errorReason());
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
            writer.sendError(connection, Refusal.TOO_LARGE,
                request.owner == bodyPool ? "request body too large" : "request body too large for this endpoint");
            return false;
        }
        final BufferPool.PooledBuffer body = bodyPool.acquire();
        if (null == body)
        {
            connection.setInterest(0);
            connection.waitingForBodyBuffer = true;
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
            if (waiter.waitingForBodyBuffer && !waiter.isClosed() && null != request && request.owner == headPool)
            {
                waiter.waitingForBodyBuffer = false;
                buffer.view.putBytes(0, request.view, 0, waiter.readLimit);
                waiter.request = buffer;
                request.release();
                if (waiter.isReading())
                {
                    waiter.setInterest(SelectionKey.OP_READ);
                    readyQueue.accept(waiter);
                }
                return true;
            }
            waiter.waitingForBodyBuffer = false;
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
        if (connection.isStreaming())
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
}
