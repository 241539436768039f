package io.sseflow.server.cluster;

import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records of several topics (a Mercure update) in the {@link EventStateMachine}: one event of all its topics with one
 * seq, its explicit id counted in each of its topics and checked against every one of them as the in-memory hub does
 * (a retry only when all retain it as one event, a conflict refused otherwise), its topics created together or the
 * record refused whole, retained by each topic and given back once, through snapshots (this layout and the one before
 * it), and malformed lists of names refused; and a private update's id, which moves no public counter.
 */
class SeveralTopicsStateMachineTest
{
    private final List<String> decisions = new ArrayList<>();
    private final AppliedEventListener listener = new AppliedEventListener()
    {
        public void onAppended(
            final int originNode, final long correlationId, final DirectBuffer topic, final int topicOffset,
            final int topicLength, final DirectBuffer record, final int recordOffset, final int recordLength,
            final long seq, final long numericId)
        {
            decisions.add("appended corr=" + correlationId + " topic=" +
                topic.getStringWithoutLengthUtf8(topicOffset, topicLength) +
                " more=" + ClusterRecords.moreTopicNamesOf(record, recordOffset) + " seq=" + seq + " id=" +
                (numericId == EventSequencer.TEXT_ID ? "text:" + ClusterRecords.idTextOf(record, recordOffset) : numericId) +
                " " + ClusterRecords.dataOf(record, recordOffset).trim());
        }

        public void onDuplicate(
            final int originNode, final long correlationId, final DirectBuffer record, final int recordOffset,
            final int recordLength, final long existingSeq)
        {
            decisions.add("duplicate corr=" + correlationId + " existingSeq=" + existingSeq + " more=" +
                ClusterRecords.moreTopicNamesOf(record, recordOffset));
        }

        public void onRefused(final int originNode, final long correlationId, final ApplyOutcome outcome)
        {
            decisions.add("refused corr=" + correlationId + " " + outcome);
        }
    };

    @Test
    void shouldApplyAnUpdateOfSeveralTopicsOnceWithOneSeqAndItsIdCountedInEachOfItsTopics()
    {
        final EventStateMachine machine = new EventStateMachine(8, 4);
        assertEquals(ApplyOutcome.APPENDED, one(machine, 1, "a", null, "a1"));
        assertEquals(ApplyOutcome.APPENDED, several(machine, 2, List.of("a", "b"), "7", "both"));
        assertEquals(ApplyOutcome.APPENDED, one(machine, 3, "a", null, "a2"));
        assertEquals(ApplyOutcome.APPENDED, one(machine, 4, "b", null, "b1"));
        assertEquals(ApplyOutcome.APPENDED, several(machine, 5, List.of("b", "https://example.com/c/1"), null, "no id"));
        assertEquals(ApplyOutcome.APPENDED, several(machine, 6, List.of("a", "b", "d"), "urn:uuid:x", "three"));

        assertEquals(List.of(
            "appended corr=1 topic=a more=[] seq=1 id=1 data: a1",
            "appended corr=2 topic=a more=[b] seq=2 id=7 data: both",
            "appended corr=3 topic=a more=[] seq=3 id=8 data: a2",
            "appended corr=4 topic=b more=[] seq=4 id=8 data: b1",
            "appended corr=5 topic=b more=[https://example.com/c/1] seq=5 id=9 data: no id",
            "appended corr=6 topic=a more=[b, d] seq=6 id=text:urn:uuid:x data: three"), decisions);
        assertEquals(4, machine.topicCount());
        assertEquals(List.of(
            "seq=1 a [] 1 data: a1",
            "seq=2 a [b] 7 data: both",
            "seq=3 a [] 8 data: a2",
            "seq=4 b [] 8 data: b1",
            "seq=5 b [https://example.com/c/1] 9 data: no id",
            "seq=6 a [b, d] text data: three"), retained(machine));
    }

