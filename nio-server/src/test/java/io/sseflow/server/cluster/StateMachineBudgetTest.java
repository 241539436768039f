package io.sseflow.server.cluster;

import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link EventStateMachine}'s byte budget and its settings: what is retained is decided by the log alone (the
 * hub's oldest events evicted first, from every topic that retains them), the same after a snapshot, and a member
 * whose settings differ from the cluster's is named with the setting.
 */
class StateMachineBudgetTest
{
    private static final String DATA = "x".repeat(100);

    private final List<String> decisions = new ArrayList<>();
    private final AppliedEventListener listener = new AppliedEventListener()
    {
        public void onAppended(
            final int originNode, final long correlationId, final DirectBuffer topic, final int topicOffset,
            final int topicLength, final DirectBuffer record, final int recordOffset, final int recordLength,
            final long seq, final long numericId)
        {
            decisions.add("appended " + topic.getStringWithoutLengthUtf8(topicOffset, topicLength) + " seq=" + seq +
                " id=" + (numericId == EventSequencer.TEXT_ID ? ClusterRecords.idTextOf(record, recordOffset) : numericId));
        }

        public void onDuplicate(
            final int originNode, final long correlationId, final DirectBuffer record, final int recordOffset,
            final int recordLength, final long existingSeq)
        {
            decisions.add("duplicate of seq=" + existingSeq);
        }

        public void onRefused(final int originNode, final long correlationId, final ApplyOutcome outcome)
        {
            decisions.add("refused " + outcome);
        }
    };

    @Test
    void shouldEvictTheHubsOldestEventsAcrossTopicsOncePastTheByteBudget()
    {
        final long cost = costOf(DATA);
        final EventStateMachine machine = new EventStateMachine(new StateSettings(8, 16, 3 * cost));
        apply(machine, "a", null, DATA);
        apply(machine, "b", null, DATA);
        apply(machine, "a", null, DATA);
        assertEquals(List.of("seq=1 a 1", "seq=2 b 1", "seq=3 a 2"), retained(machine));
        assertEquals(3 * cost, machine.retainedBytes());
        assertEquals(3, machine.retainedEvents());

        apply(machine, "c", null, DATA);
        assertEquals(List.of("seq=2 b 1", "seq=3 a 2", "seq=4 c 1"), retained(machine));
        apply(machine, "c", null, DATA);
        apply(machine, "c", null, DATA);
        assertEquals(List.of("seq=4 c 1", "seq=5 c 2", "seq=6 c 3"), retained(machine));
        assertEquals(3 * cost, machine.retainedBytes());

        severalTopics(machine, List.of("a", "b"), "u1", DATA);
        assertEquals(List.of("seq=7 a text"), retained(machine),
            "an update of 2 topics counts once per topic (its record names b too): no room left for c's 3");
        assertEquals(machine.retainedBytes() / 2, topicBytes(machine, "a"));
        assertEquals(machine.retainedBytes() / 2, topicBytes(machine, "b"));
        assertEquals(2, machine.retainedEvents());

        final String large = DATA.repeat(10);
        assertTrue(costOf(large) > 3 * cost);
        apply(machine, "b", null, large);
        assertEquals(List.of("seq=8 b 2"), retained(machine), "an event alone over the budget is retained alone");
        assertEquals(costOf(large), machine.retainedBytes());
        apply(machine, "a", null, DATA);
        assertEquals(List.of("seq=9 a 3"), retained(machine));
        apply(machine, "c", null, DATA);
        assertEquals(List.of("seq=9 a 3", "seq=10 c 4"), retained(machine));
    }

    @Test
    void shouldAppendAgainAnExplicitIdTheBudgetEvicted()
    {
        final long cost = costOf(DATA);
        final EventStateMachine machine = new EventStateMachine(new StateSettings(8, 16, 2 * cost));
        apply(machine, "a", "order-1", DATA);
        apply(machine, "a", "order-1", DATA);
        apply(machine, "b", null, DATA);
        apply(machine, "b", null, DATA);
        apply(machine, "a", "order-1", DATA);
        assertEquals(List.of(
            "appended a seq=1 id=order-1",
            "duplicate of seq=1",
            "appended b seq=2 id=1",
            "appended b seq=3 id=2",
            "appended a seq=4 id=order-1"), decisions);
    }

