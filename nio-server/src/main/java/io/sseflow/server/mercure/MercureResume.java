package io.sseflow.server.mercure;

/**
 * Where a Mercure subscription starts.
 */
public enum MercureResume
{
    /**
     * No last event id: only updates published from now on.
     */
    LIVE,

    /**
     * The reserved id {@code earliest}: from the oldest update still retained.
     */
    EARLIEST,

    /**
     * Right after the update with the given last event id.
     */
    AFTER_ID
}
