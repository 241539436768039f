package io.sseflow.server.support;

/**
 * One dispatched event as a client sees it.
 *
 * @param id    the last event id after the event.
 * @param event the event type ({@code message} when none).
 * @param data  the data, lines joined by LF.
 */
public record SseEvent(String id, String event, String data)
{
}
