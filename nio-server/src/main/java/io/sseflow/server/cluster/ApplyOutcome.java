package io.sseflow.server.cluster;

/**
 * What {@link EventStateMachine#apply} did with a record.
 */
enum ApplyOutcome
{
    /**
     * Appended with a new seq and its id.
     */
    APPENDED,

    /**
     * Not appended: its explicit id is still retained, as one event, by every one of its topics (a retry).
     */
    DUPLICATE,

    /**
     * Not appended: a new topic past the topic limit.
     */
    TOPIC_LIMIT,

    /**
     * Not appended: the record's lengths do not add up or its topic name is empty or too long.
     */
    MALFORMED,

    /**
     * Not applied again: its session already had a record with this ingress seq applied (sent again after a leader
     * change). Nobody is told.
     */
    RESENT,

    /**
     * Not applied: its session's previous record has not been applied (it was lost with a leader); its sender will
     * send both again, in order. Nobody is told.
     */
    GAP,

    /**
     * Not appended: its explicit id is retained by some of its topics only, or as different events, or as an event of
     * the other kind (public, private) under the same id ({@link io.sseflow.server.sequencer.RetainedIdOutcome#CONFLICT}).
     */
    ID_CONFLICT,

    /**
     * A probe ({@link ClusterRecord#isProbe}): numbered in its session, nothing else done. Its sender is told.
     */
    PROBE,

    /**
     * A member's settings record ({@link ClusterRecord#putSettings}) that agrees with the cluster's settings, or set
     * them (the first, or one marked as a change). Nothing else is done, and nobody is told.
     */
    SETTINGS,

    /**
     * A member's settings record that differs from the cluster's settings: refused, the cluster's are kept; that
     * member must not go on ({@link EventStateMachine#settingsDifference()}).
     */
    SETTINGS_DIFFER
}
