package io.sseflow.server.mercure;

/**
 * Where a Mercure subscription's last event id came from, in the order {@link MercureSubscribeQuery} looks.
 */
public enum MercureResumeSource
{
    /**
     * No last event id: the subscription is live.
     */
    NONE,

    /**
     * The {@code Last-Event-ID} header: a reconnecting {@code EventSource} sends the latest id it has.
     */
    LAST_EVENT_ID_HEADER,

    /**
     * The {@code lastEventID} query parameter, Mercure's own name.
     */
    LAST_EVENT_ID_PARAMETER,

    /**
     * The {@code lastEventId} query parameter: what {@code event-source-polyfill} sends by default, and what
     * {@code /events} reads.
     */
    LAST_EVENT_ID_ALIAS_PARAMETER,

    /**
     * The {@code last_event_id} query parameter, Mercure 1.0's name.
     */
    LAST_EVENT_ID_DRAFT_PARAMETER
}
