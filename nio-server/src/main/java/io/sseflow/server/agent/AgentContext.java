package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

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
            maxRecordLength, ((InetSocketAddress)listener.getLocalAddress()).getPort());
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
    }
}
