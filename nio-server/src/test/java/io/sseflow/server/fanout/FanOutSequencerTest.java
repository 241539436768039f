package io.sseflow.server.fanout;

import io.sseflow.server.PublishResult;
import io.sseflow.server.cluster.StateMachineSequencer;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.RetainedIdCheck;
import io.sseflow.server.sequencer.SequencedEventHandler;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The one sequencer and two fan-out agents, without sockets: {@link StateMachineSequencer} decides each record once, by
 * topic name; each {@link FanOutSequencer} hands its agent every event with the agent's own topic indexes, and the
 * answers (correlation ids, duplicates, refusals) only to the agent whose publisher offered the record.
 */
class FanOutSequencerTest
{
    private final PublishIngress ingress = new PublishIngress(1 << 16);
    private final SequencedLog log = new SequencedLog(1 << 16, 2);
    private final List<Throwable> errors = new ArrayList<>();
    private final Topics[] topics = {new Topics(0), new Topics(100)};
    private final FanOutSequencer[] agents = {
        new FanOutSequencer(0, ingress, log, errors::add).topicDirectory(topics[0]),
        new FanOutSequencer(1, ingress, log, errors::add).topicDirectory(topics[1])};
    private final StateMachineSequencer sequencer = new StateMachineSequencer(
        16, 4, Long.MAX_VALUE, ingress, new SequencedLogWriter(log), topics, errors::add);
    private final PublishClaim claim = new PublishClaim();

    @Test
    void shouldGiveEveryAgentEveryEventWithItsOwnTopicIndexesAndAnswerOnlyTheOrigin()
    {
        offer(0, "news", 7, null, "a");
        offer(1, "chat", 9, null, "b");
        offer(1, "news", 0, null, "c");
        assertEquals(3, sequencer.doWork());

        assertEquals(List.of(
            "event seq=1 topic=0 correlation=7 id=1 data=a",
            "event seq=2 topic=1 correlation=0 id=1 data=b",
            "event seq=3 topic=0 correlation=0 id=2 data=c"), poll(0));
        assertEquals(List.of(
            "event seq=1 topic=101 correlation=0 id=1 data=a",
            "event seq=2 topic=100 correlation=9 id=1 data=b",
            "event seq=3 topic=101 correlation=0 id=2 data=c"), poll(1));
        assertEquals(List.of(), errors);
        assertEquals(List.of("news", "chat"), topics[0].names);
        assertEquals(List.of("chat", "news"), topics[1].names);
        assertEquals(2, topics[1].pins[1], "news on agent 1: pinned when offered, then by name: let go by the agent's frame assembler");
    }

    @Test
    void shouldDecideARetriedIdOnceAndAnswerItOnTheAgentThatOfferedTheRetry()
    {
        offer(0, "news", 3, "e-1", "a");
        offer(1, "news", 5, "e-1", "a");
        offer(1, "news", 6, "42", "b");
        assertEquals(3, sequencer.doWork());

        assertEquals(List.of(
            "event seq=1 topic=0 correlation=3 id=text:e-1 data=a",
            "event seq=2 topic=0 correlation=0 id=42 data=b"), poll(0));
        assertEquals(List.of(
            "event seq=1 topic=100 correlation=0 id=text:e-1 data=a",
            "duplicate of seq=1 topic=100 correlation=5",
            "event seq=2 topic=100 correlation=6 id=42 data=b"), poll(1));
    }

    @Test
    void shouldRefuseANewTopicPastTheLimitOnTheOriginOnly()
    {
        final StateMachineSequencer small = new StateMachineSequencer(
            1, 4, Long.MAX_VALUE, ingress, new SequencedLogWriter(log), topics, errors::add);
        offer(0, "news", 1, null, "a");
        offer(1, "chat", 2, null, "b");
        assertEquals(2, small.doWork());

        assertEquals(List.of("event seq=1 topic=0 correlation=1 id=1 data=a"), poll(0));
        assertEquals(List.of(
            "event seq=1 topic=101 correlation=0 id=1 data=a",
            "refused TOPIC_LIMIT topic=100 correlation=2"), poll(1));
    }

