package io.sseflow.server.agent;

import io.sseflow.server.Topic;
import io.sseflow.server.log.TopicLog;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A live topic as the server keeps it: its index in publish records, the pins of records in flight, and, owned by
 * the agent thread, its log, its subscribers and whether it has frames not yet flushed to them. The application's
 * {@link Topic} handle names it; the {@link TopicRegistry} finds it by name, index or name bytes and frees it when
 * it is idle.
 */
final class TopicState extends StreamSource
{
    private static final int FREED = -1;
    private static final byte[] NO_FLAGS = new byte[0];
    private static final AtomicIntegerFieldUpdater<TopicState> PINS =
        AtomicIntegerFieldUpdater.newUpdater(TopicState.class, "pins");

    private final String name;
    private final int index;
    private final TopicRegistry registry;
    private volatile int pins;
    private boolean ended;
    final byte[] nameBytes;
    final int nameHash;
    final AtomicBoolean disconnectRequested = new AtomicBoolean();

    // owned by the server agent: the shared streams this topic's events go to, found once per (stream, topic)
    SharedStream[] feeds = SharedStream.NONE;
    byte[] feedFlags = NO_FLAGS;
    int feedCount;
    boolean linked;
    boolean linkDeferred;
    long linkEpoch;
    // owned by the server agent: the topic's retained private updates, kept apart from the log native streams read
    TopicLog privateLog;

    TopicState(final String name, final int index, final TopicRegistry registry)
    {
        this.name = name;
        this.index = index;
        this.registry = registry;
        this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
        this.nameHash = Arrays.hashCode(nameBytes);
    }

    /**
     * The topic's name.
     *
     * @return the name.
     */
    String name()
    {
        return name;
    }

    /**
     * The topic's index in its server: in publish records, and reused for another topic once this one is freed.
     *
     * @return the index.
     */
    int index()
    {
        return index;
    }

    /**
     * Hold the topic for a publish record about to be offered: a pinned topic is not freed, so its index cannot go
     * to another topic while the record is in flight. Any thread.
     *
     * @return true when pinned; false when the topic was freed (resolve the live topic of this name instead).
     */
    boolean pin()
    {
        int pins;
        do
        {
            pins = this.pins;
            if (pins < 0)
            {
                return false;
            }
        }
        while (!PINS.compareAndSet(this, pins, pins + 1));
        return true;
    }

    /**
     * Let go of a pin: the record was applied by the agent, or was not taken by the sequencer.
     */
    void unpin()
    {
        int pins;
        do
        {
            pins = this.pins;
            if (pins <= 0)
            {
                return;
            }
        }
        while (!PINS.compareAndSet(this, pins, pins - 1));
    }

    /**
     * Mark the topic freed when nothing pins it. Agent only, under the registry's lock.
     *
     * @return true when freed now.
     */
    boolean retire()
    {
        return PINS.compareAndSet(this, 0, FREED);
    }

    /**
     * Agent only: mark this topic as a subscription topic whose end update was offered or delivered
     * ({@link EndedSubscriptionTopics}).
     *
     * @return false when it was marked already.
     */
    boolean markEnded()
    {
        if (ended)
        {
            return false;
        }
        ended = true;
        return true;
    }

    /**
     * Has the server freed this topic? Its handle still publishes, to the live topic of the same name.
     *
     * @return true when freed.
     */
    boolean isFreed()
    {
        return pins < 0;
    }

    /**
     * Agent only: could the topic be freed? No subscriber, no retained event, nothing in flight.
     *
     * @return true when idle.
     */
    boolean isIdle()
    {
        return 0 == subscriberCount && 0 == pins && (null == log || log.isEmpty()) &&
            (null == privateLog || privateLog.isEmpty());
    }

    /**
     * Agent only: drop the topic's retained events, public and private, as the history budget would evict them, when
     * no subscriber reads the topic and no record of it is in flight; {@link #isIdle()} then holds.
     *
     * @return true when dropped; false when it is read, in flight or already freed.
     */
    boolean dropHistoryIfUnread()
    {
        if (0 != subscriberCount || 0 != pins)
        {
            return false;
        }
        if (null != log)
        {
            log.close();
        }
        if (null != privateLog)
        {
            privateLog.close();
        }
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "Topic{" + name + "}";
    }

    void onLastSubscriberLeft()
    {
        registry.freeIfIdle(this);
    }

    boolean pinForHold()
    {
        return pin();
    }

    void unpinForHold()
    {
        unpin();
    }

    /**
     * Agent only: feed a shared stream from now on.
     *
     * @param stream to feed.
     * @param flags  {@link SharedStream#SUBSCRIBED} and/or {@link SharedStream#PRIVATE_ALLOWED}.
     */
    void addFeed(final SharedStream stream, final int flags)
    {
        if (feedCount == feeds.length)
        {
            final int length = Math.max(4, feedCount << 1);
            feeds = Arrays.copyOf(feeds, length);
            feedFlags = Arrays.copyOf(feedFlags, length);
        }
        feeds[feedCount] = stream;
        feedFlags[feedCount++] = (byte)flags;
    }

    /**
     * Agent only: stop feeding a shared stream (it was freed).
     *
     * @param stream fed until now.
     */
    void removeFeed(final SharedStream stream)
    {
        for (int i = 0; i < feedCount; i++)
        {
            if (feeds[i] == stream)
            {
                final int last = --feedCount;
                feeds[i] = feeds[last];
                feedFlags[i] = feedFlags[last];
                feeds[last] = null;
                return;
            }
        }
    }

    /**
     * Is a path segment a valid topic name? As {@link Topic#isValidName(CharSequence)}, and not {@code .} or {@code ..},
     * which are dot-segments in a request path (RFC 3986 section 5.2.4).
     *
     * @param buffer holding the segment.
     * @param offset of the segment.
     * @param length of the segment.
     * @return true for {@code [A-Za-z0-9._-]{1,128}} other than {@code .} and {@code ..}.
     */
    static boolean isValidNameInPath(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > Topic.MAX_NAME_LENGTH)
        {
            return false;
        }
        if (buffer.getByte(offset) == '.' && (length == 1 || (length == 2 && buffer.getByte(offset + 1) == '.')))
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (!Topic.isNameChar(buffer.getByte(offset + i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The topic's log, made on first need (a subscribe or the first event). It holds no memory until events are
     * appended.
     *
     * @return the log.
     */
    TopicLog logOrCreate()
    {
        TopicLog log = this.log;
        if (null == log)
        {
            log = this.log = registry.newLog();
        }
        return log;
    }

    /**
     * The topic's private-update history, made on the first private update: what a {@link SharedStream} with a
     * {@link SharedStream#PRIVATE_ALLOWED} link to the topic replays besides {@link #log} ({@link StreamFill}), never
     * read by a native stream. It shares the history budget with every other log.
     *
     * @return the log.
     */
    TopicLog privateLogOrCreate()
    {
        TopicLog privateLog = this.privateLog;
        if (null == privateLog)
        {
            privateLog = this.privateLog = registry.newLog();
        }
        return privateLog;
    }
}
