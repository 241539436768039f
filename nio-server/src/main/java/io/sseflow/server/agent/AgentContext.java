package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the agent's collaborators share, handed to each whole instead of one positional argument per part: the
 * concluded {@link ServerConfig}, the topics, the counters, the sequencer, the connections, the agent's cached
 * clock, the pre-computed responses, whether closing was requested, and what was decided at bind time (the
 * listening socket, the largest record, the bound port). Built once, by {@link #forListener} when the server
 * starts; every field is fixed, the objects behind them are the agent's.
 */
final class AgentContext
{
    private static final int MAX_POOLED_PARSERS = 1024;

    final ServerConfig config;
    final TopicRegistry topics;
    final ServerCounters metrics;
    final EventSequencer sequencer;
    final ConnectionTable connections;
    final CachedNanoClock clock;
    final HttpResponses responses;
    final AtomicBoolean closeRequested;
    final ServerSocketChannel listener;
    final int maxRecordLength;
    final int port;
    final int agentIndex;
    final ConnectionHandoff handoff;
    final AtomicInteger agentsDraining;

    /**
     * The context of a server that has bound its listening socket: the agent's connection table, clock and close
     * flag are made here.
     *
     * @param config          the concluded settings.
     * @param topics          the topics.
     * @param metrics         the counters.
     * @param sequencer       the sequencer the agent polls.
     * @param listener        the bound listening socket.
     * @param maxRecordLength the largest publish record, the smaller of the event limit and the sequencer's.
     * @return the context.
     * @throws IOException when the listening socket's address cannot be read.
     */
    static AgentContext forListener(
        final ServerConfig config,
        final TopicRegistry topics,
        final ServerCounters metrics,
        final EventSequencer sequencer,
        final ServerSocketChannel listener,
        final int maxRecordLength) throws IOException
    {
        final ConnectionTable connections = new ConnectionTable(
            metrics, new RequestParserPool(config.maxRequestHeadBytes(), config.maxEventBytes(), MAX_POOLED_PARSERS));
        return new AgentContext(
            config, topics, metrics, sequencer, connections, new CachedNanoClock(), new AtomicBoolean(), listener,
            maxRecordLength, ((InetSocketAddress)listener.getLocalAddress()).getPort(), 0, null, null);
    }

    /**
     * The context of one fan-out agent of a hub with several: its own topics, counters, connections, clock and close
     * flag; the listening socket only for agent 0, which accepts and shares the connections out through the handoff.
     *
     * @param config          the concluded settings.
     * @param agentIndex      the agent's number.
     * @param topics          the agent's topics.
     * @param metrics         the agent's counters.
     * @param sequencer       the agent's view of the one sequencer.
     * @param listener        the bound listening socket.
     * @param handoff         how connections are shared out.
     * @param hubAdmitted     the connections admitted by every agent together.
     * @param perAddress      the connections per client address of every agent together.
     * @param agentsDraining  the agents not yet done writing what was sequenced before close: an agent ends its
     *                        connections once none is, so the hub stops as one.
     * @param maxRecordLength the largest publish record.
     * @return the context.
     * @throws IOException when the listening socket's address cannot be read.
     */
    static AgentContext forFanOutAgent(
        final ServerConfig config,
        final int agentIndex,
        final TopicRegistry topics,
        final ServerCounters metrics,
        final EventSequencer sequencer,
        final ServerSocketChannel listener,
        final ConnectionHandoff handoff,
        final AtomicInteger hubAdmitted,
        final AddressCounts perAddress,
        final AtomicInteger agentsDraining,
        final int maxRecordLength) throws IOException
    {
        final ConnectionTable connections = new ConnectionTable(
            metrics, new RequestParserPool(config.maxRequestHeadBytes(), config.maxEventBytes(), MAX_POOLED_PARSERS));
        connections.shareAdmitted(hubAdmitted, perAddress);
        return new AgentContext(
            config, topics, metrics, sequencer, connections, new CachedNanoClock(), new AtomicBoolean(),
            0 == agentIndex ? listener : null, maxRecordLength,
            ((InetSocketAddress)listener.getLocalAddress()).getPort(), agentIndex, handoff, agentsDraining);
    }

    /**
     * A context; tests build one without a listening socket (null) for collaborators that never accept.
     */
    AgentContext(
        final ServerConfig config,
        final TopicRegistry topics,
        final ServerCounters metrics,
        final EventSequencer sequencer,
        final ConnectionTable connections,
        final CachedNanoClock clock,
        final AtomicBoolean closeRequested,
        final ServerSocketChannel listener,
        final int maxRecordLength,
        final int port)
    {
        this(config, topics, metrics, sequencer, connections, clock, closeRequested, listener, maxRecordLength, port, 0,
            null, null);
    }

    private AgentContext(
        final ServerConfig config,
        final TopicRegistry topics,
        final ServerCounters metrics,
        final EventSequencer sequencer,
        final ConnectionTable connections,
        final CachedNanoClock clock,
        final AtomicBoolean closeRequested,
        final ServerSocketChannel listener,
        final int maxRecordLength,
        final int port,
        final int agentIndex,
        final ConnectionHandoff handoff,
        final AtomicInteger agentsDraining)
    {
        this.config = config;
        this.topics = topics;
        this.metrics = metrics;
        this.sequencer = sequencer;
        this.connections = connections;
        this.clock = clock;
        this.responses = new HttpResponses(config.allowOrigin());
        this.closeRequested = closeRequested;
        this.listener = listener;
        this.maxRecordLength = maxRecordLength;
        this.port = port;
        this.agentIndex = agentIndex;
        this.handoff = handoff;
        this.agentsDraining = agentsDraining;
    }
}
