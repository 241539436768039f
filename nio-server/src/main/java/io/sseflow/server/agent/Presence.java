package io.sseflow.server.agent;

import io.sseflow.server.PublishResult;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.mercure.GeneratedIds;
import io.sseflow.server.mercure.SubscriptionIds;
import io.sseflow.server.mercure.SubscriptionJson;
import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicText;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.encoder.SseFields;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Mercure's active subscriptions (presence, {@code --subscriptions}): a Mercure subscription gets a subscriber id
 * ({@code urn:uuid:}) and, for each of its topic selectors, a private update to
 * {@code /.well-known/mercure/subscriptions/{selector}/{subscriber}} ({@link SubscriptionIds}) with its
 * {@code Subscription} JSON-LD ({@link SubscriptionJson}), {@code "active":true} when it starts and
 * {@code "active":false} when it ends. The updates go through the sequencer like any publish (correlation id 0: no
 * connection waits for their answer), so a durable hub records them and a cluster replicates them.
 * <p>
 * Bounded: at most {@link #MAX_EVENTS_PER_SECOND} start updates per second (a reconnect storm announces the first
 * of each second and streams the rest unannounced, counted under
 * {@code sseflow_subscriptions_unannounced_total}; one whose updates the sequencer refuses part way is announced
 * for the selectors before, and counted), at most {@link #MAX_ANNOUNCED} subscriptions announced at once
 * (the table {@code GET /.well-known/mercure/subscriptions} lists), and no more subscription topics than half of
 * {@code --max-topics}, a limit of their own apart from the topics publishers create
 * ({@link TopicRegistry#isPresenceTopic}), so that a storm of subscriptions never takes a topic publishers need; an announced subscription's end is always published (so at most as many end
 * updates as start updates), unless the sequencer refuses it (back-pressure, no leader, shutting down), counted the
 * same. This table holds this node's subscribers only: another node's are in its own table (their updates
 * replicate, but are not read back into this table).
 * <p>
 * DESIGN (subscription topics over a hub's life). A subscription topic retains its two updates, so the registry never
 * frees it as idle, and small updates are rarely evicted by the history budget: left alone, the topics of ended
 * subscriptions would fill presence's half of the table for good. Two ways were weighed. Freeing a topic as soon as
 * its end update is applied keeps the table small, but loses that update for every observer not streaming at that
 * moment: an {@code EventSource} reconnecting with its {@code Last-Event-ID}, or a client that read the list's
 * {@code lastEventID} and subscribes next, would never learn that the subscriber left. A separate table of presence
 * topics would need a second routing path, a second limit and its own replay. So the topics stay ordinary topics and
 * are freed lazily, oldest end first ({@link EndedSubscriptionTopics}): an ended subscription's updates remain
 * replayable until a new subscription needs the slots, as an evicted event is by the history budget (a client
 * resuming from before a freed one gets the replay-miss rule). Presence frees only ended subscription topics (no
 * subscriber, end update applied), never a publisher's. Its topics are counted apart (half of {@code --max-topics},
 * beside the {@code --max-topics} of the others): a durable or clustered hub's state machine keeps every topic it
 * holds (bounded by {@code --max-topics}), and if presence's topics were among them they would fill its table for good,
 * and if they shared the agent's table with the topics the state machine counts, an agent could lack the slot for a
 * publisher's topic the cluster had decided. So presence's updates are transient there
 * ({@link PublishRecord#FLAG_TRANSIENT}: sequenced and logged, but no topic is held and nothing retained by the state
 * machine) and their topics are the agent's alone to free; an end update is marked
 * ({@link PublishRecord#FLAG_ENDS_TOPIC}) so that every node that delivers it, this one or another member, or this one
 * replaying its log at start, keeps its topic with the ended ones ({@link #onEndDelivered}).
 * <p>
 * Not thread-safe: owned by the server agent. Allocates per subscription start and end (ids, JSON), never per
 * delivery.
 */
final class Presence
{
    /**
     * Most start updates published per second.
     */
    static final int MAX_EVENTS_PER_SECOND = 1_000;

    /**
     * Most subscriptions announced (and listed) at once.
     */
    static final int MAX_ANNOUNCED = 10_000;

    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    private final boolean enabled;
    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final EventSequencer sequencer;
    private final CachedNanoClock clock;
    private final int maxRecordLength;
    private final int maxPresenceTopics;
    private final EndedSubscriptionTopics ended;
    private final Long2ObjectHashMap<Subscription> announced = new Long2ObjectHashMap<>();
    private final GeneratedIds generatedIds = new GeneratedIds();
    private final UnsafeBuffer id = new UnsafeBuffer(new byte[GeneratedIds.LENGTH]);
    private final UnsafeBuffer data;
    private final PublishClaim claim = new PublishClaim();
    private final PublishRecord record = new PublishRecord();
    private String lastEventId = "earliest";
    private long windowStartNs;
    private int windowEvents;

    /**
     * One announced subscription.
     */
    static final class Subscription
    {
        final long connectionId;
        final String subscriber;
        final String[] selectors;
        final String payloadJson;
        /**
         * How many of its selectors (the first ones) had their start announced.
         */
        int published;

        Subscription(final long connectionId, final String subscriber, final String[] selectors, final String payloadJson)
        {
            this.connectionId = connectionId;
            this.subscriber = subscriber;
            this.selectors = selectors;
            this.payloadJson = payloadJson;
        }
    }

    Presence(final AgentContext context)
    {
        this.enabled = context.config.subscriptions();
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.sequencer = context.sequencer;
        this.clock = context.clock;
        this.maxRecordLength = context.maxRecordLength;
        this.maxPresenceTopics = context.topics.maxPresenceTopics();
        this.ended = new EndedSubscriptionTopics(context.topics, maxPresenceTopics);
        context.topics.presenceReclaimer(ended::reclaim);
        this.data = new UnsafeBuffer(new byte[enabled ? context.maxRecordLength : 0]);
        this.windowStartNs = clock.nanoTime() - SECOND_NS; // the first start opens a window
    }

    /**
     * Is presence on ({@code --subscriptions})?
     *
     * @return true when on.
     */
    boolean enabled()
    {
        return enabled;
    }

    /**
     * The subscriptions announced now, by connection id.
     *
     * @return the table; read only on the agent.
     */
    Long2ObjectHashMap<Subscription> announced()
    {
        return announced;
    }

    /**
     * The id of the last presence update this node offered.
     *
     * @return the id, or {@code earliest} before any.
     */
    String lastEventId()
    {
        return lastEventId;
    }

    /**
     * A Mercure subscription started streaming: announce it, within the bounds.
     *
     * @param connection  now streaming.
     * @param selectors   its topic selectors.
     * @param payloadJson its token's {@code mercure.payload} as JSON, or null.
     */
    void started(final Connection connection, final SelectorSet selectors, final String payloadJson)
    {
        if (!enabled || null != connection.presence)
        {
            return;
        }
        final int count = selectors.size();
        final long now = clock.nanoTime();
        if (now - windowStartNs >= SECOND_NS)
        {
            windowStartNs = now;
            windowEvents = 0;
        }
        if (windowEvents + count > MAX_EVENTS_PER_SECOND || announced.size() >= MAX_ANNOUNCED || !roomForTopics(count))
        {
            metrics.increment(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED);
            return;
        }
        final String[] texts = new String[count];
        for (int i = 0; i < count; i++)
        {
            texts[i] = selectors.selector(i).text();
        }
        final int idLength = generatedIds.put(id, 0);
        final Subscription subscription = new Subscription(
            connection.id, id.getStringWithoutLengthAscii(0, idLength), texts, payloadJson);
        windowEvents += count;
        subscription.published = publish(subscription, true, count);
        if (subscription.published < count)
        {
            metrics.increment(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED);
        }
        if (subscription.published > 0)
        {
            connection.presence = subscription;
            announced.put(connection.id, subscription);
        }
    }

    /**
     * A stream ends: when it was announced, publish its end; its subscription topics are then kept until presence
     * needs their slots ({@link EndedSubscriptionTopics}).
     *
     * @param connection whose stream ends.
     */
    void ended(final Connection connection)
    {
        final Subscription subscription = connection.presence;
        if (null == subscription)
        {
            return;
        }
        connection.presence = null;
        announced.remove(connection.id);
        final int offered = publish(subscription, false, subscription.published);
        if (offered < subscription.published)
        {
            metrics.increment(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED);
            for (int i = offered; i < subscription.published; i++)
            {
                final String selector = subscription.selectors[i];
                final TopicState topic = topics.find(SubscriptionIds.topic(selector, subscription.subscriber));
                if (null != topic)
                {
                    ended.add(topic);
                }
            }
        }
    }

    /**
     * A subscription's end update was delivered ({@link PublishRecord#FLAG_ENDS_TOPIC}): keep its topic with the
     * ended ones, to be freed when presence needs the slot. This node's own ends are kept when offered; this is for a
     * cluster's other nodes' (and for a durable node's own replayed at start), whatever this node's
     * {@code --subscriptions}: their topics are in this node's table too.
     *
     * @param topic the subscription topic.
     */
    void onEndDelivered(final TopicState topic)
    {
        ended.add(topic);
    }

    /**
     * May presence create {@code count} more topics? Only within its own limit (half of {@code --max-topics}); the
     * oldest ended subscription topics are freed to make the room, and only when that is enough.
     */
    private boolean roomForTopics(final int count)
    {
        final int over = topics.presenceCount() + count - maxPresenceTopics;
        if (over <= 0)
        {
            return true;
        }
        return over <= ended.size() && ended.reclaim(over) == over;
    }

    /**
     * Offer one private update per selector, for the first {@code count} selectors, until one is refused (too long
     * a topic, the topic limit, the sequencer's refusal).
     *
     * @return how many were offered: the selectors whose start was announced are the ones whose end is.
     */
    private int publish(final Subscription subscription, final boolean active, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final String selector = subscription.selectors[i];
            final String topicText = SubscriptionIds.topic(selector, subscription.subscriber);
            if (topicText.length() > TopicText.MAX_LENGTH) // percent-encoded: ASCII, one byte a character
            {
                return i;
            }
            final String json = SubscriptionJson.subscription(
                selector, subscription.subscriber, active, subscription.payloadJson);
            final TopicState topic = offer(topicText, json, active);
            if (null == topic)
            {
                return i;
            }
            if (!active)
            {
                ended.add(topic);
            }
            metrics.increment(ServerCounter.SUBSCRIPTION_UPDATES);
        }
        return count;
    }

    /**
     * @return the topic the update was offered to, or null when it was not.
     */
    private TopicState offer(final String topicText, final String json, final boolean active)
    {
        final TopicState topic = topics.getOrCreateText(topicText);
        if (null == topic)
        {
            return null;
        }
        final byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
        if (jsonBytes.length > data.capacity())
        {
            return null;
        }
        data.putBytes(0, jsonBytes);
        final int idLength = generatedIds.put(id, 0);
        final int dataLength = SseFields.dataLinesLength(data, 0, jsonBytes.length);
        final int length = PublishRecord.recordLength(idLength, 0, dataLength, 0);
        if (length > maxRecordLength)
        {
            return null;
        }
        if (!topic.pin())
        {
            throw new IllegalStateException("publish to a freed topic: " + topic.name());
        }
        final PublishClaim claim = this.claim;
        if (sequencer.tryClaim(length, claim) != PublishResult.OK)
        {
            topic.unpin();
            return null;
        }
        try
        {
            final MutableDirectBuffer buffer = claim.buffer();
            final PublishRecord record = this.record.wrap(buffer, 0).header(0, topic.index(), idLength, 0, dataLength);
            int position = record.idOffset();
            buffer.putBytes(position, id, 0, idLength);
            position += idLength;
            record.classifyId();
            record.flags(record.flags() | PublishRecord.FLAG_HUB_ID | PublishRecord.FLAG_PRIVATE |
                PublishRecord.FLAG_TRANSIENT | (active ? 0 : PublishRecord.FLAG_ENDS_TOPIC));
            SseFields.putDataLines(buffer, position, data, 0, jsonBytes.length);
        }
        catch (final Throwable ex)
        {
            sequencer.abort(claim);
            topic.unpin();
            throw ex;
        }
        sequencer.commit(claim);
        lastEventId = id.getStringWithoutLengthAscii(0, idLength);
        return topic;
    }
}
