package io.sseflow.server.mercure;

import java.nio.charset.StandardCharsets;

/**
 * The topics of Mercure's active subscriptions (presence): {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}},
 * the subscription's topic selector and its subscriber id each percent-encoded, every byte of their UTF-8 except
 * RFC 3986's unreserved characters ({@code A-Z a-z 0-9 - . _ ~}), so that a {@code /}, {@code :}, <code>{</code> or
 * space in either never reads as a path separator or a template (Mercure's hub writes a space {@code +}; here it
 * is {@code %20}, which both decode).
 */
public final class SubscriptionIds
{
    /**
     * The path of the subscriptions API, the prefix of every subscription's topic.
     */
    public static final String PREFIX = "/.well-known/mercure/subscriptions";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SubscriptionIds()
    {
    }

    /**
     * The topic (and JSON-LD {@code id}) of one subscription.
     *
     * @param selector   the topic selector subscribed to.
     * @param subscriber the subscriber's id.
     * @return {@code /.well-known/mercure/subscriptions/{selector}/{subscriber}}, both percent-encoded.
     */
    public static String topic(final String selector, final String subscriber)
    {
        final StringBuilder text = new StringBuilder(PREFIX.length() + 2 + 3 * (selector.length() + subscriber.length()));
        text.append(PREFIX).append('/');
        escape(selector, text);
        text.append('/');
        escape(subscriber, text);
        return text.toString();
    }

    /**
     * Percent-encode a path segment: every UTF-8 byte but the unreserved characters as {@code %XX}, upper case.
     *
     * @param text to encode.
     * @param to   where the encoded text is appended.
     */
    public static void escape(final String text, final StringBuilder to)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (final byte b : bytes)
        {
            final int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~')
            {
                to.append((char)c);
            }
            else
            {
                to.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            }
        }
    }

    /**
     * Percent-encode a path segment.
     *
     * @param text to encode.
     * @return the encoded text.
     */
    public static String escape(final String text)
    {
        final StringBuilder to = new StringBuilder(text.length() * 3);
        escape(text, to);
        return to.toString();
    }
}
