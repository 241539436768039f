package io.sseflow.server.log;

import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicLogTest
{
    private long seq;   // hub sequence of the events appended, increasing across the logs of a test

    @Test
    void shouldAppendFramesAndWriteThemBackExactlyAcrossTheWrap() throws Exception
    {
        final TopicLog log = new TopicLog(1000, 8192);
        final StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 300; i++)
        {
            expected.append(append(log, i, "data: " + "x".repeat(i % 50) + "\n"));
        }
        // history bytes are 8 KiB: older frames were evicted, the rest is contiguous in positions
        final long tail = log.tailPosition();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final WritableByteChannel channel = Channels.newChannel(out);
        long position = tail;
        while (position < log.headPosition())
        {
            position += log.writeTo(channel, position, log.headPosition());
        }
        final String all = expected.toString();
        assertEquals(all.substring(all.length() - (int)(log.headPosition() - tail)), out.toString(StandardCharsets.UTF_8));
        assertEquals(8192, log.capacity());
        assertEquals(log.framePosition(log.firstOrdinal()), tail);
    }

    @Test
    void shouldEvictByEventCountAndFindIdsNumericallyAndByText()
    {
        final TopicLog log = new TopicLog(3, 1 << 16);
        for (int i = 1; i <= 5; i++)
        {
            append(log, i, "data: " + i + "\n");
        }
        appendText(log, "abc", "data: t\n");
        assertEquals(3, log.nextOrdinal() - log.firstOrdinal());
        assertEquals(6, log.nextOrdinal());

        assertEquals(4, log.ordinalAfterId(ascii("4"), 0, 1));
        assertEquals(5, log.ordinalAfterId(ascii("5"), 0, 1));
        assertEquals(6, log.ordinalAfterId(ascii("abc"), 0, 3));
        assertEquals(TopicLog.NOT_FOUND, log.ordinalAfterId(ascii("3"), 0, 1));
        assertEquals(TopicLog.NOT_FOUND, log.ordinalAfterId(ascii("04"), 0, 2));
        assertEquals(TopicLog.NOT_FOUND, log.ordinalAfterId(ascii("ab"), 0, 2));
        assertEquals(log.headPosition(), log.framePosition(log.nextOrdinal()));
    }

    @Test
    void shouldGrowFromSmallToMaximumKeepingContent()
    {
        final TopicLog log = new TopicLog(10_000, 1 << 20);
        assertEquals(0, log.capacity(), "a log holds no buffer before its first event");
        final StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 1000; i++)
        {
            expected.append(append(log, i, "data: " + "y".repeat(64) + "\n"));
            if (1 == i)
            {
                assertEquals(TopicLog.INITIAL_CAPACITY, log.capacity());
            }
        }
        assertEquals(0, log.tailPosition());
        assertEquals(1 << 17, log.capacity());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[(int)log.headPosition()]);
        log.getBytes(0, (int)log.headPosition(), copy, 0);
        assertEquals(expected.toString(), new String(copy.byteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldHoldNoMemoryUntilItsFirstEventThenGrowItsIndexByDoublingUpToTheHistory()
    {
        final TopicLog log = new TopicLog(100, 1 << 20);
        assertEquals(0, log.heldBytes());
        assertEquals(0, log.indexSlots());
        assertTrue(log.isEmpty());
        assertEquals(0, log.framePosition(0));

        final List<Integer> slotsSeen = new ArrayList<>();
        for (int i = 1; i <= 300; i++)
        {
            if (i % 7 == 0)
            {
                appendText(log, "t" + i, "data: " + i + "\n");
            }
            else
            {
                append(log, i, "data: " + i + "\n");
            }
            if (slotsSeen.isEmpty() || slotsSeen.get(slotsSeen.size() - 1) != log.indexSlots())
            {
                slotsSeen.add(log.indexSlots());
            }
            assertEquals(Math.min(i, 100), log.nextOrdinal() - log.firstOrdinal());
            assertEquals(log.capacity() + (long)log.indexSlots() * TopicLog.INDEX_SLOT_BYTES, log.heldBytes());
        }
        assertEquals(List.of(8, 16, 32, 64, 128), slotsSeen, "index doubles from 8 up to the history (100 -> 128)");

        // every retained event is still found after four index copies, numeric and text ids alike
        for (long ordinal = log.firstOrdinal(); ordinal < log.nextOrdinal(); ordinal++)
        {
            final long id = ordinal + 1;
            final String idText = id % 7 == 0 ? "t" + id : String.valueOf(id);
            assertEquals(ordinal + 1, log.ordinalAfterId(ascii(idText), 0, idText.length()), idText);
            assertEquals(log.framePosition(ordinal + 1), log.frameEndPosition(ordinal));
        }
        assertEquals(TopicLog.NOT_FOUND, log.ordinalAfterId(ascii("200"), 0, 3), "evicted by the event count");
        final String newest = "id: 300\ndata: 300\n\n";
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[newest.length()]);
        log.getBytes(log.framePosition(299), newest.length(), copy, 0);
        assertEquals(newest, new String(copy.byteArray(), StandardCharsets.US_ASCII));
    }

    @Test
    void shouldFreeEverythingWhenClosedAndKeepPositionsForCursors()
    {
        final HistoryBudget budget = new HistoryBudget(1 << 20);
        final TopicLog log = new TopicLog(100, 1 << 16, budget);
        for (int i = 1; i <= 20; i++)
        {
            append(log, i, "data: x\n");
        }
        assertEquals(log.heldBytes(), budget.used());
        assertEquals(1, budget.logCount());
        final long head = log.headPosition();
        log.close();
        assertEquals(0, log.heldBytes());
        assertEquals(0, budget.used());
        assertEquals(0, budget.logCount());
        assertTrue(log.isEmpty());
        assertEquals(head, log.tailPosition());
        assertEquals(head, log.headPosition());
        assertEquals(20, log.nextOrdinal());
        assertEquals(TopicLog.NOT_FOUND, log.ordinalAfterId(ascii("20"), 0, 2));

        append(log, 21, "data: again\n");
        assertEquals(20, log.firstOrdinal());
        assertEquals(21, log.ordinalAfterId(ascii("21"), 0, 2));
        assertEquals(log.heldBytes(), budget.used());
    }

    @Test
    void shouldKeepEachEventsSeqInTheIndexBesideItsIdAndPosition()
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        assertEquals(TopicLog.NOT_FOUND, log.firstSeq());
        assertEquals(TopicLog.NOT_FOUND, log.lastSeq());
        final long[] seqs = new long[50];
        for (int i = 0; i < seqs.length; i++)
        {
            seq += 1 + i % 4;
            seqs[i] = seq;
            if (i % 5 == 0)
            {
                appendTextAt(log, "t" + i, "data: " + i + "\n", seq);
            }
            else
            {
                appendAt(log, i, "data: " + i + "\n", seq);
            }
        }

        assertEquals(64, log.indexSlots(), "the index grew 8, 16, 32, 64 and copied every entry");
        assertEquals(seqs[0], log.firstSeq());
        assertEquals(seqs[49], log.lastSeq());
        for (int i = 0; i < seqs.length; i++)
        {
            assertEquals(seqs[i], log.seq(i));
            final String id = i % 5 == 0 ? "t" + i : String.valueOf(i);
            assertEquals(i + 1, log.ordinalAfterId(ascii(id), 0, id.length()), id);
        }
    }

    @Test
    void shouldFindAnEventBySeqAndWhereAStreamResumesAfterASeq()
    {
        final TopicLog log = new TopicLog(1000, 1 << 16);
        for (int i = 0; i < 300; i++)
        {
            appendAt(log, i, "data: " + i + "\n", 5 + 3L * i);
        }

        for (int i = 0; i < 300; i++)
        {
            final long seq = 5 + 3L * i;
            assertEquals(i, log.ordinalOfSeq(seq));
            assertEquals(TopicLog.NOT_FOUND, log.ordinalOfSeq(seq + 1), "another topic's seq");
            assertEquals(TopicLog.NOT_FOUND, log.ordinalOfSeq(seq - 1), "another topic's seq");
            assertEquals(i + 1, log.ordinalAfterSeq(seq));
            assertEquals(i + 1, log.ordinalAfterSeq(seq + 2));
            assertEquals(i, log.ordinalAfterSeq(seq - 1));
        }
        assertEquals(0, log.ordinalAfterSeq(0));
        assertEquals(0, log.ordinalAfterSeq(Long.MIN_VALUE));
        assertEquals(300, log.ordinalAfterSeq(Long.MAX_VALUE));
        assertEquals(TopicLog.NOT_FOUND, log.ordinalOfSeq(Long.MAX_VALUE));
        assertEquals(TopicLog.NOT_FOUND, log.ordinalOfSeq(Long.MIN_VALUE));
    }

    @Test
    void shouldForgetTheSeqsOfEvictedEvents()
    {
        final TopicLog log = new TopicLog(8, 1 << 16);
        for (int i = 0; i < 20; i++)
        {
            appendAt(log, i, "data: " + i + "\n", 10L * (i + 1));
        }

        assertEquals(12, log.firstOrdinal());
        assertEquals(130, log.firstSeq());
        assertEquals(200, log.lastSeq());
        assertEquals(TopicLog.NOT_FOUND, log.ordinalOfSeq(120), "evicted");
        assertEquals(12, log.ordinalOfSeq(130));
        assertEquals(12, log.ordinalAfterSeq(10), "before the oldest retained: resume at the oldest");
        assertEquals(19, log.ordinalOfSeq(200));
        assertEquals(20, log.ordinalAfterSeq(200));

        log.close();
        assertEquals(TopicLog.NOT_FOUND, log.firstSeq());
        assertEquals(TopicLog.NOT_FOUND, log.lastSeq());
        assertEquals(TopicLog.NOT_FOUND, log.ordinalOfSeq(200));
        assertEquals(20, log.ordinalAfterSeq(10));

        appendAt(log, 20, "data: again\n", 210);
        assertEquals(210, log.firstSeq());
        assertEquals(20, log.ordinalOfSeq(210));
    }

    @Test
    void shouldKeepTheSeqsOfWhatRemainsWhenTheLogShrinksForTheBudget()
    {
        final TopicLog log = new TopicLog(1000, 1 << 16);
        for (int i = 0; i < 400; i++)
        {
            appendAt(log, i, "data: " + "s".repeat(100) + "\n", 1000L + 2 * i);
        }
        final int capacityBefore = log.capacity();
        log.shrinkForBudget();

        assertEquals(capacityBefore / 2, log.capacity());
        assertTrue(log.firstOrdinal() > 0, "the oldest events went");
        for (long ordinal = log.firstOrdinal(); ordinal < log.nextOrdinal(); ordinal++)
        {
            assertEquals(1000L + 2 * ordinal, log.seq(ordinal));
            assertEquals(ordinal, log.ordinalOfSeq(1000L + 2 * ordinal));
        }
        assertEquals(TopicLog.NOT_FOUND, log.ordinalOfSeq(1000L + 2 * (log.firstOrdinal() - 1)));
    }

    @Test
    void shouldRefuseASeqThatIsNotAboveTheLastAppended()
    {
        final TopicLog log = new TopicLog(10, 1 << 16);
        assertThrows(IllegalArgumentException.class, () -> appendAt(log, 1, "data: a\n", 0));
        appendAt(log, 1, "data: a\n", 5);
        final IllegalArgumentException same =
            assertThrows(IllegalArgumentException.class, () -> appendAt(log, 2, "data: b\n", 5));
        assertEquals("seq 5 is not above the last appended seq 5", same.getMessage());
        assertThrows(IllegalArgumentException.class, () -> appendAt(log, 2, "data: b\n", 4));
        assertEquals(1, log.nextOrdinal(), "nothing appended by a refused call");
        assertEquals(5, log.lastSeq());
    }

    private void appendAt(final TopicLog log, final long id, final String dataLines, final long seq)
    {
        final String idText = String.valueOf(id);
        final String frame = "id: " + idText + "\n" + dataLines + "\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(frame.getBytes(StandardCharsets.US_ASCII));
        log.append(buffer, 0, frame.length(), 4, idText.length(), seq, id);
    }

    private void appendTextAt(final TopicLog log, final String id, final String dataLines, final long seq)
    {
        final String frame = "id: " + id + "\n" + dataLines + "\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(frame.getBytes(StandardCharsets.UTF_8));
        log.append(buffer, 0, frame.length(), 4, id.length(), seq, EventSequencer.TEXT_ID);
    }

    private String append(final TopicLog log, final long id, final String dataLines)
    {
        final String idText = String.valueOf(id);
        final String frame = "id: " + idText + "\n" + dataLines + "\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(frame.length()));
        buffer.putStringWithoutLengthAscii(0, frame);
        log.append(buffer, 0, frame.length(), 4, idText.length(), ++seq, id);
        return frame;
    }

    private void appendText(final TopicLog log, final String id, final String dataLines)
    {
        final String frame = "id: " + id + "\n" + dataLines + "\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(frame.getBytes(StandardCharsets.UTF_8));
        log.append(buffer, 0, frame.length(), 4, id.length(), ++seq, EventSequencer.TEXT_ID);
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
