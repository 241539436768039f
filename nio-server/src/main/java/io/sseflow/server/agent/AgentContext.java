package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.concurrent.CachedNanoClock;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the agent's collaborators share, handed to each whole instead of one positional argument per part: the
 * concluded {@link ServerConfig}, the topics, the counters, the sequencer, the connections, the agent's cached
 * clock, the pre-computed responses, whether closing was requested, and what was decided at bind time (the largest
 * record, the bound port). Built once by the {@link ServerAgent}; every field is fixed, the objects behind them are
 * the agent's.
 */
final class AgentContext
{
    final ServerConfig config;
    final TopicRegistry topics;
    final ServerCounters metrics;
    final EventSequencer sequencer;
    final ConnectionTable connections;
    final CachedNanoClock clock;
    final HttpResponses responses;
    final AtomicBoolean closeRequested;
    final int maxRecordLength;
    final int port;

    AgentContext(
        final ServerConfig config,
        final TopicRegistry topics,
        final ServerCounters metrics,
        final EventSequencer sequencer,
        final ConnectionTable connections,
        final CachedNanoClock clock,
        final AtomicBoolean closeRequested,
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
        this.maxRecordLength = maxRecordLength;
        this.port = port;
    }
}