    @Test
    void shouldTakeAnIdRetainedAsOneEventByEveryTopicForARetryAndRefuseAnyOtherRetainedIdAsAConflict()
    {
        final EventStateMachine machine = new EventStateMachine(8, 4);
        assertEquals(ApplyOutcome.APPENDED, several(machine, 1, List.of("a", "b"), "k", "first"));
        assertEquals(ApplyOutcome.DUPLICATE, several(machine, 2, List.of("a", "b"), "k", "retry"));
        assertEquals(ApplyOutcome.DUPLICATE, several(machine, 3, List.of("b", "a"), "k", "retry, b first"));
        assertEquals(ApplyOutcome.DUPLICATE, one(machine, 4, "b", "k", "b retains it too"));
        assertEquals(ApplyOutcome.ID_CONFLICT, several(machine, 5, List.of("a", "c"), "k", "c does not retain k"));
        assertEquals(ApplyOutcome.ID_CONFLICT, several(machine, 6, List.of("c", "a"), "k", "first topic c"));
        assertEquals(2, machine.topicCount(), "a and b: the refused updates created no topic");
        assertEquals(ApplyOutcome.APPENDED, one(machine, 7, "c", "k", "c alone"));
        assertEquals(ApplyOutcome.ID_CONFLICT, several(machine, 8, List.of("a", "c"), "k", "two events named k"));
        assertEquals(List.of(
            "appended corr=1 topic=a more=[b] seq=1 id=text:k data: first",
            "duplicate corr=2 existingSeq=1 more=[b]",
            "duplicate corr=3 existingSeq=1 more=[a]",
            "duplicate corr=4 existingSeq=1 more=[]",
            "refused corr=5 ID_CONFLICT",
            "refused corr=6 ID_CONFLICT",
            "appended corr=7 topic=c more=[] seq=2 id=text:k data: c alone",
            "refused corr=8 ID_CONFLICT"), decisions);
        assertEquals(List.of("seq=1 a [b] text data: first", "seq=2 c [] text data: c alone"), retained(machine));
    }

