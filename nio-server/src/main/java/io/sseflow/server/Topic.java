package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.log.TopicLog;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A named stream of events. {@link #publish} is thread-safe and never blocks: the event is encoded on the
 * calling thread and handed to the server agent through the publish ring; the agent assigns the id (unless one
 * is given), appends the frame to the topic's history once, and every subscriber is sent the same bytes.
 * <p>
 * Get one with {@link SseServer#topic(String)}; names match {@code [A-Za-z0-9._-]{1,128}}.
 * <p>
 * A topic costs little until it holds events, and one with no subscribers and no retained events is freed by the
 * server, so abandoned topics never fill the topic limit. A handle stays valid for as long as the application
 * keeps it: publishing on a handle whose topic was freed publishes to the topic of that name, created again.
 */
public final class Topic
{
    /**
     * Longest topic name.
     */
    public static final int MAX_NAME_LENGTH = 128;

    private static final int FREED = -1;
    private static final AtomicIntegerFieldUpdater<Topic> PINS =
        AtomicIntegerFieldUpdater.newUpdater(Topic.class, "pins");

    private final String name;
    private final int index;
    private final SseServer server;
    private final TopicRegistry registry;
    private volatile int pins;
    final byte[] nameBytes;
    final int nameHash;
    final AtomicBoolean disconnectRequested = new AtomicBoolean();

    // owned by the server agent
    TopicLog log;
    Connection[] subscribers = new Connection[4];
    int subscriberCount;
    boolean dirty;

    Topic(final String name, final int index, final SseServer server, final TopicRegistry registry)
    {
        this.name = name;
        this.index = index;
        this.server = server;
        this.registry = registry;
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.nameHash = Arrays.hashCode(nameBytes);
    }

    /**
     * The topic's name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Publish an event with a server-assigned id. A {@link CharSequence} is sent as text (line breaks become
     * several {@code data:} lines); anything else is serialized to JSON by the encoder.
     *
     * @param data the event's data.
     * @return {@link PublishResult#OK} or why it was not published.
     * @throws IllegalArgumentException when the data has no JSON converter (nothing is published).
     */
    public PublishResult publish(final Object data)
    {
        return server.publish(this, data, SseOptions.NONE);
    }

    /**
     * Publish an event with an event name.
     *
     * @param event the event name ({@code event:} field), validated like {@link SseOptions.Builder#event}.
     * @param data  the event's data, as for {@link #publish(Object)}.
     * @return {@link PublishResult#OK} or why it was not published.
     * @throws IllegalArgumentException when the name is invalid or the data has no JSON converter.
     */
    public PublishResult publishEvent(final String event, final Object data)
    {
        return server.publish(this, data, SseOptions.event(event));
    }

    /**
     * Publish an event with options: event name, id and retry, each optional. An id given here is used as is
     * (a canonical decimal also moves the topic's id counter forward, so later assigned ids stay larger);
     * without one the server assigns the next number.
     *
     * @param data    the event's data, as for {@link #publish(Object)}.
     * @param options event name, id, retry.
     * @return {@link PublishResult#OK} or why it was not published.
     * @throws IllegalArgumentException when the data has no JSON converter.
     */
    public PublishResult publish(final Object data, final SseOptions options)
    {
        return server.publish(this, data, options);
    }

    /**
     * End every stream of this topic cleanly: each subscriber is sent the rest of the frame being written (never
     * a partial frame), then the connection is closed with a FIN, so clients reconnect with
     * {@code Last-Event-ID} and are replayed what they missed. Asynchronous and thread-safe: the server agent
     * ends the streams open when it handles the request (subscribers arriving later are not affected); counted in
     * {@code sseflow_subscribers_disconnected_total}. For operators (move clients to another node, rotate
     * credentials) and tests.
     *
     * @return true when requested (or already pending), false when the server is not running.
     */
    public boolean disconnectSubscribers()
    {
        return server.disconnectSubscribers(this);
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
        return 0 == subscriberCount && 0 == pins && (null == log || log.isEmpty());
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "Topic{" + name + "}";
    }

    void addSubscriber(final Connection connection)
    {
        if (subscriberCount == subscribers.length)
        {
            subscribers = Arrays.copyOf(subscribers, subscriberCount << 1);
        }
        connection.subscriberIndex = subscriberCount;
        subscribers[subscriberCount++] = connection;
    }

    void removeSubscriber(final Connection connection)
    {
        final int index = connection.subscriberIndex;
        if (index < 0 || index >= subscriberCount || subscribers[index] != connection)
        {
            return;
        }
        final int last = --subscriberCount;
        final Connection moved = subscribers[last];
        subscribers[index] = moved;
        moved.subscriberIndex = index;
        subscribers[last] = null;
        connection.subscriberIndex = -1;
        if (0 == last)
        {
            registry.freeIfIdle(this);
        }
    }

    /**
     * Is a name a valid topic name? {@code [A-Za-z0-9._-]{1,128}}, except {@code .} and {@code ..}, which cannot be
     * subscribed to over HTTP (they are dot-segments of a path).
     *
     * @param name to check.
     * @return true for a valid name.
     */
    public static boolean isValidName(final CharSequence name)
    {
        final int length = name.length();
        if (length < 1 || length > MAX_NAME_LENGTH || isDotSegment(name, length))
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (!isNameChar(name.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Is a path segment a valid topic name? As {@link #isValidName(CharSequence)}, and not {@code .} or {@code ..},
     * which are dot-segments in a request path (RFC 3986 section 5.2.4).
     *
     * @param buffer holding the segment.
     * @param offset of the segment.
     * @param length of the segment.
     * @return true for {@code [A-Za-z0-9._-]{1,128}} other than {@code .} and {@code ..}.
     */
    static boolean isValidNameInPath(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > MAX_NAME_LENGTH)
        {
            return false;
        }
        if (buffer.getByte(offset) == '.' && (length == 1 || (length == 2 && buffer.getByte(offset + 1) == '.')))
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (!isNameChar(buffer.getByte(offset + i)))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isDotSegment(final CharSequence name, final int length)
    {
        return name.charAt(0) == '.' && (length == 1 || (length == 2 && name.charAt(1) == '.'));
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

    static boolean isNameChar(final int c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-';
    }
}
