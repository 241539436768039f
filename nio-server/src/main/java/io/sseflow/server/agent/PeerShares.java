package io.sseflow.server.agent;

import org.agrona.collections.Object2IntHashMap;

import java.net.InetAddress;

/**
 * Fair service of requests by peer: in one duty cycle the readable connections of one peer address (the socket's
 * remote address; a trusted proxy's own address for its connections) have at most {@link #READS_PER_CYCLE} of
 * their reads handled, and the others are left for the next cycles. The selector is level-triggered, so a
 * connection left alone is still ready and is selected again.
 * <p>
 * Why: the reads of one cycle are handed out in the kernel's order, up to the cycle's budget. A thousand requests
 * arriving at once from one address (each a subscription that starts a replay: ~100-200 µs of writing into
 * loopback) used to queue every other client's request behind all of them, tens of milliseconds. With a share per
 * peer a request from another address is read in the next cycle whatever one address has pending, and that
 * address's own requests still take every cycle's spare time: nothing is refused or dropped, only ordered.
 * <p>
 * Not thread-safe: owned by the server agent. Allocates only when its table grows to more distinct peers in one
 * cycle than it has held before.
 */
final class PeerShares
{
    /**
     * How many reads of one peer's connections a duty cycle handles.
     */
    static final int READS_PER_CYCLE = 8;

    private final Object2IntHashMap<InetAddress> reads = new Object2IntHashMap<>(0);
    private int deferred;

    /**
     * A new duty cycle: every peer's share is whole again.
     */
    void startCycle()
    {
        if (!reads.isEmpty())
        {
            reads.clear();
        }
        deferred = 0;
    }

    /**
     * Take one read from the share of the connection's peer.
     *
     * @param connection a connection that is readable.
     * @return true to read it now, false to leave it for a later cycle.
     */
    boolean take(final Connection connection)
    {
        final InetAddress peer = null != connection.proxyAddress ? connection.proxyAddress : connection.remoteAddress;
        if (null == peer)
        {
            return true;
        }
        final int taken = reads.getValue(peer);
        if (taken >= READS_PER_CYCLE)
        {
            deferred++;
            return false;
        }
        reads.put(peer, taken + 1);
        return true;
    }

    /**
     * @return how many reads this cycle left for later.
     */
    int deferred()
    {
        return deferred;
    }
}
