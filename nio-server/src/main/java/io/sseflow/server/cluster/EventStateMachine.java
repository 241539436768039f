package io.sseflow.server.cluster;

import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.RetainedIdCheck;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * The deterministic state of a clustered hub: applied to every committed {@link ClusterRecord} in log order, it
 * decides each event's hub sequence (one more per appended event) and its id (per topic, by name: one more than the
 * largest numeric id the topic has assigned or seen in a public event when the publisher gave none, so a private
 * update's id moves nothing public; the publisher's otherwise), and decides an explicit id by what the record's topics
 * retain ({@link RetainedIdCheck}, as the in-memory hub does): a retry is not appended ({@link ApplyOutcome#DUPLICATE}),
 * a conflict is refused ({@link ApplyOutcome#ID_CONFLICT}). A record of several topics (a Mercure update, its further
 * topics named after it: {@link ClusterRecord}) is one event of all of them, as in the in-memory hub: one seq, its id
 * decided once and checked against the retained ids of every one of its topics, each of their counters raised by an
 * explicit numeric id, its topics created together (or the record refused whole at the topic limit), and retained by
 * each of them. Every member applies the same records in the same order and so reaches the same state; nothing here
 * reads a clock, a random number or the node's identity.
 * <p>
 * Each sending session numbers its records 1, 2, 3... ({@link ClusterRecord} ingress seq): a record is applied only
 * when it is the next of its session, so a sender that lost records with a leader sends again from its oldest
 * unanswered one and each is applied exactly once ({@link ApplyOutcome#RESENT}, {@link ApplyOutcome#GAP}). A record
 * with ingress seq 0 is not numbered.
 * <p>
 * Bounded ({@link StateSettings}): at most {@code maxTopics} topics (a record for a new topic past that is refused),
 * each retaining its last {@code historyPerTopic} events, and all of them together at most {@code historyTotalBytes}
 * retained bytes (record length plus {@link TopicHistory#EVENT_OVERHEAD_BYTES} per retained copy, a figure of the
 * log alone): past it the oldest events of the hub, by seq, are evicted from every topic that retains them, until the
 * new event fits (an event alone over the budget is still retained, alone). So what is retained is decided by the log
 * order only, the same on every member, never by a clock or by memory pressure.
 * <p>
 * Those settings decide what is retained, and so which explicit ids are retries: every member must run with the
 * same. The first settings record in the log ({@link ClusterRecord#putSettings}, each member's sequencer sends one
 * when its session opens) or a snapshot sets the cluster's; {@link #settingsDifference()} then says whether this
 * member's own differ (it must not go on), and a later settings record that differs is refused
 * ({@link ApplyOutcome#SETTINGS_DIFFER}) unless it is marked as a change ({@code --change-settings}): then its settings
 * become the cluster's from that place in the log on. The whole state (seq, per-topic counters, retained events and the
 * cluster's settings) is written to and loaded from a snapshot, so a member restored from one can still resume ids
 * retained before it. Not thread-safe: the clustered service's thread only.
 */
final class EventStateMachine
{
    /**
     * First int of a snapshot.
     */
    static final int SNAPSHOT_MAGIC = 0x53534631;

    /**
     * Snapshot layout version.
     */
    static final int SNAPSHOT_VERSION = 3;

    /**
     * The layout before byte budgets: no settings. Still loaded (the cluster's settings are then set by the next
     * settings record).
     */
    static final int SNAPSHOT_VERSION_NO_SETTINGS = 2;

    /**
     * The layout before events of several topics: no first topic per retained event. Still loaded.
     */
    static final int SNAPSHOT_VERSION_ONE_TOPIC = 1;

    private final StateSettings settings;
    private final int maxTopics;
    private final int historyPerTopic;
    private final long historyTotalBytes;
    private final TopicHistory[] topics;
    private final TopicHistory[] byOldest;
    private final int[] table;
    private final int mask;
    private final PublishRecord record = new PublishRecord();
    private final RetainedIdCheck check = new RetainedIdCheck();
    private final TopicHistory[] eventTopics = new TopicHistory[ClusterRecord.MAX_MORE_TOPICS];
    private final int[] nameOffsets = new int[ClusterRecord.MAX_MORE_TOPICS];
    private final int[] nameLengths = new int[ClusterRecord.MAX_MORE_TOPICS];
    private final int[] nameHashes = new int[ClusterRecord.MAX_MORE_TOPICS];
    private final Long2LongHashMap lastIngressSeqBySession = new Long2LongHashMap(0);
    private int topicCount;
    private int heapSize;
    private long lastSeq;
    private long retainedBytes;
    private long retainedEvents;
    private StateSettings clusterSettings;
    private int clusterSettingsNode = -1;
    private boolean settingsAgree = true;

    /**
     * A machine bounded by count alone (no byte budget).
     *
     * @param maxTopics       most topics ever held.
     * @param historyPerTopic events retained per topic.
     */
    EventStateMachine(final int maxTopics, final int historyPerTopic)
    {
        this(new StateSettings(maxTopics, historyPerTopic, StateSettings.UNBOUNDED_BYTES));
    }

    /**
     * @param settings this member's limits.
     */
    EventStateMachine(final StateSettings settings)
    {
        this.settings = settings;
        this.maxTopics = settings.maxTopics();
        this.historyPerTopic = settings.historyPerTopic();
        this.historyTotalBytes = settings.historyTotalBytes();
        this.topics = new TopicHistory[maxTopics];
        this.byOldest = new TopicHistory[maxTopics];
        this.table = new int[BitUtil.findNextPositivePowerOfTwo(maxTopics * 2)];
        this.mask = table.length - 1;
    }

    long lastSeq()
    {
        return lastSeq;
    }

    int topicCount()
    {
        return topicCount;
    }

    int maxTopics()
    {
        return maxTopics;
    }

    int historyPerTopic()
    {
        return historyPerTopic;
    }

    /**
     * This member's settings.
     */
    StateSettings settings()
    {
        return settings;
    }

    /**
     * The cluster's settings, as the first settings record or a snapshot set them.
     *
     * @return them, or null before either.
     */
    StateSettings clusterSettings()
    {
        return clusterSettings;
    }

    /**
     * How this member's settings differ from the cluster's: it must not go on, or its decisions would differ from the
     * others'.
     *
     * @return one line naming the setting, its value here and the cluster's and who set it; null when they agree or
     *         the cluster has none yet.
     */
    String settingsDifference()
    {
        if (null == clusterSettings)
        {
            return null;
        }
        final String difference = settings.difference(clusterSettings);
        return null == difference ? null : difference + " (" +
            (clusterSettingsNode < 0 ? "from a snapshot" : "set by node " + clusterSettingsNode) + ")";
    }

    /**
     * Do this member's settings agree with the cluster's (or has the cluster none yet)? Allocates nothing: for every
     * event.
     */
    boolean settingsAgree()
    {
        return settingsAgree;
    }

    /**
     * Bytes retained by all topics, as the budget counts them ({@link TopicHistory#retainedBytes()}).
     */
    long retainedBytes()
    {
        return retainedBytes;
    }

    /**
     * Events retained by all topics, once per topic that retains them.
     */
    long retainedEvents()
    {
        return retainedEvents;
    }

    /**
     * Apply one committed record.
     *
     * @param buffer   holding the {@link ClusterRecord}.
     * @param offset   where it starts.
     * @param length   its length.
     * @param listener told what was decided.
     * @return what was done.
     */
    ApplyOutcome apply(final DirectBuffer buffer, final int offset, final int length, final AppliedEventListener listener)
    {
        return apply(buffer, offset, length, 0, listener);
    }

    /**
     * Apply one committed record sent by a client session.
     *
     * @param buffer    holding the {@link ClusterRecord}.
     * @param offset    where it starts.
     * @param length    its length.
     * @param sessionId of the cluster session that sent it.
     * @param listener  told what was decided.
     * @return what was done.
     */
    ApplyOutcome apply(
        final DirectBuffer buffer, final int offset, final int length, final long sessionId,
        final AppliedEventListener listener)
    {
        if (ClusterRecord.isSettings(buffer, offset, length))
        {
            return applySettings(buffer, offset);
        }
        if (length >= ClusterRecord.HEADER_LENGTH)
        {
            final long ingressSeq = ClusterRecord.ingressSeq(buffer, offset);
            if (0 != ingressSeq)
            {
                final long last = lastIngressSeqBySession.get(sessionId);
                if (ingressSeq <= last)
                {
                    return ApplyOutcome.RESENT;
                }
                if (ingressSeq != last + 1)
                {
                    return ApplyOutcome.GAP;
                }
                lastIngressSeqBySession.put(sessionId, ingressSeq);
            }
            if (ClusterRecord.isProbe(buffer, offset, length))
            {
                return ApplyOutcome.PROBE;
            }
        }
        return applyRecord(buffer, offset, length, listener);
    }

    /**
     * A client session closed: forget its numbering.
     *
     * @param sessionId the session.
     */
    void onSessionClosed(final long sessionId)
    {
        lastIngressSeqBySession.remove(sessionId);
    }

    private ApplyOutcome applySettings(final DirectBuffer buffer, final int offset)
    {
        final StateSettings sent = StateSettings.read(buffer, offset + ClusterRecord.HEADER_LENGTH);
        if (null == sent)
        {
            return ApplyOutcome.MALFORMED;
        }
        if (null == clusterSettings || ClusterRecord.isSettingsChange(buffer, offset))
        {
            clusterSettings = sent;
            clusterSettingsNode = ClusterRecord.originNode(buffer, offset);
            settingsAgree = settings.equals(sent);
            return ApplyOutcome.SETTINGS;
        }
        return clusterSettings.equals(sent) ? ApplyOutcome.SETTINGS : ApplyOutcome.SETTINGS_DIFFER;
    }

    private ApplyOutcome applyRecord(
        final DirectBuffer buffer, final int offset, final int length, final AppliedEventListener listener)
    {
        final long correlationId = ClusterRecord.correlationId(buffer, offset);
        final int originNode = ClusterRecord.originNode(buffer, offset);
        final int nameLength = length >= ClusterRecord.HEADER_LENGTH ? ClusterRecord.topicNameLength(buffer, offset) : -1;
        final int nameOffset = ClusterRecord.topicNameOffset(offset);
        final int recordOffset = nameOffset + nameLength;
        final int end = offset + length;
        if (nameLength < 1 || nameLength > ClusterRecord.MAX_TOPIC_NAME_LENGTH || recordOffset > end)
        {
            listener.onRefused(originNode, correlationId, ApplyOutcome.MALFORMED);
            return ApplyOutcome.MALFORMED;
        }
        final PublishRecord record = this.record;
        final int recordLength = ClusterRecord.checkedRecordLength(buffer, recordOffset, end, record);
        final int more = recordLength < 0 ? 0 : record.moreTopicCount();
        if (recordLength < 0 || (0 == more && recordOffset + recordLength != end) ||
            (more > 0 && !collectNames(buffer, nameOffset, nameLength, recordOffset + recordLength, end, more)))
        {
            listener.onRefused(originNode, correlationId, ApplyOutcome.MALFORMED);
            return ApplyOutcome.MALFORMED;
        }

        if (record.isTransient())
        {
            return applyTransient(originNode, correlationId, buffer, nameOffset, nameLength, recordOffset, end, more,
                listener);
        }
        final int hash = TopicHistory.hash(buffer, nameOffset, nameLength);
        TopicHistory topic = find(hash, buffer, nameOffset, nameLength);
        int newTopics = null == topic ? 1 : 0;
        for (int i = 0; i < more; i++)
        {
            final TopicHistory found = find(nameHashes[i], buffer, nameOffsets[i], nameLengths[i]);
            eventTopics[i] = found;
            if (null == found)
            {
                newTopics++;
            }
        }
        if (topicCount + newTopics > maxTopics)
        {
            clearEventTopics(more);
            listener.onRefused(originNode, correlationId, ApplyOutcome.TOPIC_LIMIT);
            return ApplyOutcome.TOPIC_LIMIT;
        }
        if (record.hasId())
        {
            final RetainedIdCheck check = this.check.reset();
            checkRetained(topic, record, check);
            for (int i = 0; i < more; i++)
            {
                checkRetained(eventTopics[i], record, check);
            }
            switch (check.outcome())
            {
                case RETRY:
                    clearEventTopics(more);
                    listener.onDuplicate(
                        originNode, correlationId, buffer, recordOffset, end - recordOffset, check.retainedSeq());
                    return ApplyOutcome.DUPLICATE;

                case CONFLICT:
                    clearEventTopics(more);
                    listener.onRefused(originNode, correlationId, ApplyOutcome.ID_CONFLICT);
                    return ApplyOutcome.ID_CONFLICT;

                case NEW:
                default:
                    break;
            }
        }
        if (null == topic)
        {
            topic = add(new TopicHistory(buffer, nameOffset, nameLength, hash, historyPerTopic, topicCount));
        }
        for (int i = 0; i < more; i++)
        {
            if (null == eventTopics[i])
            {
                eventTopics[i] = add(new TopicHistory(
                    buffer, nameOffsets[i], nameLengths[i], nameHashes[i], historyPerTopic, topicCount));
            }
        }

        final long id = topic.decideId(record);
        final long seq = ++lastSeq;
        final int first = topic.ordinal();
        topic.raiseFor(record);
        retain(topic, seq, id, first, buffer, recordOffset, end - recordOffset);
        for (int i = 0; i < more; i++)
        {
            eventTopics[i].raiseFor(record);
            retain(eventTopics[i], seq, id, first, buffer, recordOffset, end - recordOffset);
        }
        clearEventTopics(more);
        evictOverBudget(seq);
        listener.onAppended(
            originNode, correlationId, topic.name(), 0, topic.nameLength(), buffer, recordOffset, end - recordOffset,
            seq, id);
        return ApplyOutcome.APPENDED;
    }

    /**
     * A hub's own update that the state machine keeps no state for ({@link PublishRecord#FLAG_TRANSIENT}, presence's):
     * decided (the next seq, its text id) and handed on, with no topic created and nothing retained, so the topic
     * table and the history budget are not spent on it. Only an update of one topic with a text id may be one.
     */
    private ApplyOutcome applyTransient(
        final int originNode, final long correlationId, final DirectBuffer buffer, final int nameOffset,
        final int nameLength, final int recordOffset, final int end, final int more, final AppliedEventListener listener)
    {
        final PublishRecord record = this.record;
        if (more > 0 || !record.hasId() || record.isNumericId())
        {
            listener.onRefused(originNode, correlationId, ApplyOutcome.MALFORMED);
            return ApplyOutcome.MALFORMED;
        }
        final long seq = ++lastSeq;
        listener.onAppended(originNode, correlationId, buffer, nameOffset, nameLength, buffer, recordOffset,
            end - recordOffset, seq, EventSequencer.TEXT_ID);
        return ApplyOutcome.APPENDED;
    }

    /**
     * The names of a record's further topics into {@link #nameOffsets}, {@link #nameLengths} and
     * {@link #nameHashes}: well formed, and each unlike the first topic's and every other.
     *
     * @return false when they are not.
     */
    private boolean collectNames(
        final DirectBuffer buffer, final int firstOffset, final int firstLength, final int namesOffset, final int end,
        final int count)
    {
        if (!ClusterRecord.hasTopicNames(buffer, namesOffset, end, count))
        {
            return false;
        }
        final int firstHash = TopicHistory.hash(buffer, firstOffset, firstLength);
        int p = namesOffset;
        for (int i = 0; i < count; i++)
        {
            final int length = buffer.getInt(p);
            final int at = p + BitUtil.SIZE_OF_INT;
            final int hash = TopicHistory.hash(buffer, at, length);
            if (sameName(firstHash, buffer, firstOffset, firstLength, hash, at, length))
            {
                return false;
            }
            for (int j = 0; j < i; j++)
            {
                if (sameName(nameHashes[j], buffer, nameOffsets[j], nameLengths[j], hash, at, length))
                {
                    return false;
                }
            }
            nameOffsets[i] = at;
            nameLengths[i] = length;
            nameHashes[i] = hash;
            p = at + length;
        }
        return true;
    }

    private static boolean sameName(
        final int hashA, final DirectBuffer buffer, final int offsetA, final int lengthA, final int hashB,
        final int offsetB, final int lengthB)
    {
        if (hashA != hashB || lengthA != lengthB)
        {
            return false;
        }
        for (int i = 0; i < lengthA; i++)
        {
            if (buffer.getByte(offsetA + i) != buffer.getByte(offsetB + i))
            {
                return false;
            }
        }
        return true;
    }

    private void retain(
        final TopicHistory topic, final long seq, final long id, final int first, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final long before = topic.retainedBytes();
        final int countBefore = topic.count();
        topic.append(seq, id, first, buffer, offset, length);
        retainedBytes += topic.retainedBytes() - before;
        retainedEvents += topic.count() - countBefore;
        changed(topic);
    }

    /**
     * While the retained bytes are over the budget, evict the hub's oldest event (the smallest seq retained) from every
     * topic that retains it; never the event {@code keepSeq} just appended.
     */
    private void evictOverBudget(final long keepSeq)
    {
        while (retainedBytes > historyTotalBytes && heapSize > 0)
        {
            final long oldest = byOldest[0].oldestSeq();
            if (oldest >= keepSeq)
            {
                return;
            }
            while (heapSize > 0 && byOldest[0].oldestSeq() == oldest)
            {
                final TopicHistory topic = byOldest[0];
                final long before = topic.retainedBytes();
                topic.evictOldest();
                retainedBytes -= before - topic.retainedBytes();
                retainedEvents--;
                changed(topic);
            }
        }
    }

    /**
     * A topic's oldest retained event changed (or it retains none now, or its first): move it in the min-heap of
     * topics by oldest seq.
     */
    private void changed(final TopicHistory topic)
    {
        final int index = topic.heapIndex;
        if (0 == topic.count())
        {
            if (index >= 0)
            {
                removeFromHeap(index);
            }
            return;
        }
        if (index < 0)
        {
            byOldest[heapSize] = topic;
            topic.heapIndex = heapSize;
            siftDown(siftUp(heapSize++));
            return;
        }
        siftDown(siftUp(index));
    }

    private void removeFromHeap(final int index)
    {
        final TopicHistory[] heap = byOldest;
        heap[index].heapIndex = -1;
        final int last = --heapSize;
        if (index != last)
        {
            heap[index] = heap[last];
            heap[index].heapIndex = index;
            heap[last] = null;
            siftDown(siftUp(index));
        }
        else
        {
            heap[last] = null;
        }
    }

    private int siftUp(final int from)
    {
        final TopicHistory[] heap = byOldest;
        final TopicHistory topic = heap[from];
        final long oldest = topic.oldestSeq();
        int index = from;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            final TopicHistory above = heap[parent];
            if (above.oldestSeq() <= oldest)
            {
                break;
            }
            heap[index] = above;
            above.heapIndex = index;
            index = parent;
        }
        heap[index] = topic;
        topic.heapIndex = index;
        return index;
    }

    private void siftDown(final int from)
    {
        final TopicHistory[] heap = byOldest;
        final int size = heapSize;
        final TopicHistory topic = heap[from];
        final long oldest = topic.oldestSeq();
        int index = from;
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && heap[child + 1].oldestSeq() < heap[child].oldestSeq())
            {
                child++;
            }
            final TopicHistory below = heap[child];
            if (below.oldestSeq() >= oldest)
            {
                break;
            }
            heap[index] = below;
            below.heapIndex = index;
            index = child;
        }
        heap[index] = topic;
        topic.heapIndex = index;
    }

    private static void checkRetained(final TopicHistory topic, final PublishRecord record, final RetainedIdCheck check)
    {
        if (null == topic)
        {
            check.onTopic(0, false);
        }
        else
        {
            topic.checkRetained(record, check);
        }
    }

    private void clearEventTopics(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            eventTopics[i] = null;
        }
    }

    /**
     * Hand every retained event to the consumer in seq order (the order they were appended in), as a member that
     * just loaded a snapshot gives them to its agent; an event of several topics is given once, with its first topic's
     * name. Allocates its cursors: for start-up, not the steady state.
     *
     * @param consumer given each event.
     * @return events given.
     */
    int forEachRetained(final RetainedEventConsumer consumer)
    {
        final int[] cursors = new int[topicCount];
        int given = 0;
        long lastGiven = 0;
        while (true)
        {
            int next = -1;
            long nextSeq = Long.MAX_VALUE;
            for (int t = 0; t < topicCount; t++)
            {
                final TopicHistory topic = topics[t];
                if (cursors[t] < topic.count() && topic.seqAt(cursors[t]) < nextSeq)
                {
                    nextSeq = topic.seqAt(cursors[t]);
                    next = t;
                }
            }
            if (-1 == next)
            {
                return given;
            }
            final TopicHistory topic = topics[next];
            final int i = cursors[next]++;
            if (nextSeq == lastGiven)
            {
                continue;
            }
            lastGiven = nextSeq;
            final TopicHistory first = topics[topic.firstTopicAt(i)];
            consumer.onRetained(
                first.name(), 0, first.nameLength(), topic.recordAt(i), 0, topic.recordLengthAt(i), nextSeq, topic.idAt(i));
            given++;
        }
    }

    /**
     * Bytes {@link #writeSnapshot} needs.
     *
     * @return the length.
     */
    int snapshotLength()
    {
        int length = 6 * BitUtil.SIZE_OF_INT + StateSettings.LENGTH + BitUtil.SIZE_OF_LONG +
            lastIngressSeqBySession.size() * 2 * BitUtil.SIZE_OF_LONG;
        for (int t = 0; t < topicCount; t++)
        {
            final TopicHistory topic = topics[t];
            length += BitUtil.SIZE_OF_INT + topic.nameLength() + BitUtil.SIZE_OF_LONG + BitUtil.SIZE_OF_INT;
            for (int i = 0; i < topic.count(); i++)
            {
                length += 2 * BitUtil.SIZE_OF_LONG + 2 * BitUtil.SIZE_OF_INT + topic.recordLengthAt(i);
            }
        }
        return length;
    }

    /**
     * Write the whole state.
     * <pre>
     *  magic, version, lastSeq (long), sessionCount, then per session: sessionId (long), lastIngressSeq (long),
     *  then historyPerTopic, the node that set the cluster's settings (-1: none did, these are the writer's), the
     *  cluster's {@link StateSettings}, topicCount, then per topic:
     *    nameLength, name, lastId (long), count, then per retained event: seq (long), id (long), first topic (the
     *    ordinal, in this list, of the event's first topic), length, record (and its further topics' names)
     * </pre>
     * (Version 2, still loaded, had no settings; version 1, still loaded, had no first topic either: each event was its
     * own topic's.)
     *
     * @param buffer to write into, at least {@link #snapshotLength()} bytes from {@code offset}.
     * @param offset where to start.
     * @return bytes written.
     */
    int writeSnapshot(final MutableDirectBuffer buffer, final int offset)
    {
        int p = offset;
        buffer.putInt(p, SNAPSHOT_MAGIC);
        p += BitUtil.SIZE_OF_INT;
        buffer.putInt(p, SNAPSHOT_VERSION);
        p += BitUtil.SIZE_OF_INT;
        buffer.putLong(p, lastSeq);
        p += BitUtil.SIZE_OF_LONG;
        buffer.putInt(p, lastIngressSeqBySession.size());
        p += BitUtil.SIZE_OF_INT;
        final Long2LongHashMap.KeyIterator sessions = lastIngressSeqBySession.keySet().iterator();
        while (sessions.hasNext())
        {
            final long sessionId = sessions.nextValue();
            buffer.putLong(p, sessionId);
            p += BitUtil.SIZE_OF_LONG;
            buffer.putLong(p, lastIngressSeqBySession.get(sessionId));
            p += BitUtil.SIZE_OF_LONG;
        }
        buffer.putInt(p, historyPerTopic);
        p += BitUtil.SIZE_OF_INT;
        buffer.putInt(p, null == clusterSettings ? -1 : clusterSettingsNode);
        p += BitUtil.SIZE_OF_INT;
        p += (null == clusterSettings ? settings : clusterSettings).write(buffer, p);
        buffer.putInt(p, topicCount);
        p += BitUtil.SIZE_OF_INT;
        for (int t = 0; t < topicCount; t++)
        {
            final TopicHistory topic = topics[t];
            buffer.putInt(p, topic.nameLength());
            p += BitUtil.SIZE_OF_INT;
            buffer.putBytes(p, topic.name(), 0, topic.nameLength());
            p += topic.nameLength();
            buffer.putLong(p, topic.lastId());
            p += BitUtil.SIZE_OF_LONG;
            buffer.putInt(p, topic.count());
            p += BitUtil.SIZE_OF_INT;
            for (int i = 0; i < topic.count(); i++)
            {
                buffer.putLong(p, topic.seqAt(i));
                p += BitUtil.SIZE_OF_LONG;
                buffer.putLong(p, topic.idAt(i));
                p += BitUtil.SIZE_OF_LONG;
                buffer.putInt(p, topic.firstTopicAt(i));
                p += BitUtil.SIZE_OF_INT;
                final int length = topic.recordLengthAt(i);
                buffer.putInt(p, length);
                p += BitUtil.SIZE_OF_INT;
                buffer.putBytes(p, topic.recordAt(i), 0, length);
                p += length;
            }
        }
        return p - offset;
    }

    /**
     * Replace the state with a snapshot's; a snapshot with more topics than {@code maxTopics} is refused, and one
     * that retained more events per topic than {@code historyPerTopic}, or more bytes than {@code historyTotalBytes},
     * keeps the newest. A snapshot of this version sets the cluster's settings (see {@link #settingsDifference()});
     * one of version 2 or 1 (written before byte budgets) leaves them to the next settings record.
     *
     * @param buffer holding what {@link #writeSnapshot} wrote.
     * @param offset where it starts.
     * @param length its length.
     * @throws IllegalArgumentException when it is not a snapshot of this version, is cut short, or has too many
     *                                  topics.
     */
    void loadSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int p = offset;
        require(p + 5 * BitUtil.SIZE_OF_INT + BitUtil.SIZE_OF_LONG <= end, "snapshot cut short");
        require(buffer.getInt(p) == SNAPSHOT_MAGIC, "not an sseflow snapshot");
        p += BitUtil.SIZE_OF_INT;
        final int version = buffer.getInt(p);
        require(version == SNAPSHOT_VERSION || version == SNAPSHOT_VERSION_NO_SETTINGS ||
            version == SNAPSHOT_VERSION_ONE_TOPIC, "snapshot version " + version + ", expected " + SNAPSHOT_VERSION +
            ", " + SNAPSHOT_VERSION_NO_SETTINGS + " or " + SNAPSHOT_VERSION_ONE_TOPIC);
        final int perEvent = 2 * BitUtil.SIZE_OF_LONG + BitUtil.SIZE_OF_INT +
            (version == SNAPSHOT_VERSION_ONE_TOPIC ? 0 : BitUtil.SIZE_OF_INT);
        p += BitUtil.SIZE_OF_INT;
        final long seq = buffer.getLong(p);
        p += BitUtil.SIZE_OF_LONG;
        final int sessionCount = buffer.getInt(p);
        p += BitUtil.SIZE_OF_INT;
        require(sessionCount >= 0 && p + (long)sessionCount * 2 * BitUtil.SIZE_OF_LONG + 2 * BitUtil.SIZE_OF_INT <= end,
            "snapshot cut short");
        lastIngressSeqBySession.clear();
        for (int i = 0; i < sessionCount; i++)
        {
            lastIngressSeqBySession.put(buffer.getLong(p), buffer.getLong(p + BitUtil.SIZE_OF_LONG));
            p += 2 * BitUtil.SIZE_OF_LONG;
        }
        p += BitUtil.SIZE_OF_INT;
        StateSettings snapshotSettings = null;
        int snapshotSettingsNode = -1;
        if (version == SNAPSHOT_VERSION)
        {
            require(p + BitUtil.SIZE_OF_INT + StateSettings.LENGTH + BitUtil.SIZE_OF_INT <= end, "snapshot cut short");
            snapshotSettingsNode = buffer.getInt(p);
            p += BitUtil.SIZE_OF_INT;
            snapshotSettings = StateSettings.read(buffer, p);
            require(null != snapshotSettings, "snapshot settings are not positive");
            p += StateSettings.LENGTH;
        }
        final int count = buffer.getInt(p);
        p += BitUtil.SIZE_OF_INT;
        require(count >= 0 && count <= maxTopics, "snapshot holds " + count + " topics, limit " + maxTopics);

        clear();
        lastSeq = seq;
        clusterSettings = snapshotSettings;
        clusterSettingsNode = snapshotSettingsNode;
        settingsAgree = null == snapshotSettings || settings.equals(snapshotSettings);
        for (int t = 0; t < count; t++)
        {
            require(p + BitUtil.SIZE_OF_INT <= end, "snapshot cut short");
            final int nameLength = buffer.getInt(p);
            p += BitUtil.SIZE_OF_INT;
            require(nameLength > 0 && nameLength <= ClusterRecord.MAX_TOPIC_NAME_LENGTH &&
                p + nameLength + BitUtil.SIZE_OF_LONG + BitUtil.SIZE_OF_INT <= end, "snapshot cut short");
            final int hash = TopicHistory.hash(buffer, p, nameLength);
            require(null == find(hash, buffer, p, nameLength), "snapshot names a topic twice");
            final TopicHistory topic = add(new TopicHistory(buffer, p, nameLength, hash, historyPerTopic, t));
            p += nameLength;
            topic.lastId(buffer.getLong(p));
            p += BitUtil.SIZE_OF_LONG;
            final int events = buffer.getInt(p);
            p += BitUtil.SIZE_OF_INT;
            for (int i = 0; i < events; i++)
            {
                require(p + perEvent <= end, "snapshot cut short");
                final long eventSeq = buffer.getLong(p);
                p += BitUtil.SIZE_OF_LONG;
                final long id = buffer.getLong(p);
                p += BitUtil.SIZE_OF_LONG;
                int firstTopic = t;
                if (version != SNAPSHOT_VERSION_ONE_TOPIC)
                {
                    firstTopic = buffer.getInt(p);
                    p += BitUtil.SIZE_OF_INT;
                    require(firstTopic >= 0 && firstTopic < count, "snapshot names first topic " + firstTopic +
                        " of " + count);
                }
                final int recordLength = buffer.getInt(p);
                p += BitUtil.SIZE_OF_INT;
                require(recordLength >= PublishRecord.HEADER_LENGTH && p + recordLength <= end, "snapshot cut short");
                retain(topic, eventSeq, id, firstTopic, buffer, p, recordLength);
                p += recordLength;
            }
        }
        require(p == end, "snapshot has " + (end - p) + " bytes after its last topic");
        evictOverBudget(Long.MAX_VALUE);
    }

    private void clear()
    {
        for (int t = 0; t < topicCount; t++)
        {
            topics[t] = null;
        }
        for (int i = 0; i < heapSize; i++)
        {
            byOldest[i] = null;
        }
        java.util.Arrays.fill(table, 0);
        topicCount = 0;
        heapSize = 0;
        lastSeq = 0;
        retainedBytes = 0;
        retainedEvents = 0;
        clusterSettings = null;
        clusterSettingsNode = -1;
        settingsAgree = true;
    }

    /**
     * A topic by name, for tests and tools.
     *
     * @return it, or null when the machine holds no such topic.
     */
    TopicHistory topic(final DirectBuffer buffer, final int offset, final int length)
    {
        return find(TopicHistory.hash(buffer, offset, length), buffer, offset, length);
    }

    private TopicHistory find(final int hash, final DirectBuffer buffer, final int offset, final int length)
    {
        final int[] table = this.table;
        int i = hash & mask;
        int entry;
        while (0 != (entry = table[i]))
        {
            final TopicHistory topic = topics[entry - 1];
            if (topic.nameEquals(hash, buffer, offset, length))
            {
                return topic;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private TopicHistory add(final TopicHistory topic)
    {
        topics[topicCount] = topic;
        int i = topic.hash() & mask;
        while (0 != table[i])
        {
            i = (i + 1) & mask;
        }
        table[i] = ++topicCount;
        return topic;
    }

    private static void require(final boolean condition, final String problem)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(problem);
        }
    }
}
