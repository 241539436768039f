package io.sseflow.server.agent;

import io.sseflow.server.selector.SelectorSet;

import java.util.Arrays;

/**
 * One stream log shared by every subscriber that asked for the same topic selectors with the same rights: the
 * selectors of a {@code GET /events?topic=A&topic=B} or a Mercure subscription, and the private-update selectors
 * its authorization granted (null: public updates only). Each sequenced event its selectors match is appended
 * once to its log, so its subscribers' cursors stream it as they stream a topic: one write of
 * {@code log[cursor..head]}. It knows the live topics that feed it (matched once, when either was created; a new
 * stream takes no event until it is linked to all of them, {@link StreamRegistry#link}) and is
 * freed, its log with it, when its last subscriber (or held connection, {@link CatchUpHolds}) leaves and no stream being ended still has a frame of its log in
 * flight ({@link #readers()}).
 * <p>
 * On this log an event is named across all its topics: a Mercure update by its own id, any other event by its hub
 * sequence (ids assigned per topic would be ambiguous here).
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class SharedStream extends StreamSource
{
    static final SharedStream[] NONE = new SharedStream[0];

    /**
     * Link flag: one of the stream's selectors matches the topic.
     */
    static final int SUBSCRIBED = 1;

    /**
     * Link flag: one of the stream's private-update selectors matches the topic.
     */
    static final int PRIVATE_ALLOWED = 2;

    final SelectorSet selectors;
    final SelectorSet privateSelectors;
    private final StreamRegistry registry;
    TopicState[] topics = new TopicState[4];
    int topicCount;
    int registryIndex = -1;
    long markSeq;
    int markFlags;
    boolean draining;
    int holds;
    // owned by the StreamRegistry: linking to the live topics in slices ({@link StreamRegistry#link}); while linking,
    // the stream takes no event (it is filled once linked) and its connections wait ({@link LinkHolds})
    boolean linking;
    long linkEpoch;
    int linkTopic;
    int linkSelector;
    int linkPartial;
    TopicState linkAt;
    // owned by the SelectorIndex: scratch of one match
    long linkStamp;
    int linkFlags;
    private Connection[] ending = new Connection[4];
    private int endingCount;

    SharedStream(final SelectorSet selectors, final SelectorSet privateSelectors, final StreamRegistry registry)
    {
        this.selectors = selectors;
        this.privateSelectors = privateSelectors;
        this.registry = registry;
    }

    /**
     * Whether the stream is still being linked to the live topics: it takes no event yet.
     *
     * @return true while linking.
     */
    boolean isLinking()
    {
        return linking;
    }

    /**
     * How this stream relates to a topic: matched once per (stream, topic), when the later of the two appears.
     *
     * @param topic to match.
     * @return {@link #SUBSCRIBED} and/or {@link #PRIVATE_ALLOWED}, or 0 when the topic does not concern it.
     */
    int flagsFor(final TopicState topic)
    {
        final String name = topic.name();
        int flags = selectors.matchesAny(name) ? SUBSCRIBED : 0;
        if (null != privateSelectors && privateSelectors.matchesAny(name))
        {
            flags |= PRIVATE_ALLOWED;
        }
        return flags;
    }

    void addTopic(final TopicState topic)
    {
        if (topicCount == topics.length)
        {
            topics = Arrays.copyOf(topics, topicCount << 1);
        }
        topics[topicCount++] = topic;
    }

    void removeTopic(final TopicState topic)
    {
        for (int i = 0; i < topicCount; i++)
        {
            if (topics[i] == topic)
            {
                final int last = --topicCount;
                topics[i] = topics[last];
                topics[last] = null;
                return;
            }
        }
    }

    /**
     * A subscriber's stream is being ended after its whole frames: until it has written them (or is closed) its
     * cursor still reads this log, which must not be freed meanwhile.
     *
     * @param connection ending its stream, still in the subscriber list.
     */
    void onStreamEnding(final Connection connection)
    {
        if (endingCount == ending.length && readers() == ending.length)
        {
            ending = Arrays.copyOf(ending, endingCount << 1);
        }
        ending[endingCount++] = connection;
    }

    /**
     * Streams ended here that still write a frame of this log: forgets those that have finished (they linger or are
     * closed).
     *
     * @return how many still read the log.
     */
    int readers()
    {
        final Connection[] ending = this.ending;
        for (int i = endingCount - 1; i >= 0; i--)
        {
            if (ending[i].state() != Connection.State.ENDING_STREAM)
            {
                final int last = --endingCount;
                ending[i] = ending[last];
                ending[last] = null;
            }
        }
        return endingCount;
    }

    void onLastSubscriberLeft()
    {
        registry.free(this);
    }

    boolean pinForHold()
    {
        if (registryIndex < 0)
        {
            return false;
        }
        holds++;
        return true;
    }

    void unpinForHold()
    {
        if (--holds == 0 && 0 == subscriberCount)
        {
            registry.free(this);
        }
    }

    /**
     * The hub sequence of the newest event this node has applied, of any topic: a stream whose client has an id
     * above it is ahead of this node.
     *
     * @return the seq, 0 before the first.
     */
    long appliedSeq()
    {
        return registry.appliedSeq();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "SharedStream{" + selectors + (null == privateSelectors ? "" : ", private " + privateSelectors) + "}";
    }
}
