package io.sseflow.server.cluster;

import org.agrona.BitUtil;

/**
 * Layout of one decided event on its way from the clustered service's thread to the server agent, in a one-to-one
 * ring: what the state machine decided, whether this node took the publish, then the topic name and the publish
 * record.
 * <pre>
 *  0: seq (long)   8: numeric id or outcome (long)
 *  16: ingress seq (long: the record's number in this node's current session, 0 when another session sent it)
 *  24: cluster session id of that session (long: which session the ingress seq counts in)
 *  32: topic name length (int)   36: topic name ...   then the publish record ...   then, for a record of several
 *  topics, its further topics' names ({@link ClusterRecord})
 * </pre>
 * Message types: {@link #APPENDED}, {@link #DUPLICATE} (seq is the retained event's), {@link #REFUSED} (the numeric
 * id field holds the {@link ApplyOutcome} ordinal), {@link #PROBED} (this node's probe was applied: the ingress seq
 * alone).
 */
final class Delivery
{
    static final int APPENDED = 1;
    static final int DUPLICATE = 2;
    static final int REFUSED = 3;
    static final int PROBED = 4;

    static final int SEQ_OFFSET = 0;
    static final int NUMERIC_ID_OFFSET = SEQ_OFFSET + BitUtil.SIZE_OF_LONG;
    static final int INGRESS_SEQ_OFFSET = NUMERIC_ID_OFFSET + BitUtil.SIZE_OF_LONG;
    static final int SESSION_ID_OFFSET = INGRESS_SEQ_OFFSET + BitUtil.SIZE_OF_LONG;
    static final int NAME_LENGTH_OFFSET = SESSION_ID_OFFSET + BitUtil.SIZE_OF_LONG;
    static final int HEADER_LENGTH = NAME_LENGTH_OFFSET + BitUtil.SIZE_OF_INT;

    private Delivery()
    {
    }
}
