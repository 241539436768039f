package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.mercure.SubscriptionIds;
import io.sseflow.server.mercure.SubscriptionJson;
import io.sseflow.server.selector.SelectorSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Mercure's active-subscriptions API: {@code GET /.well-known/mercure/subscriptions},
 * {@code .../subscriptions/{topic}} and {@code .../subscriptions/{topic}/{subscriber}} (each segment
 * percent-encoded) answer the {@code Subscriptions} JSON-LD of the subscriptions this node announced
 * ({@link Presence}), those of that selector or that one. Authorized as the spec says: with a subscribe authorizer
 * (a JWT key), the requester's grant ({@code mercure.subscribe}) must match the requested path ({@code 401} without
 * a token or grant, {@code 403} when none matches); without one the hub is open and lists to anyone.
 * <p>
 * Bounded: the body is at most {@link #MAX_BODY_BYTES}: the entries that fit, whole and in table order, then the
 * others are left out and counted in an {@code "omitted":N} member after {@code subscriptions} (absent when none
 * were; ask for a topic or a subscriber to narrow the list). Mercure's list has no paging, so the cut is said in the
 * body, where every client that reads the list sees it, even a cross-origin page that cannot read a header the hub
 * does not expose; JSON readers (browsers', Go's, PHP's) skip a member they do not know, and a JSON-LD processor drops
 * a term its context does not define. {@code lastEventID} is the id of the last presence update this node published
 * ({@code earliest} before any): subscribing to the subscription topics after it sees every later change this node
 * announces. Not thread-safe: owned by the server agent; allocates per request, within the bound.
 */
final class SubscriptionsHandler
{
    /**
     * Most bytes of a list's body.
     */
    static final int MAX_BODY_BYTES = 32 * 1024;

    /**
     * Bytes kept for the list's end: {@code ],"omitted":N}} with N of up to 10 digits.
     */
    private static final int END_BYTES = "],\"omitted\":}".length() + 10;

    private final boolean authorizerPresent;
    private final ResponseWriter writer;
    private final SubscribeHandler subscribeHandler;
    private final Presence presence;
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[MAX_BODY_BYTES]);

    SubscriptionsHandler(
        final AgentContext context,
        final ResponseWriter writer,
        final SubscribeHandler subscribeHandler,
        final Presence presence)
    {
        this.authorizerPresent = null != context.config.subscribeAuthorizer();
        this.writer = writer;
        this.subscribeHandler = subscribeHandler;
        this.presence = presence;
    }

    /**
     * Is this path the subscriptions API's?
     *
     * @param path the request's path.
     * @return true for the API's path or one below it.
     */
    static boolean isSubscriptionsPath(final String path)
    {
        return path.equals(SubscriptionIds.PREFIX) || path.startsWith(SubscriptionIds.PREFIX + "/");
    }

    /**
     * Answer a {@code GET} of the API.
     *
     * @param connection whose request is complete in {@code buffer}.
     * @param buffer     holding it.
     * @param path       its path, as sent (percent-encoded).
     * @return the body's length, written in {@link #body()}, or -1 when answered with a refusal here.
     */
    int list(final Connection connection, final UnsafeBuffer buffer, final String path)
    {
        if (!presence.enabled())
        {
            writer.sendError(connection, Refusal.NOT_FOUND);
            return -1;
        }
        final String rest = path.substring(SubscriptionIds.PREFIX.length());
        String topic = null;
        String subscriber = null;
        if (!rest.isEmpty())
        {
            final int slash = rest.indexOf('/', 1);
            topic = decode(slash < 0 ? rest.substring(1) : rest.substring(1, slash));
            subscriber = slash < 0 ? null : decode(rest.substring(slash + 1));
            if (null == topic || topic.isEmpty() || (slash >= 0 && (null == subscriber || subscriber.isEmpty())))
            {
                writer.sendError(connection, Refusal.BAD_REQUEST,
                    "expected /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]], each percent-encoded");
                return -1;
            }
        }
        if (authorizerPresent)
        {
            if (!subscribeHandler.authorize(connection, buffer, List.of(path), true))
            {
                return -1;
            }
            final SelectorSet granted = subscribeHandler.privateSelectors();
            if (null == granted)
            {
                writer.sendError(connection, Refusal.JWT_MISSING);
                return -1;
            }
            if (!granted.matchesAny(path))
            {
                writer.sendError(connection, Refusal.JWT_FORBIDDEN);
                return -1;
            }
        }

        final StringBuilder json = new StringBuilder(1024);
        SubscriptionJson.openList(json, path, presence.lastEventId());
        final StringBuilder entry = new StringBuilder(256);
        int length = utf8Length(json);
        int entries = 0;
        int omitted = 0;
        for (final Presence.Subscription subscription : presence.announced().values())
        {
            if (null != subscriber && !subscriber.equals(subscription.subscriber))
            {
                continue;
            }
            for (int i = 0; i < subscription.published; i++)
            {
                final String selector = subscription.selectors[i];
                if (null != topic && !topic.equals(selector))
                {
                    continue;
                }
                if (omitted > 0)
                {
                    omitted++;
                    continue;
                }
                entry.setLength(0);
                if (entries > 0)
                {
                    entry.append(',');
                }
                SubscriptionJson.appendSubscription(
                    entry, selector, subscription.subscriber, true, subscription.payloadJson, false);
                final int entryBytes = utf8Length(entry);
                if (length + entryBytes + END_BYTES > MAX_BODY_BYTES)
                {
                    omitted++;
                    continue;
                }
                json.append(entry);
                length += entryBytes;
                entries++;
            }
        }
        SubscriptionJson.closeList(json, omitted);
        final byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        body.putBytes(0, bytes);
        return bytes.length;
    }

    /**
     * The buffer {@link #list} rendered the body in.
     *
     * @return the body buffer.
     */
    UnsafeBuffer body()
    {
        return body;
    }

    private static int utf8Length(final CharSequence text)
    {
        int length = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            length += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return length;
    }

    /**
     * Percent-decode a path segment (UTF-8); null when malformed.
     */
    static String decode(final String segment)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++)
        {
            final char c = segment.charAt(i);
            if (c == '%')
            {
                if (i + 2 >= segment.length())
                {
                    return null;
                }
                final int high = Character.digit(segment.charAt(i + 1), 16);
                final int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0)
                {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            }
            else if (c == '/')
            {
                return null;
            }
            else
            {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
