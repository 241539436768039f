package io.sseflow.server.fanout;

import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.SequencedEventHandler;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * One fan-out agent's view of the hub's one sequencer: what the agent offers goes to the shared
 * {@link PublishIngress}, its correlation id stamped with this agent ({@link SequencedEntry#stamp}), and what it polls
 * is read from its own position in the {@link SequencedLog}. A decision about a record this agent offered (or, for
 * agent 0, one offered by an application thread, whose topics it pinned) comes back with the agent's own topic
 * indexes and correlation id; an event offered elsewhere has its topics found or created by name in this agent's
 * topics and pinned, its indexes rewritten and its correlation id cleared; a duplicate or refusal offered elsewhere is
 * no business of this agent and is skipped. Agent thread only, except the claim methods (any thread);
 * allocation-free for live topics.
 */
public final class FanOutSequencer implements EventSequencer, SequencedLog.EntryHandler
{
    private static final PublishResult[] RESULTS = PublishResult.values();
    private static final int MAX_MORE_TOPICS = 64;

    private final int agent;
    private final PublishIngress ingress;
    private final SequencedLog.Reader reader;
    private final ErrorHandler errorHandler;
    private final UnsafeBuffer scratch;
    private final PublishRecord record = new PublishRecord();
    private final int[] indexes = new int[MAX_MORE_TOPICS];
    private TopicDirectory topics;
    private SequencedEventHandler handler;

    /**
     * @param agent        this agent's number, its reader in the log and its origin.
     * @param ingress      the sequencer's ingress.
     * @param log          the sequencer's decisions.
     * @param errorHandler told of an event whose topic this agent cannot have (its topic limit).
     */
    public FanOutSequencer(
        final int agent, final PublishIngress ingress, final SequencedLog log, final ErrorHandler errorHandler)
    {
        if (agent < 0 || agent >= SequencedEntry.MAX_ORIGINS || agent >= log.readerCount())
        {
            throw new IllegalArgumentException("no reader for agent " + agent);
        }
        this.agent = agent;
        this.ingress = ingress;
        this.reader = log.reader(agent);
        this.errorHandler = errorHandler;
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(log.maxPayloadLength()));
    }

    /**
     * {@inheritDoc}
     */
    public PublishResult tryClaim(final int length, final PublishClaim claim)
    {
        return ingress.tryClaim(length, claim);
    }

    /**
     * {@inheritDoc}
     */
    public void commit(final PublishClaim claim)
    {
        final MutableDirectBuffer buffer = claim.buffer();
        final long correlationId = buffer.getLong(PublishRecord.CORRELATION_ID_OFFSET);
        buffer.putLong(PublishRecord.CORRELATION_ID_OFFSET, SequencedEntry.stamp(correlationId, agent));
        ingress.commit(claim);
    }

    /**
     * {@inheritDoc}
     */
    public void abort(final PublishClaim claim)
    {
        ingress.abort(claim);
    }

    /**
     * {@inheritDoc}
     */
    public int maxRecordLength()
    {
        return ingress.maxRecordLength();
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final SequencedEventHandler handler, final int limit)
    {
        this.handler = handler;
        return reader.poll(this, limit);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Here: the ingress takes no more claims, from any agent.
     */
    public void close()
    {
        ingress.close();
    }

    /**
     * On close: has this agent read every decision about what was offered before the ingress closed? The ingress is
     * looked at first: once it is empty, every decision is in the log, and this agent's position reaches its end.
     *
     * @return true when closed and nothing is left for this agent.
     */
    public boolean isDrained()
    {
        return ingress.isClosed() && 0 == ingress.backlog() && reader.position() == reader.end();
    }

    /**
     * {@inheritDoc}
     */
    public FanOutSequencer topicDirectory(final TopicDirectory topics)
    {
        this.topics = topics;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public void onEntry(final int type, final DirectBuffer buffer, final int index, final int length)
    {
        final boolean own = SequencedEntry.origin(buffer, index) == agent;
        if (!own && SequencedEntry.EVENT != type)
        {
            return;
        }
        final int nameLength = SequencedEntry.nameLength(buffer, index);
        final int nameOffset = index + SequencedEntry.HEADER_LENGTH;
        final int recordAndNames = length - SequencedEntry.HEADER_LENGTH - nameLength;
        final UnsafeBuffer scratch = this.scratch;
        scratch.putBytes(0, buffer, nameOffset + nameLength, recordAndNames);
        final PublishRecord record = this.record.wrap(scratch, 0);
        final int recordLength = record.recordLength();
        if (own)
        {
            record.correlationId(SequencedEntry.correlationOf(record.correlationId()));
        }
        else if (!pinByName(buffer, nameOffset, nameLength, record, recordLength))
        {
            return;
        }

        final long seq = SequencedEntry.seq(buffer, index);
        final long value = SequencedEntry.value(buffer, index);
        switch (type)
        {
            case SequencedEntry.EVENT:
                handler.onEvent(scratch, 0, recordLength, seq, value);
                break;

            case SequencedEntry.DUPLICATE:
                handler.onDuplicate(scratch, 0, recordLength, seq);
                break;

            case SequencedEntry.REFUSED:
                handler.onRefused(scratch, 0, recordLength, RESULTS[(int)value]);
                break;

            default:
                throw new IllegalStateException("unknown sequenced entry type " + type);
        }
    }

    /**
     * An event another agent took: its topics found or created by name in this agent's topics and pinned, this
     * agent's indexes written into the record and its correlation id cleared. When a topic cannot be had the error is
     * reported and the topics pinned so far are let go through {@link SequencedEventHandler#onRefused}.
     */
    private boolean pinByName(
        final DirectBuffer entry, final int nameOffset, final int nameLength, final PublishRecord record,
        final int recordLength)
    {
        final int topicIndex = topics.pinTopic(entry, nameOffset, nameLength);
        if (topicIndex < 0)
        {
            reportNoTopic(entry, nameOffset, nameLength);
            return false;
        }
        record.topicIndex(topicIndex).correlationId(0);
        final int more = record.moreTopicCount();
        int at = recordLength;
        for (int i = 0; i < more; i++)
        {
            final int length = scratch.getInt(at);
            final int index = topics.pinTopic(scratch, at + BitUtil.SIZE_OF_INT, length);
            if (index < 0)
            {
                reportNoTopic(scratch, at + BitUtil.SIZE_OF_INT, length);
                if (i > 0)
                {
                    record.moreTopics(indexes, i);
                }
                else
                {
                    record.flags(record.flags() & ~PublishRecord.FLAG_MORE_TOPICS);
                }
                handler.onRefused(scratch, 0, record.recordLength(), PublishResult.TOPIC_LIMIT);
                return false;
            }
            indexes[i] = index;
            at += BitUtil.SIZE_OF_INT + length;
        }
        if (more > 0)
        {
            record.moreTopics(indexes, more);
        }
        return true;
    }

    private void reportNoTopic(final DirectBuffer buffer, final int offset, final int length)
    {
        errorHandler.onError(new IllegalStateException("agent " + agent + " has no topic for an event of " +
            buffer.getStringWithoutLengthUtf8(offset, length)));
    }
}
