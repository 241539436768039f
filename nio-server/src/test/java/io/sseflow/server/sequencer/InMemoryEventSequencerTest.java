package io.sseflow.server.sequencer;

import io.sseflow.server.PublishResult;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryEventSequencerTest
{
    private final PublishClaim claim = new PublishClaim();
    private final List<String> polled = new ArrayList<>();
    private final PublishRecord reader = new PublishRecord();
    private final SequencedEventHandler handler = this::onEvent;

    @Test
    void shouldDeliverCommittedRecordsInClaimOrderWithSeqAndIdsDecided()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        claimAndCommit(sequencer, 0, null, "a");
        claimAndCommit(sequencer, 1, null, "b");
        claimAndCommit(sequencer, 0, "41", "c");
        claimAndCommit(sequencer, 0, null, "d");
        claimAndCommit(sequencer, 1, "x-1", "e");

        assertEquals(5, sequencer.poll(handler, 10));
        assertEquals(List.of(
            "seq=1 topic=0 id=1 data=a",
            "seq=2 topic=1 id=1 data=b",
            "seq=3 topic=0 id=41 data=c",
            "seq=4 topic=0 id=42 data=d",
            "seq=5 topic=1 id=text:x-1 data=e"), polled);
        assertEquals(5, sequencer.lastSeq());
        assertEquals(0, sequencer.backlog());
    }

    @Test
    void shouldDeliverNothingForAnAbortedClaimAndNotSpendASeqOnIt()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        claimAndCommit(sequencer, 0, null, "a");
        assertEquals(PublishResult.OK, sequencer.tryClaim(PublishRecord.recordLength(0, 0, 8), claim));
        assertTrue(claim.isClaimed());
        sequencer.abort(claim);
        assertFalse(claim.isClaimed());
        claimAndCommit(sequencer, 0, null, "b");

        assertEquals(2, sequencer.poll(handler, 10));
        assertEquals(List.of("seq=1 topic=0 id=1 data=a", "seq=2 topic=0 id=2 data=b"), polled);
    }

    @Test
    void shouldHoldLaterRecordsUntilAnEarlierClaimIsCommitted()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        final PublishClaim first = new PublishClaim();
        assertEquals(PublishResult.OK, sequencer.tryClaim(PublishRecord.recordLength(0, 0, 1), first));
        claimAndCommit(sequencer, 0, null, "b");

        assertEquals(0, sequencer.poll(handler, 10), "the first claim is still being written");
        write(first.buffer(), 0, null, "a");
        sequencer.commit(first);
        assertEquals(2, sequencer.poll(handler, 10));
        assertEquals(List.of("seq=1 topic=0 id=1 data=a", "seq=2 topic=0 id=2 data=b"), polled);
    }

    @Test
    void shouldGiveAClaimViewOfExactlyTheClaimedBytes()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        assertEquals(PublishResult.OK, sequencer.tryClaim(100, claim));
        assertEquals(100, claim.length());
        assertEquals(100, claim.buffer().capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> claim.buffer().putByte(100, (byte)1));
        sequencer.abort(claim);
    }

    @Test
    void shouldRefuseToCommitOrAbortAClaimTwiceOrClaimAgainBeforeCommitting()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        claimAndCommit(sequencer, 0, null, "a");
        assertEquals("no publish record claimed",
            assertThrows(IllegalStateException.class, () -> sequencer.commit(claim)).getMessage());
        assertThrows(IllegalStateException.class, () -> sequencer.abort(claim));
        assertEquals(1, sequencer.poll(handler, 10));

        assertEquals(PublishResult.OK, sequencer.tryClaim(64, claim));
        assertEquals("claim still holds a record: commit or abort it first",
            assertThrows(IllegalStateException.class, () -> sequencer.tryClaim(64, claim)).getMessage());
        sequencer.abort(claim);
        claimAndCommit(sequencer, 0, null, "b");
        assertEquals(1, sequencer.poll(handler, 10), "the refused second claim reserved nothing");
        assertEquals("seq=2 topic=0 id=2 data=b", polled.get(1));
    }

    @Test
    void shouldAnswerTooLargeBackPressuredAndClosed()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 10);
        assertEquals(128, sequencer.maxRecordLength());
        assertEquals(PublishResult.TOO_LARGE, sequencer.tryClaim(129, claim));
        assertFalse(claim.isClaimed());

        int taken = 0;
        PublishResult result;
        while ((result = sequencer.tryClaim(120, claim)) == PublishResult.OK && taken < 100)
        {
            write(claim.buffer(), 0, null, "x".repeat(120 - PublishRecord.HEADER_LENGTH));
            sequencer.commit(claim);
            taken++;
        }
        assertEquals(PublishResult.BACK_PRESSURED, result);
        assertEquals(8, taken, "a 1 KiB ring holds eight 128-byte slots (120 bytes + the 8-byte ring header)");
        assertFalse(claim.isClaimed());

        assertEquals(taken, sequencer.poll(handler, 100));
        assertEquals(PublishResult.OK, sequencer.tryClaim(120, claim), "room again once polled");
        sequencer.abort(claim);

        sequencer.close();
        assertEquals(PublishResult.CLOSED, sequencer.tryClaim(50, claim));
        assertFalse(claim.isClaimed());
    }

    @Test
    void shouldGiveEveryEventOfManyPublisherThreadsOneSeqInPollOrder() throws Exception
    {
        final int threads = 3;
        final int perThread = 2000;
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 16);
        final List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int topic = t;
            final Thread publisher = new Thread(() ->
            {
                final PublishClaim claim = new PublishClaim();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int i = 0; i < perThread && System.nanoTime() < deadline; )
                {
                    if (sequencer.tryClaim(PublishRecord.recordLength(0, 0, 8), claim) == PublishResult.OK)
                    {
                        write(claim.buffer(), topic, null, String.format("%08d", i));
                        sequencer.commit(claim);
                        i++;
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            publisher.start();
            publishers.add(publisher);
        }

        final long[] seqs = new long[threads * perThread];
        final int[] nextByTopic = new int[threads];
        final int[] count = new int[1];
        final SequencedEventHandler check = (buffer, offset, length, seq, numericId) ->
        {
            final PublishRecord record = reader.wrap(buffer, offset);
            final int topic = record.topicIndex();
            final String data = buffer.getStringWithoutLengthUtf8(record.dataOffset(), record.dataLength());
            assertEquals(String.format("%08d", nextByTopic[topic]), data, "each publisher's events in its order");
            assertEquals(++nextByTopic[topic], numericId, "ids counted per topic");
            seqs[count[0]++] = seq;
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count[0] < seqs.length && System.nanoTime() < deadline)
        {
            if (0 == sequencer.poll(check, 100))
            {
                Thread.onSpinWait();
            }
        }
        for (final Thread publisher : publishers)
        {
            publisher.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(seqs.length, count[0]);
        for (int i = 0; i < seqs.length; i++)
        {
            assertEquals(i + 1, seqs[i], "seq counts the poll order, one per event");
        }
    }

    @Test
    void shouldRaiseTheCounterOfEveryTopicOfAPublicIdAndOfNoTopicForAPrivateOne()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        claimAndCommit(sequencer, 0, null, "a");
        claimAndCommitUpdate(sequencer, new int[] {0, 1}, "7000", true, "secret");
        claimAndCommit(sequencer, 0, null, "b");
        claimAndCommit(sequencer, 1, null, "c");
        claimAndCommitUpdate(sequencer, new int[] {1, 2}, "50", false, "public");
        claimAndCommit(sequencer, 2, null, "d");

        assertEquals(6, sequencer.poll(handler, 10));
        assertEquals(List.of(
            "seq=1 topic=0 id=1 data=a",
            "seq=2 topic=0 id=7000 data=secret",
            "seq=3 topic=0 id=2 data=b",
            "seq=4 topic=1 id=1 data=c",
            "seq=5 topic=1 id=50 data=public",
            "seq=6 topic=2 id=51 data=d"), polled);
    }

    @Test
    void shouldKeepAssignedIdsNumbersWhateverNumericIdARecordCarries()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        claimAndCommit(sequencer, 0, String.valueOf(EventIds.MAX_PUBLISHER_ID), "largest a publisher may give");
        claimAndCommit(sequencer, 0, null, "a");
        claimAndCommit(sequencer, 1, "999999999999999999", "from no publisher of this server");
        claimAndCommit(sequencer, 1, null, "b");

        assertEquals(4, sequencer.poll(handler, 10));
        assertEquals(List.of(
            "seq=1 topic=0 id=99999999999999999 data=largest a publisher may give",
            "seq=2 topic=0 id=100000000000000000 data=a",
            "seq=3 topic=1 id=999999999999999999 data=from no publisher of this server",
            "seq=4 topic=1 id=100000000000000000 data=b"), polled);
    }

    @Test
    void shouldAnswerARetryAsADuplicateAndAConflictAsRefusedWithoutASeq()
    {
        final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
        final Map<Integer, Map<String, Long>> retained = Map.of(
            0, Map.of("k", 5L), 1, Map.of("k", 5L), 2, Map.of("k", 9L), 3, Map.of());
        sequencer.topicDirectory(new RetainedOnly(retained));
        claimAndCommitUpdate(sequencer, new int[] {0, 1}, "k", false, "retry");
        claimAndCommitUpdate(sequencer, new int[] {1, 0}, "k", false, "retry, other order");
        claimAndCommitUpdate(sequencer, new int[] {0, 2}, "k", false, "two events named k");
        claimAndCommitUpdate(sequencer, new int[] {3, 0}, "k", false, "retained by 0 only");
        claimAndCommitUpdate(sequencer, new int[] {3}, "k", false, "new on 3");
        claimAndCommit(sequencer, 3, null, "assigned");

        final List<String> answers = new ArrayList<>();
        final SequencedEventHandler recorder = new SequencedEventHandler()
        {
            public void onEvent(
                final DirectBuffer buffer, final int offset, final int length, final long seq, final long numericId)
            {
                InMemoryEventSequencerTest.this.onEvent(buffer, offset, length, seq, numericId);
                answers.add(polled.get(polled.size() - 1));
            }

            public void onDuplicate(
                final DirectBuffer buffer, final int offset, final int length, final long existingSeq)
            {
                answers.add("duplicate existingSeq=" + existingSeq + " data=" + dataOf(buffer, offset));
            }

            public void onRefused(final DirectBuffer buffer, final int offset, final int length, final PublishResult result)
            {
                answers.add("refused " + result + " data=" + dataOf(buffer, offset));
            }
        };
        assertEquals(6, sequencer.poll(recorder, 10));
        assertEquals(List.of(
            "duplicate existingSeq=5 data=retry",
            "duplicate existingSeq=5 data=retry, other order",
            "refused ID_CONFLICT data=two events named k",
            "refused ID_CONFLICT data=retained by 0 only",
            "seq=1 topic=3 id=text:k data=new on 3",
            "seq=2 topic=3 id=1 data=assigned"), answers);
    }

    /**
     * Topics retaining the given ids (as public events), and nothing else.
     */
    private static final class RetainedOnly implements TopicDirectory
    {
        private final Map<Integer, Map<String, Long>> retained;

        RetainedOnly(final Map<Integer, Map<String, Long>> retained)
        {
            this.retained = retained;
        }

        public int topicName(final int topicIndex, final MutableDirectBuffer buffer, final int offset)
        {
            return -1;
        }

        public int pinTopic(final DirectBuffer name, final int offset, final int length)
        {
            return -1;
        }

        public void checkRetainedId(final int topicIndex, final PublishRecord record, final RetainedIdCheck check)
        {
            final String id = record.buffer().getStringWithoutLengthUtf8(record.idOffset(), record.idLength());
            check.onTopic(retained.get(topicIndex).getOrDefault(id, 0L), false);
        }
    }

    private void claimAndCommitUpdate(
        final InMemoryEventSequencer sequencer, final int[] topics, final String id, final boolean isPrivate,
        final String data)
    {
        final int more = topics.length - 1;
        final int length = PublishRecord.recordLength(id.length(), 0, data.length(), more);
        assertEquals(PublishResult.OK, sequencer.tryClaim(length, claim));
        write(claim.buffer(), topics[0], id, data);
        final PublishRecord record = new PublishRecord().wrap(claim.buffer(), 0);
        record.flags(record.flags() | PublishRecord.FLAG_HUB_ID | (isPrivate ? PublishRecord.FLAG_PRIVATE : 0));
        if (more > 0)
        {
            record.moreTopics(java.util.Arrays.copyOfRange(topics, 1, topics.length), more);
        }
        sequencer.commit(claim);
    }

    private String dataOf(final DirectBuffer buffer, final int offset)
    {
        final PublishRecord record = reader.wrap(buffer, offset);
        return buffer.getStringWithoutLengthUtf8(record.dataOffset(), record.dataLength());
    }

    private void claimAndCommit(
        final InMemoryEventSequencer sequencer, final int topicIndex, final String id, final String data)
    {
        final int idLength = null == id ? 0 : id.length();
        assertEquals(PublishResult.OK, sequencer.tryClaim(PublishRecord.recordLength(idLength, 0, data.length()), claim));
        write(claim.buffer(), topicIndex, id, data);
        sequencer.commit(claim);
        assertFalse(claim.isClaimed());
    }

    private static void write(final MutableDirectBuffer buffer, final int topicIndex, final String id, final String data)
    {
        final int idLength = null == id ? 0 : id.length();
        final PublishRecord record = new PublishRecord().wrap(buffer, 0).header(0, topicIndex, idLength, 0, data.length());
        if (null != id)
        {
            buffer.putStringWithoutLengthAscii(record.idOffset(), id);
        }
        record.classifyId();
        buffer.putStringWithoutLengthAscii(record.dataOffset(), data);
    }

    private void onEvent(
        final DirectBuffer buffer, final int offset, final int length, final long seq, final long numericId)
    {
        final PublishRecord record = reader.wrap(buffer, offset);
        assertEquals(record.recordLength(), length);
        final String id = numericId == EventSequencer.TEXT_ID ?
            "text:" + buffer.getStringWithoutLengthAscii(record.idOffset(), record.idLength()) : Long.toString(numericId);
        final byte[] data = new byte[record.dataLength()];
        buffer.getBytes(record.dataOffset(), data);
        polled.add("seq=" + seq + " topic=" + record.topicIndex() + " id=" + id + " data=" +
            new String(data, StandardCharsets.UTF_8));
    }
}
