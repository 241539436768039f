package io.sseflow.server.cluster;

import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventStateMachineTest
{
    private final List<String> decisions = new ArrayList<>();
    private final AppliedEventListener listener = new AppliedEventListener()
    {
        public void onAppended(
            final int originNode, final long correlationId, final DirectBuffer topic, final int topicOffset,
            final int topicLength, final DirectBuffer record, final int recordOffset, final int recordLength,
            final long seq, final long numericId)
        {
            decisions.add("appended node=" + originNode + " corr=" + correlationId + " topic=" +
                topic.getStringWithoutLengthUtf8(topicOffset, topicLength) + " seq=" + seq + " id=" +
                (numericId == EventSequencer.TEXT_ID ? "text:" + ClusterRecords.idTextOf(record, recordOffset) : numericId) +
                " data=" + ClusterRecords.dataOf(record, recordOffset).trim());
        }

        public void onDuplicate(
            final int originNode, final long correlationId, final DirectBuffer record, final int recordOffset,
            final int recordLength, final long existingSeq)
        {
            decisions.add("duplicate node=" + originNode + " corr=" + correlationId + " existingSeq=" + existingSeq +
                " id=" + ClusterRecords.idTextOf(record, recordOffset));
        }

        public void onRefused(final int originNode, final long correlationId, final ApplyOutcome outcome)
        {
            decisions.add("refused node=" + originNode + " corr=" + correlationId + " " + outcome);
        }
    };

    private ApplyOutcome apply(
        final EventStateMachine machine, final int node, final long corr, final String topic, final String id,
        final String data)
    {
        final UnsafeBuffer record = ClusterRecords.clusterRecord(node, corr, topic, id, data);
        return machine.apply(record, 0, record.capacity(), listener);
    }

    @Test
    void shouldSequenceATransientUpdateWithoutHoldingItsTopicOrRetainingIt()
    {
        final EventStateMachine machine = new EventStateMachine(new StateSettings(2, 4, 1 << 20));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 1, "orders", null, "one"));
        final UnsafeBuffer presence = transientRecord("/s/a/urn%3Auuid%3A1", "urn:uuid:e1", "{\"active\":true}",
            PublishRecord.FLAG_HUB_ID | PublishRecord.FLAG_PRIVATE);

        assertEquals(ApplyOutcome.APPENDED, machine.apply(presence, 0, presence.capacity(), listener));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 2, "sport", null, "two"));
        final UnsafeBuffer end = transientRecord("/s/b/urn%3Auuid%3A2", "urn:uuid:e2", "{\"active\":false}",
            PublishRecord.FLAG_HUB_ID | PublishRecord.FLAG_PRIVATE | PublishRecord.FLAG_ENDS_TOPIC);
        assertEquals(ApplyOutcome.APPENDED, machine.apply(end, 0, end.capacity(), listener));

        assertEquals(List.of(
            "appended node=0 corr=1 topic=orders seq=1 id=1 data=data: one",
            "appended node=0 corr=0 topic=/s/a/urn%3Auuid%3A1 seq=2 id=text:urn:uuid:e1 data=data: {\"active\":true}",
            "appended node=0 corr=2 topic=sport seq=3 id=1 data=data: two",
            "appended node=0 corr=0 topic=/s/b/urn%3Auuid%3A2 seq=4 id=text:urn:uuid:e2 data=data: {\"active\":false}"),
            decisions, "the topic limit (2) is not spent on transient updates");
        assertEquals(2, machine.topicCount());
        final UnsafeBuffer name = new UnsafeBuffer("/s/a/urn%3Auuid%3A1".getBytes(StandardCharsets.UTF_8));
        assertNull(machine.topic(name, 0, name.capacity()));
        final EventStateMachine twin = new EventStateMachine(new StateSettings(2, 4, 1 << 20));
        apply(twin, 0, 1, "orders", null, "one");
        apply(twin, 0, 2, "sport", null, "two");
        assertEquals(twin.retainedBytes(), machine.retainedBytes());
        assertEquals(twin.retainedEvents(), machine.retainedEvents());
        assertEquals(twin.snapshotLength(), machine.snapshotLength(), "nothing of the transient ones in a snapshot");
    }

    @Test
    void shouldRefuseATransientUpdateOfSeveralTopicsOrWithoutATextId()
    {
        final EventStateMachine machine = new EventStateMachine(new StateSettings(4, 4, 1 << 20));
        final UnsafeBuffer noId = transientRecord("/s/a/x", null, "x", 0);
        final UnsafeBuffer numeric = transientRecord("/s/a/x", "7", "x", 0);

        assertEquals(ApplyOutcome.MALFORMED, machine.apply(noId, 0, noId.capacity(), listener));
        assertEquals(ApplyOutcome.MALFORMED, machine.apply(numeric, 0, numeric.capacity(), listener));
        assertEquals(0, machine.lastSeq());
    }

    private static UnsafeBuffer transientRecord(final String topic, final String id, final String data, final int flags)
    {
        final UnsafeBuffer record = ClusterRecords.clusterRecord(0, 0, topic, id, data);
        final PublishRecord publish = new PublishRecord().wrap(record,
            ClusterRecord.topicNameOffset(0) + topic.getBytes(StandardCharsets.UTF_8).length);
        publish.flags(publish.flags() | PublishRecord.FLAG_TRANSIENT | flags);
        return record;
    }

    @Test
    void shouldAssignSeqAcrossTopicsAndIdsPerTopicByName()
    {
        final EventStateMachine machine = new EventStateMachine(8, 4);
        apply(machine, 0, 1, "a", null, "x1");
        apply(machine, 1, 7, "b", null, "y1");
        apply(machine, 0, 2, "a", null, "x2");
        apply(machine, 2, 3, "b", "41", "y2");
        apply(machine, 2, 4, "b", null, "y3");
        apply(machine, 1, 8, "a", "order-9", "x3");
        apply(machine, 1, 9, "a", null, "x4");

        assertEquals(List.of(
            "appended node=0 corr=1 topic=a seq=1 id=1 data=data: x1",
            "appended node=1 corr=7 topic=b seq=2 id=1 data=data: y1",
            "appended node=0 corr=2 topic=a seq=3 id=2 data=data: x2",
            "appended node=2 corr=3 topic=b seq=4 id=41 data=data: y2",
            "appended node=2 corr=4 topic=b seq=5 id=42 data=data: y3",
            "appended node=1 corr=8 topic=a seq=6 id=text:order-9 data=data: x3",
            "appended node=1 corr=9 topic=a seq=7 id=3 data=data: x4"), decisions);
        assertEquals(7, machine.lastSeq());
        assertEquals(2, machine.topicCount());
    }

    @Test
    void shouldRefuseAnExplicitIdStillRetainedAsADuplicateAndAcceptItOnceEvicted()
    {
        final EventStateMachine machine = new EventStateMachine(4, 2);
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 1, "a", "k1", "first"));
        assertEquals(ApplyOutcome.DUPLICATE, apply(machine, 1, 2, "a", "k1", "retry"));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 3, "b", "k1", "other topic"));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 4, "a", null, "auto"));
        assertEquals(ApplyOutcome.DUPLICATE, apply(machine, 0, 5, "a", "1", "same as the assigned id"));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 6, "a", null, "evicts k1"));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 7, "a", "k1", "k1 again"));

        assertEquals(List.of(
            "appended node=0 corr=1 topic=a seq=1 id=text:k1 data=data: first",
            "duplicate node=1 corr=2 existingSeq=1 id=k1",
            "appended node=0 corr=3 topic=b seq=2 id=text:k1 data=data: other topic",
            "appended node=0 corr=4 topic=a seq=3 id=1 data=data: auto",
            "duplicate node=0 corr=5 existingSeq=3 id=1",
            "appended node=0 corr=6 topic=a seq=4 id=2 data=data: evicts k1",
            "appended node=0 corr=7 topic=a seq=5 id=text:k1 data=data: k1 again"), decisions);
    }

    @Test
    void shouldRefuseANewTopicPastTheLimitAndKeepServingKnownTopics()
    {
        final EventStateMachine machine = new EventStateMachine(2, 4);
        apply(machine, 0, 1, "a", null, "1");
        apply(machine, 0, 2, "b", null, "2");
        assertEquals(ApplyOutcome.TOPIC_LIMIT, apply(machine, 0, 3, "c", null, "3"));
        assertEquals(ApplyOutcome.APPENDED, apply(machine, 0, 4, "a", null, "4"));
        assertEquals("refused node=0 corr=3 TOPIC_LIMIT", decisions.get(2));
        assertEquals(3, machine.lastSeq());
    }

    @Test
    void shouldRefuseMalformedRecords()
    {
        final EventStateMachine machine = new EventStateMachine(2, 4);
        final UnsafeBuffer good = ClusterRecords.clusterRecord(0, 5, "a", null, "x");
        assertEquals(ApplyOutcome.MALFORMED, machine.apply(good, 0, good.capacity() - 1, listener));
        assertEquals(ApplyOutcome.MALFORMED, machine.apply(good, 0, 10, listener));
        final UnsafeBuffer noName = ClusterRecords.clusterRecord(0, 6, "", null, "x");
        assertEquals(ApplyOutcome.MALFORMED, machine.apply(noName, 0, noName.capacity(), listener));
        assertEquals(0, machine.lastSeq());
        assertEquals(List.of("refused node=0 corr=5 MALFORMED", "refused node=0 corr=5 MALFORMED",
            "refused node=0 corr=6 MALFORMED"), decisions);
    }

    @Test
    void shouldRoundTripItsWholeStateThroughASnapshot()
    {
        final EventStateMachine machine = new EventStateMachine(8, 3);
        for (int i = 0; i < 5; i++)
        {
            apply(machine, i % 3, i + 1, "a", null, "a" + i);
            apply(machine, i % 3, 100 + i, "b", 0 == i % 2 ? "b-" + i : null, "b" + i);
        }
        apply(machine, 0, 200, "c", "900", "c0");

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
        snapshot.checkLimit(machine.snapshotLength());
        final int length = machine.writeSnapshot(snapshot, 0);
        assertEquals(machine.snapshotLength(), length);

        final EventStateMachine restored = new EventStateMachine(8, 3);
        restored.loadSnapshot(snapshot, 0, length);
        assertEquals(retained(machine), retained(restored));
        assertEquals(machine.lastSeq(), restored.lastSeq());

        final ExpandableArrayBuffer again = new ExpandableArrayBuffer(64);
        again.checkLimit(restored.snapshotLength());
        assertEquals(length, restored.writeSnapshot(again, 0));
        for (int i = 0; i < length; i++)
        {
            assertEquals(snapshot.getByte(i), again.getByte(i), "byte " + i);
        }

        decisions.clear();
        apply(machine, 0, 1, "b", "b-4", "dup");
        apply(machine, 0, 2, "a", null, "next");
        apply(machine, 0, 3, "c", null, "next");
        final List<String> original = new ArrayList<>(decisions);
        decisions.clear();
        apply(restored, 0, 1, "b", "b-4", "dup");
        apply(restored, 0, 2, "a", null, "next");
        apply(restored, 0, 3, "c", null, "next");
        assertEquals(List.of(
            "duplicate node=0 corr=1 existingSeq=10 id=b-4",
            "appended node=0 corr=2 topic=a seq=12 id=6 data=data: next",
            "appended node=0 corr=3 topic=c seq=13 id=901 data=data: next"), original);
        assertEquals(original, decisions);
    }

    @Test
    void shouldApplyEachRecordOfASessionOnceAndInItsOrder()
    {
        final EventStateMachine machine = new EventStateMachine(4, 8);
        final long session = 42;
        assertEquals(ApplyOutcome.APPENDED, applyNumbered(machine, session, 1, "e1"));
        assertEquals(ApplyOutcome.GAP, applyNumbered(machine, session, 3, "e3 before e2"));
        assertEquals(ApplyOutcome.APPENDED, applyNumbered(machine, session, 2, "e2"));
        assertEquals(ApplyOutcome.RESENT, applyNumbered(machine, session, 1, "e1 again"));
        assertEquals(ApplyOutcome.RESENT, applyNumbered(machine, session, 2, "e2 again"));
        assertEquals(ApplyOutcome.APPENDED, applyNumbered(machine, session, 3, "e3"));
        assertEquals(ApplyOutcome.APPENDED, applyNumbered(machine, 43, 1, "other session"));

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
        final int length = machine.writeSnapshot(snapshot, 0);
        final EventStateMachine restored = new EventStateMachine(4, 8);
        restored.loadSnapshot(snapshot, 0, length);
        assertEquals(ApplyOutcome.RESENT, applyNumbered(restored, session, 3, "e3 again"));
        assertEquals(ApplyOutcome.APPENDED, applyNumbered(restored, session, 4, "e4"));

        machine.onSessionClosed(session);
        assertEquals(ApplyOutcome.APPENDED, applyNumbered(machine, session, 1, "numbering starts again"));
        assertEquals(List.of(
            "appended node=0 corr=1 topic=a seq=1 id=1 data=data: e1",
            "appended node=0 corr=2 topic=a seq=2 id=2 data=data: e2",
            "appended node=0 corr=3 topic=a seq=3 id=3 data=data: e3",
            "appended node=0 corr=1 topic=a seq=4 id=4 data=data: other session",
            "appended node=0 corr=4 topic=a seq=5 id=5 data=data: e4",
            "appended node=0 corr=1 topic=a seq=5 id=5 data=data: numbering starts again"), decisions);
    }

    @Test
    void shouldNumberAProbeInItsSessionAndDecideNothingElse()
    {
        final EventStateMachine machine = new EventStateMachine(4, 8);
        final long session = 42;
        final UnsafeBuffer probe = new UnsafeBuffer(new byte[ClusterRecord.HEADER_LENGTH]);
        assertEquals(ClusterRecord.HEADER_LENGTH, ClusterRecord.putProbe(probe, 0, 1, 1));
        assertEquals(ApplyOutcome.PROBE, machine.apply(probe, 0, probe.capacity(), session, listener));
        assertEquals(ApplyOutcome.RESENT, machine.apply(probe, 0, probe.capacity(), session, listener));
        assertEquals(ApplyOutcome.GAP, applyNumbered(machine, session, 3, "e3 before the probe 2"));
        ClusterRecord.putProbe(probe, 0, 1, 2);
        assertEquals(ApplyOutcome.PROBE, machine.apply(probe, 0, probe.capacity(), session, listener));
        assertEquals(ApplyOutcome.APPENDED, applyNumbered(machine, session, 3, "e3"));
        assertEquals(List.of("appended node=0 corr=3 topic=a seq=1 id=1 data=data: e3"), decisions);
        assertEquals(1, machine.lastSeq());
    }

    private ApplyOutcome applyNumbered(
        final EventStateMachine machine, final long session, final long ingressSeq, final String data)
    {
        final UnsafeBuffer record = ClusterRecords.clusterRecord(0, ingressSeq, ingressSeq, "a", null, data);
        return machine.apply(record, 0, record.capacity(), session, listener);
    }

    @Test
    void shouldGiveRetainedEventsInSeqOrderAcrossTopics()
    {
        final EventStateMachine machine = new EventStateMachine(4, 2);
        apply(machine, 0, 1, "a", null, "a1");
        apply(machine, 0, 2, "b", null, "b1");
        apply(machine, 0, 3, "a", null, "a2");
        apply(machine, 0, 4, "a", null, "a3");
        apply(machine, 0, 5, "b", "t", "b2");
        assertEquals(List.of("seq=2 b 1 data: b1", "seq=3 a 2 data: a2", "seq=4 a 3 data: a3", "seq=5 b text data: b2"),
            retained(machine));
    }

    @Test
    void shouldRefuseABadSnapshot()
    {
        final EventStateMachine machine = new EventStateMachine(4, 2);
        apply(machine, 0, 1, "a", null, "a1");
        apply(machine, 0, 2, "b", null, "b1");
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
        final int length = machine.writeSnapshot(snapshot, 0);

        final EventStateMachine small = new EventStateMachine(1, 2);
        assertEquals("snapshot holds 2 topics, limit 1",
            assertThrows(IllegalArgumentException.class, () -> small.loadSnapshot(snapshot, 0, length)).getMessage());
        assertEquals("snapshot cut short", assertThrows(IllegalArgumentException.class,
            () -> new EventStateMachine(4, 2).loadSnapshot(snapshot, 0, length - 1)).getMessage());
        snapshot.putInt(0, 7);
        assertEquals("not an sseflow snapshot", assertThrows(IllegalArgumentException.class,
            () -> new EventStateMachine(4, 2).loadSnapshot(snapshot, 0, length)).getMessage());
    }

    private static List<String> retained(final EventStateMachine machine)
    {
        final List<String> events = new ArrayList<>();
        machine.forEachRetained((topic, topicOffset, topicLength, record, recordOffset, recordLength, seq, id) ->
            events.add("seq=" + seq + " " + topic.getStringWithoutLengthUtf8(topicOffset, topicLength) + " " +
                (id == EventSequencer.TEXT_ID ? "text" : String.valueOf(id)) + " " +
                ClusterRecords.dataOf(record, recordOffset).trim()));
        return events;
    }
}
