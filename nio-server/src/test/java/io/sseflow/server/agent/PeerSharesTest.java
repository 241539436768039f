package io.sseflow.server.agent;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PeerShares}: each peer address has {@link PeerShares#READS_PER_CYCLE} reads per duty cycle, whatever the
 * others took; a trusted proxy's connections share the proxy's; a new cycle makes every share whole again.
 */
class PeerSharesTest
{
    private final PeerShares shares = new PeerShares();

    @Test
    void shouldLeaveAPeersReadsBeyondItsShareForTheNextCycle() throws UnknownHostException
    {
        final InetAddress flood = InetAddress.getByName("127.0.2.1");
        final InetAddress other = InetAddress.getByName("127.0.0.1");
        shares.startCycle();
        for (int i = 0; i < PeerShares.READS_PER_CYCLE; i++)
        {
            assertTrue(shares.take(direct(flood)), "read " + i);
        }
        assertFalse(shares.take(direct(flood)), "over the share");
        assertFalse(shares.take(direct(flood)), "still over");
        assertTrue(shares.take(direct(other)), "another peer has its own share");
        assertEquals(2, shares.deferred());

        shares.startCycle();
        assertEquals(0, shares.deferred());
        assertTrue(shares.take(direct(flood)), "whole again in the next cycle");
    }

    @Test
    void shouldCountAProxysConnectionsAgainstTheProxyWhateverClientTheyCarry() throws UnknownHostException
    {
        final InetAddress proxy = InetAddress.getByName("127.0.0.1");
        shares.startCycle();
        for (int i = 0; i < PeerShares.READS_PER_CYCLE; i++)
        {
            final Connection connection = direct(InetAddress.getByName("10.0.0." + (i + 1)));
            connection.proxyAddress = proxy;
            assertTrue(shares.take(connection), "read " + i);
        }
        final Connection next = direct(InetAddress.getByName("10.0.1.1"));
        next.proxyAddress = proxy;
        assertFalse(shares.take(next), "the proxy's share is taken");
    }

    @Test
    void shouldReadAConnectionWithoutACountedAddress()
    {
        shares.startCycle();
        for (int i = 0; i < 2 * PeerShares.READS_PER_CYCLE; i++)
        {
            assertTrue(shares.take(direct(null)), "a refused connection, answered and closed, is never held back");
        }
    }

    private static Connection direct(final InetAddress address)
    {
        final Connection connection = new Connection(1, null, true, null);
        connection.remoteAddress = address;
        return connection;
    }
}
