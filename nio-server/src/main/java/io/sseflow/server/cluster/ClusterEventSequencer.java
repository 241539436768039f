package io.sseflow.server.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.service.Cluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.SequencedEventHandler;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventSequencer} whose order and ids are decided by an Aeron Cluster: this node's member
 * ({@link ClusterNode}) runs in the process, and a single durable node is a one-member cluster.
 * <p>
 * Publishers on any thread claim space in a local many-to-one ring and commit their record, as with the in-memory
 * sequencer. {@link #poll}, on the server agent thread, which alone owns the {@link AeronCluster} client (it is not
 * thread-safe), does three things: it moves committed records into a pending ring as {@link ClusterRecord}s (the
 * topic by name, this node's index, the publisher's correlation id, and a number in this node's cluster session) and
 * offers them to the cluster's ingress, keeps the session alive and polls its egress, and hands the agent what the
 * clustered service decided, in log order, from a one-to-one ring the service fills. A pending record stays until the
 * service has applied it ({@link PendingRecords}); after a leader change, or {@link PendingRecords#RESEND_AFTER_NS}
 * without an answer, every pending record is offered again from the oldest, and the state machine applies each
 * number of a session once and in order, so a record the old leader took but never logged is not lost and one it
 * did log is not applied twice. An event this node's current session took comes back with its own topic index and correlation id,
 * so the agent answers its publisher; an event another node took (or this node before a restart) gets its topic
 * found or created by name through the {@link TopicDirectory} and no correlation id. A record of several topics (a
 * Mercure update) goes to the cluster with its further topics' names after it, and comes back from another session
 * with this node's indexes for them written into its list of further topics.
 * <p>
 * Each new session first sends this member's {@link StateSettings} ({@link ClusterRecord#putSettings}), before any of
 * its publishes; a member whose settings differ from the cluster's is told {@link MemberStop#REFUSED} (through the
 * stop listener) and takes no more claims.
 * <p>
 * Without a leader (no connection to the cluster, or the leader unreachable) for {@link #NO_LEADER_TIMEOUT_NS}, or
 * when the oldest record waited {@link PendingRecords#ANSWER_TIMEOUT_NS} without an answer, every pending record is
 * given up ({@link SequencedEventHandler#onRefused}): {@link PublishResult#NO_LEADER} for one that never left this
 * node, {@link PublishResult#OUTCOME_UNKNOWN} for one offered to the ingress (it may still be committed); new claims
 * are refused {@link PublishResult#NO_LEADER} while there is no leader. Readiness ({@link #isReady}) is a round trip
 * through the cluster's log, answered in time, not a leader once seen.
 */
public final class ClusterEventSequencer implements EventSequencer
{
    /**
     * How long records wait for a leader before they are refused.
     */
    static final long NO_LEADER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(3);

    private static final long KEEP_ALIVE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int MSG_TYPE_PUBLISH = 1;
    private static final int DELIVERY_RING_BYTES = 4 * 1024 * 1024;
    private static final int MAX_INGRESS_MESSAGE = ClusterNode.TERM_LENGTH / 8 - AeronCluster.SESSION_HEADER_LENGTH;

    private final ClusterSettings settings;
    private final ErrorHandler errorHandler;
    private final ManyToOneRingBuffer publishRing;
    private final OneToOneRingBuffer deliveries;
    private final EventService service;
    private final ClusterNode node;
    private final LogPurger purger;
    private final SnapshotSchedule snapshots;
    private final AeronCluster.Context clientContext;
    private final UnsafeBuffer entry;
    private final UnsafeBuffer ingress;
    private final UnsafeBuffer report = new UnsafeBuffer(new byte[ClusterRecord.HEADER_LENGTH]);
    private final UnsafeBuffer settingsRecord = new UnsafeBuffer(new byte[ClusterRecord.SETTINGS_LENGTH]);
    private boolean settingsSent;
    private long reportedSeq = -1;
    private long lastReportNs;
    private final int maxRecordLength;
    private final PublishRecord record = new PublishRecord();
    private final ControlledMessageHandler intake = this::intake;
    private final PendingRecords pending = new PendingRecords();
    private final MessageHandler deliverer = this::deliver;
    private TopicDirectory topics;
    private RecordTopics recordTopics;
    private SequencedEventHandler handler;
    private AeronCluster.AsyncConnect connecting;
    private AeronCluster client;
    private long lastIngressNs;
    private long failingSinceNs;
    private long nowNs;
    private volatile boolean noLeader;
    private volatile boolean answering;
    private long sessionId = Long.MIN_VALUE;
    private volatile boolean caughtUp;
    private volatile boolean closed;
    private volatile boolean memberStopped;

    /**
     * Start this node's cluster member and a sequencer over it; the client connects on the first {@link #poll}s.
     *
     * @param settings     the member's files and the member list.
     * @param capacity     capacity of the local publish ring, a power of two.
     * @param errorHandler receives errors of the cluster components.
     * @param out          where waits at start-up are reported.
     */
    public ClusterEventSequencer(
        final ClusterSettings settings, final int capacity, final ErrorHandler errorHandler, final PrintStream out)
    {
        this(settings, capacity, errorHandler, out, (stop, reason) ->
            errorHandler.onError(new IllegalStateException(reason)));
    }

    /**
     * Start this node's cluster member and a sequencer over it; the client connects on the first {@link #poll}s.
     * Once the member stops by itself (see {@link ClusterNode#launch(ClusterSettings,
     * io.aeron.cluster.service.ClusteredService, ErrorHandler, PrintStream, MemberStopListener)}) the sequencer is no
     * longer ready and refuses claims with {@link PublishResult#CLOSED}, and {@code stopListener} is told.
     *
     * @param settings     the member's files and the member list.
     * @param capacity     capacity of the local publish ring, a power of two.
     * @param errorHandler receives errors of the cluster components.
     * @param out          where waits at start-up are reported.
     * @param stopListener told once when the member stopped by itself.
     */
    public ClusterEventSequencer(
        final ClusterSettings settings,
        final int capacity,
        final ErrorHandler errorHandler,
        final PrintStream out,
        final MemberStopListener stopListener)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("publish ring capacity must be a power of two: " + capacity);
        }
        this.settings = settings;
        this.errorHandler = errorHandler;
        publishRing = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        deliveries = new OneToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(DELIVERY_RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        entry = new UnsafeBuffer(ByteBuffer.allocateDirect(PendingRecords.LOCAL_HEADER_LENGTH + MAX_INGRESS_MESSAGE));
        ingress = new UnsafeBuffer(entry, PendingRecords.LOCAL_HEADER_LENGTH, MAX_INGRESS_MESSAGE);
        maxRecordLength = Math.min(
            Math.min(publishRing.maxMsgLength(), deliveries.maxMsgLength() - Delivery.HEADER_LENGTH -
            ClusterRecord.MAX_TOPIC_NAME_LENGTH),
            MAX_INGRESS_MESSAGE - ClusterRecord.HEADER_LENGTH - ClusterRecord.MAX_TOPIC_NAME_LENGTH);
        ClusterRecord.putSettings(
            settingsRecord, 0, settings.nodeIndex(), settings.stateSettings(), settings.changeSettings());
        service = new EventService(new EventStateMachine(settings.stateSettings()), deliveries,
            settings.changeSettings(), (stop, reason) ->
            {
                memberStopped = true;
                stopListener.onMemberStopped(MemberStop.REFUSED, "cluster node " + settings.nodeIndex() + reason);
            });
        purger = new LogPurger(settings, errorHandler);
        service.purger(purger);
        try
        {
            node = ClusterNode.launch(settings, service, errorHandler, out, (stop, reason) ->
            {
                memberStopped = true;
                stopListener.onMemberStopped(stop, reason);
            });
        }
        catch (final RuntimeException | Error ex)
        {
            purger.close();
            throw ex;
        }
        snapshots = new SnapshotSchedule(settings, node, service);
        clientContext = new AeronCluster.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .ingressChannel("aeron:udp?term-length=" + ClusterNode.TERM_LENGTH)
            .ingressEndpoints(settings.ingressEndpoints())
            .egressChannel("aeron:udp?endpoint=" + settings.host(settings.nodeIndex()) + ":0")
            .egressListener(NO_EGRESS)
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .errorHandler(errorHandler);
    }

    /**
     * The agent's topics; must be set before the first {@link #poll}.
     *
     * @param topics name and index of topics, on the agent thread.
     * @return this.
     */
    public ClusterEventSequencer topicDirectory(final TopicDirectory topics)
    {
        this.topics = topics;
        this.recordTopics = new RecordTopics(topics, errorHandler);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public PublishResult tryClaim(final int length, final PublishClaim claim)
    {
        if (claim.isClaimed())
        {
            throw new IllegalStateException("claim still holds a record: commit or abort it first");
        }
        if (closed || memberStopped)
        {
            return PublishResult.CLOSED;
        }
        if (noLeader)
        {
            return PublishResult.NO_LEADER;
        }
        if (null != node.lowDiskReason())
        {
            return PublishResult.INSUFFICIENT_STORAGE;
        }
        if (length > maxRecordLength)
        {
            return PublishResult.TOO_LARGE;
        }
        final int index = publishRing.tryClaim(MSG_TYPE_PUBLISH, length);
        if (RingBuffer.INSUFFICIENT_CAPACITY == index)
        {
            return PublishResult.BACK_PRESSURED;
        }
        claim.wrap(publishRing.buffer(), index, length, index);
        return PublishResult.OK;
    }

    /**
     * {@inheritDoc}
     */
    public void commit(final PublishClaim claim)
    {
        publishRing.commit((int)claim.release());
    }

    /**
     * {@inheritDoc}
     */
    public void abort(final PublishClaim claim)
    {
        publishRing.abort((int)claim.release());
    }

    /**
     * {@inheritDoc}
     */
    public int maxRecordLength()
    {
        return maxRecordLength;
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final SequencedEventHandler handler, final int limit)
    {
        this.handler = handler;
        nowNs = System.nanoTime();
        // a member that stopped by itself (refused) sends the cluster nothing more: no settings, publishes or probes
        final AeronCluster client = memberStopped ? null : connected();
        if (null != client)
        {
            client.pollEgress();
            pending.checkLeader(client);
        }
        publishRing.controlledRead(intake);
        if (null != client && !client.isClosed() && !settingsSent)
        {
            settingsSent = client.offer(settingsRecord, 0, ClusterRecord.SETTINGS_LENGTH) > 0;
        }
        if (null != client && !client.isClosed() && settingsSent)
        {
            if (pending.send(client, nowNs) > 0)
            {
                lastIngressNs = nowNs;
                healthy();
            }
            if (pending.foundNotConnected())
            {
                failing();
            }
            reportPosition(client);
            if (nowNs - lastIngressNs > KEEP_ALIVE_INTERVAL_NS)
            {
                lastIngressNs = nowNs;
                if (client.sendKeepAlive())
                {
                    healthy();
                }
                else
                {
                    failing();
                }
            }
        }
        final int delivered = deliveries.read(deliverer, limit);
        if ((noLeader && !pending.isEmpty()) || pending.isOverdue(nowNs))
        {
            giveUp();
        }
        if (isConnected() && !memberStopped)
        {
            pending.probeIfIdle(settings.nodeIndex(), nowNs);
        }
        answering = isConnected() && pending.isAnswering(nowNs);
        if (!memberStopped)
        {
            snapshots.poll(nowNs);
        }
        if (!caughtUp && null != client && 0 == deliveries.size() && node.isElectionClosed())
        {
            caughtUp = true;
        }
        return delivered;
    }

    /**
     * Stop taking claims and leave the cluster: the client session closes, then this node's member stops. Events
     * already decided can still be polled; records not yet forwarded are refused {@link PublishResult#CLOSED} by the
     * next {@link #poll}.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            service.closing();
            CloseHelper.quietCloseAll(connecting, client);
            client = null;
            connecting = null;
            purger.close();
            node.close();
        }
    }

    /**
     * Ready for publishes: a publish on this node would be committed now. Connected to a leader, this member out of
     * elections (so caught up with the log it joined), the agent has once taken every event the service had applied
     * since the client connected, and the cluster answers this node's session: a record or probe it sent came back
     * applied within the last {@link PendingRecords#PROBE_INTERVAL_NS} + {@link PendingRecords#ROUND_TRIP_BOUND_NS}
     * and nothing it sent has waited longer than {@link PendingRecords#ROUND_TRIP_BOUND_NS}. A session the cluster no
     * longer answers (its leader restarted) is therefore not ready, whatever the client believes.
     *
     * @return true when ready.
     */
    public boolean isReady()
    {
        return caughtUp && answering && !closed && !memberStopped && !noLeader && isConnected() &&
            node.isElectionClosed();
    }

    /**
     * Why publishes are refused: the data dir's file system has less than {@link ClusterSettings#minFreeDiskBytes()}
     * free ({@link ClusterNode#lowDiskReason()}).
     *
     * @return the reason, naming the free and the needed bytes, or null when there is enough space.
     */
    public String lowStorageReason()
    {
        return node.lowDiskReason();
    }

    /**
     * A member of several can be behind the others at any time; a single durable node only until it is ready (its
     * log replayed after a restart).
     */
    public boolean canBeBehind()
    {
        return settings.memberCount() > 1 || !isReady();
    }

    /**
     * {@inheritDoc}
     */
    public int maxMetricsLength()
    {
        return ClusterMetrics.maxLength();
    }

    /**
     * The cluster's lines: {@code sseflow_cluster_role} (0 follower, 1 candidate, 2 leader), commit position, applied
     * seq, snapshots, seconds since the last snapshot, ingress back pressure.
     */
    public int renderMetrics(final MutableDirectBuffer buffer, final int offset)
    {
        return ClusterMetrics.render(buffer, offset, node, service, pending.backPressured());
    }

    /**
     * This member's role, as its service last heard.
     *
     * @return leader, follower or candidate.
     */
    public Cluster.Role role()
    {
        return service.role();
    }

    /**
     * This member's role, as its service last heard, for logs: code outside this package does not see Aeron's types.
     *
     * @return {@code leader}, {@code follower} or {@code candidate}.
     */
    public String roleName()
    {
        return service.role().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Hub sequence of the last event this member applied.
     *
     * @return the seq.
     */
    public long appliedSeq()
    {
        return service.appliedSeq();
    }

    /**
     * Snapshots this member's service wrote since it started.
     *
     * @return the count.
     */
    public int snapshotsTaken()
    {
        return service.snapshotsTaken();
    }

    /**
     * Log segments this member deleted since it started, as snapshots made them redundant.
     *
     * @return the count.
     */
    long purgedSegments()
    {
        return purger.purgedSegments();
    }

    /**
     * The clustered service's thread, once it started.
     *
     * @return the thread, or null.
     */
    Thread serviceThread()
    {
        return service.thread();
    }

    /**
     * Is the client connected to a leader?
     *
     * @return true once connected, until the connection is lost.
     */
    public boolean isConnected()
    {
        final AeronCluster client = this.client;
        return null != client && !client.isClosed();
    }

    /**
     * Ask this member's consensus module for a snapshot.
     *
     * @return true when taken.
     */
    public boolean requestSnapshot()
    {
        return node.requestSnapshot();
    }

    /**
     * The member.
     *
     * @return the node.
     */
    public ClusterNode node()
    {
        return node;
    }

    /**
     * What the last offer to the cluster's ingress returned: a position, or a {@link io.aeron.Publication} error code.
     *
     * @return the value, 0 before the first offer.
     */
    public long lastOfferResult()
    {
        return pending.lastOfferResult();
    }

    /**
     * The member the client sends to, as it last heard.
     *
     * @return the member index, -1 when not connected.
     */
    public int leaderMemberId()
    {
        final AeronCluster client = this.client;
        return null == client ? -1 : client.leaderMemberId();
    }

    private AeronCluster connected()
    {
        AeronCluster client = this.client;
        if (null != client && client.isClosed())
        {
            this.client = client = null;
            caughtUp = false;
            endSession();
        }
        if (null == client && !closed)
        {
            try
            {
                if (null == connecting)
                {
                    connecting = AeronCluster.asyncConnect(clientContext.clone());
                }
                client = connecting.poll();
                if (null != client)
                {
                    connecting = null;
                    this.client = client;
                    pending.onNewSession(client);
                    sessionId = client.clusterSessionId();
                    settingsSent = false;
                    service.localSessionId(sessionId);
                    lastIngressNs = nowNs;
                    healthy();
                }
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(connecting);
                connecting = null;
            }
        }
        if (null == client)
        {
            failing();
        }
        return client;
    }

    /**
     * With several members, tell the others (through the log) how far this member's service has applied it, at most
     * every second and only when it applied events since the last report: they keep the log it may still need
     * ({@link LogPurger}).
     */
    private void reportPosition(final AeronCluster client)
    {
        if (settings.memberCount() > 1 && nowNs - lastReportNs > REPORT_INTERVAL_NS)
        {
            final long applied = service.appliedSeq();
            if (applied != reportedSeq)
            {
                lastReportNs = nowNs;
                final int length =
                    ClusterRecord.putPositionReport(report, 0, settings.nodeIndex(), service.appliedPosition());
                if (client.offer(report, 0, length) > 0)
                {
                    reportedSeq = applied;
                    lastIngressNs = nowNs;
                }
            }
        }
    }

    /**
     * Nothing was answered in time, or there is no leader: answer every queued record now, {@code 503} for those
     * that never left this node and {@code 504} for those offered. When some had been offered this session's
     * numbering cannot go on (the cluster may have applied them or not), so the client is closed and a new session
     * connects on the next poll; its records, if the cluster logs them, come back as another node's.
     */
    private void giveUp()
    {
        if (pending.giveUp(handler))
        {
            final AeronCluster client = this.client;
            if (null != client)
            {
                CloseHelper.quietClose(client);
                this.client = null;
                caughtUp = false;
            }
            sessionId = Long.MIN_VALUE;
            service.localSessionId(Long.MIN_VALUE);
        }
    }

    /**
     * The client's session was lost: what it offered may or may not be committed, and sent again in a new session it
     * could be applied twice, so every queued record is given up ({@code 504} when offered, {@code 503} when not) and
     * answers still on their way for the lost session count as another node's.
     */
    private void endSession()
    {
        pending.giveUp(handler);
        sessionId = Long.MIN_VALUE;
        service.localSessionId(Long.MIN_VALUE);
    }

    private void failing()
    {
        if (0 == failingSinceNs)
        {
            failingSinceNs = nowNs;
        }
        else if (nowNs - failingSinceNs > NO_LEADER_TIMEOUT_NS)
        {
            noLeader = true;
        }
    }

    private void healthy()
    {
        failingSinceNs = 0;
        noLeader = false;
    }

    private ControlledMessageHandler.Action intake(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final PublishRecord record = this.record.wrap(buffer, index);
        if (closed || noLeader)
        {
            handler.onRefused(buffer, index, length, closed ? PublishResult.CLOSED : PublishResult.NO_LEADER);
            return ControlledMessageHandler.Action.CONTINUE;
        }
        final UnsafeBuffer ingress = this.ingress;
        final int nameLength = topics.topicName(record.topicIndex(), ingress, ClusterRecord.HEADER_LENGTH);
        if (nameLength <= 0 || nameLength > ClusterRecord.MAX_TOPIC_NAME_LENGTH)
        {
            return refuseNoLiveTopic(buffer, index, length, record.topicIndex());
        }
        ingress.putLong(ClusterRecord.CORRELATION_ID_OFFSET, record.correlationId());
        ingress.putLong(ClusterRecord.INGRESS_SEQ_OFFSET, pending.nextIngressSeq());
        ingress.putInt(ClusterRecord.ORIGIN_NODE_OFFSET, settings.nodeIndex());
        ingress.putInt(ClusterRecord.TOPIC_NAME_LENGTH_OFFSET, nameLength);
        final int recordAt = ClusterRecord.HEADER_LENGTH + nameLength;
        ingress.putBytes(recordAt, buffer, index, length);
        final RecordTopics.NamesOutcome names = recordTopics.appendNames(record, ingress, recordAt + length);
        if (names == RecordTopics.NamesOutcome.NO_LIVE_TOPIC)
        {
            return refuseNoLiveTopic(buffer, index, length, recordTopics.failedTopicIndex());
        }
        if (names == RecordTopics.NamesOutcome.TOO_LARGE)
        {
            handler.onRefused(buffer, index, length, PublishResult.TOO_LARGE);
            return ControlledMessageHandler.Action.CONTINUE;
        }
        if (!pending.append(entry, recordTopics.end(), nowNs))
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private ControlledMessageHandler.Action refuseNoLiveTopic(
        final MutableDirectBuffer buffer, final int index, final int length, final int topicIndex)
    {
        errorHandler.onError(new IllegalStateException("publish record for no live topic, index " + topicIndex));
        handler.onRefused(buffer, index, length, PublishResult.CLOSED);
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private void deliver(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long ingressSeq = buffer.getLong(index + Delivery.INGRESS_SEQ_OFFSET);
        final boolean local = 0 != ingressSeq && buffer.getLong(index + Delivery.SESSION_ID_OFFSET) == sessionId;
        if (Delivery.PROBED == msgTypeId)
        {
            if (local)
            {
                pending.acknowledge(ingressSeq, nowNs);
            }
            return;
        }
        final int nameLength = buffer.getInt(index + Delivery.NAME_LENGTH_OFFSET);
        final int recordOffset = index + Delivery.HEADER_LENGTH + nameLength;
        final PublishRecord record = this.record.wrap(buffer, recordOffset);
        final int recordLength = record.recordLength();
        if (local)
        {
            pending.acknowledge(ingressSeq, nowNs);
        }
        final long seq = buffer.getLong(index + Delivery.SEQ_OFFSET);
        final long value = buffer.getLong(index + Delivery.NUMERIC_ID_OFFSET);
        if (!local &&
            !recordTopics.pinByName(buffer, index + Delivery.HEADER_LENGTH, nameLength, record, recordLength, seq, handler))
        {
            return;
        }
        switch (msgTypeId)
        {
            case Delivery.APPENDED:
                handler.onEvent(buffer, recordOffset, recordLength, seq, value);
                break;

            case Delivery.DUPLICATE:
                handler.onDuplicate(buffer, recordOffset, recordLength, seq);
                break;

            case Delivery.REFUSED:
            default:
                handler.onRefused(buffer, recordOffset, recordLength,
                    ApplyOutcome.ID_CONFLICT.ordinal() == value ? PublishResult.ID_CONFLICT : PublishResult.TOPIC_LIMIT);
                break;
        }
    }

    private static final EgressListener NO_EGRESS =
        (clusterSessionId, timestamp, buffer, offset, length, header) ->
        {
        };
}
