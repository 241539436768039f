package io.sseflow.server.agent;

import io.sseflow.server.fanout.FanOutSequencer;
import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentTerminationException;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The graceful shutdown, once closing is requested: the first step stops accepting (the listening socket closes)
 * and closes the sequencer (publishing ends); each later duty cycle checks whether everything sequenced has been
 * written: no event left to append or subscriber to flush, no stream with bytes pending, no response being written
 * or awaited. When it has, or {@code --shutdown-timeout} has passed, every connection's write side is shut down
 * (FIN after what was written) and it is closed, and the agent terminates.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class ShutdownDrain
{
    private final ServerSocketChannel serverChannel;
    private final Selector selector;
    private final EventSequencer sequencer;
    private final ConnectionTable connections;
    private final long shutdownTimeoutNs;
    private final AtomicInteger agentsDraining;
    private final FanOutSequencer fanOut;
    private boolean draining;
    private boolean counted;
    private long deadlineNs;

    /**
     * @param context  the agent's: settings (shutdown timeout), listening socket, sequencer, connections.
     * @param selector the agent's, whose accept key is cancelled first.
     */
    ShutdownDrain(final AgentContext context, final Selector selector)
    {
        this.serverChannel = context.listener;
        this.selector = selector;
        this.sequencer = context.sequencer;
        this.connections = context.connections;
        this.shutdownTimeoutNs = context.config.shutdownTimeoutNs();
        this.agentsDraining = context.agentsDraining;
        this.fanOut = context.sequencer instanceof FanOutSequencer ? (FanOutSequencer)context.sequencer : null;
    }

    /**
     * One step of the drain.
     *
     * @param nowNs     of this duty cycle.
     * @param agentIdle true when the agent has nothing left to append, flush or process.
     * @return work done.
     * @throws AgentTerminationException when the drain is over and every connection closed.
     */
    int poll(final long nowNs, final boolean agentIdle)
    {
        if (!draining)
        {
            draining = true;
            deadlineNs = nowNs + shutdownTimeoutNs;
            if (null != serverChannel)
            {
                final SelectionKey acceptKey = serverChannel.keyFor(selector);
                if (null != acceptKey)
                {
                    acceptKey.cancel();
                }
                CloseHelper.quietClose(serverChannel);
            }
            sequencer.close();
            return 1;
        }

        final ConnectionTable connections = this.connections;
        boolean flushed = agentIdle && (null == fanOut || fanOut.isDrained());
        for (int i = 0; flushed && i < connections.count(); i++)
        {
            flushed = !connections.get(i).hasOutputPending();
        }
        final AtomicInteger agentsDraining = this.agentsDraining;
        if (null != agentsDraining)
        {
            if (flushed && !counted)
            {
                counted = true;
                agentsDraining.decrementAndGet();
            }
            flushed = flushed && 0 == agentsDraining.get();
        }

        if (flushed || nowNs - deadlineNs >= 0)
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
}
