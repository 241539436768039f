package io.sseflow.benchmarks.fanout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseResponseDecoderTest
{
    private static final String IDENTITY_HEAD = "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache\r\n" +
        "\r\n";
    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\n" +
        "content-type:text/event-stream;charset=utf-8\r\n" +
        "Transfer-Encoding: chunked\r\n" +
        "\r\n";

    private final List<String> seen = new ArrayList<>();
    private final SseResponseDecoder decoder = new SseResponseDecoder(new SseResponseDecoder.Listener()
    {
        public void onEvent(final long sequence, final long publishedNs)
        {
            seen.add("event " + sequence + " at " + publishedNs);
        }

        public void onWarmUp()
        {
            seen.add("warm-up");
        }
    });

    @Test
    void shouldDecodeEveryEventWhereverTheReadsSplitAnIdentityResponse()
    {
        final byte[] response = bytes(IDENTITY_HEAD + ": welcome\n\n" + warmUp(1) + event(2, 0, 17, 64) +
            event(3, 1, 18, 64) + ":\n\n" + event(4, 2, 19, 31));
        final List<String> expected = List.of("warm-up", "event 0 at 17", "event 1 at 18", "event 2 at 19");
        for (int split = 0; split <= response.length; split++)
        {
            assertEquals(expected, decodeInTwoReads(response, split), "split at " + split);
        }
    }

    @Test
    void shouldDecodeEveryEventWhereverTheReadsSplitAChunkedResponse()
    {
        final String first = event(7, 0, 100, 40);
        final String second = event(8, 1, 200, 40);
        final String both = second + event(9, 2, 300, 40);
        // the second event's frame is cut across two chunks, and a chunk carries an extension
        final String body = chunk(first) + chunk(both.substring(0, 20)) +
            Integer.toHexString(both.length() - 20) + ";ext=1\r\n" + both.substring(20) + "\r\n";
        final byte[] response = bytes(CHUNKED_HEAD + body);
        final List<String> expected = List.of("event 0 at 100", "event 1 at 200", "event 2 at 300");
        for (int split = 0; split <= response.length; split++)
        {
            assertEquals(expected, decodeInTwoReads(response, split), "split at " + split);
        }
    }

    @Test
    void shouldDecodeAResponseReadOneByteAtATime()
    {
        final byte[] response = bytes(CHUNKED_HEAD + chunk(event(1, 0, 5, 64) + event(2, 1, 6, 64)));
        for (int i = 0; i < response.length; i++)
        {
            assertTrue(decoder.decode(ByteBuffer.wrap(response), i, 1), () -> "at byte " + decoder.failure());
        }
        assertEquals(List.of("event 0 at 5", "event 1 at 6"), seen);
        assertEquals(2, decoder.events());
    }

    @Test
    void shouldDispatchAnEventSplitAcrossReadsOnlyAtItsBlankLine()
    {
        final byte[] head = bytes(IDENTITY_HEAD);
        final String frame = event(1, 42, 123_456_789L, 64);
        final byte[] allButBlankLine = bytes(frame.substring(0, frame.length() - 1));
        assertTrue(decoder.decode(ByteBuffer.wrap(head), 0, head.length));
        assertTrue(decoder.decode(ByteBuffer.wrap(allButBlankLine), 0, 10));
        assertTrue(decoder.decode(ByteBuffer.wrap(allButBlankLine), 10, allButBlankLine.length - 10));
        assertEquals(List.of(), seen);

        assertTrue(decoder.decode(ByteBuffer.wrap(bytes("\n")), 0, 1));
        assertEquals(List.of("event 42 at 123456789"), seen);
    }

    @Test
    void shouldIgnoreHeartbeatsCommentsAndOtherFields()
    {
        final byte[] response = bytes(IDENTITY_HEAD + ":\n" + ": heartbeat\n\n" + "event: trade\nretry: 3000\n" +
            event(1, 0, 1, 64) + "\n\n:\n\n" + "id: 2\n: between\n" + data(1, 2, 64) + "\n");
        assertTrue(decoder.decode(ByteBuffer.wrap(response), 0, response.length), decoder::failure);
        assertEquals(List.of("event 0 at 1", "event 1 at 2"), seen);
        assertNull(decoder.failure());
    }

    @Test
    void shouldAcceptCrLfLineEndings()
    {
        final byte[] response = bytes(IDENTITY_HEAD + "id: 1\r\n" + data(0, 3, 40).replace("\n", "\r\n") + "\r\n");
        assertTrue(decoder.decode(ByteBuffer.wrap(response), 0, response.length), decoder::failure);
        assertEquals(List.of("event 0 at 3"), seen);
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 12, 20, 35, 50})
    void shouldFailOnAWrongByteInADataLine(final int offsetInData)
    {
        final String good = data(5, 99, 64);
        final int at = "data: ".length() + offsetInData;
        final String corrupted = good.substring(0, at) + 'y' + good.substring(at + 1);
        final byte[] response = bytes(IDENTITY_HEAD + event(1, 4, 98, 64) + "id: 2\n" + corrupted + "\n");

        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        final String part = offsetInData < 10 ? "sequence" : offsetInData < 30 ? "publish time" :
            offsetInData == 30 ? "publish time" : "padding";
        assertEquals(part + " of a data line: unexpected byte 'y' after id 2 (1 events decoded)",
            decoder.failure());
        assertEquals(List.of("event 4 at 98"), seen);
    }

    @Test
    void shouldDecodeAnEventWhereverThreeReadsSplitIt()
    {
        final byte[] head = bytes(IDENTITY_HEAD);
        final byte[] frame = bytes(event(12_345, 9_876_543_210L, 1_234_567_890_123_456_789L, 64));
        for (int first = 0; first <= frame.length; first++)
        {
            for (int second = first; second <= frame.length; second++)
            {
                seen.clear();
                final SseResponseDecoder fresh = new SseResponseDecoder(listener());
                assertTrue(fresh.decode(ByteBuffer.wrap(head), 0, head.length));
                assertTrue(fresh.decode(ByteBuffer.wrap(frame), 0, first), fresh::failure);
                assertTrue(fresh.decode(ByteBuffer.wrap(frame), first, second - first), fresh::failure);
                assertTrue(fresh.decode(ByteBuffer.wrap(frame), second, frame.length - second), fresh::failure);
                assertEquals(List.of("event 9876543210 at 1234567890123456789"), seen,
                    "reads split at " + first + " and " + second);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 9, 10})
    void shouldFailOnASequenceOfElevenDigitsWhereverTheReadsSplitIt(final int split)
    {
        final String fields = String.format(Locale.ROOT, "%011d %019d ", 1, 2);
        final byte[] body = bytes("id: 1\ndata: " + fields + "xx\n\n");
        assertFailsInTwoReads(body, "data: ".length() + "id: 1\n".length() + split,
            "sequence of a data line: unexpected byte '1' after id 1 (0 events decoded)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 17, 18})
    void shouldFailOnAPublishTimeOfEighteenDigitsWhereverTheReadsSplitIt(final int split)
    {
        final String fields = String.format(Locale.ROOT, "%010d %018d ", 1, 2);
        final byte[] body = bytes("id: 1\ndata: " + fields + "xx\n\n");
        assertFailsInTwoReads(body, "id: 1\ndata: 0000000001 ".length() + split,
            "publish time of a data line: unexpected byte 0x20 after id 1 (0 events decoded)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 5, 12, 22})
    void shouldFailOnAnIdOfNineteenDigitsWhereverTheReadsSplitIt(final int split)
    {
        final byte[] body = bytes("id: 1234567890123456789\n" + data(0, 1, 64) + "\n");
        assertFailsInTwoReads(body, split, "id line: unexpected byte '9' after id -1 (0 events decoded)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 40, 62, 63})
    void shouldFailOnAByteOtherThanPaddingAtTheEndOfTheDataLineWhereverTheReadsSplitIt(final int split)
    {
        final String line = data(0, 1, 64);
        final String corrupted = line.substring(0, line.length() - 2) + "-\n";
        final byte[] body = bytes("id: 1\n" + corrupted + "\n");
        assertFailsInTwoReads(body, "id: 1\ndata: ".length() + split,
            "padding of a data line: unexpected byte '-' after id 1 (0 events decoded)");
    }

    @Test
    void shouldDecodeTheSameFromABufferInEitherByteOrder()
    {
        final byte[] response = bytes(IDENTITY_HEAD + event(1, 3, 1_234_567_890_123L, 64) + event(2, 4, 5, 200));
        for (final ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN))
        {
            seen.clear();
            final SseResponseDecoder fresh = new SseResponseDecoder(listener());
            final ByteBuffer buffer = ByteBuffer.allocateDirect(response.length).order(order);
            buffer.put(response).flip();
            assertTrue(fresh.decode(buffer, 0, response.length), fresh::failure);
            assertEquals(List.of("event 3 at 1234567890123", "event 4 at 5"), seen, order.toString());
        }
    }

    @Test
    void shouldEndALineOnlyAtALineFeedWhereverItFallsInAWord()
    {
        // 0x0b just before the line feed: a byte that a borrowing zero-byte test would also take for a line feed
        for (int comment = 0; comment < 16; comment++)
        {
            final byte[] response = bytes(IDENTITY_HEAD + ":" + "c".repeat(comment) + "\n" + "data: w\u000b\n\n");
            final SseResponseDecoder fresh = new SseResponseDecoder(listener());
            assertFalse(fresh.decode(ByteBuffer.wrap(response), 0, response.length), "comment of " + comment);
            assertEquals("warm-up data line: unexpected byte 0x0b after id -1 (0 events decoded)", fresh.failure());
        }
    }

    @Test
    void shouldFailOnALineCutByReadsThatGrowsOver1MiB()
    {
        final byte[] head = bytes(IDENTITY_HEAD);
        final byte[] comment = bytes(":" + "c".repeat(64 * 1024 - 1));
        final SseResponseDecoder fresh = new SseResponseDecoder(listener());
        assertTrue(fresh.decode(ByteBuffer.wrap(head), 0, head.length));
        for (int read = 0; read < 16; read++)
        {
            assertTrue(fresh.decode(ByteBuffer.wrap(comment), 0, comment.length), "read " + read);
        }
        assertFalse(fresh.decode(ByteBuffer.wrap(comment), 0, 1));
        assertEquals("line over 1048576 bytes after id -1 (0 events decoded)", fresh.failure());
    }

    @Test
    void shouldDecodeALongCommentCutByManyReadsAndTheEventAfterIt()
    {
        final byte[] response = bytes(IDENTITY_HEAD + ":" + "c".repeat(100_000) + "\n" + event(1, 0, 9, 64));
        final SseResponseDecoder fresh = new SseResponseDecoder(listener());
        for (int offset = 0; offset < response.length; offset += 1000)
        {
            assertTrue(fresh.decode(ByteBuffer.wrap(response), offset, Math.min(1000, response.length - offset)),
                fresh::failure);
        }
        assertEquals(List.of("event 0 at 9"), seen);
    }

    @Test
    void shouldFailOnADataLineThatIsNeitherAnEventNorAWarmUp()
    {
        final byte[] response = bytes(IDENTITY_HEAD + "id: 1\ndata: hello\n\n");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("data line: unexpected byte 'h' after id 1 (0 events decoded)", decoder.failure());
    }

    @Test
    void shouldFailOnAMissingBlankLine()
    {
        final String twoFramesRunTogether = "id: 1\n" + data(0, 1, 64) + "id: 2\n" + data(1, 2, 64) + "\n";
        final byte[] response = bytes(IDENTITY_HEAD + twoFramesRunTogether);
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("second data line in one event (missing blank line?) after id 2 (0 events decoded)",
            decoder.failure());
        assertEquals(List.of(), seen);
    }

    @Test
    void shouldFailOnAReorderedId()
    {
        final byte[] response = bytes(IDENTITY_HEAD + event(5, 0, 1, 64) + event(7, 1, 2, 64) + event(6, 2, 3, 64));
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("id 6 after id 7 (repeated or reordered; 2 events decoded)", decoder.failure());
        assertEquals(List.of("event 0 at 1", "event 1 at 2"), seen);
    }

    @Test
    void shouldFailOnARepeatedIdSplitAcrossReads()
    {
        final byte[] response = bytes(IDENTITY_HEAD + event(5, 0, 1, 64) + event(5, 1, 2, 64));
        final int cut = response.length - event(5, 1, 2, 64).length() + "id: ".length();
        assertTrue(decoder.decode(ByteBuffer.wrap(response), 0, cut));
        assertFalse(decoder.decode(ByteBuffer.wrap(response), cut, response.length - cut));
        assertEquals("id 5 after id 5 (repeated or reordered; 1 events decoded)", decoder.failure());
    }

    @Test
    void shouldFailOnANonDecimalId()
    {
        final byte[] response = bytes(IDENTITY_HEAD + "id: abc\n" + data(0, 1, 64) + "\n");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("id line: unexpected byte 'a' after id -1 (0 events decoded)", decoder.failure());
    }

    @Test
    void shouldFailOnAStatusOtherThan200()
    {
        final byte[] response = bytes("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n\r\n");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("answered HTTP/1.1 429 Too Many Requests", decoder.failure());
    }

    @Test
    void shouldFailOnAResponseThatIsNotAnEventStream()
    {
        final byte[] response = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("not text/event-stream: HTTP/1.1 200 OK | Content-Type: text/plain |  | ", decoder.failure());
    }

    @Test
    void shouldFailOnAResponseHeadOver8KiB()
    {
        final byte[] response = bytes("HTTP/1.1 200 OK\r\nX-Filler: " + "a".repeat(9000) + "\r\n\r\n");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("response head over 8192 bytes", decoder.failure());
    }

    @Test
    void shouldFailWhenTheServerEndsAChunkedStream()
    {
        final byte[] response = bytes(CHUNKED_HEAD + chunk(event(1, 0, 1, 64)) + "0\r\n\r\n");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("stream ended by the server (last chunk)", decoder.failure());
        assertEquals(List.of("event 0 at 1"), seen);
    }

    @Test
    void shouldFailOnABadChunkSize()
    {
        final byte[] response = bytes(CHUNKED_HEAD + "4g\r\nid: \r\n");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("bad chunk size byte 'g'", decoder.failure());
    }

    @Test
    void shouldFailOnAChunkNotFollowedByCrLf()
    {
        final String frame = event(1, 0, 1, 64);
        final byte[] response = bytes(CHUNKED_HEAD + Integer.toHexString(frame.length()) + "\r\n" + frame + "XX");
        assertFalse(decoder.decode(ByteBuffer.wrap(response), 0, response.length));
        assertEquals("chunk not followed by CRLF", decoder.failure());
    }

    @Test
    void shouldStayBrokenAfterAFailure()
    {
        final byte[] bad = bytes(IDENTITY_HEAD + "id: 1\ndata: ?\n\n");
        assertFalse(decoder.decode(ByteBuffer.wrap(bad), 0, bad.length));
        final byte[] good = bytes(event(2, 0, 1, 64));
        assertFalse(decoder.decode(ByteBuffer.wrap(good), 0, good.length));
        assertEquals("data line: unexpected byte '?' after id 1 (0 events decoded)", decoder.failure());
        assertEquals(List.of(), seen);
    }

    @Test
    void shouldNotAllocateWhileDecodingEvents()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final SseResponseDecoder counting = new SseResponseDecoder(new SseResponseDecoder.Listener()
        {
            public void onEvent(final long sequence, final long publishedNs)
            {
            }

            public void onWarmUp()
            {
            }
        });
        final byte[] head = bytes(CHUNKED_HEAD);
        assertTrue(counting.decode(ByteBuffer.wrap(head), 0, head.length));
        final int rounds = 300;
        final byte[][] chunks = new byte[rounds][];
        for (int round = 0; round < rounds; round++)
        {
            final StringBuilder frames = new StringBuilder();
            for (int i = 0; i < 100; i++)
            {
                final long sequence = round * 100L + i;
                frames.append(event(sequence + 1, sequence, i, 64));
            }
            chunks[round] = bytes(chunk(frames.toString()));
        }
        final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
        final long thread = Thread.currentThread().getId();
        long allocated = 0;
        for (int round = 0; round < rounds; round++)
        {
            buffer.clear();
            buffer.put(chunks[round]).flip();
            final long before = threads.getThreadAllocatedBytes(thread);
            final boolean ok = counting.decode(buffer, 0, chunks[round].length);
            final long after = threads.getThreadAllocatedBytes(thread);
            assertTrue(ok, counting::failure);
            if (round >= rounds - 100)
            {
                allocated += after - before;
            }
        }
        assertEquals(rounds * 100L, counting.events());
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes decoding the last 10,000 events");
    }

    /** The body after an identity head, in two reads split {@code split} bytes in: the second fails so. */
    private void assertFailsInTwoReads(final byte[] body, final int split, final String failure)
    {
        final byte[] head = bytes(IDENTITY_HEAD);
        final SseResponseDecoder fresh = new SseResponseDecoder(listener());
        assertTrue(fresh.decode(ByteBuffer.wrap(head), 0, head.length));
        assertTrue(fresh.decode(ByteBuffer.wrap(body), 0, split), fresh::failure);
        assertFalse(fresh.decode(ByteBuffer.wrap(body), split, body.length - split), "split at " + split);
        assertEquals(failure, fresh.failure(), "split at " + split);
        assertEquals(List.of(), seen);
    }

    private SseResponseDecoder.Listener listener()
    {
        return new SseResponseDecoder.Listener()
        {
            public void onEvent(final long sequence, final long publishedNs)
            {
                seen.add("event " + sequence + " at " + publishedNs);
            }

            public void onWarmUp()
            {
                seen.add("warm-up");
            }
        };
    }

    private List<String> decodeInTwoReads(final byte[] response, final int split)
    {
        seen.clear();
        final SseResponseDecoder fresh = new SseResponseDecoder(new SseResponseDecoder.Listener()
        {
            public void onEvent(final long sequence, final long publishedNs)
            {
                seen.add("event " + sequence + " at " + publishedNs);
            }

            public void onWarmUp()
            {
                seen.add("warm-up");
            }
        });
        final ByteBuffer buffer = ByteBuffer.allocateDirect(response.length + 16);
        buffer.put(8, response);
        assertTrue(fresh.decode(buffer, 8, split), fresh::failure);
        assertTrue(fresh.decode(buffer, 8 + split, response.length - split), fresh::failure);
        return List.copyOf(seen);
    }

    private static String event(final long id, final long sequence, final long timeNs, final int payload)
    {
        return "id: " + id + "\n" + data(sequence, timeNs, payload) + "\n";
    }

    private static String warmUp(final long id)
    {
        return "id: " + id + "\ndata: w\n\n";
    }

    /** A data line as the publisher's payload has it: sequence, publish time, padding to {@code payload} bytes. */
    private static String data(final long sequence, final long timeNs, final int payload)
    {
        final String fields = String.format(Locale.ROOT, "%010d %019d ", sequence, timeNs);
        return "data: " + fields + "x".repeat(payload - fields.length()) + "\n";
    }

    private static String chunk(final String text)
    {
        return Integer.toHexString(text.length()) + "\r\n" + text + "\r\n";
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
