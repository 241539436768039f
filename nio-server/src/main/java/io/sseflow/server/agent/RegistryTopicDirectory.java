package io.sseflow.server.agent;

import io.sseflow.server.log.TopicLog;
import io.sseflow.server.selector.TopicText;
import io.sseflow.server.selector.TopicTextProblem;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.RetainedIdCheck;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The {@link TopicRegistry} as a replicated sequencer sees it ({@link TopicDirectory}): a topic's name from its index
 * in a publish record, and a topic found (or created) and pinned from the name an event from the log carries (a native
 * name or any other text a Mercure update may name, {@link TopicText}). A known
 * topic is found through the registry's name-bytes table, so neither direction allocates in steady state. What a topic
 * retains under an id is read from its log and its private log ({@link TopicState#privateLog}), by their id indexes.
 * Agent thread only.
 */
final class RegistryTopicDirectory implements TopicDirectory
{
    private final TopicRegistry topics;

    RegistryTopicDirectory(final TopicRegistry topics)
    {
        this.topics = topics;
    }

    /**
     * {@inheritDoc}
     */
    public int topicName(final int topicIndex, final MutableDirectBuffer buffer, final int offset)
    {
        final TopicState topic = topics.byIndex(topicIndex);
        if (null == topic)
        {
            return -1;
        }
        final byte[] name = topic.nameBytes;
        buffer.putBytes(offset, name);
        return name.length;
    }

    /**
     * {@inheritDoc}
     */
    public int pinTopic(final DirectBuffer name, final int offset, final int length)
    {
        if (TopicText.check(name, offset, length) != TopicTextProblem.NONE)
        {
            return -1;
        }
        final TopicState topic = topics.lookupText(name, offset, length);
        if (null == topic)
        {
            return -1;
        }
        if (!topic.pin())
        {
            throw new IllegalStateException("topic freed while the agent looked it up: " + topic.name());
        }
        return topic.index();
    }

    /**
     * {@inheritDoc}
     */
    public void checkRetainedId(final int topicIndex, final PublishRecord record, final RetainedIdCheck check)
    {
        final TopicState topic = topics.byIndex(topicIndex);
        if (null == topic)
        {
            check.onTopic(0, false);
            return;
        }
        final boolean isPrivate = record.isPrivate();
        final TopicLog sameKind = isPrivate ? topic.privateLog : topic.log;
        final TopicLog otherKind = isPrivate ? topic.log : topic.privateLog;
        final long ordinal = ordinalOfId(sameKind, record);
        final long other = record.isHubId() ? ordinalOfId(otherKind, record) : TopicLog.NOT_FOUND;
        check.onTopic(
            TopicLog.NOT_FOUND == ordinal ? 0 : sameKind.seq(ordinal),
            TopicLog.NOT_FOUND != other && otherKind.isHubId(other));
    }

    private static long ordinalOfId(final TopicLog log, final PublishRecord record)
    {
        return null == log ? TopicLog.NOT_FOUND : log.ordinalOfId(record.buffer(), record.idOffset(), record.idLength());
    }
}
