package io.sseflow.server.clients;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The events the real-client tests publish: text of several lines (LF and CRLF breaks, a trailing break),
 * Unicode beyond the BMP, leading spaces and colons that a careless decoder would eat, empty data, named
 * events, and JSON objects; plus what a WHATWG client must hand to the page for each.
 */
final class SampleEvents
{
    private SampleEvents()
    {
    }

    /**
     * One event to publish and the data a client must dispatch for it.
     *
     * @param eventName    event name, or null for the default {@code message}.
     * @param payload      a {@link String} (text) or a {@link Map} (JSON object).
     * @param expectedData the data as a client dispatches it (line breaks as LF); for JSON, compared as JSON.
     */
    record Sample(String eventName, Object payload, String expectedData)
    {
        /**
         * Whether the payload is published as a JSON object.
         *
         * @return true for JSON.
         */
        boolean isJson()
        {
            return payload instanceof Map;
        }

        /**
         * The event type a client reports.
         *
         * @return the name, or {@code message}.
         */
        String expectedType()
        {
            return null == eventName ? "message" : eventName;
        }

        /**
         * Assert a received event's type and data match this sample.
         *
         * @param type    type the client reported.
         * @param data    data the client reported.
         * @param context for the failure message.
         */
        void assertReceived(final String type, final String data, final String context)
        {
            assertEquals(expectedType(), type, "event type of " + context);
            if (isJson())
            {
                assertEquals(payload, Json.parseObject(data), "JSON data of " + context + ": " + data);
            }
            else
            {
                assertEquals(expectedData, data, "data of " + context);
            }
        }
    }

    /**
     * A batch of varied events; {@code tag} goes into every one so batches cannot be mistaken for each other.
     *
     * @param tag distinguishes this batch.
     * @return the events, in publishing order.
     */
    static List<Sample> batch(final String tag)
    {
        final List<Sample> samples = new ArrayList<>();
        samples.add(text(null, "plain " + tag));
        samples.add(text(null, "first line " + tag + "\nsecond line\nthird line"));
        samples.add(text("greeting", "héllo wörld — ünïcødé ✓ 😀 中文 עברית " + tag));
        samples.add(json(null, map("name", "John " + tag, "age", 42L, "tags", List.of("a", "é"), "nested", map("ok", true))));
        samples.add(new Sample(null, "crlf " + tag + "\r\nbreaks\r\n", "crlf " + tag + "\nbreaks\n"));
        samples.add(text("price", "  two leading spaces and a colon: " + tag));
        samples.add(json("price", map("symbol", "SSE", "bid", 101.25, "ask", 101.5, "tag", tag)));
        samples.add(text(null, ""));
        samples.add(text("greeting", "last of " + tag + " \u2028 with U+2028 and a tab\there"));
        return samples;
    }

    /**
     * Names of the events in {@link #batch}, for clients that listen by name.
     *
     * @return the names.
     */
    static List<String> eventNames()
    {
        return List.of("greeting", "price");
    }

    private static Sample text(final String eventName, final String text)
    {
        return new Sample(eventName, text, text);
    }

    private static Sample json(final String eventName, final Map<String, Object> object)
    {
        return new Sample(eventName, object, null);
    }

    private static Map<String, Object> map(final Object... members)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < members.length; i += 2)
        {
            map.put((String)members[i], members[i + 1]);
        }
        return map;
    }
}
