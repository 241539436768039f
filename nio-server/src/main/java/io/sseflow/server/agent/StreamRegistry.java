package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.log.TopicLog;
import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;
import io.sseflow.server.selector.TopicText;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The live {@link SharedStream}s, one per (selectors, private-update selectors), and the links between them and
 * the topics that feed them. A link is made once per (stream, topic): when a stream is created, against the live
 * topics; when a topic is first seen by the agent, against the live streams; it lasts until either is freed. So
 * a selector is never matched against a topic per event: {@link #collectTargets} only follows links.
 * <p>
 * Matching is bounded work on the one agent thread: a new stream of exact topics only is linked at once (a lookup
 * per topic); any other is linked in slices of a budget of matching steps per duty cycle ({@link #link}), taking no
 * event until it is linked, its subscribers held meanwhile ({@link LinkHolds}). A topic first seen is matched once
 * against each distinct selector of the live streams ({@link SelectorIndex}), whose templates' parts the hub bounds.
 * <p>
 * A stream is filled from its topics' retained history by seq when it is linked ({@link StreamFill}), so a
 * {@code Last-Event-ID} resumes on it even if no stream of that key existed when the events were published, and it
 * then takes every later event: no gap, no repeat. Streams' logs come from {@link StreamLogs}, with a budget of their
 * own and a share per client, never from the topics' history budget; a stream is freed with its log when its last
 * subscriber leaves, once no stream ended on it has a frame of its log still in flight.
 * <p>
 * Not thread-safe: owned by the server agent; {@link #collectTargets} allocates nothing once its array has grown
 * to the number of streams one event reaches.
 */
final class StreamRegistry
{
    private static final SelectorSet WILDCARD_ONLY = SelectorSet.of(TopicSelector.WILDCARD);

    private final TopicRegistry topics;
    private final Map<Key, SharedStream> byKey = new HashMap<>();
    private final StreamFill fill = new StreamFill();
    private final StreamLogs logs;
    private Refusal refusal;
    private SharedStream[] streams = new SharedStream[16];
    private int count;
    private SharedStream[] targets = new SharedStream[16];
    private final SelectorIndex index = new SelectorIndex();
    private SharedStream[] linking = new SharedStream[4];
    private int linkingCount;
    private int nextLinking;
    private long linkEpoch;
    private long newTopicSteps;
    private final TopicState[] deferred = new TopicState[io.sseflow.server.mercure.MercurePublish.MAX_TOPICS];
    private int deferredCount;
    private int deferredAt;
    private boolean deferredStarted;
    private SharedStream[] draining = new SharedStream[4];
    private int drainingCount;
    private long appliedSeq;

    StreamRegistry(final TopicRegistry topics, final ServerConfig config)
    {
        this.topics = topics;
        this.logs = new StreamLogs(config);
    }

    /**
     * {@link #getOrCreate(SelectorSet, SelectorSet, InetAddress)} for a client of unknown address.
     */
    SharedStream getOrCreate(final SelectorSet requested, final SelectorSet requestedPrivate)
    {
        return getOrCreate(requested, requestedPrivate, null);
    }

    /**
     * The stream of a key, created (linked to the live topics it concerns and filled from their history) when there
     * is none. The caller adds a subscriber at once, so a new stream is never left idle. A new stream with a wildcard
     * or a template selector, or private-update selectors, is returned still linking ({@link SharedStream#isLinking()},
     * {@link #link}); one of exact selectors only is linked and filled at once. The templates a new stream brings to
     * the hub are charged to its client ({@link #templatePartsOf}).
     * <p>
     * A new stream is refused when its client's share of the stream-log budget is used up, or the budget has no
     * room for another stream ({@link StreamLogs}); joining one that exists never is.
     *
     * @param requested        the subscription's topic selectors (a set with {@code *} counts as {@code *} alone).
     * @param requestedPrivate the private-update selectors its authorization granted, or null for public only.
     * @param client           the subscriber's address as admission counts it (null: unknown).
     * @return the stream, or null when refused: then {@link #refusal()} says why.
     */
    SharedStream getOrCreate(
        final SelectorSet requested, final SelectorSet requestedPrivate, final InetAddress client)
    {
        final SelectorSet selectors = matchingAll(requested);
        final SelectorSet privateSelectors = null == requestedPrivate ? null : matchingAll(requestedPrivate);
        final Key key = new Key(selectors, privateSelectors);
        final SharedStream existing = byKey.get(key);
        if (null != existing)
        {
            return existing;
        }
        refusal = logs.refusal(client, count);
        if (null != refusal)
        {
            return null;
        }
        final SharedStream stream = new SharedStream(
            index.share(selectors), null == privateSelectors ? null : index.share(privateSelectors), this);
        stream.log = logs.open(client);
        byKey.put(new Key(stream.selectors, stream.privateSelectors), stream);
        if (count == streams.length)
        {
            streams = Arrays.copyOf(streams, count << 1);
        }
        stream.registryIndex = count;
        streams[count++] = stream;
        index.add(stream, client);
        stream.linkEpoch = linkEpoch;

        if (null == privateSelectors &&
            0 == selectors.count(SelectorKind.WILDCARD) && 0 == selectors.count(SelectorKind.TEMPLATE))
        {
            for (int i = 0; i < selectors.size(); i++)
            {
                final TopicState topic = topics.find(selectors.selector(i).text());
                if (null != topic && !topic.isFreed())
                {
                    linkWith(topic, stream);
                }
            }
            fill.fill(stream);
        }
        else
        {
            stream.linking = true;
            stream.linkTopic = 0;
            if (linkingCount == linking.length)
            {
                linking = Arrays.copyOf(linking, linkingCount << 1);
            }
            linking[linkingCount++] = stream;
        }
        return stream;
    }

    /**
     * The template parts a subscription would add to the hub's distinct templates: 0 when its stream exists, else
     * those of its selectors and private-update selectors no live stream uses yet.
     *
     * @param requested        the subscription's topic selectors.
     * @param requestedPrivate the private-update selectors its authorization granted, or null.
     * @return the parts.
     */
    long newTemplateParts(final SelectorSet requested, final SelectorSet requestedPrivate)
    {
        final SelectorSet selectors = matchingAll(requested);
        final SelectorSet privateSelectors = null == requestedPrivate ? null : matchingAll(requestedPrivate);
        if (byKey.containsKey(new Key(selectors, privateSelectors)))
        {
            return 0;
        }
        return index.newTemplateParts(selectors) + (null == privateSelectors ? 0 : index.newTemplateParts(privateSelectors));
    }

    /**
     * The parts of the distinct template selectors of the live streams.
     *
     * @return the sum.
     */
    long templateParts()
    {
        return index.templateParts();
    }

    /**
     * The parts of the distinct template selectors an address brought that live streams still use.
     *
     * @param owner a client's address.
     * @return the sum.
     */
    long templatePartsOf(final InetAddress owner)
    {
        return index.templatePartsOf(owner);
    }

    /**
     * The distinct template selectors of the live streams.
     *
     * @return the count.
     */
    int templateCount()
    {
        return index.templateCount();
    }

    /**
     * Most steps matching one new topic may take now ({@link SelectorIndex#matchCost} for the longest topic text).
     *
     * @return the steps, at least 1.
     */
    long newTopicWorstSteps()
    {
        return index.matchCost(TopicText.MAX_LENGTH);
    }

    /**
     * A duty cycle starts: {@link #newTopicSteps()} counts from 0.
     */
    void startCycle()
    {
        newTopicSteps = 0;
    }

    /**
     * Steps of matching ({@link SelectorIndex#matchCost}) the topics first seen since {@link #startCycle()} took: a
     * new topic is matched against every distinct selector at once, the event that brings it waiting for nothing.
     *
     * @return the steps.
     */
    long newTopicSteps()
    {
        return newTopicSteps;
    }

    /**
     * Would linking these topics (those not linked yet) take more than {@code budget} steps?
     *
     * @param eventTopics an event's live topics.
     * @param topicCount  how many.
     * @param budget      steps left.
     * @return true when they should be linked in slices ({@link #deferLinking}) before the event is handled.
     */
    boolean linkingExceeds(final TopicState[] eventTopics, final int topicCount, final long budget)
    {
        if (0 == count)
        {
            return false;
        }
        long steps = 0;
        for (int i = 0; i < topicCount; i++)
        {
            if (!eventTopics[i].linked)
            {
                steps += index.matchCost(eventTopics[i].name().length());
            }
        }
        return steps > budget;
    }

    /**
     * Link an event's new topics in slices ({@link #linkDeferred}) while the event waits: no other topic or stream
     * links to them meanwhile, and they then link as {@link #ensureLinked} would have at that moment.
     *
     * @param eventTopics an event's live topics, pinned until the event is handled.
     * @param topicCount  how many.
     */
    void deferLinking(final TopicState[] eventTopics, final int topicCount)
    {
        deferredCount = 0;
        for (int i = 0; i < topicCount; i++)
        {
            final TopicState topic = eventTopics[i];
            if (!topic.linked && !topic.linkDeferred)
            {
                topic.linkDeferred = true;
                deferred[deferredCount++] = topic;
            }
        }
        deferredAt = 0;
        deferredStarted = false;
    }

    /**
     * One slice of {@link #deferLinking}: about {@code budget} steps of matching.
     *
     * @param budget steps.
     * @return true when every deferred topic is linked.
     */
    boolean linkDeferred(final long budget)
    {
        long spent = 0;
        while (deferredAt < deferredCount)
        {
            final TopicState topic = deferred[deferredAt];
            if (!deferredStarted)
            {
                index.beginSliced(topic.name());
                deferredStarted = true;
            }
            spent += index.matchSlice(budget - spent);
            if (!index.isSlicedDone())
            {
                return false;
            }
            final int found = index.endSliced();
            deferredStarted = false;
            topic.linkDeferred = false;
            topic.linked = true;
            topic.linkEpoch = ++linkEpoch;
            addFeeds(topic, found);
            deferred[deferredAt++] = null;
            if (spent >= budget && deferredAt < deferredCount)
            {
                return false;
            }
        }
        deferredCount = 0;
        return true;
    }

    /**
     * Streams still being linked ({@link #link}).
     *
     * @return the count.
     */
    int linkingCount()
    {
        return linkingCount;
    }

    /**
     * Link the streams still linking to the live topics, for at most about {@code budget} steps of matching
     * ({@link TopicSelector#matchCost}): one stream per call, in turn, from the topic (and selector) where its last
     * slice stopped. A topic first seen meanwhile is linked to it by {@link #ensureLinked}, the stream being in the
     * {@link SelectorIndex} from its creation. A stream done is filled from its topics' history and handed to
     * {@code onLinked}: from then on it takes events, with no gap or repeat between the two.
     *
     * @param budget   steps of matching this call may take; one selector's match is never split.
     * @param onLinked told of each stream linked.
     * @return the steps taken.
     */
    long link(final long budget, final Consumer<SharedStream> onLinked)
    {
        if (0 == linkingCount)
        {
            return 0;
        }
        if (nextLinking >= linkingCount)
        {
            nextLinking = 0;
        }
        final int at = nextLinking++;
        final SharedStream stream = linking[at];
        final long spent = linkSlice(stream, budget);
        if (stream.linkTopic < 0)
        {
            removeLinking(at);
            stream.linking = false;
            stream.linkAt = null;
            fill.fill(stream);
            onLinked.accept(stream);
        }
        return spent;
    }

    /**
     * Why the last {@link #getOrCreate} that returned null refused the stream.
     *
     * @return {@link Refusal#STREAM_SHARE} or {@link Refusal#STREAM_BUDGET}.
     */
    Refusal refusal()
    {
        return refusal;
    }

    /**
     * The stream logs' budget and client shares.
     *
     * @return them.
     */
    StreamLogs logs()
    {
        return logs;
    }

    /**
     * Live streams.
     *
     * @return the count.
     */
    int count()
    {
        return count;
    }

    /**
     * Make sure a topic is linked to every live stream it concerns: done once, the first time the agent handles the
     * topic (topics may be created on any thread).
     *
     * @param topic live.
     */
    void ensureLinked(final TopicState topic)
    {
        if (topic.linked || topic.linkDeferred)
        {
            return;
        }
        topic.linked = true;
        topic.linkEpoch = ++linkEpoch;
        if (0 == count)
        {
            return;
        }
        newTopicSteps += index.matchCost(topic.name().length());
        addFeeds(topic, index.match(topic.name()));
    }

    private void addFeeds(final TopicState topic, final int found)
    {
        final SharedStream[] matched = index.matched();
        for (int i = 0; i < found; i++)
        {
            final SharedStream stream = matched[i];
            matched[i] = null;
            topic.addFeed(stream, stream.linkFlags);
            stream.addTopic(topic);
        }
    }

    /**
     * A topic is being freed: drop its links.
     *
     * @param topic being freed.
     */
    void unlink(final TopicState topic)
    {
        for (int i = 0; i < topic.feedCount; i++)
        {
            topic.feeds[i].removeTopic(topic);
            topic.feeds[i] = null;
        }
        topic.feedCount = 0;
        topic.linked = false;
    }

    /**
     * Free a stream whose last subscriber left: unlink it and free its log; or, while streams ended on it still write
     * a frame of its log ({@link SharedStream#readers()}), keep it (a subscriber may join it meanwhile) until
     * {@link #freeDrained} finds them done.
     *
     * @param stream idle.
     */
    void free(final SharedStream stream)
    {
        if (stream.subscriberCount > 0 || stream.holds > 0 || stream.registryIndex < 0)
        {
            return;
        }
        if (stream.readers() > 0)
        {
            if (!stream.draining)
            {
                stream.draining = true;
                if (drainingCount == draining.length)
                {
                    draining = Arrays.copyOf(draining, drainingCount << 1);
                }
                draining[drainingCount++] = stream;
            }
            return;
        }
        byKey.remove(new Key(stream.selectors, stream.privateSelectors));
        index.remove(stream);
        if (stream.linking)
        {
            for (int i = 0; i < linkingCount; i++)
            {
                if (linking[i] == stream)
                {
                    removeLinking(i);
                    break;
                }
            }
            stream.linking = false;
            stream.linkAt = null;
        }
        final int index = stream.registryIndex;
        final int last = --count;
        final SharedStream moved = streams[last];
        streams[index] = moved;
        moved.registryIndex = index;
        streams[last] = null;
        stream.registryIndex = -1;
        for (int i = 0; i < stream.topicCount; i++)
        {
            stream.topics[i].removeFeed(stream);
            stream.topics[i] = null;
        }
        stream.topicCount = 0;
        final TopicLog log = stream.log;
        if (null != log)
        {
            logs.close(log);
        }
    }

    /**
     * Free the streams kept for their ending streams ({@link #free}) whose frames are now written, unless a subscriber
     * has joined them since. Called by whoever ends shared streams, periodically while any is kept.
     *
     * @return streams no longer kept.
     */
    int freeDrained()
    {
        int done = 0;
        for (int i = drainingCount - 1; i >= 0; i--)
        {
            final SharedStream stream = draining[i];
            if (stream.subscriberCount > 0 || stream.readers() == 0)
            {
                final int last = --drainingCount;
                draining[i] = draining[last];
                draining[last] = null;
                stream.draining = false;
                free(stream);
                done++;
            }
        }
        return done;
    }

    /**
     * The hub sequence of the newest event {@link #collectTargets} was called for, every event the agent appends
     * being one: how far this node has applied the hub's events.
     *
     * @return the seq, 0 before the first.
     */
    long appliedSeq()
    {
        return appliedSeq;
    }

    /**
     * Streams kept only because streams ended on them still write a frame of their log.
     *
     * @return the count.
     */
    int drainingCount()
    {
        return drainingCount;
    }

    /**
     * Live streams, from index 0 to {@link #count()}: a stream freed while they are walked from the last one down
     * only moves one already walked.
     *
     * @return the streams.
     */
    SharedStream[] streamArray()
    {
        return streams;
    }

    /**
     * The streams one event goes to, each once, whatever the number of its topics they are linked to: those with a
     * {@link SharedStream#SUBSCRIBED} link to one of its topics, and for a private update also a
     * {@link SharedStream#PRIVATE_ALLOWED} link to one of them. Read them from {@link #targets()}.
     *
     * @param eventTopics the event's live topics.
     * @param topicCount  how many.
     * @param isPrivate   whether the event is a private update.
     * @param seq         the event's hub sequence (marks the streams already counted; the newest
     *                    {@link #appliedSeq()} from now on).
     * @return how many streams.
     */
    int collectTargets(
        final TopicState[] eventTopics, final int topicCount, final boolean isPrivate, final long seq)
    {
        appliedSeq = seq;
        if (0 == count)
        {
            for (int t = 0; t < topicCount; t++)
            {
                ensureLinked(eventTopics[t]);
            }
            return 0;
        }
        int found = 0;
        if (1 == topicCount && !isPrivate)
        {
            final TopicState topic = eventTopics[0];
            ensureLinked(topic);
            for (int i = 0, feeds = topic.feedCount; i < feeds; i++)
            {
                if ((topic.feedFlags[i] & SharedStream.SUBSCRIBED) != 0 && !topic.feeds[i].linking)
                {
                    add(found++, topic.feeds[i]);
                }
            }
            return found;
        }

        int touched = 0;
        for (int t = 0; t < topicCount; t++)
        {
            final TopicState topic = eventTopics[t];
            ensureLinked(topic);
            for (int i = 0, feeds = topic.feedCount; i < feeds; i++)
            {
                final SharedStream stream = topic.feeds[i];
                if (stream.markSeq != seq)
                {
                    stream.markSeq = seq;
                    stream.markFlags = topic.feedFlags[i];
                    add(touched++, stream);
                }
                else
                {
                    stream.markFlags |= topic.feedFlags[i];
                }
            }
        }
        final SharedStream[] targets = this.targets;
        for (int i = 0; i < touched; i++)
        {
            final int flags = targets[i].markFlags;
            if ((flags & SharedStream.SUBSCRIBED) != 0 && (!isPrivate || (flags & SharedStream.PRIVATE_ALLOWED) != 0) &&
                !targets[i].linking)
            {
                targets[found++] = targets[i];
            }
        }
        return found;
    }

    /**
     * What the last {@link #collectTargets} found, from index 0.
     *
     * @return the streams.
     */
    SharedStream[] targets()
    {
        return targets;
    }

    /**
     * A set with the wildcard matches what {@code *} alone matches: one key for all of them, so that subscribers
     * adding other selectors to {@code *} cannot make a stream (and a link to every topic) each.
     */
    private static SelectorSet matchingAll(final SelectorSet selectors)
    {
        return 0 == selectors.count(SelectorKind.WILDCARD) || 1 == selectors.size() ? selectors : WILDCARD_ONLY;
    }

    /**
     * One slice of a stream's linking: see {@link #link}. Sets {@link SharedStream#linkTopic} to -1 when done.
     */
    private long linkSlice(final SharedStream stream, final long budget)
    {
        final SelectorSet selectors = stream.selectors;
        final SelectorSet privateSelectors = stream.privateSelectors;
        final int publicSize = selectors.size();
        final int total = publicSize + (null == privateSelectors ? 0 : privateSelectors.size());
        final TopicState[] live = topics.byIndexArray();
        long spent = 0;
        int i = stream.linkTopic;
        while (i < live.length)
        {
            final TopicState topic = live[i];
            if (null == topic || topic.isFreed() || topic.linkDeferred ||
                (topic.linked && topic.linkEpoch > stream.linkEpoch))
            {
                spent++;
                i++;
                stream.linkAt = null;
            }
            else if (!topic.linked)
            {
                spent += index.matchCost(topic.name().length());
                ensureLinked(topic);
                i++;
                stream.linkAt = null;
            }
            else
            {
                final String name = topic.name();
                int selector = 0;
                int flags = 0;
                if (stream.linkAt == topic)
                {
                    selector = stream.linkSelector;
                    flags = stream.linkPartial;
                }
                while (selector < total)
                {
                    if (selector < publicSize)
                    {
                        if ((flags & SharedStream.SUBSCRIBED) != 0)
                        {
                            selector = publicSize;
                            continue;
                        }
                        final TopicSelector candidate = selectors.selector(selector);
                        spent += candidate.matchCost(name.length());
                        if (candidate.matches(name))
                        {
                            flags |= SharedStream.SUBSCRIBED;
                        }
                    }
                    else
                    {
                        if ((flags & SharedStream.PRIVATE_ALLOWED) != 0)
                        {
                            break;
                        }
                        final TopicSelector candidate = privateSelectors.selector(selector - publicSize);
                        spent += candidate.matchCost(name.length());
                        if (candidate.matches(name))
                        {
                            flags |= SharedStream.PRIVATE_ALLOWED;
                        }
                    }
                    selector++;
                    if (spent >= budget && selector < total)
                    {
                        stream.linkAt = topic;
                        stream.linkSelector = selector;
                        stream.linkPartial = flags;
                        stream.linkTopic = i;
                        return spent;
                    }
                }
                if (0 != flags)
                {
                    topic.addFeed(stream, flags);
                    stream.addTopic(topic);
                }
                stream.linkAt = null;
                i++;
            }
            if (spent >= budget)
            {
                stream.linkTopic = i;
                return spent;
            }
        }
        stream.linkTopic = -1;
        return spent;
    }

    private void removeLinking(final int at)
    {
        System.arraycopy(linking, at + 1, linking, at, linkingCount - at - 1);
        linking[--linkingCount] = null;
        if (nextLinking > at)
        {
            nextLinking--;
        }
    }

    private void add(final int index, final SharedStream stream)
    {
        if (index == targets.length)
        {
            targets = Arrays.copyOf(targets, index << 1);
        }
        targets[index] = stream;
    }

    private void linkWith(final TopicState topic, final SharedStream stream)
    {
        if (!topic.linked)
        {
            ensureLinked(topic);
            return;
        }
        final int flags = stream.flagsFor(topic);
        if (0 != flags)
        {
            topic.addFeed(stream, flags);
            stream.addTopic(topic);
        }
    }

    private static final class Key
    {
        private final SelectorSet selectors;
        private final SelectorSet privateSelectors;

        Key(final SelectorSet selectors, final SelectorSet privateSelectors)
        {
            this.selectors = selectors;
            this.privateSelectors = privateSelectors;
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Key && selectors.equals(((Key)other).selectors) &&
                Objects.equals(privateSelectors, ((Key)other).privateSelectors);
        }

        @Override
        public int hashCode()
        {
            return 31 * selectors.hashCode() + Objects.hashCode(privateSelectors);
        }
    }
}
