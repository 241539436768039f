package io.sseflow.server.sequencer;

/**
 * What an update's explicit id means given the events its topics retain ({@link RetainedIdCheck}).
 */
public enum RetainedIdOutcome
{
    /**
     * No topic of the update retains the id: append the update.
     */
    NEW,

    /**
     * Every topic of the update retains the id, as one event (one seq) of the update's kind (public or private): a
     * publisher's retry, answered with the id and not appended again.
     */
    RETRY,

    /**
     * Some topics retain the id and others do not, or they retain it as different events, or as an event of the other
     * kind that a stream would show under the same id: appending would give one id to two events, dropping would lose
     * the update for some topics. Refused ({@code 409}).
     */
    CONFLICT
}
