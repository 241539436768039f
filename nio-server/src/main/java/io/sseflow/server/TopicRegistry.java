package io.sseflow.server;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's topics: by name for any thread, by index for the agent (in publish records), and by name bytes
 * for the agent's request handling through an open-addressing table that the agent fills on first sight, so
 * looking up a known topic from a request allocates nothing.
 */
final class TopicRegistry
{
    private final SseServer server;
    private final int maxTopics;
    private final ConcurrentHashMap<String, Topic> byName = new ConcurrentHashMap<>();
    private volatile Topic[] byIndex = new Topic[0];

    // agent-only
    private Topic[] table = new Topic[64];

    TopicRegistry(final SseServer server, final int maxTopics)
    {
        this.server = server;
        this.maxTopics = maxTopics;
    }

    /**
     * Find or create a topic; any thread.
     *
     * @return the topic, or null when the topic limit is reached.
     */
    Topic getOrCreate(final String name)
    {
        final Topic topic = byName.get(name);
        if (null != topic)
        {
            return topic;
        }
        if (!Topic.isValidName(name))
        {
            throw new IllegalArgumentException(
                "topic name must match [A-Za-z0-9._-]{1,128} and not be . or ..: " + name);
        }
        synchronized (this)
        {
            final Topic existing = byName.get(name);
            if (null != existing)
            {
                return existing;
            }
            final Topic[] topics = byIndex;
            if (topics.length >= maxTopics)
            {
                return null;
            }
            final Topic created = new Topic(name, topics.length, server);
            final Topic[] grown = Arrays.copyOf(topics, topics.length + 1);
            grown[topics.length] = created;
            byIndex = grown;
            byName.put(name, created);
            return created;
        }
    }

    Topic byIndex(final int index)
    {
        return byIndex[index];
    }

    int count()
    {
        return byIndex.length;
    }

    /**
     * Agent only: find or create a topic from name bytes already validated.
     *
     * @return the topic, or null when the topic limit is reached.
     */
    Topic lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = 1;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + buffer.getByte(offset + i);
        }

        final Topic[] table = this.table;
        final int mask = table.length - 1;
        int slot = spread(hash) & mask;
        Topic topic;
        while (null != (topic = table[slot]))
        {
            if (topic.nameHash == hash && nameEquals(topic.nameBytes, buffer, offset, length))
            {
                return topic;
            }
            slot = (slot + 1) & mask;
        }

        final byte[] nameBytes = new byte[length];
        buffer.getBytes(offset, nameBytes);
        topic = getOrCreate(new String(nameBytes, StandardCharsets.US_ASCII));
        if (null != topic)
        {
            insert(topic);
        }
        return topic;
    }

    private void insert(final Topic topic)
    {
        int count = 0;
        for (final Topic t : table)
        {
            count += null == t ? 0 : 1;
        }
        if ((count + 1) * 2 > table.length)
        {
            final Topic[] old = table;
            table = new Topic[old.length * 2];
            for (final Topic t : old)
            {
                if (null != t)
                {
                    put(t);
                }
            }
        }
        put(topic);
    }

    private void put(final Topic topic)
    {
        final Topic[] table = this.table;
        final int mask = table.length - 1;
        int slot = spread(topic.nameHash) & mask;
        while (null != table[slot])
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = topic;
    }

    private static int spread(final int hash)
    {
        return hash ^ (hash >>> 16);
    }

    private static boolean nameEquals(final byte[] name, final DirectBuffer buffer, final int offset, final int length)
    {
        if (name.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }
}
