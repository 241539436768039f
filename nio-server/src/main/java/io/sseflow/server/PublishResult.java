package io.sseflow.server;

/**
 * Outcome of {@link Topic#publish}: publishing never blocks on a client, so every way it can fail is named
 * here for the caller to branch on. The same values are what an {@link io.sseflow.server.sequencer.EventSequencer}
 * answers to {@code tryClaim}, passed through unchanged: one vocabulary from the sequencer to the application
 * (a sequencer never answers {@link #TOPIC_LIMIT}, which the server decides before claiming).
 */
public enum PublishResult
{
    /**
     * Taken: the event will be given an id, appended to the topic's history and sent to its subscribers.
     */
    OK,

    /**
     * The publish ring is full because the server agent is behind (for a sequencer: no room now). Nothing was
     * published; try again (after a short back-off) or shed load.
     */
    BACK_PRESSURED,

    /**
     * The encoded event is larger than {@link ServerConfig#maxEventBytes()} (for a sequencer: than its
     * {@code maxRecordLength()}). Nothing was published.
     */
    TOO_LARGE,

    /**
     * The topic had been freed (no subscribers and no retained events) and could not be created again because the
     * topic limit is reached. Nothing was published.
     */
    TOPIC_LIMIT,

    /**
     * The server is closing or closed. Nothing was published.
     */
    CLOSED,

    /**
     * A clustered sequencer knows no leader to take the event (an election is going on, or this node lost the
     * others). Nothing was published; try again in a moment. Over HTTP: {@code 503} with {@code Retry-After}.
     */
    NO_LEADER,

    /**
     * A durable sequencer's disk has too little free space left to store more events
     * ({@link io.sseflow.server.sequencer.EventSequencer#lowStorageReason()} says how little). Nothing was published;
     * try again once space is freed. Over HTTP: {@code 507} with the reason.
     */
    INSUFFICIENT_STORAGE,

    /**
     * Never answered to {@link Topic#publish}: a sequencer's answer for a record it took but did not append because
     * its explicit id is retained by some of its topics and not by the others, or as different events, or as an event
     * of the other kind (public, private) named by the same id ({@link
     * io.sseflow.server.sequencer.RetainedIdOutcome#CONFLICT}). Over HTTP: {@code 409}.
     */
    ID_CONFLICT,

    /**
     * Never answered to {@link Topic#publish}: a clustered sequencer's answer for a record it handed to the cluster
     * but got no answer for in time, so it may or may not be committed. Over HTTP: {@code 504}, retry with the same
     * id.
     */
    OUTCOME_UNKNOWN;

    /**
     * Was the event taken?
     *
     * @return true for {@link #OK}.
     */
    public boolean isPublished()
    {
        return this == OK;
    }
}
