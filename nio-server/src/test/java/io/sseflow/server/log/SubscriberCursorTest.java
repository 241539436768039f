package io.sseflow.server.log;

import io.sseflow.server.log.SubscriberCursor.Outcome;
import io.sseflow.server.support.FakeChannel;
import io.sseflow.server.log.TopicLog;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SubscriberCursor} against a {@link TopicLog} and a {@link FakeChannel} that takes a chosen number of bytes:
 * what a subscriber is sent, in how many writes, and where it stops, without a socket or kernel buffers.
 */
class SubscriberCursorTest
{
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";
    private static final ByteBuffer NO_HEAD = ByteBuffer.allocate(0);
    private static final ByteBuffer HEARTBEAT = ByteBuffer.wrap(ascii(": heartbeat\n\n"));

    private final SubscriberCursor cursor = new SubscriberCursor();

    @Test
    void shouldWriteTheStreamHeadFirstThenTheFramesFromItsSequence() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final String first = append(log, 1, "a");
        final String second = append(log, 2, "b");
        final FakeChannel channel = FakeChannel.unlimited();

        cursor.open(log, 0, ByteBuffer.wrap(ascii(HEAD)), 5);
        assertTrue(cursor.hasPending());
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 10));

        assertEquals(HEAD + first + second, channel.text());
        assertEquals(2, cursor.framesWritten());
        assertEquals(first.length() + second.length(), cursor.bytesWritten(), "log bytes only, not the head");
        assertEquals(2, cursor.ordinal());
        assertEquals(log.headPosition(), cursor.position());
        assertEquals(10, cursor.lastWriteNs());
        assertFalse(cursor.hasPending());
    }

    @Test
    void shouldStartALiveCursorAtTheHeadWithoutHistory() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        append(log, 1, "old");
        final FakeChannel channel = FakeChannel.unlimited();

        cursor.open(log, log.nextOrdinal(), ByteBuffer.wrap(ascii(HEAD)), 0);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 1));
        final String live = append(log, 2, "new");
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 2));

        assertEquals(HEAD + live, channel.text());
        assertEquals(1, cursor.framesWritten());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 61})
    void shouldResumePartialWritesWhereTheyStoppedAndCountOnlyWholeFrames(final int bytesPerWrite) throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final StringBuilder frames = new StringBuilder();
        final long[] frameEnds = new long[5];
        for (int i = 1; i <= 5; i++)
        {
            frames.append(append(log, i, "event " + i + " " + "x".repeat(i * 5)));
            frameEnds[i - 1] = log.headPosition();
        }
        final FakeChannel channel = FakeChannel.perCall(bytesPerWrite);
        cursor.open(log, 0, ByteBuffer.wrap(ascii(HEAD)), 0);

        final int total = HEAD.length() + frames.length();
        int flushes = 0;
        Outcome outcome;
        do
        {
            final int before = channel.size();
            outcome = cursor.flush(channel, ++flushes);
            assertTrue(channel.size() > before, "every flush makes progress");
            assertTrue(channel.size() - before <= 2 * bytesPerWrite, "at most one write of head and one of frames");
            int whole = 0;
            while (whole < frameEnds.length && frameEnds[whole] <= cursor.position())
            {
                whole++;
            }
            assertEquals(whole, cursor.framesWritten(), "frames written at position " + cursor.position());
            assertEquals(whole, cursor.ordinal(), "first frame not yet fully written");
            assertEquals(outcome == Outcome.CAUGHT_UP, channel.size() == total, "blocked until everything is sent");
        }
        while (outcome == Outcome.BLOCKED && flushes < 10 * total);

        assertEquals(Outcome.CAUGHT_UP, outcome);
        assertEquals(HEAD + frames, channel.text());
        assertEquals(frames.length(), cursor.bytesWritten());
        assertEquals(flushes, cursor.lastWriteNs(), "the last flush wrote");
    }

    @Test
    void shouldCoalesceEveryPendingFrameIntoOneWrite() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final FakeChannel channel = FakeChannel.unlimited();
        cursor.open(log, log.nextOrdinal(), NO_HEAD, 0);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 1));
        assertEquals(0, channel.writes());

        final StringBuilder frames = new StringBuilder();
        for (int i = 1; i <= 20; i++)
        {
            frames.append(append(log, i, "piled up " + i));
        }
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 2));

        assertEquals(frames.toString(), channel.text());
        assertEquals(1, channel.writes(), "log[cursor..head] in one write");
        assertEquals(20, cursor.framesWritten());
    }

    @Test
    void shouldWriteAcrossTheEndOfTheCircularLogInTwoWrites() throws Exception
    {
        final TopicLog log = wrappingLog();
        final String fourth = append(log, 4, "y".repeat(984));
        cursor.open(log, 3, NO_HEAD, 0);
        final String fifth = append(log, 5, "z".repeat(984));
        assertTrue(log.tailPosition() > 0, "the oldest frame was evicted to make room");
        assertTrue(log.headPosition() > log.capacity(), "the newest frame wraps around the buffer's end");
        final FakeChannel channel = FakeChannel.unlimited();

        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 1));

        assertEquals(fourth + fifth, channel.text());
        assertEquals(2, channel.writes(), "one write up to the buffer's end, one from its start");
        assertEquals(2, cursor.framesWritten());
    }

    @Test
    void shouldResumeAPartialWriteRightAtTheEndOfTheBuffer() throws Exception
    {
        final TopicLog log = wrappingLog();
        cursor.open(log, log.nextOrdinal(), NO_HEAD, 0);
        final String wrapped = append(log, 4, "w".repeat(2_000));
        final long start = log.headPosition() - wrapped.length();
        final int untilEnd = (int)(log.capacity() - (start & (log.capacity() - 1)));
        assertTrue(untilEnd < wrapped.length(), "the frame wraps");
        final FakeChannel channel = FakeChannel.blockingAfter(untilEnd);

        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 1));
        assertEquals(start + untilEnd, cursor.position());
        assertEquals(0, cursor.framesWritten());

        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 2));
        assertEquals(wrapped, channel.text());
        assertEquals(1, cursor.framesWritten());
    }

    @Test
    void shouldBeLappedWhenTheLogEvictsBytesNotYetSent() throws Exception
    {
        final TopicLog log = new TopicLog(2, 1 << 16);
        final String first = append(log, 1, "first");
        final FakeChannel channel = FakeChannel.blockingAfter(HEAD.length() + 3);
        cursor.open(log, 0, ByteBuffer.wrap(ascii(HEAD)), 0);

        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 1));
        assertFalse(cursor.isLapped());
        append(log, 2, "second");
        assertFalse(cursor.isLapped(), "two events fit the history");
        append(log, 3, "third");
        assertTrue(cursor.isLapped(), "the frame in flight is evicted");

        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.LAPPED, cursor.flush(channel, 2));
        assertEquals(HEAD + first.substring(0, 3), channel.text(), "nothing is sent past the lap");
        assertEquals(3, cursor.bytesWritten());
        assertEquals(0, cursor.framesWritten());

        cursor.endAtFrameBoundary();
        assertEquals(Outcome.LAPPED, cursor.flush(channel, 3), "a lapped cursor ends where it is");
    }

    @Test
    void shouldFinishTheFrameInFlightAndStopExactlyAtItsEnd() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final String first = append(log, 1, "one");
        final String second = append(log, 2, "two " + "2".repeat(100));
        final String third = append(log, 3, "three");
        final FakeChannel channel = FakeChannel.blockingAfter(HEAD.length() + first.length() + 5);
        cursor.open(log, 0, ByteBuffer.wrap(ascii(HEAD)), 0);

        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 1), "a subscriber blocked in the middle of a frame");
        assertEquals(1, cursor.framesWritten());

        cursor.endAtFrameBoundary();
        append(log, 4, "four");
        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 2));

        assertEquals(HEAD + first + second, channel.text(), "the stream ends after the frame in flight");
        assertFalse(channel.text().contains(third));
        assertEquals(2, cursor.framesWritten());
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 3));
        assertEquals(HEAD.length() + first.length() + second.length(), channel.size(), "nothing after the end");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 13})
    void shouldFinishTheFrameInFlightThroughPartialWrites(final int bytesPerWrite) throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final String first = append(log, 1, "one " + "1".repeat(40));
        final String second = append(log, 2, "two");
        final FakeChannel channel = FakeChannel.blockingAfter(7);
        cursor.open(log, 0, NO_HEAD, 0);
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 1));

        cursor.endAtFrameBoundary();
        channel.allow(Long.MAX_VALUE);
        channel.perCallLimit(bytesPerWrite);
        Outcome outcome;
        int flushes = 0;
        while ((outcome = cursor.flush(channel, 2)) == Outcome.BLOCKED && ++flushes < 1_000)
        {
            assertTrue(channel.size() < first.length());
        }

        assertEquals(Outcome.CAUGHT_UP, outcome);
        assertEquals(first, channel.text());
        assertFalse(channel.text().contains(second));
    }

    @Test
    void shouldEndWhereItIsWhenNoFrameIsPartlyWritten() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final String first = append(log, 1, "one");
        append(log, 2, "two");
        final FakeChannel channel = FakeChannel.blockingAfter(HEAD.length() + first.length());
        cursor.open(log, 0, ByteBuffer.wrap(ascii(HEAD)), 0);
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 1));

        cursor.endAtFrameBoundary();
        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 2));
        assertEquals(HEAD + first, channel.text());
        assertEquals(1, cursor.framesWritten());
    }

    @Test
    void shouldEndACaughtUpCursorAtOnce() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final FakeChannel channel = FakeChannel.unlimited();
        cursor.open(log, log.nextOrdinal(), ByteBuffer.wrap(ascii(HEAD)), 0);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 1));

        cursor.endAtFrameBoundary();
        append(log, 1, "after the end");
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 2));
        assertEquals(HEAD, channel.text());
    }

    @Test
    void shouldQueueAHeartbeatOnlyWhenCaughtUpAndNoControlIsInFlight() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final FakeChannel channel = FakeChannel.blockingAfter(5);
        cursor.open(log, log.nextOrdinal(), ByteBuffer.wrap(ascii(HEAD)), 0);
        assertFalse(cursor.offerControl(HEARTBEAT.duplicate()), "the head is not written yet");

        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 1));
        assertFalse(cursor.offerControl(HEARTBEAT.duplicate()), "the head is in flight");
        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 2));

        final String frame = append(log, 1, "pending");
        assertFalse(cursor.offerControl(HEARTBEAT.duplicate()), "frames are pending");
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 3));

        assertTrue(cursor.offerControl(HEARTBEAT.duplicate()));
        assertFalse(cursor.offerControl(HEARTBEAT.duplicate()), "one control at a time");
        assertTrue(cursor.hasPending());
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 4));
        assertEquals(HEAD + frame + ": heartbeat\n\n", channel.text());
        assertEquals(1, cursor.framesWritten(), "a heartbeat is not a frame");
        assertEquals(frame.length(), cursor.bytesWritten());
    }

    @Test
    void shouldRecordTheLastWriteOnlyWhenBytesLeave() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final FakeChannel channel = FakeChannel.blockingAfter(0);
        cursor.open(log, log.nextOrdinal(), ByteBuffer.wrap(ascii(HEAD)), 100);
        assertEquals(100, cursor.lastWriteNs(), "opening counts as a write");

        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 200));
        assertEquals(100, cursor.lastWriteNs(), "a write that took nothing is not activity");

        channel.allow(HEAD.length());
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 300));
        assertEquals(300, cursor.lastWriteNs());

        append(log, 1, "x");
        channel.allow(0);
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 400));
        assertEquals(300, cursor.lastWriteNs());
        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 500));
        assertEquals(500, cursor.lastWriteNs());
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 600));
        assertEquals(500, cursor.lastWriteNs(), "nothing to write is not activity");
    }

    /**
     * A log of 4 KiB that cannot grow, holding frames 1 to 3 of 998 bytes each.
     */
    private static TopicLog wrappingLog()
    {
        final TopicLog log = new TopicLog(100, TopicLog.INITIAL_CAPACITY);
        append(log, 1, "u".repeat(984));
        append(log, 2, "v".repeat(984));
        append(log, 3, "t".repeat(984));
        assertEquals(TopicLog.INITIAL_CAPACITY, log.capacity());
        return log;
    }

    private static long lastSeq;

    @Test
    void shouldBeBehindFromTheFirstBlockedFlushUntilTheBacklogOfThatMomentIsWritten() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final String first = append(log, 1, "a".repeat(100));
        final String second = append(log, 2, "b".repeat(100));
        final FakeChannel channel = FakeChannel.blockingAfter(HEAD.length() + 10);
        cursor.open(log, 0, ByteBuffer.wrap(ascii(HEAD)), 0);

        assertFalse(cursor.isBehindLongerThan(1_000, 0), "not behind before any flush");
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 100));
        assertFalse(cursor.isBehindLongerThan(150, 50), "50 ns behind is not longer than 50");
        assertTrue(cursor.isBehindLongerThan(151, 50));

        channel.allow(first.length());
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 140));
        assertTrue(cursor.isBehindLongerThan(151, 50), "progress short of the backlog keeps the first deadline");

        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 160));
        assertFalse(cursor.isBehindLongerThan(Long.MAX_VALUE, 0), "caught up: not behind");
        assertEquals(HEAD + first + second, channel.text());
    }

    @Test
    void shouldGiveTheNextBacklogItsOwnDeadlineOnceTheFirstIsWritten() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final String first = append(log, 1, "a".repeat(100));
        final FakeChannel channel = FakeChannel.blockingAfter(10);
        cursor.open(log, 0, NO_HEAD, 0);
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 100));

        final String second = append(log, 2, "b".repeat(100));
        channel.allow(first.length() - 10 + 5);
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 200));
        assertFalse(cursor.isBehindLongerThan(250, 50), "the first backlog is written: a new one from 200");
        assertTrue(cursor.isBehindLongerThan(251, 50));

        channel.allow(Long.MAX_VALUE);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 300));
        assertEquals(first + second, channel.text());
    }

    @Test
    void shouldStayBehindWhileAHeartbeatIsNotTakenAndForgetItOnReopen() throws Exception
    {
        final TopicLog log = new TopicLog(100, 1 << 16);
        final FakeChannel channel = FakeChannel.blockingAfter(0);
        cursor.open(log, log.nextOrdinal(), NO_HEAD, 0);
        assertEquals(Outcome.CAUGHT_UP, cursor.flush(channel, 1));
        assertTrue(cursor.offerControl(HEARTBEAT));
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 10));
        channel.allow(1);
        assertEquals(Outcome.BLOCKED, cursor.flush(channel, 20));
        assertTrue(cursor.isBehindLongerThan(61, 50), "a control partly written keeps the deadline from 10");

        cursor.open(log, log.nextOrdinal(), NO_HEAD, 100);
        assertFalse(cursor.isBehindLongerThan(Long.MAX_VALUE, 0));
    }

    /**
     * Append {@code id: <id>\ndata: <data>\n\n} with a numeric id.
     *
     * @return the frame's text.
     */
    private static String append(final TopicLog log, final long id, final String data)
    {
        final String idText = Long.toString(id);
        final String frame = "id: " + idText + "\ndata: " + data + "\n\n";
        final byte[] bytes = ascii(frame);
        log.append(new UnsafeBuffer(bytes), 0, bytes.length, 4, idText.length(), ++lastSeq, id);
        return frame;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
