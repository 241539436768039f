package io.sseflow.benchmarks.encoder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal {@code text/event-stream} parser following the WHATWG algorithm (HTML §9.2.6), used once per contender
 * in set-up to check that each produces the same event, whatever its byte-level style ({@code "data:"} with or
 * without the optional space). Not used while measuring.
 */
final class SseStreamParser
{
    /**
     * One dispatched event.
     *
     * @param type  event type ({@code "message"} when no {@code event:} field).
     * @param data  data buffer with the last LF removed.
     * @param id    last event id at dispatch, or null if none was ever set.
     * @param retry last valid {@code retry:} value seen, or -1.
     */
    record Event(String type, String data, String id, long retry)
    {
    }

    private SseStreamParser()
    {
    }

    /**
     * Parse a whole stream.
     *
     * @param bytes  the stream.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the dispatched events.
     * @throws IllegalStateException if the bytes are not UTF-8 or the stream ends inside an event.
     */
    static List<Event> parse(final byte[] bytes, final int offset, final int length)
    {
        final String text;
        try
        {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalStateException("stream is not UTF-8", ex);
        }
        if (text.startsWith("\uFEFF"))
        {
            throw new IllegalStateException("stream starts with a BOM");
        }

        final List<Event> events = new ArrayList<>();
        final StringBuilder data = new StringBuilder();
        String type = "";
        String lastId = null;
        long retry = -1;
        boolean pending = false;
        int i = 0;
        while (i < text.length())
        {
            int end = i;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r')
            {
                end++;
            }
            if (end == text.length())
            {
                throw new IllegalStateException("stream ends inside a line: " + text.substring(i));
            }
            final String line = text.substring(i, end);
            i = end + (text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n' ? 2 : 1);

            if (line.isEmpty())
            {
                if (data.length() > 0)
                {
                    data.setLength(data.length() - 1);
                    events.add(new Event(type.isEmpty() ? "message" : type, data.toString(), lastId, retry));
                }
                data.setLength(0);
                type = "";
                pending = false;
                continue;
            }
            pending = true;
            if (line.charAt(0) == ':')
            {
                continue;
            }
            final int colon = line.indexOf(':');
            final String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" "))
            {
                value = value.substring(1);
            }
            switch (name)
            {
                case "event" -> type = value;
                case "data" -> data.append(value).append('\n');
                case "id" ->
                {
                    if (value.indexOf('\0') < 0)
                    {
                        lastId = value;
                    }
                }
                case "retry" ->
                {
                    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9'))
                    {
                        retry = Long.parseLong(value);
                    }
                }
                default ->
                {
                }
            }
        }
        if (pending)
        {
            throw new IllegalStateException("stream ends inside an event (no blank line)");
        }
        return events;
    }
}
