package io.sseflow.server.support;

import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.SequencedEventHandler;
import io.sseflow.server.sequencer.TopicDirectory;

/**
 * An {@link EventSequencer} that passes every call to another one; a test overrides the one call it changes (a
 * sequencer without a leader, one whose close fails).
 */
public class ForwardingSequencer implements EventSequencer
{
    private final EventSequencer delegate;

    /**
     * @param delegate the sequencer every call goes to.
     */
    public ForwardingSequencer(final EventSequencer delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public PublishResult tryClaim(final int length, final PublishClaim claim)
    {
        return delegate.tryClaim(length, claim);
    }

    @Override
    public void commit(final PublishClaim claim)
    {
        delegate.commit(claim);
    }

    @Override
    public void abort(final PublishClaim claim)
    {
        delegate.abort(claim);
    }

    @Override
    public int maxRecordLength()
    {
        return delegate.maxRecordLength();
    }

    @Override
    public int poll(final SequencedEventHandler handler, final int limit)
    {
        return delegate.poll(handler, limit);
    }

    @Override
    public void onTopicFreed(final int topicIndex)
    {
        delegate.onTopicFreed(topicIndex);
    }

    @Override
    public EventSequencer topicDirectory(final TopicDirectory topics)
    {
        delegate.topicDirectory(topics);
        return this;
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
