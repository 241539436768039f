package io.sseflow.server.sequencer;

import io.sseflow.server.PublishResult;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The default {@link EventSequencer}: an Agrona {@link ManyToOneRingBuffer} in this process. Publishers claim
 * space in the ring ({@link ManyToOneRingBuffer#tryClaim}) and encode their record there; the ring's order is the
 * order of events. The hub sequence is a counter in poll order, 1 for the first event appended; ids the publisher did
 * not give are assigned per topic, each one more than the largest numeric id the topic has seen in a public event (a
 * private update's id moves no counter, so public ids never tell of it), so server-assigned ids always increase and
 * stay numbers ({@link EventIds}).
 * <p>
 * An explicit id is checked against what the update's topics retain, through the agent's {@link TopicDirectory}
 * ({@link RetainedIdCheck}): a retry is answered {@link SequencedEventHandler#onDuplicate}, a conflict
 * {@link SequencedEventHandler#onRefused} with {@link PublishResult#ID_CONFLICT}; neither takes a seq or moves a
 * counter.
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
    private final PublishRecord record = new PublishRecord();
    private long lastSeq;
    private long[] lastIdByTopic = new long[16];
    private long freedIdFloor;
    private final RetainedIdCheck check = new RetainedIdCheck();
    private TopicDirectory topics;
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
    public PublishResult tryClaim(final int length, final PublishClaim claim)
    {
        if (claim.isClaimed())
        {
            throw new IllegalStateException("claim still holds a record: commit or abort it first");
        }
        if (closed)
        {
            return PublishResult.CLOSED;
        }
        final ManyToOneRingBuffer ringBuffer = this.ringBuffer;
        if (length > ringBuffer.maxMsgLength())
        {
            return PublishResult.TOO_LARGE;
        }
        final int index = ringBuffer.tryClaim(MSG_TYPE_PUBLISH, length);
        if (RingBuffer.INSUFFICIENT_CAPACITY == index)
        {
            return PublishResult.BACK_PRESSURED;
        }
        claim.wrap(ringBuffer.buffer(), index, length, index);
        return PublishResult.OK;
    }

    /**
     * {@inheritDoc}
     */
    public void commit(final PublishClaim claim)
    {
        ringBuffer.commit((int)claim.release());
    }

    /**
     * {@inheritDoc}
     */
    public void abort(final PublishClaim claim)
    {
        ringBuffer.abort((int)claim.release());
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
     * {@inheritDoc}
     * <p>
     * Here: the agent's topics, whose logs decide whether an explicit id is a retry ({@link RetainedIdCheck}). Without
     * them (a sequencer used on its own) every record is appended.
     */
    public InMemoryEventSequencer topicDirectory(final TopicDirectory topics)
    {
        this.topics = topics;
        return this;
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

    /**
     * Hub sequence of the last event polled.
     *
     * @return the seq, 0 before the first event.
     */
    public long lastSeq()
    {
        return lastSeq;
    }

    private void onMessage(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
        final PublishRecord record = this.record.wrap(buffer, index);
        if (record.hasId() && null != topics)
        {
            final RetainedIdCheck check = this.check.reset();
            topics.checkRetainedId(record.topicIndex(), record, check);
            for (int i = 0, more = record.moreTopicCount(); i < more; i++)
            {
                topics.checkRetainedId(record.moreTopic(i), record, check);
            }
            switch (check.outcome())
            {
                case RETRY:
                    handler.onDuplicate(buffer, index, length, check.retainedSeq());
                    return;

                case CONFLICT:
                    handler.onRefused(buffer, index, length, PublishResult.ID_CONFLICT);
                    return;

                case NEW:
                default:
                    break;
            }
        }

        final long id;
        if (!record.hasId())
        {
            final int topicIndex = record.topicIndex();
            ensureCounter(topicIndex);
            final long last = lastIdByTopic[topicIndex];
            id = lastIdByTopic[topicIndex] = (0 == last ? freedIdFloor : last) + 1;
        }
        else if (record.isNumericId())
        {
            id = record.numericId();
            if (!record.isPrivate())
            {
                raise(record.topicIndex(), id);
                for (int i = 0, more = record.moreTopicCount(); i < more; i++)
                {
                    raise(record.moreTopic(i), id);
                }
            }
        }
        else
        {
            id = TEXT_ID;
        }

        handler.onEvent(buffer, index, length, ++lastSeq, id);
    }

    private void raise(final int topicIndex, final long numericId)
    {
        ensureCounter(topicIndex);
        lastIdByTopic[topicIndex] = EventIds.raised(lastIdByTopic[topicIndex], numericId);
    }

    private void ensureCounter(final int topicIndex)
    {
        if (topicIndex >= lastIdByTopic.length)
        {
            lastIdByTopic = Arrays.copyOf(lastIdByTopic, Math.max(topicIndex + 1, lastIdByTopic.length * 2));
        }
    }
}
