package io.sseflow.server.fanout;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SequencedLog}: every reader sees every entry's exact bytes in order, across the wrap; the writer is held by
 * the slowest reader and never overwrites what a reader has not read.
 */
class SequencedLogTest
{
    @Test
    void shouldHandEveryReaderTheSameEntriesInOrder()
    {
        final SequencedLog log = new SequencedLog(1024, 2);
        append(log, 7, "first");
        append(log, 9, "second entry");

        for (int r = 0; r < 2; r++)
        {
            final List<String> seen = new ArrayList<>();
            assertEquals(2, log.reader(r).poll((type, buffer, index, length) ->
                seen.add(type + ":" + buffer.getStringWithoutLengthAscii(index, length)), 10));
            assertEquals(List.of("7:first", "9:second entry"), seen);
            assertEquals(0, log.reader(r).poll((type, buffer, index, length) -> seen.add("again"), 10));
        }
    }

    @Test
    void shouldHoldTheWriterUntilTheSlowestReaderHasReadAWholeCapacityBehind()
    {
        final SequencedLog log = new SequencedLog(1024, 2);
        final int payload = log.maxPayloadLength();
        int appended = 0;
        while (SequencedLog.BACK_PRESSURED != log.tryClaim(1, payload))
        {
            log.commit();
            appended++;
        }
        assertEquals(1024 / (payload + SequencedLog.HEADER_LENGTH), appended);
        assertFalse(log.hasRoomFor(payload));

        assertEquals(appended, log.reader(0).poll((type, buffer, index, length) -> { }, 100));
        assertEquals(SequencedLog.BACK_PRESSURED, log.tryClaim(1, payload), "reader 1 has read nothing");
        assertEquals(1, log.reader(1).poll((type, buffer, index, length) -> { }, 1));
        assertTrue(log.hasRoomFor(payload));
        assertTrue(log.tryClaim(1, payload) >= 0);
        log.commit();
    }

    @Test
    void shouldPadToTheEndAndWrapAnEntryThatDoesNotFitBeforeIt()
    {
        final SequencedLog log = new SequencedLog(1024, 1);
        final List<String> seen = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final String text = "entry-" + i + "-" + "x".repeat((i * 37) % 100);
            append(log, 1, text);
            assertEquals(1, log.reader(0).poll((type, buffer, index, length) ->
                seen.add(buffer.getStringWithoutLengthAscii(index, length)), 10));
            assertEquals(text, seen.get(i));
        }
        assertTrue(log.reader(0).position() > 1024, "wrapped");
    }

    @Test
    void shouldRefuseAnEntryLargerThanAnEighthOfTheCapacityAndAClaimNotCommitted()
    {
        final SequencedLog log = new SequencedLog(1024, 1);
        assertThrows(IllegalArgumentException.class, () -> log.tryClaim(1, log.maxPayloadLength() + 1));
        assertThrows(IllegalArgumentException.class, () -> log.tryClaim(0, 8));
        log.tryClaim(1, 8);
        assertThrows(IllegalStateException.class, () -> log.tryClaim(1, 8));
        log.commit();
        assertThrows(IllegalStateException.class, log::commit);
    }

    /**
     * One writer, four readers on their own threads pausing at random: each reader checks every byte of every entry
     * (its length and contents follow from its number) and that no number is missing or repeated.
     */
    @Test
    void shouldGiveFourPausingReadersEveryByteOfEveryEntry() throws Exception
    {
        final int entries = 200_000;
        final int readers = 4;
        final SequencedLog log = new SequencedLog(64 * 1024, readers);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[readers];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int r = 0; r < readers; r++)
        {
            final SequencedLog.Reader reader = log.reader(r);
            final SplittableRandom random = new SplittableRandom(r);
            threads[r] = new Thread(() ->
            {
                final long[] next = {0};
                final SequencedLog.EntryHandler check = (type, buffer, index, length) ->
                {
                    final long number = buffer.getLong(index);
                    if (number != next[0] || type != typeOf(number) || length != lengthOf(number))
                    {
                        throw new AssertionError("entry " + next[0] + ": got number " + number + " type " + type +
                            " length " + length);
                    }
                    for (int i = 8; i < length; i++)
                    {
                        if (buffer.getByte(index + i) != byteOf(number, i))
                        {
                            throw new AssertionError("entry " + number + " byte " + i);
                        }
                    }
                    next[0]++;
                };
                try
                {
                    while (next[0] < entries && System.nanoTime() < deadline)
                    {
                        reader.poll(check, 1 + random.nextInt(64));
                        if (random.nextInt(100) == 0)
                        {
                            LockSupport.parkNanos(random.nextInt(200_000));
                        }
                    }
                    assertEquals(entries, next[0]);
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            });
            threads[r].start();
        }

        final UnsafeBuffer buffer = log.buffer();
        for (long number = 0; number < entries && System.nanoTime() < deadline && null == failure.get(); )
        {
            final int length = lengthOf(number);
            final int index = log.tryClaim(typeOf(number), length);
            if (SequencedLog.BACK_PRESSURED == index)
            {
                Thread.onSpinWait();
                continue;
            }
            buffer.putLong(index, number);
            for (int i = 8; i < length; i++)
            {
                buffer.putByte(index + i, byteOf(number, i));
            }
            log.commit();
            number++;
        }
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(70));
        }
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
        for (int r = 0; r < readers; r++)
        {
            assertEquals(0, log.reader(r).poll((type, b, index, length) -> { }, 1));
        }
        assertEquals(0, log.backlog());
    }

    private static int typeOf(final long number)
    {
        return 1 + (int)(number % 3);
    }

    private static int lengthOf(final long number)
    {
        return 8 + (int)((number * 7919) % 1500);
    }

    private static byte byteOf(final long number, final int i)
    {
        return (byte)(number * 31 + i);
    }

    private static void append(final SequencedLog log, final int type, final String text)
    {
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int index = log.tryClaim(type, bytes.length);
        assertTrue(index >= 0);
        log.buffer().putBytes(index, bytes);
        log.commit();
    }

    @SuppressWarnings("unused")
    private static byte[] bytes(final DirectBuffer buffer, final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        assertArrayEquals(bytes, bytes);
        return bytes;
    }
}