    @Test
    void shouldTakeNoRecordWhileTheSlowestAgentLeavesNoRoomForItsDecision()
    {
        final SequencedLog small = new SequencedLog(1024, 2);
        final FanOutSequencer fast = new FanOutSequencer(0, ingress, small, errors::add).topicDirectory(topics[0]);
        final StateMachineSequencer sequencer = new StateMachineSequencer(
            16, 4, Long.MAX_VALUE, ingress, new SequencedLogWriter(small), topics, errors::add);
        for (int i = 0; i < 40; i++)
        {
            offer(0, "news", 0, null, "event-" + i);
        }
        final int first = sequencer.doWork();
        assertFalse(first >= 40, "held by agent 1, which read nothing");
        final List<String> seen = new ArrayList<>();
        fast.poll(collect(seen), 100);
        assertEquals(0, sequencer.doWork(), "agent 0 read them all, agent 1 none");
        assertEquals(first, seen.size());
    }

    private List<String> poll(final int agent)
    {
        final List<String> seen = new ArrayList<>();
        agents[agent].poll(collect(seen), 100);
        return seen;
    }

    private static SequencedEventHandler collect(final List<String> seen)
    {
        final PublishRecord record = new PublishRecord();
        return new SequencedEventHandler()
        {
            public void onEvent(
                final DirectBuffer buffer, final int offset, final int length, final long seq, final long numericId)
            {
                record.wrap(buffer, offset);
                assertEquals(record.recordLength(), length);
                final String id = numericId == EventSequencer.TEXT_ID ?
                    "text:" + buffer.getStringWithoutLengthAscii(record.idOffset(), record.idLength()) :
                    Long.toString(numericId);
                seen.add("event seq=" + seq + " topic=" + record.topicIndex() + " correlation=" +
                    record.correlationId() + " id=" + id + " data=" +
                    buffer.getStringWithoutLengthUtf8(record.dataOffset(), record.dataLength()));
            }

            public void onDuplicate(final DirectBuffer buffer, final int offset, final int length, final long existingSeq)
            {
                record.wrap(buffer, offset);
                seen.add("duplicate of seq=" + existingSeq + " topic=" + record.topicIndex() + " correlation=" +
                    record.correlationId());
            }

            public void onRefused(
                final DirectBuffer buffer, final int offset, final int length, final PublishResult result)
            {
                record.wrap(buffer, offset);
                seen.add("refused " + result + " topic=" + record.topicIndex() + " correlation=" +
                    record.correlationId());
            }
        };
    }

    private void offer(final int agent, final String topic, final long correlationId, final String id, final String data)
    {
        final int topicIndex = topics[agent].pin(topic);
        final int idLength = null == id ? 0 : id.length();
        assertEquals(PublishResult.OK, agents[agent].tryClaim(PublishRecord.recordLength(idLength, 0, data.length()), claim));
        final MutableDirectBuffer buffer = claim.buffer();
        final PublishRecord record = new PublishRecord().wrap(buffer, 0)
            .header(correlationId, topicIndex, idLength, 0, data.length());
        if (null != id)
        {
            buffer.putStringWithoutLengthAscii(record.idOffset(), id);
        }
        record.classifyId();
        buffer.putStringWithoutLengthAscii(record.dataOffset(), data);
        agents[agent].commit(claim);
    }

    /**
     * One agent's topics: indexes from a base of its own, so that two agents' indexes of a topic differ.
     */
    private static final class Topics implements TopicDirectory
    {
        final List<String> names = new ArrayList<>();
        final int[] pins = new int[16];
        private final int base;

        Topics(final int base)
        {
            this.base = base;
        }

        int pin(final String name)
        {
            int index = names.indexOf(name);
            if (index < 0)
            {
                names.add(name);
                index = names.size() - 1;
            }
            pins[index]++;
            return base + index;
        }

        public int topicName(final int topicIndex, final MutableDirectBuffer buffer, final int offset)
        {
            final int index = topicIndex - base;
            if (index < 0 || index >= names.size())
            {
                return -1;
            }
            return buffer.putStringWithoutLengthUtf8(offset, names.get(index));
        }

        public int pinTopic(final DirectBuffer name, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            name.getBytes(offset, bytes);
            return pin(new String(bytes, StandardCharsets.UTF_8));
        }

        public void checkRetainedId(final int topicIndex, final PublishRecord record, final RetainedIdCheck check)
        {
            throw new AssertionError("the sequencer decides ids by name, never by an agent's logs");
        }

        public String toString()
        {
            return Arrays.toString(pins);
        }
    }
}
