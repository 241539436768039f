package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.HttpMethod;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.http.Persistence;
import io.sseflow.server.mercure.ProtectedResourceMetadata;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;

/**
 * Writes HTTP responses built in one shared buffer: {@link #buffer()} takes the response, {@link #send} writes
 * it, keeping what the socket did not take as the connection's pending output. After a response the connection
 * reads its next request or, when it is not kept alive, lingers: the write side closed, what the client still
 * sends drained until it closes or {@code LINGER_NS} passes. An error answer to a {@code HEAD} request has no
 * body (RFC 9110 section 9.3.2). While a connection has pipelined publishes in flight, an error answer is queued
 * behind their answers ({@link PendingPublishes#refuse}), and {@link #sendAnswers} writes the decided ones, in order,
 * in one write.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class ResponseWriter
{
    private static final long LINGER_NS = TimeUnit.SECONDS.toNanos(2);
    private static final int ANSWER_ROOM = 8 * 1024;

    private final ServerCounters metrics;
    private final HttpResponses responses;
    private final ConnectionTable connections;
    private final CachedNanoClock clock;
    private final long requestTimeoutNs;
    private final ByteBuffer responseByteBuffer;
    private final UnsafeBuffer responseBuffer;
    private final RefusalHeaders refusalHeaders;

    ResponseWriter(final AgentContext context, final int capacity)
    {
        this.metrics = context.metrics;
        this.responses = context.responses;
        this.connections = context.connections;
        this.clock = context.clock;
        this.requestTimeoutNs = context.config.requestTimeoutNs();
        final String resource = context.config.resourceIdentifier();
        this.refusalHeaders = new RefusalHeaders(null == resource ? null : ProtectedResourceMetadata.url(resource));
        responseByteBuffer = ByteBuffer.allocateDirect(capacity);
        responseBuffer = new UnsafeBuffer(responseByteBuffer);
    }

    UnsafeBuffer buffer()
    {
        return responseBuffer;
    }

    HttpResponses responses()
    {
        return responses;
    }

    void send(final Connection connection, final int length, final boolean keepAlive)
    {
        final ByteBuffer out = responseByteBuffer;
        out.clear().limit(length);
        try
        {
            connection.channel.write(out);
        }
        catch (final IOException ex)
        {
            connections.close(connection);
            return;
        }
        if (out.hasRemaining())
        {
            final ByteBuffer pendingOut = ByteBuffer.allocate(out.remaining());
            pendingOut.put(out).flip();
            connection.startWriting(pendingOut, keepAlive, clock.nanoTime() + requestTimeoutNs);
            connection.setInterest(SelectionKey.OP_WRITE);
        }
        else
        {
            onResponseWritten(connection, keepAlive);
        }
    }

    /**
     * Write the response head a stream has of its own (built in {@link #buffer()} from 0), straight to the socket,
     * before its cursor opens: nothing is allocated when the socket takes it all, as it does at the start of a
     * connection's stream; what it does not take is copied into a buffer of its exact length, which the cursor sends
     * first, as its control bytes. A failed write leaves the rest to the cursor too, whose first flush meets the same
     * error and closes the connection as for any stream.
     *
     * @param connection about to stream.
     * @param length     of the head in the response buffer.
     * @return null when the whole head is written, else the rest, read from 0 to capacity.
     */
    ByteBuffer writeStreamHead(final Connection connection, final int length)
    {
        final ByteBuffer out = responseByteBuffer;
        out.clear().limit(length);
        try
        {
            connection.channel.write(out);
        }
        catch (final IOException ex)
        {
            // the cursor's flush meets it and closes the connection
        }
        if (!out.hasRemaining())
        {
            return null;
        }
        final ByteBuffer rest = ByteBuffer.allocate(out.remaining());
        rest.put(out).flip();
        return rest;
    }

    void send(final Connection connection, final byte[] response)
    {
        responseBuffer.putBytes(0, response);
        send(connection, response.length, connection.keepAlive);
    }

    /**
     * Refuse: answer with the refusal's status, its default reason and its header line, count it, then close.
     *
     * @param connection to answer.
     * @param refusal    why.
     */
    void sendError(final Connection connection, final Refusal refusal)
    {
        sendError(connection, refusal, refusal.message(), refusalHeaders.of(refusal));
    }

    /**
     * Refuse with a reason more precise than the refusal's default.
     *
     * @param connection to answer.
     * @param refusal    why.
     * @param reason     ASCII text sent as the body.
     */
    void sendError(final Connection connection, final Refusal refusal, final String reason)
    {
        sendError(connection, refusal, reason, refusalHeaders.of(refusal));
    }

    /**
     * Refuse with a reason and header lines of this answer's own (the {@code Allow} line of a 405), sent instead of
     * the refusal's header line.
     *
     * @param connection   to answer.
     * @param refusal      why.
     * @param reason       ASCII text sent as the body.
     * @param extraHeaders complete header lines (each ending CRLF), or null.
     */
    void sendError(final Connection connection, final Refusal refusal, final String reason, final byte[] extraHeaders)
    {
        countRefusal(refusal);
        final HttpRequestParser parser = connection.parser;
        final boolean withBody = null == parser || parser.method() != HttpMethod.HEAD;
        if (connection.hasPublishesInFlight())
        {
            connection.publishes.refuse(refusal, reason, extraHeaders, withBody);
            stopReading(connection);
            return;
        }
        final int length = responses.putError(responseBuffer, 0, refusal.status(), reason, extraHeaders, withBody);
        send(connection, length, false);
    }

    /**
     * Count an error answer: every error, and this refusal.
     *
     * @param refusal answered.
     */
    void countRefusal(final Refusal refusal)
    {
        metrics.increment(ServerCounter.HTTP_ERRORS);
        metrics.incrementRefused(refusal);
    }

    /**
     * Write the decided answers a connection owes its pipelined publishes, from the oldest on, in one write (more
     * when they do not fit the response buffer): nothing while the oldest is awaited or a response is still being
     * written (the rest follow once it is). Once written, the connection reads on, or lingers when the last answer
     * ends it; when no answer is owed any more its queue goes back to the pool.
     *
     * @param connection with publishes in flight, or none (nothing happens).
     */
    void sendAnswers(final Connection connection)
    {
        PendingPublishes publishes;
        while (null != (publishes = connection.publishes) && publishes.isHeadDecided() && takesAnswers(connection))
        {
            final int length = publishes.render(responses, responseBuffer, 0, responseBuffer.capacity() - ANSWER_ROOM);
            final boolean keepAlive = publishes.keepsAlive();
            if (!keepAlive || publishes.isEmpty())
            {
                connections.releasePublishes(connection);
            }
            send(connection, length, keepAlive);
        }
    }

    private static boolean takesAnswers(final Connection connection)
    {
        switch (connection.state())
        {
            case READING:
            case PUBLISHING:
            case AWAITING_PUBLISH:
                return true;

            default:
                return false;
        }
    }

    /**
     * Take no further request now: publishes are in flight and the next request waits for their answers, none is
     * to follow, or as many as may be are in flight.
     *
     * @param connection reading with publishes in flight (PUBLISHING); nothing happens in any other state.
     */
    static void stopReading(final Connection connection)
    {
        if (connection.state() == Connection.State.PUBLISHING)
        {
            connection.awaitPublish();
            connection.setInterest(0);
        }
    }

    /**
     * What the response to a connection's request says about the connection.
     *
     * @param connection whose request is being answered.
     * @return close, keep-alive, or keep-alive announced to an HTTP/1.0 client.
     */
    static Persistence persistence(final Connection connection)
    {
        return Persistence.of(connection.keepAlive, connection.announceKeepAlive);
    }

    /**
     * Write more of a response the socket did not take at once.
     *
     * @param connection in the {@link Connection.State#WRITING} state.
     * @return true when the response is now written.
     * @throws IOException when the write fails.
     */
    boolean resumeWrite(final Connection connection) throws IOException
    {
        final ByteBuffer pendingOut = connection.pendingOut;
        connection.channel.write(pendingOut);
        if (pendingOut.hasRemaining())
        {
            return false;
        }
        connection.pendingOut = null;
        onResponseWritten(connection, connection.keepAlive);
        return true;
    }

    void writeQuietly(final Connection connection, final byte[] bytes)
    {
        final ByteBuffer out = responseByteBuffer;
        responseBuffer.putBytes(0, bytes);
        out.clear().limit(bytes.length);
        try
        {
            connection.channel.write(out);
        }
        catch (final IOException ignore)
        {
            // the read side notices a dead peer
        }
    }

    void startLinger(final Connection connection)
    {
        // RFC 9112 section 9.6: close the write side, then drain what the client still sends, so that a reset
        // does not destroy the response before the client read it
        try
        {
            connection.channel.shutdownOutput();
        }
        catch (final IOException ex)
        {
            connections.close(connection);
            return;
        }
        connection.linger(clock.nanoTime() + LINGER_NS);
        connection.setInterest(SelectionKey.OP_READ);
    }

    private void onResponseWritten(final Connection connection, final boolean keepAlive)
    {
        if (!keepAlive)
        {
            startLinger(connection);
            return;
        }
        connection.readNextRequest(clock.nanoTime() + requestTimeoutNs);
        connection.setInterest(connection.waitingForBodyBuffer ? 0 : SelectionKey.OP_READ);
    }
}
