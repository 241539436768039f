package io.sseflow.encoder;

import okhttp3.internal.sse.ServerSentEventReader;
import okio.Buffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Encodes generated events and decodes them with OkHttp's SSE reader, a decoder we did not write: each must come
 * back exactly, with every line break in the data as LF.
 */
class OkHttpRoundTripTest
{
    private static final int CASES = 5_000;

    @Test
    void shouldRoundTripGeneratedTextThroughOkHttp() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(42);
        final EventFrameEncoder encoder = new EventFrameEncoder();
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);

        for (int i = 0; i < CASES; i++)
        {
            final String data = RandomText.validText(random, 30);
            final String event = random.nextInt(3) == 0 ? null : singleLine(RandomText.validText(random, 5));
            final String id = random.nextBoolean() ? singleLine(RandomText.validText(random, 4)).replace("\0", "") : null;
            final long retry = random.nextInt(4) == 0 ? random.nextInt(0, Integer.MAX_VALUE) : -1;
            final SseOptions.Builder builder = SseOptions.builder();
            if (null != event)
            {
                builder.event(event);
            }
            if (null != id)
            {
                builder.id(id);
            }
            if (retry >= 0)
            {
                builder.retry(retry);
            }

            final int length = encoder.encode(frame, 0, Integer.MAX_VALUE, builder.build(), data);
            final Decoded decoded = decode(frame.byteArray(), length);

            final String context = "case " + i + ": " + escape(frame.getStringWithoutLengthUtf8(0, length));
            assertEquals(1, decoded.events.size(), context);
            final String[] received = decoded.events.get(0);
            assertEquals(null == id || id.isEmpty() ? null : id, received[0], context);
            assertEquals(null == event || event.isEmpty() ? null : event, received[1], context);
            assertEquals(data.replace("\r\n", "\n").replace('\r', '\n'), received[2], context);
            assertEquals(retry, decoded.retry, context);
        }
    }

    @Test
    void shouldRoundTripNumericIdsAndJsonThroughOkHttp() throws IOException
    {
        final EventFrameEncoder encoder = new EventFrameEncoder();
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final SseOptions options = SseOptions.event("person");

        for (long id = -3; id < 1_000; id += 7)
        {
            final Person person = new Person("name \"" + id + "\"\n\u2028", (int)id);
            final int length = encoder.encodeWithId(frame, 0, Integer.MAX_VALUE, options, id, person);
            final Decoded decoded = decode(frame.byteArray(), length);

            assertEquals(1, decoded.events.size());
            assertEquals(Long.toString(id), decoded.events.get(0)[0]);
            assertEquals("person", decoded.events.get(0)[1]);
            final int jsonLength = encoder.writeJson(person);
            assertEquals(new String(encoder.jsonBytes(), 0, jsonLength, java.nio.charset.StandardCharsets.UTF_8),
                decoded.events.get(0)[2]);
        }
    }

    @Test
    void shouldIgnoreCommentsInOkHttp() throws IOException
    {
        final EventFrameEncoder encoder = new EventFrameEncoder();
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);

        int length = encoder.encodeComment(frame, 0, 1000, "keep\nalive");
        length += encoder.encode(frame, length, 1000, SseOptions.NONE, "after");
        final Decoded decoded = decode(frame.byteArray(), length);

        assertEquals(1, decoded.events.size());
        assertEquals("after", decoded.events.get(0)[2]);
    }

    private static Decoded decode(final byte[] bytes, final int length) throws IOException
    {
        final Decoded decoded = new Decoded();
        final Buffer source = new Buffer().write(bytes, 0, length);
        final ServerSentEventReader reader = new ServerSentEventReader(source, decoded);
        while (reader.processNextEvent())
        {
            assertFalse(decoded.events.size() > 10);
        }
        return decoded;
    }

    private static String singleLine(final String text)
    {
        return text.replace("\r", "").replace("\n", "");
    }

    private static String escape(final String text)
    {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static final class Decoded implements ServerSentEventReader.Callback
    {
        final List<String[]> events = new ArrayList<>();
        long retry = -1;

        public void onEvent(final String id, final String type, final String data)
        {
            events.add(new String[]{id, type, data});
        }

        public void onRetryChange(final long timeMs)
        {
            retry = timeMs;
        }
    }
}
