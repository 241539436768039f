package io.sseflow.server.mercure;

/**
 * The JSON-LD bodies of Mercure's active-subscriptions API (presence): one {@code Subscription}, the update published
 * when a subscription starts or ends and an entry of the list, and the {@code Subscriptions} list of
 * {@code GET /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]]}. Keys in the spec's order; strings escaped
 * as JSON requires ({@code "}, {@code \}, control characters); a payload is the token's {@code mercure.payload}
 * already serialized as JSON, copied as is. Renders into a {@link StringBuilder}: called once per subscription start
 * or end (not per delivery) and per list request, whose length the caller bounds.
 */
public final class SubscriptionJson
{
    /**
     * The {@code @context} of every body.
     */
    public static final String CONTEXT = "https://mercure.rocks/";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SubscriptionJson()
    {
    }

    /**
     * One subscription.
     *
     * @param selector    the topic selector subscribed to.
     * @param subscriber  the subscriber's id.
     * @param active      true while it streams, false once it ended.
     * @param payloadJson the subscriber token's {@code mercure.payload} as JSON, or null for none.
     * @return the JSON text.
     */
    public static String subscription(
        final String selector, final String subscriber, final boolean active, final String payloadJson)
    {
        final StringBuilder json = new StringBuilder(256);
        appendSubscription(json, selector, subscriber, active, payloadJson, true);
        return json.toString();
    }

    /**
     * Append one subscription.
     *
     * @param json        to append to.
     * @param selector    the topic selector subscribed to.
     * @param subscriber  the subscriber's id.
     * @param active      true while it streams.
     * @param payloadJson the token's {@code mercure.payload} as JSON, or null.
     * @param withContext whether it carries {@code @context} (a list's entries do not: the list's applies).
     */
    public static void appendSubscription(
        final StringBuilder json,
        final String selector,
        final String subscriber,
        final boolean active,
        final String payloadJson,
        final boolean withContext)
    {
        json.append('{');
        if (withContext)
        {
            json.append("\"@context\":\"").append(CONTEXT).append("\",");
        }
        json.append("\"id\":");
        string(json, SubscriptionIds.topic(selector, subscriber));
        json.append(",\"type\":\"Subscription\",\"topic\":");
        string(json, selector);
        json.append(",\"subscriber\":");
        string(json, subscriber);
        json.append(",\"active\":").append(active);
        if (null != payloadJson)
        {
            json.append(",\"payload\":").append(payloadJson);
        }
        json.append('}');
    }

    /**
     * Open a {@code Subscriptions} list; append entries with {@link #appendSubscription} separated by commas, then
     * {@link #closeList}.
     *
     * @param json        to append to.
     * @param id          the path asked for, the list's {@code id}.
     * @param lastEventId the id of the last event this node applied, or {@code earliest} when none.
     */
    public static void openList(final StringBuilder json, final String id, final String lastEventId)
    {
        json.append("{\"@context\":\"").append(CONTEXT).append("\",\"id\":");
        string(json, id);
        json.append(",\"type\":\"Subscriptions\",\"lastEventID\":");
        string(json, lastEventId);
        json.append(",\"subscriptions\":[");
    }

    /**
     * Close a list opened with {@link #openList}.
     *
     * @param json to append to.
     */
    public static void closeList(final StringBuilder json)
    {
        closeList(json, 0);
    }

    /**
     * Close a list opened with {@link #openList}, saying how many entries that matched were left out of it (the list
     * is cut at a size; Mercure's list has no paging): {@code "omitted":N} after the entries, only when some were.
     *
     * @param json    to append to.
     * @param omitted entries left out; 0 for none (no member then).
     */
    public static void closeList(final StringBuilder json, final int omitted)
    {
        json.append(']');
        if (omitted > 0)
        {
            json.append(",\"omitted\":").append(omitted);
        }
        json.append('}');
    }

    /**
     * Append a JSON string.
     *
     * @param json to append to.
     * @param text the string's value.
     */
    public static void string(final StringBuilder json, final String text)
    {
        json.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                json.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                json.append("\\u00").append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            }
            else
            {
                json.append(c);
            }
        }
        json.append('"');
    }
}
