package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.http.CacheControl;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.transport.SelectionHandler;
import io.sseflow.server.transport.SelectorPoller;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's single thread of work, run by an Agrona {@code AgentRunner}. Each duty cycle:
 * <ol>
 *     <li>polls sequenced events from the {@link EventSequencer}; the {@link FrameAssembler} turns each record into
 *     its frame, appended once to its topic's log, and answers its HTTP publisher; then goes on with the requests
 *     of HTTP publishers answered meanwhile (pipelined publishes);</li>
 *     <li>flushes every subscriber of the topics that grew ({@link SubscriberFlusher}): one write of
 *     {@code log[cursor..head]} each;</li>
 *     <li>selects without blocking: accepts ({@link ConnectionAcceptor}), reads, decides and answers requests
 *     ({@link RequestReader}, {@link RequestRouter}), resumes blocked writes ({@link ResponseWriter}); for at most
 *     {@link #SELECT_BUDGET_NS}, and at most {@link PeerShares#READS_PER_CYCLE} reads per peer address, so that a
 *     burst from one address is served over several cycles while everyone else's requests are read in the next;</li>
 *     <li>ends the streams of topics whose subscribers were disconnected;</li>
 *     <li>ends every topic's streams while the node has been without a cluster leader ({@link LeaderLossWatch});</li>
 *     <li>every few milliseconds: heartbeats for idle streams, request and linger timeouts
 *     ({@link ConnectionTimers});</li>
 *     <li>once closing is requested, the {@link ShutdownDrain}: stops accepting, lets what is sequenced be written,
 *     then closes.</li>
 * </ol>
 * In steady state nothing here allocates: buffers are pre-allocated, topics are found by their name bytes, and
 * the selected keys are handled through a {@link SelectorPoller}.
 */
final class ServerAgent implements Agent, SelectionHandler
{
    private static final int POLL_LIMIT = 1024;
    /**
     * Steps of selector matching ({@link io.sseflow.server.selector.TopicSelector#matchCost}) new streams' linking
     * ({@link StreamRegistry#link}) may take per duty cycle, and new topics' linking as much again: about 0.5 ms each
     * at the ~2-2.5 ns a step takes on the VM the README's figures come from.
     */
    static final long LINK_STEPS_PER_CYCLE = 200_000;
    /**
     * How long one duty cycle hands ready connections (accepts, requests, writes) to their handlers before it moves
     * on to deliver events, run timers and link: a burst of a thousand requests (JWT checks, subscribes, replays)
     * is served over several cycles, so events published meanwhile wait at most about this long plus one request.
     */
    static final long SELECT_BUDGET_NS = 1_000_000;
    private static final int MAX_PUBLISH_ROUNDS = 64;

    private final ServerConfig config;
    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final EventSequencer sequencer;
    private final HttpResponses responses;
    private final ServerSocketChannel serverChannel;
    private final SelectorPoller poller;
    private final SelectionKey acceptKey;
    private final CountDownLatch terminated;

    private final ManyToOneConcurrentArrayQueue<TopicState> disconnectRequests;
    private final LeaderLossWatch leaderLoss;
    private final CachedNanoClock clock;
    private final ConnectionTable connections;
    private final ResponseWriter writer;
    private final SubscriberFlusher flusher;
    private final FrameAssembler frames;
    private final SubscribeHandler subscribeHandler;
    private final RequestRouter router;
    private final ConnectionTimers timers;
    private final ShutdownDrain shutdown;
    private final ConnectionAcceptor acceptor;
    private final ConnectionAcceptor handoff;
    private final CatchUpHolds holds;
    private final LinkHolds linkHolds;
    private final StreamRegistry streams;
    private final RequestReader reader;
    private final PeerShares shares = new PeerShares();
    private Connection[] ready = new Connection[16];
    private int readyCount;

    private long nowNs;
    private int lastPollCount;
    private final AtomicBoolean closeRequested;

    /**
     * @param context    the settings and the objects shared with the collaborators, built when the server bound
     *                   its listening socket ({@link AgentContext#forListener}).
     * @param demoPage   the page served at {@code /}, or null for none.
     * @param terminated counted down once the agent has closed.
     * @throws IOException when the listening socket cannot be registered with the selector.
     */
    ServerAgent(final AgentContext context, final byte[] demoPage, final CountDownLatch terminated) throws IOException
    {
        this.config = context.config;
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.sequencer = context.sequencer;
        topics.sequencer(sequencer);
        this.serverChannel = context.listener;
        this.terminated = terminated;
        this.clock = context.clock;
        this.connections = context.connections;
        this.closeRequested = context.closeRequested;
        this.poller = new SelectorPoller(this);

        disconnectRequests = new ManyToOneConcurrentArrayQueue<>(Math.min(config.maxTopics(), 4096));

        this.responses = context.responses;
        writer = new ResponseWriter(context, 64 * 1024 + ServerCounters.maxRenderedLength());
        flusher = new SubscriberFlusher(context, writer);
        final HttpPublishHandler publishHandler = new HttpPublishHandler(context, writer);
        holds = new CatchUpHolds(sequencer, metrics, flusher);
        final Presence presence = new Presence(context);
        connections.presence(presence);
        subscribeHandler = new SubscribeHandler(context, writer, flusher, holds, constant(responses.eventStreamHead()),
            constant(responses.eventStreamHead(CacheControl.PRIVATE)), presence);
        linkHolds = subscribeHandler.linkHolds();
        streams = context.topics.streams();
        router = new RequestRouter(context, writer, subscribeHandler, publishHandler, demoPage, presence);
        frames = new FrameAssembler(context, flusher, publishHandler, holds, this::scheduleReady,
            presence::onEndDelivered);
        timers = new ConnectionTimers(context, writer, flusher);
        leaderLoss = new LeaderLossWatch(sequencer, topics, flusher);
        final ClientAdmission admission = new ClientAdmission(config, connections, writer);
        acceptor = new ConnectionAcceptor(context, poller.selector(), admission, writer);
        reader = new RequestReader(context, admission, router, writer, this::scheduleReady);
        shutdown = new ShutdownDrain(context, poller.selector());
        handoff = null == context.handoff || null != serverChannel ? null : acceptor;
        // last, so that when an allocation above fails the listening socket is not registered and closes at once
        this.acceptKey = null == serverChannel ? null : serverChannel.register(poller.selector(), SelectionKey.OP_ACCEPT);
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
        shares.startCycle();
        if (null != handoff)
        {
            workCount += handoff.acceptHandedOver();
        }
        workCount += poller.selectNow(SELECT_BUDGET_NS);
        workCount += shares.deferred();
        if (!disconnectRequests.isEmpty())
        {
            workCount += disconnectRequested();
        }
        workCount += timers.poll(nowNs);
        workCount += leaderLoss.poll(nowNs);
        if (!holds.isEmpty())
        {
            workCount += holds.poll(nowNs);
        }
        if (!linkHolds.isEmpty() || streams.linkingCount() > 0)
        {
            workCount += linkHolds.poll(LINK_STEPS_PER_CYCLE);
        }
        if (closeRequested.get())
        {
            workCount += shutdown.poll(nowNs, lastPollCount == 0 && !flusher.hasDirtyTopics() && readyCount == 0);
        }
        if (workCount > 0)
        {
            metrics.agentCycles().record(System.nanoTime() - nowNs);
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
            CloseHelper.close(serverChannel);
        }
        catch (final Throwable ex)
        {
            error = firstOf(error, ex);
        }
        if (null != handoff)
        {
            handoff.closeHandedOver();
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

    boolean requestDisconnect(final TopicState topic)
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
            return acceptor.accept();
        }

        final Connection connection = (Connection)key.attachment();
        if (!key.isValid() || connection.isClosed())
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
            if ((readyOps & SelectionKey.OP_READ) != 0 && !connection.isClosed())
            {
                if (connection.isReading() && !shares.take(connection))
                {
                    return 0;
                }
                reader.onReadable(connection);
            }
        }
        catch (final IOException | CancelledKeyException ex)
        {
            connections.close(connection);
        }
        return 1;
    }

    SelectorPoller poller()
    {
        return poller;
    }

    private void onWritable(final Connection connection) throws IOException
    {
        switch (connection.state())
        {
            case STREAMING:
                flusher.flush(connection);
                break;

            case ENDING_STREAM:
                flusher.flushEndingStream(connection);
                break;

            case WRITING:
                if (writer.resumeWrite(connection) && connection.isReading())
                {
                    reader.processRequests(connection);
                }
                break;

            default:
                break;
        }
    }

    private int disconnectRequested()
    {
        int workCount = 0;
        TopicState topic;
        while (null != (topic = disconnectRequests.poll()))
        {
            topic.disconnectRequested.set(false);
            workCount += flusher.endStreams(topic);
        }
        return workCount;
    }

    /**
     * Append every pending event before any subscriber is written to, so that each subscriber gets all of them in
     * one write: syscalls, not encoding, bound fan-out here. An HTTP publisher's pipelined POSTs are offered as they
     * are read (up to 64 in flight per connection) and answered in order; a connection answered in a round is handed
     * back to write its answers and read on, so rounds go on while answered publishers have more requests buffered; at
     * most {@code POLL_LIMIT} events are appended between two flushes, as before, so subscribers are not lapped. While
     * template selectors are live, events are taken as many at a time as new topics of the longest name could be
     * matched within {@link #LINK_STEPS_PER_CYCLE} steps (at least one), and the cycle ends once new topics' linking
     * has taken that many: the rest wait in the sequencer, in order. Taken one at a time, an event whose new topics would
     * take more than the budget left waits (copied, its topics pinned) while they are linked in slices over the next
     * cycles ({@link FrameAssembler#resumeDeferred}), and nothing is polled meanwhile: events keep their order.
     */
    private int drainPublishes()
    {
        int workCount = 0;
        int appended = 0;
        int rounds = 0;
        int polled;
        streams.startCycle();
        if (frames.isDeferred())
        {
            workCount += frames.resumeDeferred(LINK_STEPS_PER_CYCLE);
            if (frames.isDeferred())
            {
                if (readyCount > 0)
                {
                    workCount += processReady();
                }
                return workCount;
            }
        }
        final int chunk = streams.templateCount() > 0 ?
            (int)Math.max(1, Math.min(POLL_LIMIT, LINK_STEPS_PER_CYCLE / streams.newTopicWorstSteps())) : POLL_LIMIT;
        final int maxRounds = MAX_PUBLISH_ROUNDS * (POLL_LIMIT / chunk);
        do
        {
            frames.deferLinkingOver(1 == chunk, LINK_STEPS_PER_CYCLE - streams.newTopicSteps());
            polled = sequencer.poll(frames, Math.min(chunk, POLL_LIMIT - appended));
            lastPollCount = polled;
            appended += polled;
            workCount += polled;
            if (readyCount > 0)
            {
                workCount += processReady();
            }
        }
        while (polled > 0 && appended < POLL_LIMIT && ++rounds < maxRounds && !frames.isDeferred() &&
            streams.newTopicSteps() < LINK_STEPS_PER_CYCLE);
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
            reader.processRequests(connection);
        }
        readyCount = 0;
        return count;
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

    private static ByteBuffer constant(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }

    /**
     * The agent's connections (for tests).
     *
     * @return its table.
     */
    ConnectionTable connections()
    {
        return connections;
    }
}
