package io.sseflow.server.topic;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The default {@link EventSequencer}: an Agrona {@link ManyToOneRingBuffer} in this process. The ring's order
 * is the order of events; ids the publisher did not give are assigned per topic, each one more than the
 * largest numeric id the topic has seen, so server-assigned ids always increase.
 * <p>
 * A topic's first assigned id is 1 on a fresh server. When a topic is freed (its events all evicted, nobody
 * subscribed) its counter goes, and every topic whose counter starts afterwards starts above the largest id any
 * freed topic had reached: a topic created again under the same name never repeats an id of its earlier life, so
 * a {@code Last-Event-ID} from then cannot name a different, newer event (it is simply not found, and the
 * replay-miss rule applies).
 */
public final class InMemoryEventSequencer implements EventSequencer
{
    private static final int MSG_TYPE_PUBLISH = 1;

    private final ManyToOneRingBuffer ringBuffer;
    private final MessageHandler messageHandler = this::onMessage;
    private long[] lastIdByTopic = new long[16];
    private long freedIdFloor;
    private SequencedEventHandler handler;
    private volatile boolean closed;

    /**
     * A sequencer with a ring of the given capacity.
     *
     * @param capacity ring capacity in bytes, a power of two; records up to a eighth of it are accepted.
     */
    public InMemoryEventSequencer(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("publish ring capacity must be a power of two: " + capacity);
        }
        final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH);
        ringBuffer = new ManyToOneRingBuffer(new UnsafeBuffer(byteBuffer));
    }

    /**
     * {@inheritDoc}
     */
    public OfferResult offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return OfferResult.CLOSED;
        }
        if (length > ringBuffer.maxMsgLength())
        {
            return OfferResult.TOO_LARGE;
        }
        return ringBuffer.write(MSG_TYPE_PUBLISH, buffer, offset, length) ? OfferResult.OK : OfferResult.BACK_PRESSURED;
    }

    /**
     * {@inheritDoc}
     */
    public int maxRecordLength()
    {
        return ringBuffer.maxMsgLength();
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final SequencedEventHandler handler, final int limit)
    {
        this.handler = handler;
        return ringBuffer.read(messageHandler, limit);
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        closed = true;
    }

    /**
     * {@inheritDoc}
     */
    public void onTopicFreed(final int topicIndex)
    {
        if (topicIndex >= 0 && topicIndex < lastIdByTopic.length)
        {
            freedIdFloor = Math.max(freedIdFloor, lastIdByTopic[topicIndex]);
            lastIdByTopic[topicIndex] = 0;
        }
    }

    /**
     * Bytes waiting to be polled.
     *
     * @return bytes in the ring.
     */
    public int backlog()
    {
        return ringBuffer.size();
    }

    private void onMessage(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
        final int topicIndex = buffer.getInt(index + PublishRecordDescriptor.TOPIC_INDEX_OFFSET);
        if (topicIndex >= lastIdByTopic.length)
        {
            lastIdByTopic = Arrays.copyOf(lastIdByTopic, Math.max(topicIndex + 1, lastIdByTopic.length * 2));
        }

        final int flags = buffer.getInt(index + PublishRecordDescriptor.FLAGS_OFFSET);
        final long id;
        if ((flags & PublishRecordDescriptor.FLAG_HAS_ID) == 0)
        {
            final long last = lastIdByTopic[topicIndex];
            id = lastIdByTopic[topicIndex] = (0 == last ? freedIdFloor : last) + 1;
        }
        else if ((flags & PublishRecordDescriptor.FLAG_NUMERIC_ID) != 0)
        {
            id = buffer.getLong(index + PublishRecordDescriptor.NUMERIC_ID_OFFSET);
            if (id > lastIdByTopic[topicIndex])
            {
                lastIdByTopic[topicIndex] = id;
            }
        }
        else
        {
            id = TEXT_ID;
        }

        handler.onEvent(buffer, index, length, id);
    }
}
