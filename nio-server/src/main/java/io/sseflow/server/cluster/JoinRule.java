package io.sseflow.server.cluster;

/**
 * Whether a member starting on an empty data dir may join a cluster of several members, from what the others'
 * archives say ({@link PeerArchives}). Raft is safe only if no member forgets what it acknowledged: an empty member
 * that is really a member that lost its disk must not vote as if it had never acknowledged anything. So it joins
 * only when, counting itself, a majority of members is known to be empty (a new cluster: none of them can have
 * acknowledged anything, and any majority the cluster forms overlaps them); it is refused as soon as any member has
 * history (it must be restored from the leader instead); otherwise it waits.
 */
final class JoinRule
{
    /**
     * What the empty member does.
     */
    enum Decision
    {
        /**
         * A majority, itself included, is empty: start the consensus module.
         */
        JOIN,

        /**
         * Another member has history: do not join as this member; restore it.
         */
        REFUSE,

        /**
         * Too few members answered to tell: ask again.
         */
        WAIT
    }

    private JoinRule()
    {
    }

    /**
     * @param findings one per member, by index, this member's own {@link PeerArchives.Finding#EMPTY}.
     * @return what to do.
     */
    static Decision decide(final PeerArchives.Finding[] findings)
    {
        int empty = 0;
        for (final PeerArchives.Finding finding : findings)
        {
            if (PeerArchives.Finding.HISTORY == finding)
            {
                return Decision.REFUSE;
            }
            empty += PeerArchives.Finding.EMPTY == finding ? 1 : 0;
        }
        return empty > findings.length / 2 ? Decision.JOIN : Decision.WAIT;
    }

    /**
     * @param findings one per member.
     * @return the index of the first member with history, or -1.
     */
    static int memberWithHistory(final PeerArchives.Finding[] findings)
    {
        for (int i = 0; i < findings.length; i++)
        {
            if (PeerArchives.Finding.HISTORY == findings[i])
            {
                return i;
            }
        }
        return -1;
    }
}
