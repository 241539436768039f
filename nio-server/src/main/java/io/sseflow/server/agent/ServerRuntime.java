package io.sseflow.server.agent;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.Refusal;
import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.SseServer;
import io.sseflow.server.cluster.StateMachineSequencer;
import io.sseflow.server.fanout.FanOutSequencer;
import io.sseflow.server.fanout.PublishIngress;
import io.sseflow.server.fanout.SequencedLog;
import io.sseflow.server.fanout.SequencedLogWriter;
import io.sseflow.server.http.TrustedProxies;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.TopicDirectory;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's internal entry point, used by {@link SseServer} and not meant for applications (they use
 * {@code SseServer}, {@code Topic} and {@code ServerMetrics}): it binds the listening socket, builds the event
 * sequencer and the {@link ServerAgent} with its collaborators, runs the agent on its own thread, and carries the
 * public API's calls to them: publish, topic lookup, disconnect, close, the failure and the counters. Calls go one
 * way, from the API through here to the agent; nothing here calls back into the API. With several agents
 * ({@link ServerConfig#agents()}) it builds each agent, the shared ingress and sequenced log, and runs the sequencer on
 * a thread of its own; an application's publishes pin their topics in agent 0's topics.
 */
public final class ServerRuntime
{
    private static final String DEMO_PAGE_RESOURCE = "/io/sseflow/server/hub/demo.html";
    private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    private final ServerConfig config;
    private final ServerCounters[] allCounters;
    private final TopicRegistry[] allTopics;
    private final ServerCounters counters;
    private final TopicRegistry topics;
    private final CountDownLatch agentClosed;   // the agents' own, counted before reporting
    private final CountDownLatch stopped;       // every agent closed, and a failure reported: awaitClose
    private EventSequencer sequencer;
    private ServerAgent agent;
    private ServerAgent[] agents;
    private volatile FailStopAgent[] failStopAgents;
    private final AtomicReference<Throwable> hubFailure = new AtomicReference<>();
    private AgentRunner agentRunner;
    private AgentRunner[] agentRunners;
    private AgentRunner sequencerRunner;
    private PublishIngress ingress;
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
        final int count = config.agents();
        this.allCounters = new ServerCounters[count];
        this.allTopics = new TopicRegistry[count];
        for (int i = 0; i < count; i++)
        {
            allCounters[i] = new ServerCounters();
            allTopics[i] = new TopicRegistry(config);
            if (count > 1)
            {
                allCounters[i].hub(allCounters);
            }
        }
        this.counters = allCounters[0];
        this.topics = allTopics[0];
        this.agentClosed = new CountDownLatch(count);
        this.stopped = new CountDownLatch(count);
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
        final int count = config.agents();
        agents = new ServerAgent[count];
        ServerSocketChannel serverChannel = null;
        try
        {
            serverChannel = ServerSocketChannel.open();
            serverChannel.bind(new InetSocketAddress(config.host(), config.port()), 1024);
            serverChannel.configureBlocking(false);
            port = ((InetSocketAddress)serverChannel.getLocalAddress()).getPort();
            if (1 == count)
            {
                sequencer = config.eventSequencerFactory().apply(config.publishRingBytes());
                sequencer.topicDirectory(new RegistryTopicDirectory(topics));
                maxRecordLength = Math.min(config.maxEventBytes(), sequencer.maxRecordLength());
                agents[0] = new ServerAgent(
                    AgentContext.forListener(config, topics, counters, sequencer, serverChannel, maxRecordLength),
                    demoPage, agentClosed);
            }
            else
            {
                startFanOut(serverChannel, demoPage);
            }
            agent = agents[0];
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
        final int serverNumber = SERVER_COUNT.incrementAndGet();
        final FailStopAgent[] failStopAgents = new FailStopAgent[count];
        final AtomicReference<Throwable> hubFailure = this.hubFailure;
        agentRunners = new AgentRunner[count];
        for (int i = 0; i < count; i++)
        {
            failStopAgents[i] = new FailStopAgent(agents[i], errorHandler, stopped, this::onAgentClosed, hubFailure);
            agentRunners[i] = newRunner(failStopAgents[i], errorHandler);
        }
        agentRunner = agentRunners[0];
        this.failStopAgents = failStopAgents;
        int started = 0;
        try
        {
            if (null != sequencerRunner)
            {
                AgentRunner.startOnThread(sequencerRunner, (runnable) ->
                {
                    final Thread thread = new Thread(runnable, "sseflow-sequencer-" + serverNumber);
                    thread.setUncaughtExceptionHandler((t, ex) -> onSequencerFailure(ex));
                    return thread;
                });
            }
            for (; started < count; started++)
            {
                final FailStopAgent failStop = failStopAgents[started];
                startThread(agentRunners[started],
                    1 == count ? "sseflow-server-" + serverNumber : "sseflow-server-" + serverNumber + "-" + started,
                    failStop);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // no thread (e.g. "unable to create native thread"): close what did not run from here, the rest by request
            for (int i = started; i < count; i++)
            {
                agents[i].onClose();
            }
            for (int i = 0; i < started; i++)
            {
                agents[i].requestClose();
            }
            if (null != sequencerRunner)
            {
                sequencerRunner.close();
            }
            throw ex;
        }
        state = RUNNING;
    }

    /**
     * A hub of several fan-out agents: one ingress every publisher offers to, one sequencer thread applying it
     * ({@link StateMachineSequencer}) into one sequenced log, and each agent with its own topics, counters and
     * connections reading its own position in it; agent 0 accepts and shares the connections out.
     */
    private void startFanOut(final ServerSocketChannel serverChannel, final byte[] demoPage) throws IOException
    {
        final int count = config.agents();
        final PublishIngress ingress = new PublishIngress(config.publishRingBytes());
        final SequencedLog log = new SequencedLog(2 * config.publishRingBytes(), count);
        final ConnectionHandoff handoff = new ConnectionHandoff(count, TrustedProxies.parse(config.trustedProxies()));
        final AtomicInteger hubAdmitted = new AtomicInteger();
        final AtomicInteger agentsDraining = new AtomicInteger(count);
        final AddressCounts perAddress = new AddressCounts();
        final TopicDirectory[] origins = new TopicDirectory[count];
        maxRecordLength = Math.min(config.maxEventBytes(), ingress.maxRecordLength());
        for (int i = 0; i < count; i++)
        {
            final RegistryTopicDirectory directory = new RegistryTopicDirectory(allTopics[i]);
            origins[i] = directory;
            final FanOutSequencer view = new FanOutSequencer(i, ingress, log, config.errorHandler());
            view.topicDirectory(directory);
            if (0 == i)
            {
                sequencer = view;
            }
            agents[i] = new ServerAgent(
                AgentContext.forFanOutAgent(
                    config, i, allTopics[i], allCounters[i], view, serverChannel, handoff, hubAdmitted,
                    perAddress, agentsDraining, maxRecordLength),
                demoPage, agentClosed);
        }
        final StateMachineSequencer decisions = new StateMachineSequencer(
            config.maxTopics(), config.history(), config.historyTotalBytes(), ingress, new SequencedLogWriter(log),
            origins, config.errorHandler());
        this.ingress = ingress;
        sequencerRunner = new AgentRunner(config.idleStrategySupplier().get(), this::onSequencerFailure, null, decisions);
    }

    /**
     * Anything escaping the sequencer's duty cycle, or ending its thread, leaves its state unknown: it is the hub's
     * failure (reported unless an agent's came first), publishers are answered {@code CLOSED}, and every agent closes.
     */
    private void onSequencerFailure(final Throwable failure)
    {
        if (failure instanceof AgentTerminationException)
        {
            return;
        }
        if (hubFailure.compareAndSet(null, failure))
        {
            try
            {
                config.errorHandler().onError(failure);
            }
            catch (final Throwable ignore)
            {
                // the failure stays readable from SseServer.failure() whatever the handler does
            }
        }
        ingress.close();
        for (final ServerAgent agent : agents)
        {
            agent.requestClose();
        }
    }

    private AgentRunner newRunner(final FailStopAgent failStopAgent, final ErrorHandler errorHandler)
    {
        return new AgentRunner(
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
    }

    private static void startThread(final AgentRunner runner, final String name, final FailStopAgent failStop)
    {
        AgentRunner.startOnThread(runner, (runnable) ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(false);
            thread.setUncaughtExceptionHandler((t, ex) -> failStop.onUncaught(ex));
            return thread;
        });
    }

    /**
     * An agent closed, on its thread: after a fatal error the others close too, so the hub as a whole stops; once the
     * last has closed, the sequencer's thread stops.
     */
    private void onAgentClosed()
    {
        final ServerAgent[] agents = this.agents;
        if (agents.length > 1 && null != failure())
        {
            for (final ServerAgent agent : agents)
            {
                agent.requestClose();
            }
        }
        if (0 == stopped.getCount() && null != sequencerRunner)
        {
            sequencerRunner.close();
        }
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
        boolean requested = true;
        for (int i = 0; i < agents.length; i++)
        {
            final TopicState live = allTopics[i].find(topicName);
            if (null == live || !live.disconnectRequested.compareAndSet(false, true))
            {
                continue;
            }
            if (!agents[i].requestDisconnect(live))
            {
                live.disconnectRequested.set(false);
                requested = false;
            }
        }
        return requested;
    }

    /**
     * Current value of a counter or gauge; any thread.
     *
     * @param counter which.
     * @return the value.
     */
    public long counter(final ServerCounter counter)
    {
        return ServerCounters.total(allCounters, counter);
    }

    /**
     * Requests or connections refused for one reason; any thread.
     *
     * @param refusal which.
     * @return the count.
     */
    public long refused(final Refusal refusal)
    {
        return ServerCounters.totalRefused(allCounters, refusal);
    }

    /**
     * Topic selectors of the streams started, of one kind; any thread.
     *
     * @param kind which.
     * @return the count.
     */
    public long streamSelectors(final SelectorKind kind)
    {
        return ServerCounters.totalSelectors(allCounters, kind);
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
            for (final ServerAgent agent : agents)
            {
                agent.requestClose();
            }
        }
        if (isAgentThread(Thread.currentThread()))
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
        for (final AgentRunner runner : agentRunners)
        {
            runner.close();
        }
        if (null != sequencerRunner)
        {
            sequencerRunner.close();
        }
    }

    private boolean isAgentThread(final Thread thread)
    {
        for (final AgentRunner runner : agentRunners)
        {
            if (runner.thread() == thread)
            {
                return true;
            }
        }
        return false;
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
        return state == RUNNING && null == failure() && stopped.getCount() == agents.length;
    }

    /**
     * What stopped the server, when something other than {@link #close()} did; see {@link SseServer#failure()}.
     *
     * @return the failure, or null.
     */
    public Throwable failure()
    {
        final Throwable reported = hubFailure.get();
        if (null != reported)
        {
            return reported;
        }
        final FailStopAgent[] failStopAgents = this.failStopAgents;
        if (null == failStopAgents)
        {
            return null;
        }
        for (final FailStopAgent failStopAgent : failStopAgents)
        {
            final Throwable failure = failStopAgent.failure();
            if (null != failure)
            {
                return failure;
            }
        }
        return null;
    }

    Thread agentThread()
    {
        return agentRunner.thread();
    }

    /**
     * Every thread of the server: each agent's, then the sequencer's when it has one of its own.
     *
     * @return the threads.
     */
    Thread[] threads()
    {
        final int count = agentRunners.length;
        final Thread[] threads = new Thread[count + (null == sequencerRunner ? 0 : 1)];
        for (int i = 0; i < count; i++)
        {
            threads[i] = agentRunners[i].thread();
        }
        if (null != sequencerRunner)
        {
            threads[count] = sequencerRunner.thread();
        }
        return threads;
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

    ServerCounters[] agentCounters()
    {
        return allCounters;
    }

    TopicRegistry[] agentTopics()
    {
        return allTopics;
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
