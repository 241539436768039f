package io.sseflow.server.sequencer;

/**
 * The duplicate rule for an update with an explicit id, the same in every sequencer: told, topic by topic, where the
 * id is retained, it names the outcome. A topic retains the id as the update's kind when its public events (for a
 * public update) or its private ones (for a private update) hold an event with that id; it clashes when only its
 * events of the other kind do and both ids name their events across topics ({@link PublishRecord#FLAG_HUB_ID}), so
 * that a stream allowed private updates would show two events under one id. Ids a topic counts by itself (native
 * publishes) never clash: such a stream names those events by their seq.
 * <ul>
 *     <li>{@link RetainedIdOutcome#NEW}: no topic retains the id, none clashes;</li>
 *     <li>{@link RetainedIdOutcome#RETRY}: every topic retains it as one event (the same seq);</li>
 *     <li>{@link RetainedIdOutcome#CONFLICT}: anything else.</li>
 * </ul>
 * Reused for every record: {@link #reset()}, one {@link #onTopic} per topic, then {@link #outcome()}. Not thread-safe.
 */
public final class RetainedIdCheck
{
    private int topics;
    private int retained;
    private long seq;
    private boolean differentEvents;
    private boolean clash;

    /**
     * Start over for the next record.
     *
     * @return this.
     */
    public RetainedIdCheck reset()
    {
        topics = 0;
        retained = 0;
        seq = 0;
        differentEvents = false;
        clash = false;
        return this;
    }

    /**
     * What one topic of the update retains under its id.
     *
     * @param retainedSeq seq of the retained event of the update's kind with that id, 0 when none.
     * @param clashes     whether an event of the other kind holds that id and both ids name their events across
     *                    topics.
     */
    public void onTopic(final long retainedSeq, final boolean clashes)
    {
        topics++;
        clash |= clashes;
        if (0 != retainedSeq)
        {
            if (0 == retained++)
            {
                seq = retainedSeq;
            }
            else if (retainedSeq != seq)
            {
                differentEvents = true;
            }
        }
    }

    /**
     * The outcome for the topics told so far.
     *
     * @return {@link RetainedIdOutcome#NEW}, {@link RetainedIdOutcome#RETRY} or {@link RetainedIdOutcome#CONFLICT}.
     */
    public RetainedIdOutcome outcome()
    {
        if (0 == retained)
        {
            return clash ? RetainedIdOutcome.CONFLICT : RetainedIdOutcome.NEW;
        }
        return retained == topics && !differentEvents ? RetainedIdOutcome.RETRY : RetainedIdOutcome.CONFLICT;
    }

    /**
     * The seq of the retained event, for a {@link RetainedIdOutcome#RETRY}.
     *
     * @return the seq, 0 when no topic retains the id.
     */
    public long retainedSeq()
    {
        return seq;
    }
}
