package io.sseflow.server.log;

import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@link EventIndex}'s hash table of ids, through {@link TopicLog#ordinalOfId}: it finds exactly what a scan of
 * the retained events finds, across evictions by count and by bytes, index growth and the budget shrinking the log,
 * and it allocates nothing per lookup.
 */
class EventIdIndexTest
{
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private final UnsafeBuffer probe = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private long seq;

    @Test
    void shouldFindWhatAScanFindsAcrossEvictionsAndResizes()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final TopicLog log = new TopicLog(300, 1 << 14, new HistoryBudget(1 << 16));
        final List<String> ids = new ArrayList<>();
        long nextNumeric = 1;
        for (int i = 0; i < 5_000; i++)
        {
            final String id;
            if (random.nextInt(3) == 0)
            {
                id = "k" + Integer.toHexString(random.nextInt()) + "-" + i;
                append(log, id, EventSequencer.TEXT_ID, random.nextInt(120));
            }
            else
            {
                nextNumeric += 1 + random.nextInt(3);
                id = Long.toString(nextNumeric);
                append(log, id, nextNumeric, random.nextInt(120));
            }
            ids.add(id);
            if (i % 97 == 0)
            {
                log.shrinkForBudget();
            }
            if (i % 10 == 0)
            {
                for (int k = 0; k < 20; k++)
                {
                    final String asked = ids.get(random.nextInt(ids.size()));
                    assertEquals(scan(log, asked), find(log, asked), "id " + asked + " after " + i + " appends");
                }
                assertEquals(TopicLog.NOT_FOUND, find(log, "never"));
                assertEquals(TopicLog.NOT_FOUND, find(log, Long.toString(nextNumeric + 1)));
            }
        }
        log.close();
        assertEquals(TopicLog.NOT_FOUND, find(log, ids.get(ids.size() - 1)));
    }

    @Test
    void shouldFindAnIdWithoutAllocating()
    {
        final TopicLog log = new TopicLog(1024, 1 << 20);
        for (int i = 1; i <= 1024; i++)
        {
            append(log, 0 == i % 2 ? "t" + i : Integer.toString(i), 0 == i % 2 ? EventSequencer.TEXT_ID : i, 8);
        }
        final int textLength = probe.putStringWithoutLengthAscii(0, "t512");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long found = 0;
        for (int i = 0; i < 10_000; i++)
        {
            found += log.ordinalOfId(probe, 0, textLength);
        }
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++)
        {
            found += log.ordinalOfId(probe, 0, textLength);
        }
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(20_000L * 511, found);
        assertEquals(0, allocated, "bytes allocated by 10,000 lookups");
    }

    private void append(final TopicLog log, final String id, final long numericId, final int dataLength)
    {
        final String text = "id: " + id + "\ndata: " + "x".repeat(dataLength) + "\n\n";
        final int length = frame.putStringWithoutLengthAscii(0, text);
        log.append(frame, 0, length, 4, id.length(), ++seq, numericId);
    }

    private long find(final TopicLog log, final String id)
    {
        final int length = probe.putStringWithoutLengthAscii(0, id);
        return log.ordinalOfId(probe, 0, length);
    }

    private long scan(final TopicLog log, final String id)
    {
        final byte[] wanted = id.getBytes(StandardCharsets.US_ASCII);
        for (long ordinal = log.firstOrdinal(); ordinal < log.nextOrdinal(); ordinal++)
        {
            final long position = log.framePosition(ordinal);
            final int length = (int)(log.frameEndPosition(ordinal) - position);
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
            log.getBytes(position, length, copy, 0);
            final String text = copy.getStringWithoutLengthAscii(0, length);
            if (text.startsWith("id: " + id + "\n"))
            {
                return ordinal;
            }
        }
        return TopicLog.NOT_FOUND;
    }
}
