package io.sseflow.server.cluster;

/**
 * What a member finds in its data dir at start ({@link MemberIdentity#inspect}), which decides whether it may join
 * its cluster as that member.
 */
public enum DataDirState
{
    /**
     * Nothing of a member: no identity file and no cluster log. In a cluster of several members it may hold a member
     * that lost its disk, so it joins only when the others say the cluster has no history yet, or through a restore.
     */
    EMPTY,

    /**
     * This member's data: the identity file names this member and member list, and the cluster log is there.
     */
    MEMBER,

    /**
     * A cluster log without an identity file: written before sseflow wrote one. Taken as this member's, and marked.
     */
    UNMARKED,

    /**
     * The identity file names another member or another member list.
     */
    FOREIGN,

    /**
     * The identity file names this member but the cluster log is gone: the data dir lost what it had.
     */
    LOST,

    /**
     * A restore began here and did not finish.
     */
    RESTORING
}
