package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.log.TopicLog;
import io.sseflow.server.selector.SelectorSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream logs against a full history budget (issue 17, items 1 and 4): a new stream's log draws on the stream-log
 * budget, never on the topics', so filling it cannot shrink the topic logs it copies from; what it copies is the
 * newest run of events its log (and its client's share) may hold, byte for byte as the stream names them; a client
 * whose streams hold its share is refused a new stream, and a budget with no room for another stream refuses every
 * client.
 */
class StreamLogsTest
{
    private static final int DATA_BYTES = 200;

    @Test
    void shouldFillANewStreamFromAFullHistoryBudgetWithoutTouchingTheTopicLogs()
    {
        final TopicRegistry topics = new TopicRegistry(config(12 * 1024, 64 * 1024));
        final TopicState a = topics.getOrCreate("a");
        final TopicState b = topics.getOrCreate("b");
        publishAlternately(a, b, 80);
        assertTrue(topics.historyBudget().used() + 4096 > 12 * 1024,
            "the topics' budget has no room for another log's first buffer: " + topics.historyBudget().used());
        final long[] before = state(a.log, b.log);

        final SharedStream stream = topics.streams().getOrCreate(SelectorSet.of("a", "b"), null, address(1));

        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(state(a.log, b.log)),
            "the topic logs kept every event and every byte they held");
        assertEquals(expectedFrames(64, 80), contents(stream.log),
            "the newest events that fit its 4 KiB log, each named by its seq");
        assertEquals(4096, stream.log.maxCapacity());
        assertEquals(stream.log.heldBytes(), topics.streams().logs().budget().used());
        assertEquals(stream.log.heldBytes(), stream.log.share().held());
    }

    @Test
    void shouldRefuseANewStreamToAClientWhoseStreamsHoldItsShareAndFillNoMoreThanTheShareLeaves()
    {
        final TopicRegistry topics = new TopicRegistry(config(16 * 1024, 64 * 1024));
        final StreamRegistry streams = topics.streams();
        publishAlternately(topics.getOrCreate("a"), topics.getOrCreate("b"), 80);
        topics.getOrCreate("c");
        final InetAddress attacker = address(1);

        final SharedStream first = streams.getOrCreate(SelectorSet.of("a", "b"), null, attacker);
        final long heldByFirst = first.log.heldBytes();
        assertEquals(8192, first.log.share().limit(), "an eighth of the 64 KiB stream-log budget");
        final SharedStream second = streams.getOrCreate(SelectorSet.of("a", "c"), null, attacker);
        assertNotNull(second);
        final long copied = second.log.headPosition() - second.log.tailPosition();
        assertTrue(copied > 0 && copied <= 8192 - heldByFirst, "the fill stays within what the share left: " + copied);
        assertTrue(first.log.share().isUsedUp(), "held " + first.log.share().held());

        assertNull(streams.getOrCreate(SelectorSet.of("b", "c"), null, attacker));
        assertEquals(Refusal.STREAM_SHARE, streams.refusal());
        assertEquals(429, Refusal.STREAM_SHARE.status());
        assertSame(first, streams.getOrCreate(SelectorSet.of("a", "b"), null, attacker), "joining is never refused");
        assertNotNull(streams.getOrCreate(SelectorSet.of("b", "c"), null, address(2)), "another client's share");

        streams.free(second);
        streams.free(first);
        assertEquals(1, streams.logs().clientCount(), "the attacker's share is forgotten with its last stream");
        assertNotNull(streams.getOrCreate(SelectorSet.of("a", "c"), null, attacker));
    }

    @Test
    void shouldRefuseEveryClientANewStreamWhenTheBudgetHasNoRoomForAnother()
    {
        final TopicRegistry topics = new TopicRegistry(config(16 * 1024, 16 * 1024));
        final StreamRegistry streams = topics.streams();
        assertEquals(3, streams.logs().maxStreams(), "16 KiB over a first buffer and index of 4,288 B");
        for (int i = 0; i < 3; i++)
        {
            assertNotNull(streams.getOrCreate(SelectorSet.of("a", "s" + i), null, address(10 + i)));
        }
        assertNull(streams.getOrCreate(SelectorSet.of("a", "s3"), null, address(20)));
        assertEquals(Refusal.STREAM_BUDGET, streams.refusal());
        assertEquals(503, Refusal.STREAM_BUDGET.status());
    }

    @Test
    void shouldKeepTopicHistoryWhenStreamLogsGrowPastTheirBudget()
    {
        final TopicRegistry topics = new TopicRegistry(config(128 * 1024, 16 * 1024));
        final StreamRegistry streams = topics.streams();
        final TopicState orders = topics.getOrCreate("orders");
        for (int i = 0; i < 3; i++)
        {
            assertNotNull(streams.getOrCreate(SelectorSet.of("orders", "s" + i), null, address(10 + i)));
        }
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        for (int seq = 1; seq <= 200; seq++)
        {
            final int length = frame(frame, seq, seq);
            orders.logOrCreate().append(frame, 0, length, 4, digits(seq), seq, seq);
            final int targets = streams.collectTargets(new TopicState[]{orders}, 1, false, seq);
            for (int i = 0; i < targets; i++)
            {
                streams.targets()[i].log.append(frame, 0, length, 4, digits(seq), seq, seq, false);
            }
        }
        assertTrue(streams.logs().budget().used() <= 16 * 1024, "stream logs within their own budget");
        assertEquals(200 - orders.log.firstOrdinal(), orders.log.nextOrdinal() - orders.log.firstOrdinal());
        assertEquals(0, orders.log.firstOrdinal(), "orders kept all 200 of its events (42 KB in its 128 KiB budget)");
    }

    private static ServerConfig config(final long historyTotalBytes, final long streamHistoryTotalBytes)
    {
        return SseServer.builder().port(0).maxTopics(10).maxEventBytes(1024).historyTotalBytes(historyTotalBytes)
            .streamHistoryTotalBytes(streamHistoryTotalBytes).build().config();
    }

    /**
     * Events 1..count, odd seqs to {@code a} and even ones to {@code b}, each numbered in its topic (ids 1..count/2).
     */
    private static void publishAlternately(final TopicState a, final TopicState b, final int count)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        for (int seq = 1; seq <= count; seq++)
        {
            final long id = (seq + 1) / 2;
            final int length = frame(frame, id, seq);
            (seq % 2 == 1 ? a : b).logOrCreate().append(frame, 0, length, 4, digits(id), seq, id);
        }
    }

    private static int frame(final UnsafeBuffer frame, final long id, final long seq)
    {
        final byte[] bytes = ("id: " + id + "\ndata: " + data(seq) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        frame.putBytes(0, bytes);
        return bytes.length;
    }

    private static String data(final long seq)
    {
        final String head = "event-" + seq + "-";
        return head + "x".repeat(DATA_BYTES - head.length());
    }

    private static String expectedFrames(final int fromSeq, final int toSeq)
    {
        final StringBuilder frames = new StringBuilder();
        for (int seq = fromSeq; seq <= toSeq; seq++)
        {
            frames.append("id: ").append(seq).append("\ndata: ").append(data(seq)).append("\n\n");
        }
        return frames.toString();
    }

    private static String contents(final TopicLog log)
    {
        final int length = (int)(log.headPosition() - log.tailPosition());
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        log.getBytes(log.tailPosition(), length, copy, 0);
        return copy.getStringWithoutLengthAscii(0, length);
    }

    private static long[] state(final TopicLog... logs)
    {
        final long[] state = new long[logs.length * 4];
        for (int i = 0; i < logs.length; i++)
        {
            state[4 * i] = logs[i].firstOrdinal();
            state[4 * i + 1] = logs[i].nextOrdinal();
            state[4 * i + 2] = logs[i].tailPosition();
            state[4 * i + 3] = logs[i].heldBytes();
        }
        return state;
    }

    private static int digits(final long value)
    {
        return Long.toString(value).length();
    }

    private static InetAddress address(final int last)
    {
        try
        {
            return InetAddress.getByAddress(new byte[]{(byte)127, 0, 2, (byte)last});
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
