package io.sseflow.server.agent;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.Refusal;
import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.SseServer;
import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's internal entry point, used by {@link SseServer} and not meant for applications (they use
 * {@code SseServer}, {@code Topic} and {@code ServerMetrics}): it binds the listening socket, builds the event
 * sequencer and the {@link ServerAgent} with its collaborators, runs the agent on its own thread, and carries the
 * public API's calls to them: publish, topic lookup, disconnect, close, the failure and the counters. Calls go one
 * way, from the API through here to the agent; nothing here calls back into the API.
 */
public final class ServerRuntime
{
    private static final String DEMO_PAGE_RESOURCE = "/io/sseflow/server/hub/demo.html";
    private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    private final ServerConfig config;
    private final ServerCounters counters = new ServerCounters();
    private final TopicRegistry topics;
    private final CountDownLatch agentClosed = new CountDownLatch(1);   // the agent's own, counted before reporting
    private final CountDownLatch stopped = new CountDownLatch(1);       // closed, and a failure reported: awaitClose
    private EventSequencer sequencer;
    private ServerAgent agent;
    private volatile FailStopAgent failStopAgent;
    private AgentRunner agentRunner;
    private int port;
    private int maxRecordLength;
    private volatile int state;

    /**
     * A runtime for concluded settings, not started.
     *
     * @param config the server's settings, concluded.
     */
    public ServerRuntime(final ServerConfig config)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.topics = new TopicRegistry(config);
    }

    /**
     * Bind and start the agent thread; see {@link SseServer#start()}.
     *
     * @throws IllegalStateException when publishing is open (no token, no publish authorizer) on a non-loopback host,
     *                               or when already
     *                               started.
     * @throws UncheckedIOException  when the address cannot be bound.
     */
    public synchronized void start()
    {
        if (state != NEW)
        {
            throw new IllegalStateException("server already started");
        }
        if (config.httpPublish() && null == config.publishToken() && null == config.publishAuthorizer() &&
            !config.isLoopbackHost())
        {
            throw new IllegalStateException(
                "refusing to start: host " + config.host() + " is not a loopback address and no publish token is " +
                "set, so anyone who can reach it could publish. Set a publish token (--publish-token T) or a JWT " +
                "key (--jwt-key K, --jwt-key-file F), or bind to 127.0.0.1.");
        }

        final byte[] demoPage = config.demoPage() ? loadDemoPage() : null;
        ServerSocketChannel serverChannel = null;
        try
        {
            serverChannel = ServerSocketChannel.open();
            serverChannel.bind(new InetSocketAddress(config.host(), config.port()), 1024);
            serverChannel.configureBlocking(false);
            port = ((InetSocketAddress)serverChannel.getLocalAddress()).getPort();
            sequencer = config.eventSequencerFactory().apply(config.publishRingBytes());
            sequencer.topicDirectory(new RegistryTopicDirectory(topics));
            maxRecordLength = Math.min(config.maxEventBytes(), sequencer.maxRecordLength());
            agent = new ServerAgent(
                AgentContext.forListener(config, topics, counters, sequencer, serverChannel, maxRecordLength),
                demoPage, agentClosed);
        }
        catch (final IOException ex)
        {
            closeAfterFailedStart(serverChannel, ex);
            throw new UncheckedIOException(
                "cannot listen on " + config.host() + ":" + config.port() + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException | Error ex)
        {
            closeAfterFailedStart(serverChannel, ex);
            throw ex;
        }

        final ErrorHandler errorHandler = config.errorHandler();
        final FailStopAgent failStopAgent = new FailStopAgent(agent, errorHandler, stopped);
        agentRunner = new AgentRunner(
            config.idleStrategySupplier().get(),
            (throwable) ->
            {
                // errors escaping the duty cycle are FailStopAgent's; what arrives here is the idle strategy's, and
                // an Error from it is rethrown by the runner and reported by the thread's uncaught handler
                if (!(throwable instanceof AgentTerminationException) && !(throwable instanceof Error))
                {
                    errorHandler.onError(throwable);
                }
            },
            null,
            failStopAgent);
        final int serverNumber = SERVER_COUNT.incrementAndGet();
        try
        {
            AgentRunner.startOnThread(agentRunner, (runnable) ->
            {
                final Thread thread = new Thread(runnable, "sseflow-server-" + serverNumber);
                thread.setDaemon(false);
                thread.setUncaughtExceptionHandler((t, ex) -> failStopAgent.onUncaught(ex));
                return thread;
            });
        }
        catch (final RuntimeException | Error ex)
        {
            // no thread (e.g. "unable to create native thread"): nothing ran, so close the agent from here
            agent.onClose();
            throw ex;
        }
        this.failStopAgent = failStopAgent;
        state = RUNNING;
    }

    /**
     * The bound port; see {@link SseServer#port()}.
     *
     * @return the port, 0 before start.
     */
    public int port()
    {
        return port;
    }

    /**
     * Make sure the live topic of a name exists; see {@link SseServer#topic(String)}. Any thread.
     *
     * @param name the topic name.
     * @return true when it exists, false when the topic limit is reached.
     * @throws IllegalArgumentException for an invalid name.
     */
    public boolean ensureTopic(final String name)
    {
        return null != topics.getOrCreate(name);
    }

    /**
     * Publish on the live topic of a name, created if need be; see {@code Topic#publish}. Any thread.
     *
     * @param topicName the topic's name, valid.
     * @param data      the event's data.
     * @param options   event name, id, retry.
     * @return {@link PublishResult#OK} or why it was not published.
     */
    public PublishResult publish(final String topicName, final Object data, final SseOptions options)
    {
        Objects.requireNonNull(options, "options");
        if (state != RUNNING)
        {
            return PublishResult.CLOSED;
        }
        final PublishEncoder encoder = PublishEncoder.current();
        if (encoder.prepare(data, options) > maxRecordLength)
        {
            return PublishResult.TOO_LARGE;
        }
        final TopicState live = topics.pinLive(topicName);
        if (null == live)
        {
            return PublishResult.TOPIC_LIMIT;
        }
        PublishResult result = PublishResult.CLOSED;
        try
        {
            result = encoder.claimAndWrite(sequencer, live.index());
        }
        finally
        {
            if (result != PublishResult.OK)
            {
                live.unpin();
            }
        }
        if (result == PublishResult.BACK_PRESSURED)
        {
            counters.addAtomic(ServerCounter.PUBLISH_BACK_PRESSURED, 1);
        }
        return result;
    }

    /**
     * Ask the agent to end every stream of the live topic of a name; see {@code Topic#disconnectSubscribers()}.
     *
     * @param topicName the topic's name.
     * @return true when requested (or already pending, or no such topic is live), false when not running.
     */
    public boolean disconnectSubscribers(final String topicName)
    {
        if (!isRunning())
        {
            return false;
        }
        final TopicState live = topics.find(topicName);
        if (null == live)
        {
            return true;
        }
        if (!live.disconnectRequested.compareAndSet(false, true))
        {
            return true;
        }
        if (!agent.requestDisconnect(live))
        {
            live.disconnectRequested.set(false);
            return false;
        }
        return true;
    }

    /**
     * Current value of a counter or gauge; any thread.
     *
     * @param counter which.
     * @return the value.
     */
    public long counter(final ServerCounter counter)
    {
        return counters.get(counter);
    }

    /**
     * Requests or connections refused for one reason; any thread.
     *
     * @param refusal which.
     * @return the count.
     */
    public long refused(final Refusal refusal)
    {
        return counters.refused(refusal);
    }

    /**
     * Topic selectors of the streams started, of one kind; any thread.
     *
     * @param kind which.
     * @return the count.
     */
    public long streamSelectors(final SelectorKind kind)
    {
        return counters.selectors(kind);
    }

    /**
     * Stop the server gracefully, blocking until done; idempotent. See {@link SseServer#close()}.
     */
    public void close()
    {
        synchronized (this)
        {
            if (state == CLOSED)
            {
                return;
            }
            final boolean running = state == RUNNING;
            state = CLOSED;
            if (!running)
            {
                return;
            }
            agent.requestClose();
        }
        if (Thread.currentThread() == agentRunner.thread())
        {
            // called from the agent thread (an error handler or authorizer): it closes after this duty cycle
            return;
        }
        try
        {
            if (!stopped.await(config.shutdownTimeoutMs() + 5_000, TimeUnit.MILLISECONDS))
            {
                config.errorHandler().onError(new IllegalStateException("server agent did not stop in time"));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        agentRunner.close();
    }

    /**
     * Block until the server has stopped; see {@link SseServer#awaitClose()}.
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public void awaitClose() throws InterruptedException
    {
        stopped.await();
    }

    /**
     * Started, not closed and not stopped by a fatal error?
     *
     * @return true while running.
     */
    public boolean isRunning()
    {
        return state == RUNNING && null == failStopAgent.failure() && stopped.getCount() > 0;
    }

    /**
     * What stopped the server, when something other than {@link #close()} did; see {@link SseServer#failure()}.
     *
     * @return the failure, or null.
     */
    public Throwable failure()
    {
        final FailStopAgent failStopAgent = this.failStopAgent;
        return null == failStopAgent ? null : failStopAgent.failure();
    }

    Thread agentThread()
    {
        return agentRunner.thread();
    }

    ServerAgent agent()
    {
        return agent;
    }

    TopicRegistry topics()
    {
        return topics;
    }

    ServerCounters counters()
    {
        return counters;
    }

    private void closeAfterFailedStart(final ServerSocketChannel serverChannel, final Throwable failure)
    {
        try
        {
            if (null != serverChannel)
            {
                serverChannel.close();
            }
            if (null != sequencer)
            {
                sequencer.close();
            }
        }
        catch (final Throwable ex)
        {
            if (ex != failure)
            {
                failure.addSuppressed(ex);
            }
        }
    }

    private static byte[] loadDemoPage()
    {
        try (InputStream in = ServerRuntime.class.getResourceAsStream(DEMO_PAGE_RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("demo page resource missing: " + DEMO_PAGE_RESOURCE);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
