package io.sseflow.server.agent;

import org.agrona.collections.Object2IntHashMap;

import java.net.InetAddress;

/**
 * Admitted connections per client address, for the per-address limit: one agent's, or one shared by every agent of a
 * hub of several, so that the limit holds for the hub whichever agent serves each connection (connections behind a
 * trusted proxy are shared out in turn, and a client named by a request head may be on any agent). Locked per call:
 * used once per connection opened, closed or moved to another client, never per delivery.
 */
final class AddressCounts
{
    private final Object2IntHashMap<InetAddress> counts = new Object2IntHashMap<>(0);

    /**
     * Connections counted against an address.
     *
     * @param address the client's.
     * @return the count.
     */
    synchronized int get(final InetAddress address)
    {
        return counts.getValue(address);
    }

    /**
     * Count one more connection against an address.
     *
     * @param address the client's.
     */
    synchronized void increment(final InetAddress address)
    {
        counts.put(address, counts.getValue(address) + 1);
    }

    /**
     * Count one connection fewer against an address.
     *
     * @param address the client's.
     */
    synchronized void decrement(final InetAddress address)
    {
        final int count = counts.getValue(address);
        if (count <= 1)
        {
            counts.removeKey(address);
        }
        else
        {
            counts.put(address, count - 1);
        }
    }
}
