package io.sseflow.server.cluster;

import org.junit.jupiter.api.Test;

import static io.sseflow.server.cluster.PeerArchives.Finding.EMPTY;
import static io.sseflow.server.cluster.PeerArchives.Finding.HISTORY;
import static io.sseflow.server.cluster.PeerArchives.Finding.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When an empty member of several may join: a majority known empty, itself included; never when any member has
 * history; otherwise it waits.
 */
class JoinRuleTest
{
    @Test
    void shouldJoinOnlyWhenAMajorityCountingItselfIsKnownEmpty()
    {
        assertEquals(JoinRule.Decision.JOIN, JoinRule.decide(new PeerArchives.Finding[]{ EMPTY, EMPTY, UNKNOWN }));
        assertEquals(JoinRule.Decision.JOIN, JoinRule.decide(new PeerArchives.Finding[]{ EMPTY, EMPTY, EMPTY }));
        assertEquals(JoinRule.Decision.WAIT, JoinRule.decide(new PeerArchives.Finding[]{ EMPTY, UNKNOWN, UNKNOWN }));
        assertEquals(JoinRule.Decision.WAIT,
            JoinRule.decide(new PeerArchives.Finding[]{ EMPTY, EMPTY, UNKNOWN, UNKNOWN, UNKNOWN }));
        assertEquals(JoinRule.Decision.JOIN,
            JoinRule.decide(new PeerArchives.Finding[]{ UNKNOWN, EMPTY, EMPTY, UNKNOWN, EMPTY }));
        assertEquals(JoinRule.Decision.WAIT, JoinRule.decide(new PeerArchives.Finding[]{ EMPTY, UNKNOWN }));
    }

    @Test
    void shouldRefuseWhenAnyMemberHasHistoryEvenWithAnEmptyMajority()
    {
        assertEquals(JoinRule.Decision.REFUSE, JoinRule.decide(new PeerArchives.Finding[]{ EMPTY, UNKNOWN, HISTORY }));
        assertEquals(JoinRule.Decision.REFUSE,
            JoinRule.decide(new PeerArchives.Finding[]{ EMPTY, EMPTY, EMPTY, UNKNOWN, HISTORY }));
        assertEquals(3, JoinRule.memberWithHistory(new PeerArchives.Finding[]{ EMPTY, EMPTY, UNKNOWN, HISTORY }));
        assertEquals(-1, JoinRule.memberWithHistory(new PeerArchives.Finding[]{ EMPTY, EMPTY, UNKNOWN }));
    }
}
