package io.sseflow.server.cluster;

import io.sseflow.server.PublishResult;
import io.sseflow.server.fanout.PublishIngress;
import io.sseflow.server.fanout.SequencedEntry;
import io.sseflow.server.fanout.SequencedLogWriter;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The one sequencer of a hub with several fan-out agents, on a thread of its own: the cluster's
 * {@link EventStateMachine} applied in this process, without replication. Each record offered to the
 * {@link PublishIngress} (by any agent or application thread) is named by its topics' names, read from the topics of
 * the agent it came from ({@link SequencedEntry#originOf}), and applied: seq, id and duplicates are decided once, by
 * topic name, as a clustered hub decides them, and the decision is written once to the sequenced log for every agent
 * ({@link SequencedLogWriter}). A record is taken only while the log has room for its decision. Sequencer thread only;
 * allocation-free once its topics exist.
 * <p>
 * Its topics are the state machine's: it keeps at most {@code maxTopics} names for the life of the hub (unlike one
 * agent's topics, which are freed when idle), and retains what the state machine's budget retains to decide
 * explicit ids.
 */
public final class StateMachineSequencer implements Agent
{
    private static final int POLL_LIMIT = 1024;

    private final EventStateMachine machine;
    private final PublishIngress ingress;
    private final SequencedLogWriter writer;
    private final RecordTopics[] origins;
    private final TopicDirectory[] directories;
    private final ErrorHandler errorHandler;
    private final UnsafeBuffer scratch;
    private final PublishRecord record = new PublishRecord();
    private final MessageHandler onRecord = this::onRecord;
    private final AppliedEventListener listener = new Decisions();
    private DirectBuffer current;
    private int currentIndex;
    private int currentLength;
    private int currentOrigin;

    /**
     * @param maxTopics         most topics ever named.
     * @param historyPerTopic   events retained per topic, to decide explicit ids.
     * @param historyTotalBytes bytes retained by all topics together.
     * @param ingress           what publishers offer.
     * @param writer            where decisions go.
     * @param origins           each agent's topics, by agent number: a record's topic indexes are its origin's.
     * @param errorHandler      told of a record whose topics cannot be named.
     */
    public StateMachineSequencer(
        final int maxTopics,
        final int historyPerTopic,
        final long historyTotalBytes,
        final PublishIngress ingress,
        final SequencedLogWriter writer,
        final TopicDirectory[] origins,
        final ErrorHandler errorHandler)
    {
        this.machine = new EventStateMachine(new StateSettings(maxTopics, historyPerTopic, historyTotalBytes));
        this.ingress = ingress;
        this.writer = writer;
        this.errorHandler = errorHandler;
        this.directories = origins.clone();
        this.origins = new RecordTopics[origins.length];
        for (int i = 0; i < origins.length; i++)
        {
            this.origins[i] = new RecordTopics(origins[i], errorHandler);
        }
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(writer.maxRecordAndNamesLength() +
            ClusterRecord.HEADER_LENGTH + ClusterRecord.MAX_TOPIC_NAME_LENGTH));
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "sseflow-sequencer";
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        int count = 0;
        while (count < POLL_LIMIT && writer.hasRoomForOne() && ingress.read(onRecord, 1) > 0)
        {
            count++;
        }
        return count;
    }

    /**
     * Hub sequence of the last event appended.
     *
     * @return the seq, 0 before the first.
     */
    public long lastSeq()
    {
        return machine.lastSeq();
    }

    private void onRecord(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final PublishRecord record = this.record.wrap(buffer, index);
        final int origin = SequencedEntry.originOf(record.correlationId());
        current = buffer;
        currentIndex = index;
        currentLength = length;
        currentOrigin = origin;
        if (origin >= origins.length)
        {
            refuse(new IllegalStateException("publish record from no agent: " + origin), PublishResult.CLOSED);
            return;
        }
        final UnsafeBuffer scratch = this.scratch;
        final int nameLength = directories[origin].topicName(record.topicIndex(), scratch, ClusterRecord.HEADER_LENGTH);
        if (nameLength <= 0 || nameLength > ClusterRecord.MAX_TOPIC_NAME_LENGTH)
        {
            refuse(new IllegalStateException("publish record for no live topic, index " + record.topicIndex()),
                PublishResult.CLOSED);
            return;
        }
        scratch.putLong(ClusterRecord.CORRELATION_ID_OFFSET, record.correlationId());
        scratch.putLong(ClusterRecord.INGRESS_SEQ_OFFSET, 0);
        scratch.putInt(ClusterRecord.ORIGIN_NODE_OFFSET, origin);
        scratch.putInt(ClusterRecord.TOPIC_NAME_LENGTH_OFFSET, nameLength);
        final int recordAt = ClusterRecord.HEADER_LENGTH + nameLength;
        if (recordAt + length > scratch.capacity())
        {
            writer.refused(origin, buffer, index, length, PublishResult.TOO_LARGE);
            return;
        }
        scratch.putBytes(recordAt, buffer, index, length);
        final RecordTopics names = origins[origin];
        final int end;
        switch (names.appendNames(record, scratch, recordAt + length))
        {
            case OK:
                end = names.end();
                break;

            case TOO_LARGE:
                writer.refused(origin, buffer, index, length, PublishResult.TOO_LARGE);
                return;

            case NO_LIVE_TOPIC:
            default:
                refuse(new IllegalStateException("publish record for no live topic, index " +
                    names.failedTopicIndex()), PublishResult.CLOSED);
                return;
        }
        if (end - ClusterRecord.HEADER_LENGTH > writer.maxRecordAndNamesLength())
        {
            writer.refused(origin, buffer, index, length, PublishResult.TOO_LARGE);
            return;
        }
        machine.apply(scratch, 0, end, listener);
    }

    private void refuse(final Exception problem, final PublishResult result)
    {
        errorHandler.onError(problem);
        writer.refused(currentOrigin, current, currentIndex, currentLength, result);
    }

    private final class Decisions implements AppliedEventListener
    {
        public void onAppended(
            final int originNode,
            final long correlationId,
            final DirectBuffer topic,
            final int topicOffset,
            final int topicLength,
            final DirectBuffer record,
            final int recordOffset,
            final int recordLength,
            final long seq,
            final long numericId)
        {
            writer.event(originNode, topic, topicOffset, topicLength, record, recordOffset, recordLength, seq, numericId);
        }

        public void onDuplicate(
            final int originNode,
            final long correlationId,
            final DirectBuffer record,
            final int recordOffset,
            final int recordLength,
            final long existingSeq)
        {
            writer.duplicate(originNode, record, recordOffset, recordLength, existingSeq);
        }

        public void onRefused(final int originNode, final long correlationId, final ApplyOutcome outcome)
        {
            final PublishResult result;
            switch (outcome)
            {
                case TOPIC_LIMIT:
                    result = PublishResult.TOPIC_LIMIT;
                    break;

                case ID_CONFLICT:
                    result = PublishResult.ID_CONFLICT;
                    break;

                default:
                    errorHandler.onError(new IllegalStateException("publish record not applied: " + outcome));
                    result = PublishResult.CLOSED;
                    break;
            }
            writer.refused(currentOrigin, current, currentIndex, currentLength, result);
        }
    }
}
