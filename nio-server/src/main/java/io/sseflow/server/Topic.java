package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.agent.ServerRuntime;

/**
 * A named stream of events. {@link #publish} is thread-safe and never blocks: the event is encoded on the
 * calling thread and handed to the server agent through the publish ring; the agent assigns the id (unless one
 * is given), appends the frame to the topic's history once, and every subscriber is sent the same bytes.
 * <p>
 * Get one with {@link SseServer#topic(String)}; names match {@code [A-Za-z0-9._-]{1,128}}.
 * <p>
 * A topic costs little until it holds events, and one with no subscribers and no retained events is freed by the
 * server, so abandoned topics never fill the topic limit. A handle stays valid for as long as the application
 * keeps it: publishing on a handle whose topic was freed publishes to the topic of that name, created again.
 */
public final class Topic
{
    /**
     * Longest topic name.
     */
    public static final int MAX_NAME_LENGTH = 128;

    private final String name;
    private final ServerRuntime runtime;

    Topic(final String name, final ServerRuntime runtime)
    {
        this.name = name;
        this.runtime = runtime;
    }

    /**
     * The topic's name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Publish an event with a server-assigned id. A {@link CharSequence} is sent as text (line breaks become
     * several {@code data:} lines); anything else is serialized to JSON by the encoder.
     *
     * @param data the event's data.
     * @return {@link PublishResult#OK} or why it was not published.
     * @throws IllegalArgumentException when the data has no JSON converter (nothing is published).
     */
    public PublishResult publish(final Object data)
    {
        return runtime.publish(name, data, SseOptions.NONE);
    }

    /**
     * Publish an event with an event name.
     *
     * @param event the event name ({@code event:} field), validated like {@link SseOptions.Builder#event}.
     * @param data  the event's data, as for {@link #publish(Object)}.
     * @return {@link PublishResult#OK} or why it was not published.
     * @throws IllegalArgumentException when the name is invalid or the data has no JSON converter.
     */
    public PublishResult publishEvent(final String event, final Object data)
    {
        return runtime.publish(name, data, SseOptions.event(event));
    }

    /**
     * Publish an event with options: event name, id and retry, each optional. An id given here is used as is
     * (a canonical decimal also moves the topic's id counter forward, so later assigned ids stay larger);
     * without one the server assigns the next number.
     *
     * @param data    the event's data, as for {@link #publish(Object)}.
     * @param options event name, id, retry.
     * @return {@link PublishResult#OK} or why it was not published.
     * @throws IllegalArgumentException when the data has no JSON converter, or the id is a number above
     *                                  {@link io.sseflow.server.sequencer.EventIds#MAX_PUBLISHER_ID} (nothing is
     *                                  published).
     */
    public PublishResult publish(final Object data, final SseOptions options)
    {
        return runtime.publish(name, data, options);
    }

    /**
     * End every stream of this topic cleanly: each subscriber is sent the rest of the frame being written (never
     * a partial frame), then the connection is closed with a FIN, so clients reconnect with
     * {@code Last-Event-ID} and are replayed what they missed. Asynchronous and thread-safe: the server agent
     * ends the streams open when it handles the request (subscribers arriving later are not affected); counted in
     * {@code sseflow_subscribers_disconnected_total}. For operators (move clients to another node, rotate
     * credentials) and tests.
     *
     * @return true when requested (or already pending), false when the server is not running.
     */
    public boolean disconnectSubscribers()
    {
        return runtime.disconnectSubscribers(name);
    }

    /**
     * Two handles are equal when they name the same topic of the same server.
     *
     * @param other another object.
     * @return true for a handle of the same name on the same server.
     */
    public boolean equals(final Object other)
    {
        return other instanceof Topic && ((Topic)other).runtime == runtime && ((Topic)other).name.equals(name);
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        return name.hashCode();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "Topic{" + name + "}";
    }

    /**
     * Is a name a valid topic name? {@code [A-Za-z0-9._-]{1,128}}, except {@code .} and {@code ..}, which cannot be
     * subscribed to over HTTP (they are dot-segments of a path).
     *
     * @param name to check.
     * @return true for a valid name.
     */
    public static boolean isValidName(final CharSequence name)
    {
        final int length = name.length();
        if (length < 1 || length > MAX_NAME_LENGTH || isDotSegment(name, length))
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (!isNameChar(name.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isDotSegment(final CharSequence name, final int length)
    {
        return name.charAt(0) == '.' && (length == 1 || (length == 2 && name.charAt(1) == '.'));
    }

    /**
     * Is a character allowed in a topic name? {@code [A-Za-z0-9._-]}.
     *
     * @param c the character (or byte).
     * @return true when allowed.
     */
    public static boolean isNameChar(final int c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-';
    }
}
