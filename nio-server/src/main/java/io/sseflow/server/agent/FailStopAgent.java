package io.sseflow.server.agent;

import io.sseflow.server.SseServer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the {@link ServerAgent} so that nothing escaping its duty cycle leaves a port that answers nothing. Agrona's
 * {@code AgentRunner} reports an exception and runs the next duty cycle, and rethrows an {@code Error}, which ends
 * the thread without {@code onClose}: the listening socket stays open and nobody serves it. Here any
 * {@link Throwable} that escapes {@code doWork} (an {@code OutOfMemoryError}, a {@code StackOverflowError}, an
 * {@code Error} thrown by a user's authorizer or error handler, an exception the server did not handle, after which
 * its state is unknown) is fatal: it is kept as the server's failure, the runner is stopped with a pre-allocated
 * {@link AgentTerminationException} (nothing is allocated on the way out, which matters after an
 * {@code OutOfMemoryError}), and {@link #onClose()} has the server agent close the sequencer (publishers get
 * {@code CLOSED}), the listening socket and every connection, then reports the failure to the error handler and
 * releases whoever waits for the server to stop.
 * <p>
 * A {@code Throwable} thrown while closing is kept as the failure too (or suppressed into the first one), so a
 * graceful close that failed is reported, never hidden. In a hub of several agents the first agent to fail reports the
 * hub's failure; another agent's, later, is suppressed into it.
 */
final class FailStopAgent implements Agent
{
    private final ServerAgent agent;
    private final ErrorHandler errorHandler;
    private final CountDownLatch stopped;
    private final Runnable afterClose;
    private final AtomicReference<Throwable> hubFailure;
    private final AgentTerminationException stop = new AgentTerminationException("stopped after a fatal error");
    private volatile Throwable failure;
    private boolean closed;

    FailStopAgent(
        final ServerAgent agent,
        final ErrorHandler errorHandler,
        final CountDownLatch stopped)
    {
        this(agent, errorHandler, stopped, () -> { }, new AtomicReference<>());
    }

    FailStopAgent(
        final ServerAgent agent,
        final ErrorHandler errorHandler,
        final CountDownLatch stopped,
        final Runnable afterClose,
        final AtomicReference<Throwable> hubFailure)
    {
        this.agent = agent;
        this.errorHandler = errorHandler;
        this.stopped = stopped;
        this.afterClose = afterClose;
        this.hubFailure = hubFailure;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return agent.roleName();
    }

    /**
     * {@inheritDoc}
     */
    public void onStart()
    {
        try
        {
            agent.onStart();
        }
        catch (final Throwable ex)
        {
            failure = ex;
            throw stop;
        }
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        try
        {
            return agent.doWork();
        }
        catch (final AgentTerminationException ex)
        {
            if (ex == stop || null == failure)
            {
                throw ex;
            }
            throw stop;
        }
        catch (final Throwable ex)
        {
            failure = ex;
            throw stop;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            agent.onClose();
        }
        catch (final Throwable ex)
        {
            keep(ex);
        }
        finally
        {
            report();
            stopped.countDown();
            afterClose.run();
        }
    }

    /**
     * The agent thread's last resort, for a {@code Throwable} thrown outside the duty cycle (by the idle strategy,
     * or by the runner itself), which Agrona rethrows and which would end the thread without {@link #onClose()}.
     * Runs on the dying agent thread.
     *
     * @param ex what ended the thread.
     */
    void onUncaught(final Throwable ex)
    {
        keep(ex);
        onClose();
    }

    /**
     * What ended the agent, if anything did.
     *
     * @return the {@code Throwable} that escaped the duty cycle or {@code onClose}, or null.
     */
    Throwable failure()
    {
        return failure;
    }

    private void keep(final Throwable ex)
    {
        final Throwable first = failure;
        if (null == first)
        {
            failure = ex;
        }
        else if (first != ex)
        {
            try
            {
                first.addSuppressed(ex);
            }
            catch (final Throwable ignore)
            {
                // no memory left to record it: the first failure is what matters
            }
        }
    }

    private void report()
    {
        final Throwable failure = this.failure;
        if (null != failure)
        {
            if (!hubFailure.compareAndSet(null, failure))
            {
                final Throwable first = hubFailure.get();
                if (first != failure)
                {
                    try
                    {
                        first.addSuppressed(failure);
                    }
                    catch (final Throwable ignore)
                    {
                        // no memory left to record it: the first failure is what matters
                    }
                }
                return;
            }
            try
            {
                errorHandler.onError(failure);
            }
            catch (final Throwable ignore)
            {
                // the failure stays readable from SseServer.failure() whatever the handler does
            }
        }
    }
}
