package io.sseflow.server.mercure;

import io.sseflow.server.http.LastEventIdField;

/**
 * Which Mercure protocol a subscribe request speaks, decided by what it presents: a {@code match} parameter (or
 * another name of the reserved {@code match} namespace, without {@code topic}) is Mercure 1.0, the draft; anything
 * else is the pre-standardization protocol, read exactly as before the draft was supported.
 */
public enum MercureProtocol
{
    /**
     * The pre-standardization protocol: {@code topic} selectors (exact, {@code *} or RFC 6570 templates),
     * {@code lastEventID}, the {@code Last-Event-ID} response field.
     */
    PRE_STANDARDIZATION(LastEventIdField.LAST_EVENT_ID),

    /**
     * Mercure 1.0 (the draft): {@code match} / {@code match_exact} / {@code match_urlpattern} matchers,
     * {@code last_event_id}, the {@code Mercure-Last-Event-ID} response field.
     */
    DRAFT(LastEventIdField.MERCURE_LAST_EVENT_ID);

    private final LastEventIdField lastEventIdField;

    MercureProtocol(final LastEventIdField lastEventIdField)
    {
        this.lastEventIdField = lastEventIdField;
    }

    /**
     * The response field a resuming subscription's head carries.
     *
     * @return the field.
     */
    public LastEventIdField lastEventIdField()
    {
        return lastEventIdField;
    }
}
