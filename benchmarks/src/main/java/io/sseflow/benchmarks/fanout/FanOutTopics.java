package io.sseflow.benchmarks.fanout;

/**
 * The topics of a fan-out run ({@code --topics-per-subscriber}). Every subscriber subscribes to all of them on one
 * stream, and the publisher sends event {@code s} to topic {@code s mod count}, so each subscriber still receives
 * every sequence once, in the order published (one publishing connection, sequenced in order). One topic, the
 * default, is {@code GET /events/<name>}; several are one multi-topic stream,
 * {@code GET /events?topic=<name>-0&topic=<name>-1...}. Their names differ only in the last digit (so at most
 * {@value #MAX_TOPICS}), which lets the publisher patch a topic into its request template in place.
 */
final class FanOutTopics
{
    /** Most topics per subscriber: one digit tells them apart. */
    static final int MAX_TOPICS = 10;

    private final String base;
    private final int count;

    /**
     * @param base  name of the only topic, or the prefix of the several.
     * @param count topics per subscriber, 1 to {@value #MAX_TOPICS}.
     * @throws IllegalArgumentException on a count out of range or a name that is not URL-safe as it is.
     */
    FanOutTopics(final String base, final int count)
    {
        if (count < 1 || count > MAX_TOPICS)
        {
            throw new IllegalArgumentException(
                "topics per subscriber must be 1 to " + MAX_TOPICS + ": " + count);
        }
        if (base.isEmpty() || !base.chars().allMatch(FanOutTopics::urlSafe))
        {
            throw new IllegalArgumentException("topic name must be letters, digits, '-', '_' or '.': '" + base + "'");
        }
        this.base = base;
        this.count = count;
    }

    /**
     * @return topics per subscriber.
     */
    int count()
    {
        return count;
    }

    /**
     * @param index 0 to {@link #count()} - 1.
     * @return the topic's name.
     */
    String name(final int index)
    {
        return count == 1 ? base : base + "-" + index;
    }

    /**
     * @return the request target a subscriber GETs: {@code /events/<name>}, or {@code /events?topic=...} with every
     * topic when there are several.
     */
    String subscribeTarget()
    {
        if (count == 1)
        {
            return "/events/" + base;
        }
        final StringBuilder target = new StringBuilder("/events");
        for (int i = 0; i < count; i++)
        {
            target.append(i == 0 ? "?topic=" : "&topic=").append(name(i));
        }
        return target.toString();
    }

    /**
     * @param index 0 to {@link #count()} - 1.
     * @return the request target the publisher POSTs that topic's events to.
     */
    String publishTarget(final int index)
    {
        return "/events/" + name(index);
    }

    /**
     * @param sequence an event's sequence.
     * @return the index of the topic it is published to.
     */
    int topicOf(final long sequence)
    {
        return (int)(sequence % count);
    }

    private static boolean urlSafe(final int c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.';
    }
}
