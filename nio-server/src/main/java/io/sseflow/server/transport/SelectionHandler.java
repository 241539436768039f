package io.sseflow.server.transport;

import java.nio.channels.SelectionKey;

/**
 * Handles one ready key; held in a field so that polling allocates nothing.
 */
@FunctionalInterface
public interface SelectionHandler
{
    /**
     * A key with ready operations.
     *
     * @param key the ready key; its attachment says what it is.
     * @return work done, for the duty cycle's idle decision.
     */
    int onSelected(SelectionKey key);
}
