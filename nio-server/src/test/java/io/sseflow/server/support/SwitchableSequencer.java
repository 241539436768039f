package io.sseflow.server.support;

import io.sseflow.server.sequencer.EventSequencer;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sequencer whose readiness the test switches (as a cluster member's follows its leader): everything else is the
 * delegate's.
 */
public final class SwitchableSequencer extends ForwardingSequencer
{
    private final AtomicBoolean ready;

    /**
     * @param delegate the sequencer doing the work.
     * @param ready    what {@link #isReady()} answers, read on every call.
     */
    public SwitchableSequencer(final EventSequencer delegate, final AtomicBoolean ready)
    {
        super(delegate);
        this.ready = ready;
    }

    @Override
    public boolean isReady()
    {
        return ready.get();
    }
}
