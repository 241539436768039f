package io.sseflow.benchmarks.fanout;

/**
 * Deliveries the reading subscribers must have once {@code sequence} events are published: those counted before
 * {@code fromSequence}, plus {@code perEvent} per event from it (all N before the stall, the readers after).
 *
 * @param fromSequence     first sequence of this part of the run.
 * @param deliveriesBefore deliveries counted before it.
 * @param perEvent         checked subscribers from it.
 */
record Expected(long fromSequence, long deliveriesBefore, int perEvent)
{
    /**
     * Deliveries due.
     *
     * @param sequence events published so far.
     * @return deliveries the checked subscribers must have.
     */
    long at(final long sequence)
    {
        return deliveriesBefore + (sequence - fromSequence) * perEvent;
    }
}
