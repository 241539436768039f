package io.sseflow.server.sequencer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The server agent's topics as a sequencer needs them: a replicated log names a topic by its name where publish records
 * name it by its node-local index, and a sequencer that decides duplicates by the agent's own logs (the in-memory one)
 * asks what each topic retains under an id ({@link #checkRetainedId}). Given to the sequencer once, before the first {@link EventSequencer#poll}
 * ({@link EventSequencer#topicDirectory}); called only on the agent thread (from {@code poll}), and allocation-free
 * for a topic already live.
 */
public interface TopicDirectory
{
    /**
     * Write the name of a live topic.
     *
     * @param topicIndex the topic's index in its publish records (pinned by its publisher, so live).
     * @param buffer     to write the name's bytes into.
     * @param offset     where.
     * @return bytes written, or -1 when no live topic has that index.
     */
    int topicName(int topicIndex, MutableDirectBuffer buffer, int offset);

    /**
     * Find or create the topic of an event another node took (or this node took before a restart), and pin it once,
     * as a local publisher pins the topic it publishes to: the agent lets go of that pin when it applies the event
     * (or is told it was a duplicate or refused).
     *
     * @param name   the topic name's bytes.
     * @param offset where they start.
     * @param length how many.
     * @return the topic's index, or -1 when it cannot be created (topic limit, or a name this server refuses).
     */
    int pinTopic(DirectBuffer name, int offset, int length);

    /**
     * Tell the check what one topic retains under a record's explicit id ({@link RetainedIdCheck#onTopic}): the seq of
     * its retained event of the record's kind (public, or private with {@link PublishRecord#FLAG_PRIVATE}) with that
     * id, and whether an event of the other kind holds it with both ids naming their events across topics.
     * Allocation-free.
     *
     * @param topicIndex one of the record's topics (pinned by its publisher, so live).
     * @param record     the record, with an id.
     * @param check      told about this topic.
     */
    void checkRetainedId(int topicIndex, PublishRecord record, RetainedIdCheck check);
}
