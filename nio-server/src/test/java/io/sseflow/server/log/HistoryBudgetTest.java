package io.sseflow.server.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryBudgetTest
{
    private long seq;   // hub sequence of the events appended, increasing across the logs of a test

    private static final int KIB = 1024;

    @Test
    void shouldTakeRoomFromTheLogHoldingTheMostByEvictingItsOldestEvents()
    {
        final HistoryBudget budget = new HistoryBudget(256 * KIB);
        final TopicLog big = new TopicLog(10_000, 1 << 20, budget);
        final TopicLog small = new TopicLog(10_000, 1 << 20, budget);
        for (int i = 1; i <= 200; i++)
        {
            append(big, i, 1000);
        }
        assertEquals(128 * KIB, big.capacity(), "200 KB of frames fit a 256 KiB budget only as 128 KiB");
        final long bigFirstBefore = big.firstOrdinal();
        assertTrue(bigFirstBefore > 0, "the largest log, at the budget, evicted its own oldest");
        assertBudgetConsistent(budget, big, small);

        for (int i = 1; i <= 100; i++)
        {
            append(small, i, 1000);
            assertBudgetConsistent(budget, big, small);
        }
        assertTrue(small.capacity() >= 64 * KIB, "the small log grew: " + small.capacity());
        assertTrue(big.capacity() <= 128 * KIB && big.capacity() >= 64 * KIB,
            "the big one shrank, not below the other: " + big.capacity());
        assertTrue(big.firstOrdinal() > bigFirstBefore, "the big log's oldest events went");
        assertEquals(big.firstOrdinal() + 1, big.ordinalAfterId(ascii(String.valueOf(big.firstOrdinal() + 1)),
            0, String.valueOf(big.firstOrdinal() + 1).length()), "what the big log kept is intact");
        assertEquals(big.headPosition() - big.tailPosition(), framesBytes(big), "retained frames are back to back");
    }

    @Test
    void shouldNeverExceedTheBudgetWithManyLogsAndLargeFrames()
    {
        final HistoryBudget budget = new HistoryBudget(2048 * KIB);
        final List<TopicLog> logs = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            logs.add(new TopicLog(1024, 1 << 22, budget));
        }
        long maxUsed = 0;
        for (int round = 1; round <= 30; round++)
        {
            for (final TopicLog log : logs)
            {
                append(log, round, 60 * KIB);
                maxUsed = Math.max(maxUsed, budget.used());
                assertTrue(budget.used() <= budget.limit(), "used " + budget.used());
            }
        }
        long held = 0;
        int nonEmpty = 0;
        for (final TopicLog log : logs)
        {
            held += log.heldBytes();
            nonEmpty += log.isEmpty() ? 0 : 1;
        }
        assertEquals(held, budget.used());
        assertTrue(nonEmpty >= 10, "many logs still hold their newest event: " + nonEmpty);
        final TopicLog last = logs.get(logs.size() - 1);
        assertEquals(30, last.ordinalAfterId(ascii("30"), 0, 2) , "the log just appended to keeps its newest event");
    }

    @Test
    void shouldSettleWithoutTradingMemoryBackAndForth()
    {
        final HistoryBudget budget = new HistoryBudget(128 * KIB);
        final TopicLog a = new TopicLog(10_000, 1 << 20, budget);
        final TopicLog b = new TopicLog(10_000, 1 << 20, budget);
        for (int i = 1; i <= 400; i++)
        {
            append(a, i, 500);
            append(b, i, 500);
        }
        final int capacityA = a.capacity();
        final int capacityB = b.capacity();
        for (int i = 401; i <= 600; i++)
        {
            append(a, i, 500);
            append(b, i, 500);
            assertEquals(capacityA, a.capacity());
            assertEquals(capacityB, b.capacity());
        }
        assertTrue(Math.max(capacityA, capacityB) <= 2 * Math.min(capacityA, capacityB), capacityA + " vs " + capacityB);
    }

    @Test
    void shouldRefuseAnEmptyBudget()
    {
        assertThrows(IllegalArgumentException.class, () -> new HistoryBudget(0));
    }

    private static void assertBudgetConsistent(final HistoryBudget budget, final TopicLog... logs)
    {
        long held = 0;
        for (final TopicLog log : logs)
        {
            held += log.heldBytes();
        }
        assertEquals(held, budget.used());
        assertTrue(budget.used() <= budget.limit(), "used " + budget.used() + " of " + budget.limit());
    }

    private static long framesBytes(final TopicLog log)
    {
        long bytes = 0;
        for (long ordinal = log.firstOrdinal(); ordinal < log.nextOrdinal(); ordinal++)
        {
            bytes += log.frameEndPosition(ordinal) - log.framePosition(ordinal);
        }
        return bytes;
    }

    private void append(final TopicLog log, final long id, final int dataBytes)
    {
        final String idText = String.valueOf(id);
        final String frame = "id: " + idText + "\ndata: " + "z".repeat(dataBytes) + "\n\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(frame.getBytes(StandardCharsets.US_ASCII));
        log.append(buffer, 0, frame.length(), 4, idText.length(), ++seq, id);
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
