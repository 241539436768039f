package io.sseflow.server.agent;

import io.sseflow.server.selector.TopicText;
import io.sseflow.server.selector.TopicTextProblem;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The {@link TopicRegistry} as a replicated sequencer sees it ({@link TopicDirectory}): a topic's name from its index
 * in a publish record, and a topic found (or created) and pinned from the name an event from the log carries (a native
 * name or any other text a Mercure update may name, {@link TopicText}). A known
 * topic is found through the registry's name-bytes table, so neither direction allocates in steady state. Agent
 * thread only.
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
}
