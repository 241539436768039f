package io.sseflow.server.topic;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicLogTest
{
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
        assertEquals(log.framePosition(log.firstSequence()), tail);
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
        assertEquals(3, log.nextSequence() - log.firstSequence());
        assertEquals(6, log.nextSequence());

        assertEquals(4, log.sequenceAfterId(ascii("4"), 0, 1));
        assertEquals(5, log.sequenceAfterId(ascii("5"), 0, 1));
        assertEquals(6, log.sequenceAfterId(ascii("abc"), 0, 3));
        assertEquals(TopicLog.NOT_FOUND, log.sequenceAfterId(ascii("3"), 0, 1));
        assertEquals(TopicLog.NOT_FOUND, log.sequenceAfterId(ascii("04"), 0, 2));
        assertEquals(TopicLog.NOT_FOUND, log.sequenceAfterId(ascii("ab"), 0, 2));
        assertEquals(log.headPosition(), log.framePosition(log.nextSequence()));
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
            assertEquals(Math.min(i, 100), log.nextSequence() - log.firstSequence());
            assertEquals(log.capacity() + (long)log.indexSlots() * TopicLog.INDEX_SLOT_BYTES, log.heldBytes());
        }
        assertEquals(List.of(8, 16, 32, 64, 128), slotsSeen, "index doubles from 8 up to the history (100 -> 128)");

        // every retained event is still found after four index copies, numeric and text ids alike
        for (long sequence = log.firstSequence(); sequence < log.nextSequence(); sequence++)
        {
            final long id = sequence + 1;
            final String idText = id % 7 == 0 ? "t" + id : String.valueOf(id);
            assertEquals(sequence + 1, log.sequenceAfterId(ascii(idText), 0, idText.length()), idText);
            assertEquals(log.framePosition(sequence + 1), log.frameEndPosition(sequence));
        }
        assertEquals(TopicLog.NOT_FOUND, log.sequenceAfterId(ascii("200"), 0, 3), "evicted by the event count");
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
        assertEquals(20, log.nextSequence());
        assertEquals(TopicLog.NOT_FOUND, log.sequenceAfterId(ascii("20"), 0, 2));

        append(log, 21, "data: again\n");
        assertEquals(20, log.firstSequence());
        assertEquals(21, log.sequenceAfterId(ascii("21"), 0, 2));
        assertEquals(log.heldBytes(), budget.used());
    }

    private static String append(final TopicLog log, final long id, final String dataLines)
    {
        final String idText = String.valueOf(id);
        final String frame = "id: " + idText + "\n" + dataLines + "\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(frame.length()));
        buffer.putStringWithoutLengthAscii(0, frame);
        log.append(buffer, 0, frame.length(), 4, idText.length(), id);
        return frame;
    }

    private static void appendText(final TopicLog log, final String id, final String dataLines)
    {
        final String frame = "id: " + id + "\n" + dataLines + "\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(frame.getBytes(StandardCharsets.UTF_8));
        log.append(buffer, 0, frame.length(), 4, id.length(), EventSequencer.TEXT_ID);
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