    @Test
    void shouldRetainAndDecideTheSameAfterASnapshotAsTheMachineThatWroteIt()
    {
        final long cost = costOf(DATA);
        final StateSettings settings = new StateSettings(8, 6, 20 * cost);
        final EventStateMachine machine = new EventStateMachine(settings);
        machine.apply(settingsRecord(0, settings), 0, ClusterRecord.SETTINGS_LENGTH, listener);
        for (int i = 0; i < 200; i++)
        {
            apply(machine, "t" + (i * 7 % 5), 0 == i % 3 ? "id-" + i : null, DATA.substring(0, 20 + i * 13 % 80));
        }
        final List<String> before = retained(machine);
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
        snapshot.checkLimit(machine.snapshotLength());
        final int length = machine.writeSnapshot(snapshot, 0);
        assertEquals(machine.snapshotLength(), length);

        final EventStateMachine restored = new EventStateMachine(settings);
        restored.loadSnapshot(snapshot, 0, length);
        assertEquals(before, retained(restored));
        assertEquals(machine.retainedBytes(), restored.retainedBytes());
        assertNull(restored.settingsDifference());

        decisions.clear();
        for (int i = 200; i < 300; i++)
        {
            apply(machine, "t" + (i * 7 % 5), 0 == i % 3 ? "id-" + (i - 30) : null, DATA.substring(0, 20 + i * 13 % 80));
        }
        final List<String> original = new ArrayList<>(decisions);
        decisions.clear();
        for (int i = 200; i < 300; i++)
        {
            apply(restored, "t" + (i * 7 % 5), 0 == i % 3 ? "id-" + (i - 30) : null, DATA.substring(0, 20 + i * 13 % 80));
        }
        assertEquals(original, decisions);
        assertEquals(retained(machine), retained(restored));
        assertEquals(machine.retainedBytes(), restored.retainedBytes());
    }

    @Test
    void shouldTakeTheFirstSettingsRecordAsTheClustersAndNameTheSettingThatDiffers()
    {
        final StateSettings cluster = new StateSettings(8, 4, 10_000);
        final EventStateMachine same = new EventStateMachine(cluster);
        assertEquals(ApplyOutcome.SETTINGS, applySettings(same, 1, cluster));
        assertEquals(ApplyOutcome.SETTINGS_DIFFER, applySettings(same, 2, new StateSettings(8, 2, 10_000)));
        assertEquals(ApplyOutcome.SETTINGS, applySettings(same, 2, new StateSettings(8, 4, 10_000)));
        assertNull(same.settingsDifference());
        assertEquals(cluster, same.clusterSettings());

        final EventStateMachine fewer = new EventStateMachine(new StateSettings(8, 2, 10_000));
        assertNull(fewer.settingsDifference(), "no cluster settings yet");
        applySettings(fewer, 1, cluster);
        assertEquals("--history is 2 here, 4 in the cluster (set by node 1)", fewer.settingsDifference());
        assertEquals("--max-topics is 9 here, 8 in the cluster (set by node 1)",
            settingsAfter(new StateSettings(9, 4, 10_000), cluster));

        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(64);
        final int length = same.writeSnapshot(snapshot, 0);
        final EventStateMachine larger = new EventStateMachine(new StateSettings(8, 4, 20_000));
        larger.loadSnapshot(snapshot, 0, length);
        assertEquals("--history-total-bytes is 20000 here, 10000 in the cluster (set by node 1)",
            larger.settingsDifference());

        final EventStateMachine none = new EventStateMachine(cluster);
        final int noneLength = none.writeSnapshot(snapshot, 0);
        final EventStateMachine other = new EventStateMachine(new StateSettings(8, 5, 10_000));
        other.loadSnapshot(snapshot, 0, noneLength);
        assertEquals("--history is 5 here, 4 in the cluster (from a snapshot)", other.settingsDifference());
    }

    @Test
    void shouldMakeTheSettingsOfAChangeRecordTheClustersFromThere()
    {
        final StateSettings before = new StateSettings(8, 4, 10_000);
        final StateSettings after = new StateSettings(8, 6, 10_000);
        final EventStateMachine changed = new EventStateMachine(after);
        final EventStateMachine unchanged = new EventStateMachine(before);
        for (final EventStateMachine machine : List.of(changed, unchanged))
        {
            applySettings(machine, 0, before);
            assertEquals(ApplyOutcome.SETTINGS_DIFFER, applySettings(machine, 1, after));
            assertEquals(before, machine.clusterSettings());
            assertEquals(ApplyOutcome.SETTINGS,
                machine.apply(settingsRecord(2, after, true), 0, ClusterRecord.SETTINGS_LENGTH, 9, listener));
            assertEquals(after, machine.clusterSettings());
            assertEquals(ApplyOutcome.SETTINGS, applySettings(machine, 1, after));
        }
        assertNull(changed.settingsDifference());
        assertEquals("--history is 4 here, 6 in the cluster (set by node 2)", unchanged.settingsDifference());
    }