    @Test
    void shouldCountNoPrivateIdInTheTopicAndTakeARetriedPrivateUpdateOnce()
    {
        final EventStateMachine machine = new EventStateMachine(8, 8);
        assertEquals(ApplyOutcome.APPENDED, one(machine, 1, "t", null, "public 1"));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, update(2, List.of("t"), "7000", "secret", true)));
        assertEquals(ApplyOutcome.APPENDED, one(machine, 3, "t", null, "public 2"));
        assertEquals(ApplyOutcome.DUPLICATE, apply(machine, update(4, List.of("t"), "7000", "secret again", true)));
        assertEquals(ApplyOutcome.ID_CONFLICT, apply(machine, update(5, List.of("t"), "7000", "public update, same id", false)));
        assertEquals(ApplyOutcome.APPENDED, one(machine, 6, "t", "70", "a native id names its event in t only"));
        assertEquals(ApplyOutcome.APPENDED, one(machine, 7, "t", null, "public 3"));
        assertEquals(ApplyOutcome.ID_CONFLICT, apply(machine, update(8, List.of("t", "u"), "7000", "t only", true)));
        assertEquals(List.of(
            "appended corr=1 topic=t more=[] seq=1 id=1 data: public 1",
            "appended corr=2 topic=t more=[] seq=2 id=7000 data: secret",
            "appended corr=3 topic=t more=[] seq=3 id=2 data: public 2",
            "duplicate corr=4 existingSeq=2 more=[]",
            "refused corr=5 ID_CONFLICT",
            "appended corr=6 topic=t more=[] seq=4 id=70 data: a native id names its event in t only",
            "appended corr=7 topic=t more=[] seq=5 id=71 data: public 3",
            "refused corr=8 ID_CONFLICT"), decisions);
    }

    @Test
    void shouldCreateTheTopicsOfAnUpdateTogetherOrRefuseItWholeAtTheTopicLimit()
    {
        final EventStateMachine fits = new EventStateMachine(3, 4);
        one(fits, 1, "a", null, "a1");
        assertEquals(ApplyOutcome.APPENDED, several(fits, 2, List.of("a", "b", "c"), "m", "fits"));
        assertEquals(3, fits.topicCount());

        final EventStateMachine full = new EventStateMachine(2, 4);
        one(full, 3, "a", null, "a1");
        assertEquals(ApplyOutcome.TOPIC_LIMIT, several(full, 4, List.of("a", "b", "c"), "m", "one too many"));
        assertEquals(1, full.topicCount());
        assertEquals(1, full.lastSeq());
        assertEquals(ApplyOutcome.APPENDED, several(full, 5, List.of("b", "a"), "m", "b fits"));
        assertEquals(List.of(
            "appended corr=1 topic=a more=[] seq=1 id=1 data: a1",
            "appended corr=2 topic=a more=[b, c] seq=2 id=text:m data: fits",
            "appended corr=3 topic=a more=[] seq=1 id=1 data: a1",
            "refused corr=4 TOPIC_LIMIT",
            "appended corr=5 topic=b more=[a] seq=2 id=text:m data: b fits"), decisions);
    }

    @Test
    void shouldRefuseMalformedListsOfFurtherTopics()
    {
        final EventStateMachine machine = new EventStateMachine(8, 4);
        final UnsafeBuffer good = ClusterRecords.severalTopicsRecord(0, 1, 0, List.of("a", "b", "c"), "m", "x");
        assertEquals(ApplyOutcome.MALFORMED, machine.apply(good, 0, good.capacity() - 1, listener), "name cut");
        final UnsafeBuffer longer = new UnsafeBuffer(new byte[good.capacity() + 1]);
        longer.putBytes(0, good, 0, good.capacity());
        assertEquals(ApplyOutcome.MALFORMED, machine.apply(longer, 0, longer.capacity(), listener), "byte after");
        final UnsafeBuffer noNames = ClusterRecords.severalTopicsRecord(0, 2, 0, List.of("a", "b"), "m", "x");
        assertEquals(ApplyOutcome.MALFORMED,
            machine.apply(noNames, 0, noNames.capacity() - 1 - BitUtil.SIZE_OF_INT, listener), "names missing");
        assertEquals(ApplyOutcome.MALFORMED, apply(machine, ClusterRecords.severalTopicsRecord(
            0, 3, 0, List.of("a", "b", "a"), "m", "x")), "first topic again");
        assertEquals(ApplyOutcome.MALFORMED, apply(machine, ClusterRecords.severalTopicsRecord(
            0, 4, 0, List.of("a", "b", "b"), "m", "x")), "further topic twice");
        final UnsafeBuffer hugeCount = ClusterRecords.severalTopicsRecord(0, 5, 0, List.of("a", "b"), "m", "x");
        final int countAt = hugeCount.capacity() - 1 - 3 * BitUtil.SIZE_OF_INT;
        assertEquals(1, hugeCount.getInt(countAt));
        hugeCount.putInt(countAt, 1_000_000);
        assertEquals(ApplyOutcome.MALFORMED, apply(machine, hugeCount), "count past the record");
        hugeCount.putInt(countAt, 0);
        assertEquals(ApplyOutcome.MALFORMED, apply(machine, hugeCount), "no further topic");
        assertEquals(0, machine.lastSeq());
        assertEquals(0, machine.topicCount());
        assertEquals(ApplyOutcome.APPENDED, apply(machine, good));
    }

    @Test
    void shouldKeepAnUpdateOfSeveralTopicsThroughASnapshotWhileAnyOfItsTopicsRetainsIt()
    {
        final EventStateMachine machine = new EventStateMachine(8, 2);
        several(machine, 1, List.of("a", "b"), "m1", "both");
        one(machine, 2, "a", null, "a1");
        one(machine, 3, "a", null, "a2");
        final List<String> expected = List.of(
            "seq=1 a [b] text data: both", "seq=2 a [] 1 data: a1", "seq=3 a [] 2 data: a2");
        assertEquals(expected, retained(machine), "evicted from a, still retained by b, given once as a's");

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
        snapshot.checkLimit(machine.snapshotLength());
        final int length = machine.writeSnapshot(snapshot, 0);
        assertEquals(machine.snapshotLength(), length);
        final EventStateMachine restored = new EventStateMachine(8, 2);
        restored.loadSnapshot(snapshot, 0, length);
        assertEquals(expected, retained(restored));
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer(64);
        assertEquals(length, restored.writeSnapshot(again, 0));
        for (int i = 0; i < length; i++)
        {
            assertEquals(snapshot.getByte(i), again.getByte(i), "byte " + i);
        }

        decisions.clear();
        one(restored, 4, "b", "m1", "retried where it is still retained");
        several(restored, 5, List.of("b", "c"), "m1", "c never had it");
        several(restored, 6, List.of("a", "c"), "m1", "a no longer retains m1");
        assertEquals(List.of(
            "duplicate corr=4 existingSeq=1 more=[]",
            "refused corr=5 ID_CONFLICT",
            "appended corr=6 topic=a more=[c] seq=4 id=text:m1 data: a no longer retains m1"), decisions);
    }

    @Test
    void shouldLoadASnapshotOfTheLayoutBeforeUpdatesOfSeveralTopics()
    {
        final byte[] name = "a".getBytes(StandardCharsets.UTF_8);
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(64);
        final int recordLength = ClusterRecords.putPublishRecord(record, 0, 0, 0, null, "old");
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(256);
        int p = 0;
        snapshot.putInt(p, EventStateMachine.SNAPSHOT_MAGIC);
        snapshot.putInt(p += 4, EventStateMachine.SNAPSHOT_VERSION_ONE_TOPIC);
        snapshot.putLong(p += 4, 9);
        snapshot.putInt(p += 8, 0);
        snapshot.putInt(p += 4, 4);
        snapshot.putInt(p += 4, 1);
        snapshot.putInt(p += 4, name.length);
        snapshot.putBytes(p += 4, name);
        snapshot.putLong(p += name.length, 3);
        snapshot.putInt(p += 8, 1);
        snapshot.putLong(p += 4, 9);
        snapshot.putLong(p += 8, 3);
        snapshot.putInt(p += 8, recordLength);
        snapshot.putBytes(p += 4, record, 0, recordLength);
        p += recordLength;

        final EventStateMachine machine = new EventStateMachine(4, 4);
        machine.loadSnapshot(snapshot, 0, p);
        assertEquals(List.of("seq=9 a [] 3 data: old"), retained(machine));
        one(machine, 1, "a", null, "new");
        assertEquals(List.of("appended corr=1 topic=a more=[] seq=10 id=4 data: new"), decisions);
    }

    private ApplyOutcome one(
        final EventStateMachine machine, final long corr, final String topic, final String id, final String data)
    {
        return apply(machine, ClusterRecords.clusterRecord(0, corr, topic, id, data));
    }

    private ApplyOutcome several(
        final EventStateMachine machine, final long corr, final List<String> topics, final String id, final String data)
    {
        return apply(machine, ClusterRecords.severalTopicsRecord(0, corr, 0, topics, id, data));
    }

    /**
     * A Mercure update (its id naming it across topics) of one topic or several, private when asked.
     */
    private static UnsafeBuffer update(
        final long corr, final List<String> topics, final String id, final String data, final boolean isPrivate)
    {
        final UnsafeBuffer record = topics.size() > 1 ?
            ClusterRecords.severalTopicsRecord(0, corr, 0, topics, id, data) :
            ClusterRecords.clusterRecord(0, corr, topics.get(0), id, data);
        final PublishRecord publish = new PublishRecord().wrap(record, ClusterRecord.publishRecordOffset(record, 0));
        publish.flags(publish.flags() | PublishRecord.FLAG_HUB_ID | (isPrivate ? PublishRecord.FLAG_PRIVATE : 0));
        return record;
    }

    private ApplyOutcome apply(final EventStateMachine machine, final UnsafeBuffer record)
    {
        return machine.apply(record, 0, record.capacity(), listener);
    }

    private static List<String> retained(final EventStateMachine machine)
    {
        final List<String> events = new ArrayList<>();
        machine.forEachRetained((topic, topicOffset, topicLength, record, recordOffset, recordLength, seq, id) ->
            events.add("seq=" + seq + " " + topic.getStringWithoutLengthUtf8(topicOffset, topicLength) + " " +
                ClusterRecords.moreTopicNamesOf(record, recordOffset) + " " +
                (id == EventSequencer.TEXT_ID ? "text" : String.valueOf(id)) + " " +
                ClusterRecords.dataOf(record, recordOffset).trim()));
        return events;
    }
}
