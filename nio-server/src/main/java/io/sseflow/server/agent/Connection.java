package io.sseflow.server.agent;


import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.log.SubscriberCursor;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection, owned by the server agent: reading requests, with pipelined publishes in flight or not,
 * waiting for them to be answered, writing a response, streaming events, finishing the frame in flight of a stream
 * being ended, or lingering before close.
 * <p>
 * Its {@link State} changes only through the transition methods here, each of which checks the state it leaves:
 * <pre>
 *   READING, PUBLISHING --------------&gt; PUBLISHING        {@link #startPublishing()}
 *   PUBLISHING ------------------------&gt; AWAITING_PUBLISH {@link #awaitPublish()}
 *   READING, PUBLISHING, AWAITING_PUBLISH -------&gt; WRITING {@link #startWriting}
 *   READING, PUBLISHING, AWAITING_PUBLISH, WRITING --&gt; READING or PUBLISHING {@link #readNextRequest}
 *   READING --------------------------&gt; STREAMING   {@link #startStreaming}
 *   STREAMING ----------------------&gt; ENDING_STREAM {@link #endStream}
 *   READING, PUBLISHING, AWAITING_PUBLISH, WRITING, ENDING_STREAM --&gt; LINGERING {@link #linger}
 *   any but CLOSED ---------------------&gt; CLOSED    {@link #markClosed()}
 * </pre>
 * {@link #readNextRequest} goes to PUBLISHING when publishes are still in flight ({@link #publishes}), to READING
 * otherwise. An illegal transition is a programming error, never a consequence of input: it throws
 * {@link IllegalStateException} naming both states.
 */
final class Connection
{
    /**
     * Where a connection is in its life.
     */
    enum State
    {
        /**
         * Reading (and answering) requests; the initial state.
         */
        READING,

        /**
         * Reading further requests while pipelined publishes are in flight (offered, not yet answered): only
         * publishes are taken, up to {@link PendingPublishes#CAPACITY}; no request timeout runs.
         */
        PUBLISHING,

        /**
         * Publishes are in flight and nothing more is read until some are answered: as many as may be are in
         * flight, the next request is not a publish (it waits for every answer before it), or no request follows
         * (one ends the connection, or the client closed its side).
         */
        AWAITING_PUBLISH,

        /**
         * Writing the part of a response the socket did not take at once.
         */
        WRITING,

        /**
         * A subscriber: its cursor streams its topic's events.
         */
        STREAMING,

        /**
         * A stream being ended: the frame in flight is finished, then the connection lingers.
         */
        ENDING_STREAM,

        /**
         * The write side closed; what the client still sends is drained until it closes or the deadline passes.
         */
        LINGERING,

        /**
         * Closed or reset; final.
         */
        CLOSED
    }

    final long id;
    final SocketChannel channel;
    final boolean admitted;
    /**
     * Lent by the {@link ConnectionTable}'s pool when request bytes arrive and given back when a stream starts or the
     * connection ends: a connection that has sent nothing yet, or streams, holds none.
     */
    HttpRequestParser parser;
    final SubscriberCursor cursor = new SubscriberCursor();
    SelectionKey key;
    int interestOps;
    private State state = State.READING;
    int listIndex = -1;
    int subscriberIndex = -1;
    int readyIndex = -1;

    BufferPool.PooledBuffer request;
    int readLimit;
    boolean continueSent;
    boolean keepAlive;
    boolean announceKeepAlive;
    ByteBuffer pendingOut;
    long deadlineNs;
    StreamSource topic;
    long streamingSinceNs;
    /**
     * Whether the stream's credentials expire ({@link #credentialsExpireNs}); set when the stream starts.
     */
    boolean credentialsExpire;
    /**
     * When the stream's credentials expire, on the agent's nano clock: the timer scan ends the stream then, after
     * whole frames ({@link ConnectionTimers}).
     */
    long credentialsExpireNs;
    java.net.InetAddress remoteAddress;
    java.net.InetAddress proxyAddress;
    long clientHigh;
    long clientLow;
    /**
     * The publish authorizer's answer to this connection's publish head, kept for the topics its body names (a
     * Mercure publish); null when there is no authorizer or no publish.
     */
    io.sseflow.server.Authorization publishAuthorization;
    /**
     * The answers owed to publishes in flight, in request order; null while none is (taken from and given back to
     * the {@link ConnectionTable}'s pool).
     */
    PendingPublishes publishes;
    /**
     * The number of this connection's next publish, in its correlation id ({@link PendingPublishes#correlationId}).
     */
    long nextPublishNumber;
    /**
     * Whether the request head being read was decided ({@code RequestRouter#onHead}): a complete head may wait,
     * undecided, for the answers to the publishes before it.
     */
    boolean headDecided;
    /**
     * Whether the request waits in line for a body buffer.
     */
    boolean waitingForBodyBuffer;
    /**
     * The Mercure subscription {@link Presence} announced for this stream, or null (presence off, not a Mercure
     * subscription, or not announced).
     */
    Presence.Subscription presence;

    Connection(final long id, final SocketChannel channel, final boolean admitted, final HttpRequestParser parser)
    {
        this.id = id;
        this.channel = channel;
        this.admitted = admitted;
        this.parser = parser;
    }

    State state()
    {
        return state;
    }

    /**
     * Does the connection read requests: with no publish in flight, or with some and room for more?
     *
     * @return true when READING or PUBLISHING.
     */
    boolean isReading()
    {
        return state == State.READING || state == State.PUBLISHING;
    }

    /**
     * Are publishes of this connection offered and not yet answered (or a refusal queued behind them)?
     *
     * @return true when answers are owed in order.
     */
    boolean hasPublishesInFlight()
    {
        return null != publishes && !publishes.isEmpty();
    }

    boolean isAwaitingPublish()
    {
        return state == State.AWAITING_PUBLISH;
    }

    boolean isStreaming()
    {
        return state == State.STREAMING;
    }

    boolean isClosed()
    {
        return state == State.CLOSED;
    }

    /**
     * Is anything still to be sent: a response being written or awaited (a publish's id), a stream's bytes not yet
     * written, or the frame in flight of a stream being ended?
     *
     * @return false when the connection has nothing left to send.
     */
    boolean hasOutputPending()
    {
        switch (state)
        {
            case STREAMING:
                return cursor.hasPending();

            case WRITING:
            case PUBLISHING:
            case AWAITING_PUBLISH:
            case ENDING_STREAM:
                return true;

            default:
                return false;
        }
    }

    /**
     * A publish was offered to the sequencer (its answer is queued in {@link #publishes}): read on while there is
     * room for more.
     */
    void startPublishing()
    {
        if (state != State.READING && state != State.PUBLISHING)
        {
            throw illegal(State.PUBLISHING);
        }
        state = State.PUBLISHING;
    }

    /**
     * Publishes are in flight and no further request is to be taken now: wait for their answers, reading nothing.
     */
    void awaitPublish()
    {
        if (state != State.PUBLISHING)
        {
            throw illegal(State.AWAITING_PUBLISH);
        }
        state = State.AWAITING_PUBLISH;
    }

    /**
     * A response was written only in part: write the rest when the socket takes it.
     *
     * @param pendingOut what the socket did not take.
     * @param keepAlive  whether to read the next request once it is written.
     * @param deadlineNs by which the rest must be written.
     */
    void startWriting(final ByteBuffer pendingOut, final boolean keepAlive, final long deadlineNs)
    {
        if (state != State.READING && state != State.PUBLISHING && state != State.AWAITING_PUBLISH)
        {
            throw illegal(State.WRITING);
        }
        this.pendingOut = pendingOut;
        this.keepAlive = keepAlive;
        this.deadlineNs = deadlineNs;
        state = State.WRITING;
    }

    /**
     * A response is written and the connection is kept alive: read the next request, with publishes still in
     * flight (PUBLISHING) or none (READING).
     *
     * @param deadlineNs by which the next request must be received (once no publish is in flight).
     */
    void readNextRequest(final long deadlineNs)
    {
        final State to = hasPublishesInFlight() ? State.PUBLISHING : State.READING;
        if (state != State.READING && state != State.PUBLISHING && state != State.AWAITING_PUBLISH &&
            state != State.WRITING)
        {
            throw illegal(to);
        }
        pendingOut = null;
        this.deadlineNs = deadlineNs;
        state = to;
    }

    /**
     * A subscribe request was accepted: the connection reads no more requests and streams the topic (or the shared
     * stream of several topics).
     *
     * @param topic streamed.
     */
    void startStreaming(final StreamSource topic)
    {
        if (state != State.READING)
        {
            throw illegal(State.STREAMING);
        }
        releaseRequest();
        readLimit = 0;
        this.topic = topic;
        streamingSinceNs = System.nanoTime();
        state = State.STREAMING;
    }

    /**
     * The stream's subscription is over (already removed from its topic): finish the frame in flight, then linger.
     *
     * @param deadlineNs by which the frame must be written.
     */
    void endStream(final long deadlineNs)
    {
        if (state != State.STREAMING)
        {
            throw illegal(State.ENDING_STREAM);
        }
        topic = null;
        this.deadlineNs = deadlineNs;
        state = State.ENDING_STREAM;
    }

    /**
     * The last response is written and the write side shut down: drain what the client still sends.
     *
     * @param deadlineNs by which the client must have closed.
     */
    void linger(final long deadlineNs)
    {
        if (state == State.STREAMING || state == State.LINGERING || state == State.CLOSED)
        {
            throw illegal(State.LINGERING);
        }
        releaseRequest();
        readLimit = 0;
        pendingOut = null;
        this.deadlineNs = deadlineNs;
        state = State.LINGERING;
    }

    /**
     * The connection is closed (its resources are released by the {@link ConnectionTable}).
     */
    void markClosed()
    {
        if (state == State.CLOSED)
        {
            throw illegal(State.CLOSED);
        }
        releaseRequest();
        topic = null;
        pendingOut = null;
        state = State.CLOSED;
    }

    void setInterest(final int interestOps)
    {
        if (this.interestOps != interestOps && key.isValid())
        {
            key.interestOps(interestOps);
            this.interestOps = interestOps;
        }
    }

    void releaseRequest()
    {
        final BufferPool.PooledBuffer request = this.request;
        if (null != request)
        {
            request.release();
            this.request = null;
        }
    }

    private IllegalStateException illegal(final State to)
    {
        return new IllegalStateException("connection " + id + ": no transition from " + state + " to " + to);
    }
}
