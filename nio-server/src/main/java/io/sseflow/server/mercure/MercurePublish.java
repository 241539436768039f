package io.sseflow.server.mercure;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One Mercure update as {@link MercurePublishDecoder} decoded it from a publish body, reused from request to
 * request: its topics (the first is the canonical one, the others alternates; an update goes to subscribers of
 * any of them), its data as UTF-8 bytes, whether it is private, and the optional {@code id}, {@code type} (the
 * SSE {@code event}) and {@code retry}. Only the first {@code data}, {@code id}, {@code type} and {@code retry}
 * fields count, as with Mercure hubs; an empty one is as good as absent. Not thread-safe.
 */
public final class MercurePublish
{
    /**
     * Most {@code topic} fields of one update.
     */
    public static final int MAX_TOPICS = 100;

    /**
     * Most bytes (UTF-8) of an {@code id}.
     */
    public static final int MAX_ID_LENGTH = 1024;

    /**
     * Most bytes (UTF-8) of a {@code type}.
     */
    public static final int MAX_TYPE_LENGTH = 1024;

    /**
     * What a generated id starts with.
     */
    public static final String GENERATED_ID_PREFIX = "urn:uuid:";

    private final String[] topics = new String[MAX_TOPICS];
    private final UnsafeBuffer data = new UnsafeBuffer(new byte[256]);
    private int topicCount;
    private int dataLength;
    private boolean privateUpdate;
    private String id;
    private String type;
    private long retry = -1;

    /**
     * A new id for an update published without one: {@code urn:uuid:} and a random (version 4) UUID.
     *
     * @return the id.
     */
    public static String generateId()
    {
        return GENERATED_ID_PREFIX + UUID.randomUUID();
    }

    /**
     * How many topics the update has.
     *
     * @return 1 to {@link #MAX_TOPICS} after a successful decode.
     */
    public int topicCount()
    {
        return topicCount;
    }

    /**
     * One topic, in the order given; 0 is the canonical topic.
     *
     * @param index 0 to {@link #topicCount()} - 1.
     * @return the topic.
     */
    public String topic(final int index)
    {
        if (index < 0 || index >= topicCount)
        {
            throw new IndexOutOfBoundsException("topic " + index + " of " + topicCount);
        }
        return topics[index];
    }

    /**
     * The data's UTF-8 bytes, from index 0, valid until the next decode.
     *
     * @return the buffer.
     */
    public DirectBuffer dataBuffer()
    {
        return data;
    }

    /**
     * Length of the data's UTF-8 bytes; 0 when there is no data (the update is then sent with empty data).
     *
     * @return the length.
     */
    public int dataLength()
    {
        return dataLength;
    }

    /**
     * The data as text (allocates).
     *
     * @return the data, possibly empty.
     */
    public String data()
    {
        return data.getStringWithoutLengthUtf8(0, dataLength);
    }

    /**
     * Is the update private: was a {@code private} field present, whatever its value ({@code on} by convention)?
     *
     * @return true when private.
     */
    public boolean isPrivate()
    {
        return privateUpdate;
    }

    /**
     * The id the publisher gave.
     *
     * @return the id, or null when none (or an empty one) was given: the hub then generates one.
     */
    public String id()
    {
        return id;
    }

    /**
     * The SSE event type the publisher gave.
     *
     * @return the type, or null when none (or an empty one) was given.
     */
    public String type()
    {
        return type;
    }

    /**
     * The SSE reconnection time the publisher gave.
     *
     * @return milliseconds, or -1 when none (or an empty one) was given.
     */
    public long retry()
    {
        return retry;
    }

    void reset()
    {
        for (int i = 0; i < topicCount; i++)
        {
            topics[i] = null;
        }
        topicCount = 0;
        dataLength = 0;
        privateUpdate = false;
        id = null;
        type = null;
        retry = -1;
    }

    /**
     * The data buffer, at least this large, to decode into.
     */
    UnsafeBuffer dataBuffer(final int capacity)
    {
        if (data.capacity() < capacity)
        {
            data.wrap(new byte[Math.max(capacity, data.capacity() + (data.capacity() >> 1))]);
        }
        return data;
    }

    boolean addTopic(final String topic)
    {
        if (topicCount == MAX_TOPICS)
        {
            return false;
        }
        topics[topicCount++] = topic;
        return true;
    }

    void dataLength(final int length)
    {
        dataLength = length;
    }

    void privateUpdate()
    {
        privateUpdate = true;
    }

    void id(final String id)
    {
        this.id = id;
    }

    void type(final String type)
    {
        this.type = type;
    }

    void retry(final long retry)
    {
        this.retry = retry;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("MercurePublish{topics=[");
        for (int i = 0; i < topicCount; i++)
        {
            text.append(i == 0 ? "" : ", ").append(topics[i]);
        }
        return text.append("], data=").append(dataLength).append(" bytes, private=").append(privateUpdate)
            .append(", id=").append(id).append(", type=").append(type).append(", retry=").append(retry).append('}')
            .toString();
    }

    static String utf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
