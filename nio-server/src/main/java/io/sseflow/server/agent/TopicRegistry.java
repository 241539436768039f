package io.sseflow.server.agent;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.log.HistoryBudget;
import io.sseflow.server.log.TopicLog;
import io.sseflow.server.mercure.SubscriptionIds;
import io.sseflow.server.selector.TopicText;
import io.sseflow.server.selector.TopicTextProblem;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's live topics: by name for any thread, by index for the agent (in publish records), and by name bytes
 * for the agent's request handling through an open-addressing table that the agent fills on first sight, so
 * looking up a known topic from a request allocates nothing.
 * <p>
 * Topics come and go: one with no subscribers, no retained events and no publish record in flight (see
 * {@link TopicState#pin()}) is freed, when its last subscriber leaves or by the agent's periodic {@link #sweep}; it
 * leaves the name map and the agent's table (backward-shift deletion keeps linear probing correct), the sequencer
 * forgets its index, and the index is given to the next topic created. Only live topics count toward the limit, and
 * presence's subscription topics ({@link #isPresenceTopic}) have a limit of their own, half of {@code --max-topics}.
 */
final class TopicRegistry
{
    private final int maxTopics;
    private final int history;
    private final int historyBytes;
    private final HistoryBudget historyBudget;
    private final StreamRegistry streams;
    private final ConcurrentHashMap<String, TopicState> byName = new ConcurrentHashMap<>();
    private volatile TopicState[] byIndex = new TopicState[16];
    private volatile int liveCount;
    private volatile int presenceCount;
    private final int maxPresenceTopics;
    private java.util.function.IntUnaryOperator presenceReclaimer = (wanted) -> 0;

    // under the lock
    private int[] freeIndices = new int[16];
    private int freeIndexCount;
    private int nextIndex;

    // agent-only
    private EventSequencer sequencer;
    private TopicState[] table = new TopicState[64];
    private int tableCount;
    private int sweepCursor;

    TopicRegistry(final ServerConfig config)
    {
        this.maxTopics = config.maxTopics();
        this.maxPresenceTopics = Math.max(1, config.maxTopics() / 2);
        this.history = config.history();
        this.historyBytes = config.historyBytes();
        this.historyBudget = new HistoryBudget(config.historyTotalBytes());
        this.streams = new StreamRegistry(this, config);
    }

    /**
     * Agent only: the shared streams of several topics or selectors, fed by these topics.
     *
     * @return the stream registry.
     */
    StreamRegistry streams()
    {
        return streams;
    }

    /**
     * Agent only: the topics by index (null where none), to link a new shared stream to them.
     *
     * @return the current array; not to be modified.
     */
    TopicState[] byIndexArray()
    {
        return byIndex;
    }

    /**
     * Agent, at start: who is told about freed indices.
     */
    void sequencer(final EventSequencer sequencer)
    {
        this.sequencer = sequencer;
    }

    HistoryBudget historyBudget()
    {
        return historyBudget;
    }

    /**
     * A log for a topic's history (public or private), drawing on the topics' history budget; stream logs never do
     * ({@link StreamLogs}).
     *
     * @return an empty log.
     */
    TopicLog newLog()
    {
        return new TopicLog(history, historyBytes, historyBudget);
    }

    /**
     * Find or create a topic; any thread. The topic may be freed at any moment after this returns unless it is
     * pinned: publishers use {@link #pinLive(String)}.
     *
     * @return the topic, or null when the topic limit is reached.
     */
    TopicState getOrCreate(final String name)
    {
        final TopicState topic = byName.get(name);
        if (null != topic)
        {
            return topic;
        }
        if (!Topic.isValidName(name))
        {
            throw new IllegalArgumentException(
                "topic name must match [A-Za-z0-9._-]{1,128} and not be . or ..: " + name);
        }
        return create(name);
    }

    /**
     * Agent only: find or create a topic named by any text {@link TopicText} allows (a Mercure update's topic, an
     * IRI or any string); native topic names are such texts too, so {@code news} is one topic for both.
     *
     * @param name checked by {@link TopicText#check(CharSequence)}.
     * @return the topic, or null when the topic limit is reached (after sweeping idle topics).
     * @throws IllegalArgumentException when the name breaks {@link TopicText}'s rule.
     */
    TopicState getOrCreateText(final String name)
    {
        final TopicState topic = byName.get(name);
        if (null != topic)
        {
            return topic;
        }
        final TopicTextProblem problem = TopicText.check(name);
        if (problem != TopicTextProblem.NONE)
        {
            throw new IllegalArgumentException("topic " + problem.reason());
        }
        final TopicState created = create(name);
        if (null == created && sweep(Integer.MAX_VALUE) > 0)
        {
            return create(name);
        }
        if (null == created && isPresenceTopic(name) && presenceReclaimer.applyAsInt(1) > 0)
        {
            return create(name);
        }
        return created;
    }

    /**
     * Agent only: what frees ended subscription topics when presence's own limit is reached and a subscription topic
     * is wanted (a cluster's other members' updates arrive by name).
     *
     * @param reclaimer given how many are wanted, answers how many it freed.
     */
    void presenceReclaimer(final java.util.function.IntUnaryOperator reclaimer)
    {
        this.presenceReclaimer = reclaimer;
    }

    private TopicState create(final String name)
    {
        synchronized (this)
        {
            final TopicState existing = byName.get(name);
            if (null != existing)
            {
                return existing;
            }
            final boolean presence = isPresenceTopic(name);
            if (presence ? presenceCount >= maxPresenceTopics : liveCount - presenceCount >= maxTopics)
            {
                return null;
            }
            final int index = freeIndexCount > 0 ? freeIndices[--freeIndexCount] : nextIndex++;
            TopicState[] topics = byIndex;
            if (index >= topics.length)
            {
                topics = Arrays.copyOf(topics, Math.max(index + 1, topics.length * 2));
            }
            final TopicState created = new TopicState(name, index, this);
            topics[index] = created;
            byIndex = topics;
            byName.put(name, created);
            liveCount++;
            if (presence)
            {
                presenceCount++;
            }
            return created;
        }
    }

    /**
     * The live topic of a name, created if need be, pinned for a publish record; any thread.
     *
     * @return the pinned topic, or null when the topic limit is reached.
     */
    TopicState pinLive(final String name)
    {
        final TopicState topic = byName.get(name);
        if (null != topic && topic.pin())
        {
            return topic;
        }
        synchronized (this)
        {
            final TopicState live = getOrCreate(name);
            if (null == live)
            {
                return null;
            }
            if (!live.pin())
            {
                throw new IllegalStateException("topic freed outside the registry lock: " + name);
            }
            return live;
        }
    }

    /**
     * The live topic of a name, if any; any thread.
     *
     * @return the topic, or null.
     */
    TopicState find(final String name)
    {
        return byName.get(name);
    }

    /**
     * The topic of an index in a publish record; agent only, for a record pinned when offered.
     *
     * @return the topic, or null when no topic has that index.
     */
    TopicState byIndex(final int index)
    {
        final TopicState[] topics = byIndex;
        return index >= 0 && index < topics.length ? topics[index] : null;
    }

    /**
     * Live topics, presence's included.
     *
     * @return the count.
     */
    int count()
    {
        return liveCount;
    }

    /**
     * Live subscription topics of presence ({@link #isPresenceTopic}).
     *
     * @return the count.
     */
    int presenceCount()
    {
        return presenceCount;
    }

    /**
     * Most subscription topics of presence held at once: half of {@code --max-topics}, apart from the
     * {@code --max-topics} of every other topic.
     *
     * @return the limit.
     */
    int maxPresenceTopics()
    {
        return maxPresenceTopics;
    }

    /**
     * Is this the name of a subscription topic of presence ({@code /.well-known/mercure/subscriptions/...})? Those
     * are counted apart, so that presence never takes a slot of the topics publishers create, which a durable or
     * clustered hub's state machine counts (presence's updates are transient there).
     *
     * @param name a topic name.
     * @return true under {@link SubscriptionIds#PREFIX}.
     */
    static boolean isPresenceTopic(final String name)
    {
        return name.length() > SubscriptionIds.PREFIX.length() && name.startsWith(SubscriptionIds.PREFIX) &&
            name.charAt(SubscriptionIds.PREFIX.length()) == '/';
    }

    /**
     * Agent only: find or create a topic from name bytes already validated. At the topic limit, idle topics are
     * swept first, so freed ones never count.
     *
     * @return the topic, or null when the topic limit is reached.
     */
    TopicState lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        TopicState topic = inTable(buffer, offset, length);
        if (null != topic)
        {
            return topic;
        }

        final byte[] nameBytes = new byte[length];
        buffer.getBytes(offset, nameBytes);
        final String name = new String(nameBytes, StandardCharsets.US_ASCII);
        topic = getOrCreate(name);
        if (null == topic && sweep(Integer.MAX_VALUE) > 0)
        {
            topic = getOrCreate(name);
        }
        if (null != topic)
        {
            insert(topic);
        }
        return topic;
    }

    /**
     * Agent only: find or create a topic from the UTF-8 bytes of any name {@link TopicText} allows (a Mercure
     * update's topic as a replicated log carries it), as {@link #lookup} does for native names: a known topic is found
     * without allocating.
     *
     * @return the topic, or null when the topic limit is reached.
     * @throws IllegalArgumentException when the name breaks {@link TopicText}'s rule.
     */
    TopicState lookupText(final DirectBuffer buffer, final int offset, final int length)
    {
        TopicState topic = inTable(buffer, offset, length);
        if (null == topic)
        {
            topic = getOrCreateText(buffer.getStringWithoutLengthUtf8(offset, length));
            if (null != topic)
            {
                insert(topic);
            }
        }
        return topic;
    }

    private TopicState inTable(final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = 1;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + buffer.getByte(offset + i);
        }

        final TopicState[] table = this.table;
        final int mask = table.length - 1;
        int slot = spread(hash) & mask;
        TopicState topic;
        while (null != (topic = table[slot]))
        {
            if (topic.nameHash == hash && nameEquals(topic.nameBytes, buffer, offset, length))
            {
                return topic;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /**
     * Agent only: free the topic if it is idle (no subscriber, no retained event, nothing in flight).
     *
     * @return true when freed.
     */
    boolean freeIfIdle(final TopicState topic)
    {
        if (!topic.isIdle())
        {
            return false;
        }
        synchronized (this)
        {
            if (!topic.retire())
            {
                return false;
            }
            final int index = topic.index();
            byName.remove(topic.name(), topic);
            byIndex[index] = null;
            if (null != sequencer)
            {
                sequencer.onTopicFreed(index);
            }
            if (freeIndexCount == freeIndices.length)
            {
                freeIndices = Arrays.copyOf(freeIndices, freeIndexCount << 1);
            }
            freeIndices[freeIndexCount++] = index;
            liveCount--;
            if (isPresenceTopic(topic.name()))
            {
                presenceCount--;
            }
        }
        removeFromTable(topic);
        streams.unlink(topic);
        final TopicLog log = topic.log;
        if (null != log)
        {
            log.close();
        }
        final TopicLog privateLog = topic.privateLog;
        if (null != privateLog)
        {
            privateLog.close();
        }
        return true;
    }

    /**
     * Agent only: free a topic whatever it retains, when no subscriber reads it and no record of it is in flight: its
     * retained events are dropped first, as the history budget would evict them (a client resuming from before them
     * gets the replay-miss rule).
     *
     * @return true when freed.
     */
    boolean freeDroppingHistory(final TopicState topic)
    {
        return topic.dropHistoryIfUnread() && freeIfIdle(topic);
    }

    /**
     * Agent only: look at up to {@code limit} topic slots, from where the last sweep stopped, freeing the idle
     * topics (created by {@link SseServer#topic(String)} or by a request that then failed, and never given an event
     * or a subscriber; or whose events were all evicted by the history budget).
     *
     * @param limit most slots looked at.
     * @return topics freed.
     */
    int sweep(final int limit)
    {
        final TopicState[] topics = byIndex;
        final int slots = Math.min(limit, topics.length);
        int cursor = sweepCursor;
        int freed = 0;
        for (int i = 0; i < slots; i++)
        {
            if (cursor >= topics.length)
            {
                cursor = 0;
            }
            final TopicState topic = topics[cursor++];
            if (null != topic && topic.isIdle() && freeIfIdle(topic))
            {
                freed++;
            }
        }
        sweepCursor = cursor;
        return freed;
    }

    private void insert(final TopicState topic)
    {
        if ((tableCount + 1) * 2 > table.length)
        {
            rehash(table.length * 2);
        }
        put(topic);
        tableCount++;
    }

    private void removeFromTable(final TopicState topic)
    {
        final TopicState[] table = this.table;
        final int mask = table.length - 1;
        int slot = spread(topic.nameHash) & mask;
        TopicState found;
        while ((found = table[slot]) != topic)
        {
            if (null == found)
            {
                return;
            }
            slot = (slot + 1) & mask;
        }
        table[slot] = null;
        tableCount--;

        int hole = slot;
        int next = (slot + 1) & mask;
        TopicState moving;
        while (null != (moving = table[next]))
        {
            final int home = spread(moving.nameHash) & mask;
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                table[hole] = moving;
                table[next] = null;
                hole = next;
            }
            next = (next + 1) & mask;
        }

        if (table.length > 64 && tableCount * 8 < table.length)
        {
            rehash(table.length / 2);
        }
    }

    private void rehash(final int length)
    {
        final TopicState[] old = table;
        table = new TopicState[length];
        for (final TopicState t : old)
        {
            if (null != t)
            {
                put(t);
            }
        }
    }

    private void put(final TopicState topic)
    {
        final TopicState[] table = this.table;
        final int mask = table.length - 1;
        int slot = spread(topic.nameHash) & mask;
        while (null != table[slot])
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = topic;
    }

    /**
     * Agent only: topics in the agent's name-bytes table.
     *
     * @return the count.
     */
    int agentTableSize()
    {
        return tableCount;
    }

    private static int spread(final int hash)
    {
        return hash ^ (hash >>> 16);
    }

    private static boolean nameEquals(final byte[] name, final DirectBuffer buffer, final int offset, final int length)
    {
        if (name.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }
}