    @Test
    void shouldLoadASnapshotOfThePreviousVersionWithoutSettingsIntoTheBudget()
    {
        final long cost = costOf(DATA);
        final EventStateMachine unbounded = new EventStateMachine(8, 16);
        for (int i = 0; i < 5; i++)
        {
            apply(unbounded, 0 == i % 2 ? "a" : "b", null, DATA);
        }
        final ExpandableArrayBuffer current = new ExpandableArrayBuffer(64);
        final int length = unbounded.writeSnapshot(current, 0);
        final int settingsAt = 4 + 4 + 8 + 4 + 4;
        final int settingsLength = 4 + StateSettings.LENGTH;
        final ExpandableArrayBuffer previous = new ExpandableArrayBuffer(64);
        previous.putBytes(0, current, 0, settingsAt);
        previous.putInt(4, EventStateMachine.SNAPSHOT_VERSION_NO_SETTINGS);
        previous.putBytes(settingsAt, current, settingsAt + settingsLength, length - settingsAt - settingsLength);

        final EventStateMachine machine = new EventStateMachine(new StateSettings(8, 16, 3 * cost));
        machine.loadSnapshot(previous, 0, length - settingsLength);
        assertEquals(List.of("seq=3 a 2", "seq=4 b 2", "seq=5 a 3"), retained(machine));
        assertNull(machine.clusterSettings());
        assertEquals(ApplyOutcome.SETTINGS, applySettings(machine, 0, machine.settings()));
        assertNull(machine.settingsDifference());
    }

    private static long topicBytes(final EventStateMachine machine, final String topic)
    {
        final UnsafeBuffer name = new UnsafeBuffer(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return machine.topic(name, 0, name.capacity()).retainedBytes();
    }

    private String settingsAfter(final StateSettings own, final StateSettings cluster)
    {
        final EventStateMachine machine = new EventStateMachine(own);
        applySettings(machine, 1, cluster);
        return machine.settingsDifference();
    }

    private ApplyOutcome applySettings(final EventStateMachine machine, final int node, final StateSettings settings)
    {
        return machine.apply(settingsRecord(node, settings), 0, ClusterRecord.SETTINGS_LENGTH, 7, listener);
    }

    private static UnsafeBuffer settingsRecord(final int node, final StateSettings settings)
    {
        return settingsRecord(node, settings, false);
    }

    private static UnsafeBuffer settingsRecord(final int node, final StateSettings settings, final boolean change)
    {
        final UnsafeBuffer record = new UnsafeBuffer(new byte[ClusterRecord.SETTINGS_LENGTH]);
        ClusterRecord.putSettings(record, 0, node, settings, change);
        return record;
    }

    private long costOf(final String data)
    {
        final EventStateMachine machine = new EventStateMachine(1, 1);
        apply(machine, "a", null, data);
        decisions.clear();
        return machine.retainedBytes();
    }

    private void apply(final EventStateMachine machine, final String topic, final String id, final String data)
    {
        final UnsafeBuffer record = ClusterRecords.clusterRecord(0, 1, topic, id, data);
        machine.apply(record, 0, record.capacity(), listener);
    }

    private void severalTopics(
        final EventStateMachine machine, final List<String> topics, final String id, final String data)
    {
        final UnsafeBuffer record = ClusterRecords.severalTopicsRecord(0, 1, 0, topics, id, data);
        machine.apply(record, 0, record.capacity(), listener);
    }

    private static List<String> retained(final EventStateMachine machine)
    {
        final List<String> events = new ArrayList<>();
        machine.forEachRetained((topic, topicOffset, topicLength, record, recordOffset, recordLength, seq, id) ->
            events.add("seq=" + seq + " " + topic.getStringWithoutLengthUtf8(topicOffset, topicLength) + " " +
                (id == EventSequencer.TEXT_ID ? "text" : String.valueOf(id))));
        return events;
    }
}
