package io.sseflow.server.agent;

/**
 * The subscription topics ({@link Presence}) whose subscription's end update this node offered, oldest end first.
 * Each keeps its start and end updates, so an observer resuming from before them still replays both, until presence
 * needs topic slots for a new subscription: then the oldest are freed ({@link #reclaim}), their updates dropped as
 * the history budget would evict them.
 * <p>
 * Bounded: a ring of as many entries as presence may create topics. A topic freed meanwhile another way (its updates
 * evicted by the history budget, then swept) stays in the ring until met at its head or until a full ring is
 * compacted; a ring full of live topics frees its oldest, and grows only when that one is still in flight (presence
 * then holds more topics than it may create: a topic the budget freed was created again by its end update). It holds the
 * topics this node's presence ended and those whose end update was delivered (a cluster's other nodes', a durable
 * node's replayed at start).
 * <p>
 * Not thread-safe: owned by the server agent; allocates only when it grows.
 */
final class EndedSubscriptionTopics
{
    private final TopicRegistry topics;
    private TopicState[] ring;
    private int head;
    private int size;

    /**
     * @param topics   the registry that frees them.
     * @param capacity most topics presence holds at once.
     */
    EndedSubscriptionTopics(final TopicRegistry topics, final int capacity)
    {
        this.topics = topics;
        this.ring = new TopicState[Math.max(1, capacity)];
    }

    /**
     * Topics held, some possibly freed already.
     *
     * @return at least the number of ended subscription topics still live.
     */
    int size()
    {
        return size;
    }

    /**
     * A subscription topic's end update was offered (or refused: it will get none), or delivered: keep it until its
     * slot is needed; a topic already kept is not kept twice.
     *
     * @param topic the subscription topic.
     */
    void add(final TopicState topic)
    {
        if (!topic.markEnded())
        {
            return;
        }
        if (size == ring.length)
        {
            compact();
            if (size == ring.length && 0 == reclaim(1))
            {
                grow();
            }
        }
        ring[(head + size) % ring.length] = topic;
        size++;
    }

    /**
     * Free up to {@code wanted} of the oldest ended topics, stopping at one whose end update is still in flight.
     *
     * @param wanted topics to free.
     * @return topics freed: fewer than wanted when the ring ran out or reached one in flight.
     */
    int reclaim(final int wanted)
    {
        int freed = 0;
        while (freed < wanted && size > 0)
        {
            final TopicState oldest = ring[head];
            if (!oldest.isFreed())
            {
                if (!topics.freeDroppingHistory(oldest))
                {
                    break;
                }
                freed++;
            }
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        }
        return freed;
    }

    /**
     * The ring is full of live topics and the oldest is in flight: only when the history budget freed a subscription
     * topic before its end recreated it, so presence briefly holds more topics than it may create.
     */
    private void grow()
    {
        final TopicState[] old = ring;
        final TopicState[] grown = new TopicState[old.length << 1];
        for (int i = 0; i < size; i++)
        {
            grown[i] = old[(head + i) % old.length];
        }
        ring = grown;
        head = 0;
    }

    /**
     * Drop the entries of topics freed another way, keeping the others in order.
     */
    private void compact()
    {
        final TopicState[] ring = this.ring;
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            final int from = (head + i) % ring.length;
            final TopicState topic = ring[from];
            ring[from] = null;
            if (!topic.isFreed())
            {
                ring[(head + kept) % ring.length] = topic;
                kept++;
            }
        }
        size = kept;
    }
}
