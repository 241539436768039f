package io.sseflow.server.topic;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals(4096, log.capacity());
        final StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 1000; i++)
        {
            expected.append(append(log, i, "data: " + "y".repeat(64) + "\n"));
        }
        assertEquals(0, log.tailPosition());
        assertEquals(1 << 17, log.capacity());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[(int)log.headPosition()]);
        log.getBytes(0, (int)log.headPosition(), copy, 0);
        assertEquals(expected.toString(), new String(copy.byteArray(), StandardCharsets.UTF_8));
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
