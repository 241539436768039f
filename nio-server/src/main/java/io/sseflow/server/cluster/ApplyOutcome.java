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
     * Not appended: its explicit id is still retained in the topic.
     */
    DUPLICATE,

    /**
     * Not appended: a new topic past the topic limit.
     */
    TOPIC_LIMIT,

    /**
     * Not appended: the record's lengths do not add up or its topic name is empty or too long.
     */
    MALFORMED
}
