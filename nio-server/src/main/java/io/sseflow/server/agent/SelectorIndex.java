package io.sseflow.server.agent;

import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;

import org.agrona.collections.Object2LongHashMap;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The selectors of the live shared streams, hub-wide: each distinct selector once, with the streams that use it (as
 * a selector or a private-update selector). A topic first seen is matched against each distinct selector once,
 * whatever the number of streams using it: an exact one by one lookup, a template by one match; and streams whose
 * sets share a template share its compiled form ({@link #share}).
 * <p>
 * The distinct templates' parts together ({@link TopicSelector#templateParts()}) are what the index costs in memory
 * and what matching a new topic costs ({@link #matchCost}); {@link #newTemplateParts} tells what a new set would
 * add to them. Each distinct template is charged to the client address that brought it, until no stream uses it
 * ({@link #templatePartsOf}): identical and shared selectors cost a client nothing more.
 * <p>
 * Not thread-safe: owned by the server agent; matching allocates nothing once its scratch has grown to the streams
 * one topic concerns.
 */
final class SelectorIndex
{
    private final Map<String, Users> exact = new HashMap<>();
    private final Map<String, Users> templatesByText = new HashMap<>();
    private final Object2LongHashMap<InetAddress> partsByOwner = new Object2LongHashMap<>(0);
    private final Users wildcard = new Users(TopicSelector.parse(TopicSelector.WILDCARD));
    private Users[] templates = new Users[16];
    private int templateCount;
    private long templateParts;
    private SharedStream[] matched = new SharedStream[16];
    private String slicedTopic;
    private int slicedNext;
    private Users[] slicedMatched = new Users[16];
    private int slicedCount;
    private long stamp;

    /**
     * The parts of the distinct templates in the index.
     *
     * @return the sum.
     */
    long templateParts()
    {
        return templateParts;
    }

    /**
     * The parts of the distinct templates an address brought to the index (it subscribed first with them) that live
     * streams still use, whoever uses them now.
     *
     * @param owner a client address.
     * @return the sum.
     */
    long templatePartsOf(final InetAddress owner)
    {
        return partsByOwner.getValue(owner);
    }

    /**
     * The distinct templates in the index.
     *
     * @return the count.
     */
    int templateCount()
    {
        return templateCount;
    }

    /**
     * The parts a set's templates would add to the index: those of its templates no live stream uses yet.
     *
     * @param selectors of a stream to be created (its private-update selectors are counted apart).
     * @return the parts.
     */
    long newTemplateParts(final SelectorSet selectors)
    {
        long parts = 0;
        for (int i = 0, size = selectors.size(); i < size; i++)
        {
            final TopicSelector selector = selectors.selector(i);
            if (selector.templateParts() > 0 && !templatesByText.containsKey(selector.key()))
            {
                parts += selector.templateParts();
            }
        }
        return parts;
    }

    /**
     * The same set made of the compiled templates the index already holds, where it holds them.
     *
     * @param selectors a set.
     * @return an equal set sharing what it can.
     */
    SelectorSet share(final SelectorSet selectors)
    {
        return selectors.withShared(this::sharedOf);
    }

    /**
     * Most steps matching a topic against every distinct selector may take ({@link TopicSelector#matchCost}).
     *
     * @param topicLength of the topic.
     * @return the steps.
     */
    long matchCost(final int topicLength)
    {
        return (2 + templateParts + 2L * templateCount) * (topicLength + 1L);
    }

    /**
     * Add a stream's selectors and private-update selectors.
     *
     * @param stream being created.
     * @param owner  the address of the client creating it, charged with the templates new to the index; or null.
     */
    void add(final SharedStream stream, final InetAddress owner)
    {
        addAll(stream, stream.selectors, SharedStream.SUBSCRIBED, owner);
        if (null != stream.privateSelectors)
        {
            addAll(stream, stream.privateSelectors, SharedStream.PRIVATE_ALLOWED, owner);
        }
    }

    /**
     * Remove a stream's selectors: a selector no stream uses any more leaves the index.
     *
     * @param stream being freed.
     */
    void remove(final SharedStream stream)
    {
        removeAll(stream, stream.selectors, SharedStream.SUBSCRIBED);
        if (null != stream.privateSelectors)
        {
            removeAll(stream, stream.privateSelectors, SharedStream.PRIVATE_ALLOWED);
        }
    }

    /**
     * The streams a topic concerns, each once with its link flags in {@link SharedStream#linkFlags}: read them from
     * {@link #matched()}.
     *
     * @param topic a topic's name.
     * @return how many streams.
     */
    int match(final String topic)
    {
        final long stamp = ++this.stamp;
        int found = collect(wildcard, stamp, 0);
        final Users exactUsers = exact.get(topic);
        if (null != exactUsers)
        {
            found = collect(exactUsers, stamp, found);
        }
        final Users[] templates = this.templates;
        for (int i = 0, count = templateCount; i < count; i++)
        {
            final Users users = templates[i];
            if (!users.dead && users.selector.matches(topic))
            {
                found = collect(users, stamp, found);
            }
        }
        return found;
    }

    /**
     * Start matching a topic against the distinct templates in slices ({@link #matchSlice}); until
     * {@link #endSliced}, templates no stream uses any more stay in place (unused), and new ones are added after the
     * others, so the slices visit each template once.
     *
     * @param topic a topic's name.
     */
    void beginSliced(final String topic)
    {
        slicedTopic = topic;
        slicedNext = 0;
        slicedCount = 0;
    }

    /**
     * Match the topic of {@link #beginSliced} against the next templates, for about {@code budget} steps (one
     * template's match is never split).
     *
     * @param budget steps.
     * @return the steps taken.
     */
    long matchSlice(final long budget)
    {
        final String topic = slicedTopic;
        long spent = 0;
        while (slicedNext < templateCount && spent < budget)
        {
            final Users users = templates[slicedNext++];
            if (users.dead)
            {
                continue;
            }
            spent += users.selector.matchCost(topic.length());
            if (users.selector.matches(topic))
            {
                if (slicedCount == slicedMatched.length)
                {
                    slicedMatched = Arrays.copyOf(slicedMatched, slicedCount << 1);
                }
                slicedMatched[slicedCount++] = users;
            }
        }
        return spent;
    }

    /**
     * Whether {@link #matchSlice} has visited every template.
     *
     * @return true when done.
     */
    boolean isSlicedDone()
    {
        return slicedNext >= templateCount;
    }

    /**
     * End a sliced match: the streams the topic concerns now, each once with its link flags in
     * {@link SharedStream#linkFlags}, as {@link #match} gives them (read them from {@link #matched()}).
     *
     * @return how many streams.
     */
    int endSliced()
    {
        final long stamp = ++this.stamp;
        int found = collect(wildcard, stamp, 0);
        final Users exactUsers = exact.get(slicedTopic);
        if (null != exactUsers)
        {
            found = collect(exactUsers, stamp, found);
        }
        for (int i = 0; i < slicedCount; i++)
        {
            found = collect(slicedMatched[i], stamp, found);
            slicedMatched[i] = null;
        }
        slicedTopic = null;
        slicedCount = 0;
        for (int i = templateCount - 1; i >= 0; i--)
        {
            if (templates[i].dead)
            {
                removeTemplate(templates[i]);
            }
        }
        return found;
    }

    /**
     * What the last {@link #match} found, from index 0.
     *
     * @return the streams.
     */
    SharedStream[] matched()
    {
        return matched;
    }

    private int collect(final Users users, final long stamp, final int found)
    {
        int count = found;
        for (int i = 0; i < users.count; i++)
        {
            final SharedStream stream = users.streams[i];
            if (stream.linkStamp != stamp)
            {
                stream.linkStamp = stamp;
                stream.linkFlags = 0;
                if (count == matched.length)
                {
                    matched = Arrays.copyOf(matched, count << 1);
                }
                matched[count++] = stream;
            }
            stream.linkFlags |= users.flags[i];
        }
        return count;
    }

    private void removeTemplate(final Users users)
    {
        final int last = --templateCount;
        final Users moved = templates[last];
        templates[users.listIndex] = moved;
        moved.listIndex = users.listIndex;
        templates[last] = null;
    }

    private TopicSelector sharedOf(final TopicSelector selector)
    {
        if (selector.templateParts() == 0)
        {
            return selector;
        }
        final Users users = templatesByText.get(selector.key());
        return null == users ? selector : users.selector;
    }

    private void addAll(final SharedStream stream, final SelectorSet selectors, final int flag, final InetAddress owner)
    {
        for (int i = 0, size = selectors.size(); i < size; i++)
        {
            final TopicSelector selector = selectors.selector(i);
            switch (selector.kind())
            {
                case WILDCARD:
                    wildcard.add(stream, flag);
                    break;

                case TEMPLATE:
                    Users users = templatesByText.get(selector.key());
                    if (null == users)
                    {
                        users = new Users(selector);
                        users.owner = owner;
                        if (null != owner)
                        {
                            partsByOwner.put(owner, partsByOwner.getValue(owner) + selector.templateParts());
                        }
                        templatesByText.put(selector.key(), users);
                        if (templateCount == templates.length)
                        {
                            templates = Arrays.copyOf(templates, templateCount << 1);
                        }
                        users.listIndex = templateCount;
                        templates[templateCount++] = users;
                        templateParts += selector.templateParts();
                    }
                    users.add(stream, flag);
                    break;

                case EXACT:
                default:
                    exact.computeIfAbsent(selector.text(), text -> new Users(selector)).add(stream, flag);
                    break;
            }
        }
    }

    private void removeAll(final SharedStream stream, final SelectorSet selectors, final int flag)
    {
        for (int i = 0, size = selectors.size(); i < size; i++)
        {
            final TopicSelector selector = selectors.selector(i);
            switch (selector.kind())
            {
                case WILDCARD:
                    wildcard.remove(stream, flag);
                    break;

                case TEMPLATE:
                    final Users users = templatesByText.get(selector.key());
                    if (null != users && users.remove(stream, flag) && 0 == users.count)
                    {
                        templatesByText.remove(selector.key());
                        if (null == slicedTopic)
                        {
                            removeTemplate(users);
                        }
                        else
                        {
                            users.dead = true;
                        }
                        templateParts -= selector.templateParts();
                        final InetAddress owner = users.owner;
                        if (null != owner)
                        {
                            final long left = partsByOwner.getValue(owner) - selector.templateParts();
                            if (left <= 0)
                            {
                                partsByOwner.removeKey(owner);
                            }
                            else
                            {
                                partsByOwner.put(owner, left);
                            }
                        }
                    }
                    break;

                case EXACT:
                default:
                    final Users exactUsers = exact.get(selector.text());
                    if (null != exactUsers && exactUsers.remove(stream, flag) && 0 == exactUsers.count)
                    {
                        exact.remove(selector.text());
                    }
                    break;
            }
        }
    }

    /**
     * One distinct selector and the streams using it, each with the link flag it gives them.
     */
    private static final class Users
    {
        private final TopicSelector selector;
        private SharedStream[] streams = new SharedStream[2];
        private int[] flags = new int[2];
        private int count;
        private int listIndex;
        private InetAddress owner;
        private boolean dead;

        Users(final TopicSelector selector)
        {
            this.selector = selector;
        }

        void add(final SharedStream stream, final int flag)
        {
            if (count == streams.length)
            {
                streams = Arrays.copyOf(streams, count << 1);
                flags = Arrays.copyOf(flags, count << 1);
            }
            streams[count] = stream;
            flags[count++] = flag;
        }

        boolean remove(final SharedStream stream, final int flag)
        {
            for (int i = 0; i < count; i++)
            {
                if (streams[i] == stream && flags[i] == flag)
                {
                    final int last = --count;
                    streams[i] = streams[last];
                    flags[i] = flags[last];
                    streams[last] = null;
                    return true;
                }
            }
            return false;
        }
    }
}
