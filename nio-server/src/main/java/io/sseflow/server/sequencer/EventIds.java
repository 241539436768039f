package io.sseflow.server.sequencer;

import org.agrona.DirectBuffer;

/**
 * The range of numeric ids and how a topic's id counter moves, the same in every sequencer. An id is held as a number
 * when it is a canonical decimal of at most {@link PublishRecord#MAX_NUMERIC_ID_DIGITS} digits, up to
 * {@link #MAX_NUMERIC_ID}; a publisher may give one up to {@link #MAX_PUBLISHER_ID} only. Server-assigned ids count up
 * from there, one per event, so they stay numbers (and a {@code Last-Event-ID} naming one is found as a number) for
 * {@code MAX_NUMERIC_ID - MAX_PUBLISHER_ID} (9 &times; 10<sup>17</sup>) events, counting every topic's (a freed topic's
 * counter lifts the next topics'): more than a hub sequences in centuries. Every 18-digit number is above
 * {@link #MAX_PUBLISHER_ID}; longer digit strings, and numbers with a leading zero, are text ids, which never move a
 * counter and which no assigned id can equal.
 */
public final class EventIds
{
    /**
     * Largest numeric id a publisher may give: 17 digits ({@code 99999999999999999}).
     */
    public static final long MAX_PUBLISHER_ID = 99_999_999_999_999_999L;

    /**
     * Largest id held as a number: 18 digits, the room above {@link #MAX_PUBLISHER_ID} is for server-assigned ids.
     */
    public static final long MAX_NUMERIC_ID = 999_999_999_999_999_999L;

    /**
     * Why an id above {@link #MAX_PUBLISHER_ID} is refused, as the publisher is told.
     */
    public static final String OUT_OF_RANGE_REASON =
        "id: a numeric id must be at most 99999999999999999 (17 digits); 18-digit numbers are kept for " +
        "server-assigned ids";

    private EventIds()
    {
    }

    /**
     * May a publisher give this id? Text ids (anything not a canonical decimal of at most
     * {@link PublishRecord#MAX_NUMERIC_ID_DIGITS} digits) always may; a number only up to {@link #MAX_PUBLISHER_ID}.
     *
     * @param id     holding the id text.
     * @param offset of the text.
     * @param length of the text.
     * @return false for a numeric id above {@link #MAX_PUBLISHER_ID}.
     */
    public static boolean isAllowedFromPublisher(final DirectBuffer id, final int offset, final int length)
    {
        return PublishRecord.parseNumericId(id, offset, length) <= MAX_PUBLISHER_ID;
    }

    /**
     * May a publisher give this id? As {@link #isAllowedFromPublisher(DirectBuffer, int, int)}, for a Java string.
     *
     * @param id the id.
     * @return false for a numeric id above {@link #MAX_PUBLISHER_ID}.
     */
    public static boolean isAllowedFromPublisher(final CharSequence id)
    {
        if (id.length() != PublishRecord.MAX_NUMERIC_ID_DIGITS || id.charAt(0) == '0')
        {
            return true;
        }
        for (int i = 0; i < PublishRecord.MAX_NUMERIC_ID_DIGITS; i++)
        {
            final char c = id.charAt(i);
            if (c < '0' || c > '9')
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A topic's counter after a public event with an explicit numeric id: raised to the id, never past
     * {@link #MAX_PUBLISHER_ID} (a record from elsewhere with a larger one cannot push assigned ids out of range).
     *
     * @param last      the counter: the largest id the topic has assigned or taken.
     * @param numericId the event's id.
     * @return the counter now.
     */
    public static long raised(final long last, final long numericId)
    {
        return Math.max(last, Math.min(numericId, MAX_PUBLISHER_ID));
    }
}
