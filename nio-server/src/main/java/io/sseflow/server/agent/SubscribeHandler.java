package io.sseflow.server.agent;

import io.sseflow.server.Authorization;
import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.SubscribeAuthorizer;
import io.sseflow.server.http.CacheControl;
import io.sseflow.server.http.HttpMethod;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.LastEventIdField;
import io.sseflow.server.http.QueryParameters;
import io.sseflow.server.Topic;
import io.sseflow.server.log.TopicLog;
import io.sseflow.server.mercure.MercureResume;
import io.sseflow.server.mercure.MercureResumeSource;
import io.sseflow.server.mercure.MercureSubscribeOutcome;
import io.sseflow.server.mercure.MercureSubscribeQuery;
import io.sseflow.server.selector.SelectorKind;
import io.sseflow.server.selector.SelectorSet;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Subscribing. {@code GET /events/{topic}}: the {@link SubscribeAuthorizer} (when configured) decides, the
 * {@code Last-Event-ID} header or {@code lastEventId} query parameter picks where the replay starts in the topic's
 * log, and the connection becomes a streaming subscriber whose cursor starts with the event-stream response head.
 * {@code GET /events?topic=A&topic=B} and Mercure's {@code GET /.well-known/mercure?topic=S}: the same, on the
 * {@link SharedStream} of those topics or selectors (and the private-update selectors authorization granted).
 * <p>
 * A stream whose authorization expires ({@link Authorization#expiringAt}, a JWT's {@code exp}) ends then, after whole
 * frames ({@link ConnectionTimers}); one whose credentials came in the URL answers {@code Cache-Control: private}.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class SubscribeHandler
{
    private static final int MAX_FIELD_BYTES = 1024;
    private static final long MAX_LIFETIME_MS = TimeUnit.DAYS.toMillis(365L * 100);
    private static final String TOPIC_NAMES_REASON =
        "topic name must match [A-Za-z0-9._-]{1,128}, not . or ..: /events/{topic} or /events?topic=A&topic=B";

    private final ServerConfig config;
    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private DirectBuffer resumeIdBuffer;
    private int resumeIdOffset;
    private final ResponseWriter writer;
    private final SubscriberFlusher flusher;
    private final CatchUpHolds holds;
    private final LinkHolds linkHolds;
    private final CachedNanoClock clock;
    private final AtomicBoolean closeRequested;
    private final ByteBuffer streamHead;
    private final ByteBuffer privateStreamHead;
    private final SubscribeAuthorizer subscribeAuthorizer;
    private final Presence presence;
    private final ParsedSubscribeRequest subscribeRequest = new ParsedSubscribeRequest();
    private final UnsafeBuffer fieldBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_FIELD_BYTES));

    /**
     * The last write time a held connection's cursor is given, far ahead, so that it sends no heartbeat (nor looks
     * idle) before its response head.
     */
    static final long HELD_LAST_WRITE_NS = Long.MAX_VALUE >> 2;

    SubscribeHandler(
        final AgentContext context,
        final ResponseWriter writer,
        final SubscriberFlusher flusher,
        final CatchUpHolds holds,
        final ByteBuffer streamHead,
        final ByteBuffer privateStreamHead,
        final Presence presence)
    {
        this.presence = presence;
        this.holds = holds;
        this.linkHolds = new LinkHolds(context.topics.streams(), this::startLinked);
        this.config = context.config;
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.writer = writer;
        this.flusher = flusher;
        this.clock = context.clock;
        this.closeRequested = context.closeRequested;
        this.streamHead = streamHead;
        this.privateStreamHead = privateStreamHead;
        subscribeAuthorizer = context.config.subscribeAuthorizer();
    }

    /**
     * The subscribers waiting for their new stream to be linked.
     *
     * @return the holds.
     */
    LinkHolds linkHolds()
    {
        return linkHolds;
    }

    /**
     * Answer {@code GET /events/{topic}}: authorize, find where to start (after {@code Last-Event-ID} or
     * {@code ?lastEventId=} when the log still holds it, else the oldest event kept), then stream: the response head
     * and any replay go out in the first flush.
     *
     * @param connection  whose request is complete in {@code buffer}.
     * @param buffer      holding the request.
     * @param topicOffset of the topic name in the path.
     * @param topicLength of the topic name.
     */
    void onSubscribe(final Connection connection, final UnsafeBuffer buffer, final int topicOffset, final int topicLength)
    {
        final HttpRequestParser parser = connection.parser;
        if (!authorize(connection, buffer, topicOffset, topicLength))
        {
            return;
        }
        final TopicState topic = topics.lookup(buffer, topicOffset, topicLength);
        if (null == topic)
        {
            writer.sendError(connection, Refusal.TOPIC_LIMIT);
            return;
        }
        if (closeRequested.get())
        {
            writer.sendError(connection, Refusal.SHUTTING_DOWN);
            return;
        }

        final int idLength = findResumeId(connection, buffer);
        if (idLength < 0)
        {
            return;
        }
        final DirectBuffer idBuffer = resumeIdBuffer;
        final int idOffset = resumeIdOffset;

        final TopicLog log = topic.logOrCreate();
        long startOrdinal = log.nextOrdinal();
        if (idLength > 0)
        {
            metrics.increment(ServerCounter.REPLAYS);
            startOrdinal = log.ordinalAfterId(idBuffer, idOffset, idLength);
            if (startOrdinal == TopicLog.NOT_FOUND &&
                holds.shouldHold(log.highestNumericId(), idBuffer, idOffset, idLength))
            {
                connection.startStreaming(topic);
                limitToCredentials(connection);
                metrics.addSelectors(SelectorKind.EXACT, 1);
                connection.cursor.open(log, log.nextOrdinal(), constantStreamHead(), clock.nanoTime());
                holds.hold(connection, topic, idBuffer, idOffset, idLength, clock.nanoTime());
                flusher.flush(connection);
                return;
            }
            if (startOrdinal == TopicLog.NOT_FOUND)
            {
                metrics.increment(ServerCounter.REPLAY_MISSES);
                startOrdinal = log.firstOrdinal();
            }
        }

        connection.startStreaming(topic);
        limitToCredentials(connection);
        metrics.addSelectors(SelectorKind.EXACT, 1);
        connection.cursor.open(log, startOrdinal, constantStreamHead(), clock.nanoTime());
        topic.addSubscriber(connection);
        metrics.increment(ServerCounter.SUBSCRIBERS);
        flusher.flush(connection);
    }

    /**
     * Ask the subscribe authorizer, if there is one, about a stream request for one topic ({@code GET} or
     * {@code HEAD} {@code /events/{topic}}); a refusal is answered here.
     *
     * @return true when the request may have the stream; then {@link #privateSelectors()} says which private
     * updates it receives.
     */
    boolean authorize(
        final Connection connection, final UnsafeBuffer buffer, final int topicOffset, final int topicLength)
    {
        if (null == subscribeAuthorizer)
        {
            subscribeRequest.clearGrant();
            return true;
        }
        final String topicName = buffer.getStringWithoutLengthAscii(topicOffset, topicLength);
        return authorize(connection, subscribeRequest.wrap(buffer, connection.parser, topicName, connection.remoteAddress));
    }

    /**
     * Ask the subscribe authorizer, if there is one, about a stream request for several topic names
     * ({@code GET /events?topic=A&topic=B}) or for topic selectors (a Mercure subscribe, whose selectors never need
     * a grant: the answer decides only which private updates it receives); a refusal is answered here. The
     * authorizer is called once for the whole request.
     *
     * @param connection whose request is complete in {@code buffer}.
     * @param buffer     holding the request.
     * @param topics     the topic names or selectors asked for, decoded.
     * @param selectors  true when {@code topics} are selectors.
     * @return true when the request may have the stream; then {@link #privateSelectors()} says which private
     * updates it receives.
     */
    boolean authorize(
        final Connection connection, final UnsafeBuffer buffer, final List<String> topics, final boolean selectors)
    {
        if (null == subscribeAuthorizer)
        {
            subscribeRequest.clearGrant();
            return true;
        }
        return authorize(
            connection, subscribeRequest.wrap(buffer, connection.parser, topics, selectors, connection.remoteAddress));
    }

    /**
     * Which {@code private} updates the subscriber whose request was last authorized receives (its token's
     * {@code mercure.subscribe} selectors).
     *
     * @return the selectors, or null for public updates only.
     */
    SelectorSet privateSelectors()
    {
        return subscribeRequest.privateSelectors();
    }

    /**
     * The {@code Cache-Control} of the response to the request last authorized: {@code private} when it carried its
     * credentials in the URL.
     *
     * @return the cache control.
     */
    CacheControl cacheControl()
    {
        return subscribeRequest.credentialsInUrl() ? CacheControl.PRIVATE : CacheControl.NO_CACHE;
    }

    private ByteBuffer constantStreamHead()
    {
        return subscribeRequest.credentialsInUrl() ? privateStreamHead : streamHead;
    }

    /**
     * Set a starting stream's end: when the credentials it was authorized with expire, converted from the wall clock
     * to the agent's nano clock now. Credentials already expired (a token accepted inside the verifier's clock skew)
     * end it at the next timer scan, after whole frames; an expiry more than a century away is none.
     */
    private void limitToCredentials(final Connection connection)
    {
        final long expiresAtEpochMillis = subscribeRequest.expiresAtEpochMillis();
        final long remainingMs = Authorization.NEVER_EXPIRES == expiresAtEpochMillis ? Long.MAX_VALUE :
            expiresAtEpochMillis - System.currentTimeMillis();
        connection.credentialsExpire = remainingMs <= MAX_LIFETIME_MS;
        connection.credentialsExpireNs = connection.credentialsExpire ?
            clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, remainingMs)) : 0;
        if (subscribeRequest.credentialsInUrl())
        {
            metrics.increment(ServerCounter.STREAMS_CREDENTIALS_IN_URL);
        }
    }

    private boolean authorize(final Connection connection, final ParsedSubscribeRequest request)
    {
        Authorization answer = null;
        try
        {
            answer = subscribeAuthorizer.authorization(request);
            if (null == answer)
            {
                config.errorHandler().onError(new IllegalStateException("subscribe authorizer returned null"));
            }
        }
        catch (final RuntimeException ex)
        {
            config.errorHandler().onError(ex);
        }
        finally
        {
            request.clear();
        }

        if (null == answer)
        {
            writer.sendError(connection, Refusal.SERVER_ERROR);
            return false;
        }
        if (!answer.isAllowed())
        {
            writer.sendError(connection, answer.refusal(), answer.reason());
            return false;
        }
        request.allowed(answer);
        return true;
    }

    /**
     * Answer {@code GET /events?topic=A&topic=B}: one stream of every event of those topics in hub order, shared with
     * every subscriber of the same topics ({@link SharedStream}), each event named by its seq (a Mercure update by
     * its own id); {@code Last-Event-ID} or {@code ?lastEventId=} resumes right after that event.
     *
     * @param connection whose request is complete in {@code buffer}.
     * @param buffer     holding the request.
     */
    void onSubscribeTopics(final Connection connection, final UnsafeBuffer buffer)
    {
        final SelectorSet selectors = acceptQuery(connection, buffer, false);
        if (null == selectors)
        {
            return;
        }
        final HttpRequestParser parser = connection.parser;
        final int idLength = findResumeId(connection, buffer);
        if (idLength < 0)
        {
            return;
        }
        final DirectBuffer idBuffer = resumeIdBuffer;
        final int idOffset = resumeIdOffset;
        startShared(connection, selectors, idBuffer, idOffset, idLength, false, LastEventIdField.NONE);
    }

    /**
     * Answer a Mercure subscription, {@code GET /.well-known/mercure?topic=S&topic=S2}: every update (and native
     * event) whose topic one of the selectors matches, once each; {@code Last-Event-ID}, else {@code ?lastEventID=},
     * else {@code ?lastEventId=} (see {@link MercureSubscribeQuery}) resumes after that update, {@code earliest}
     * replays everything retained. A resuming subscription's response head carries {@code Last-Event-ID} (see
     * {@link #startShared}). Under Mercure 1.0 ({@code ?match=}, see {@link MercureSubscribeQuery}) the id comes
     * from the header, else {@code ?last_event_id=}, and the field is {@code Mercure-Last-Event-ID}. A {@code QUERY}
     * request (RFC 10008) is the same subscription with more parameters in its form body.
     *
     * @param connection whose request is complete in {@code buffer}.
     * @param buffer     holding the request.
     */
    void onMercureSubscribe(final Connection connection, final UnsafeBuffer buffer)
    {
        final MercureSubscribeQuery query = mercureQuery(connection, buffer);
        if (null == query)
        {
            return;
        }
        int idLength = 0;
        if (query.resume() == MercureResume.AFTER_ID)
        {
            idLength = fieldBuffer.putStringWithoutLengthUtf8(0, query.lastEventId());
        }
        if (query.resumeSource() == MercureResumeSource.LAST_EVENT_ID_ALIAS_PARAMETER)
        {
            metrics.increment(ServerCounter.MERCURE_LAST_EVENT_ID_ALIAS);
        }
        final MercureResume resume = query.resume();
        final String payloadJson = subscribeRequest.payloadJson();
        startShared(
            connection, query.selectors(), fieldBuffer, 0, idLength, resume == MercureResume.EARLIEST,
            query.lastEventIdField());
        if (presence.enabled() && connection.state() == Connection.State.STREAMING)
        {
            presence.started(connection, query.selectors(), payloadJson);
        }
    }

    /**
     * Check (and authorize) the topics of a stream request by query, {@code /events?topic=...} or a Mercure
     * subscription; a refusal is answered here ({@code 400} naming the problem).
     *
     * @param connection whose request head is in {@code buffer}.
     * @param buffer     holding it.
     * @param mercure    true for {@code /.well-known/mercure} (selectors), false for native topic names.
     * @return the selectors, or null when refused.
     */
    SelectorSet acceptQuery(final Connection connection, final UnsafeBuffer buffer, final boolean mercure)
    {
        if (mercure)
        {
            final MercureSubscribeQuery query = mercureQuery(connection, buffer);
            return null == query ? null : query.selectors();
        }
        final HttpRequestParser parser = connection.parser;
        final MercureSubscribeQuery query = MercureSubscribeQuery.parseTopicNames(
            buffer, parser.queryOffset(), Math.max(parser.queryLength(), 0));
        if (query.outcome() != MercureSubscribeOutcome.OK)
        {
            writer.sendError(connection, Refusal.BAD_REQUEST,
                query.outcome() == MercureSubscribeOutcome.MISSING_TOPIC ? TOPIC_NAMES_REASON : query.reason());
            return null;
        }
        final SelectorSet selectors = query.selectors();
        for (int i = 0; i < selectors.size(); i++)
        {
            if (!Topic.isValidName(selectors.selector(i).text()))
            {
                writer.sendError(connection, Refusal.BAD_REQUEST, TOPIC_NAMES_REASON);
                return null;
            }
        }
        return authorizeAll(connection, buffer, selectors, false) ? selectors : null;
    }

    private MercureSubscribeQuery mercureQuery(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        final boolean inBody = parser.method() == HttpMethod.QUERY;
        final MercureSubscribeQuery query = MercureSubscribeQuery.parse(
            buffer, parser.queryOffset(), Math.max(parser.queryLength(), 0),
            inBody ? buffer : null, parser.headLength(), inBody ? (int)parser.bodyLength() : 0,
            buffer, parser.lastEventIdOffset(), parser.lastEventIdOffset() < 0 ? -1 : parser.lastEventIdLength());
        if (query.outcome() != MercureSubscribeOutcome.OK)
        {
            writer.sendError(connection, Refusal.BAD_REQUEST, query.reason());
            return null;
        }
        return authorizeAll(connection, buffer, query.selectors(), true) ? query : null;
    }

    private boolean authorizeAll(
        final Connection connection, final UnsafeBuffer buffer, final SelectorSet selectors, final boolean mercure)
    {
        if (null == subscribeAuthorizer)
        {
            subscribeRequest.clearGrant();
            return true;
        }
        final List<String> texts = new ArrayList<>(selectors.size());
        for (int i = 0; i < selectors.size(); i++)
        {
            texts.add(selectors.selector(i).text());
        }
        return authorize(connection, buffer, texts, mercure);
    }

    /**
     * Stream a shared stream from where the request resumes (a new stream may be refused: its client's share of the
     * stream-log budget used up, 429, or the budget full, 503): after the event with that id when the stream's log
     * holds it (else, when the id is ahead of a lagging node, held until the node has it ({@link CatchUpHolds}), else
     * from the oldest retained, counted as a replay miss), from the oldest retained for
     * {@code earliest}, else live.
     * <p>
     * With a {@code lastEventIdField} (a Mercure subscription that asked to resume), the response head carries
     * {@code Last-Event-ID}: the id of the event preceding the first one sent, which is the requested id when the
     * stream's log holds it, else {@code earliest} ({@code earliest} asked for, the id unknown or evicted). The
     * stream's log holds only what this subscriber may receive (its private updates are those its grant matches), so
     * an id the subscriber may not receive is never found, and only the client's own id is ever echoed. A held
     * stream echoes the requested id too: the head goes out before the node catches up, and the hold then starts
     * right after that id; only a hold that times out replays every retained event instead, and those repeat what
     * the client has (its id was ahead of them), so no gap is hidden from it. The field is {@code lastEventIdField}
     * ({@code Mercure-Last-Event-ID} under Mercure 1.0; {@link LastEventIdField#NONE}: no field).
     */
    private void startShared(
        final Connection connection,
        final SelectorSet selectors,
        final DirectBuffer idBuffer,
        final int idOffset,
        final int idLength,
        final boolean earliest,
        final LastEventIdField lastEventIdField)
    {
        if (closeRequested.get())
        {
            writer.sendError(connection, Refusal.SHUTTING_DOWN);
            return;
        }
        final StreamRegistry streams = topics.streams();
        final SelectorSet privateSelectors = subscribeRequest.privateSelectors();
        final long newParts = streams.newTemplateParts(selectors, privateSelectors);
        final InetAddress client = connection.remoteAddress;
        if (newParts > 0 && null != client &&
            streams.templatePartsOf(client) + newParts > config.maxTemplatePartsPerAddress())
        {
            writer.sendError(connection, Refusal.ADDRESS_TEMPLATE_LIMIT);
            return;
        }
        if (newParts > 0 && streams.templateParts() + newParts > config.maxTemplateParts())
        {
            writer.sendError(connection, Refusal.TEMPLATE_LIMIT);
            return;
        }
        final SharedStream stream = streams.getOrCreate(selectors, privateSelectors, client);
        if (null == stream)
        {
            writer.sendError(connection, streams.refusal());
            return;
        }
        if (stream.isLinking())
        {
            connection.startStreaming(stream);
            limitToCredentials(connection);
            countSelectors(selectors);
            connection.cursor.open(stream.log, stream.log.nextOrdinal(), null, HELD_LAST_WRITE_NS);
            linkHolds.hold(connection, stream, idBuffer, idOffset, idLength, earliest, lastEventIdField,
                subscribeRequest.credentialsInUrl());
            metrics.increment(ServerCounter.SUBSCRIBERS);
            return;
        }
        resumeShared(connection, stream, selectors, idBuffer, idOffset, idLength, earliest, lastEventIdField,
            subscribeRequest.credentialsInUrl(), false);
    }

    /**
     * Start a connection held while its stream was linked ({@link LinkHolds}), now that it is, as
     * {@link #startShared} starts one whose stream needed no linking.
     */
    void startLinked(
        final Connection connection,
        final SharedStream stream,
        final DirectBuffer id,
        final boolean earliest,
        final LastEventIdField lastEventIdField,
        final boolean credentialsInUrl)
    {
        resumeShared(connection, stream, stream.selectors, id, 0, id.capacity(), earliest, lastEventIdField,
            credentialsInUrl, true);
    }

    /**
     * The part of {@link #startShared} once the stream is linked.
     *
     * @param held whether the connection already streams (held while its stream was linked, counted a subscriber).
     */
    private void resumeShared(
        final Connection connection,
        final SharedStream stream,
        final SelectorSet selectors,
        final DirectBuffer idBuffer,
        final int idOffset,
        final int idLength,
        final boolean earliest,
        final LastEventIdField lastEventIdField,
        final boolean credentialsInUrl,
        final boolean held)
    {
        final TopicLog log = stream.log;
        long startOrdinal = log.nextOrdinal();
        boolean found = !earliest;
        if (earliest)
        {
            metrics.increment(ServerCounter.REPLAYS);
            startOrdinal = log.firstOrdinal();
        }
        else if (idLength > 0)
        {
            metrics.increment(ServerCounter.REPLAYS);
            startOrdinal = log.ordinalAfterId(idBuffer, idOffset, idLength);
            if (startOrdinal == TopicLog.NOT_FOUND &&
                holds.shouldHold(stream.appliedSeq(), idBuffer, idOffset, idLength))
            {
                startStreaming(connection, stream, selectors, log.nextOrdinal(),
                    head(connection, lastEventIdField, credentialsInUrl, idBuffer, idOffset, idLength), held);
                if (held)
                {
                    metrics.decrement(ServerCounter.SUBSCRIBERS);
                }
                holds.hold(connection, stream, idBuffer, idOffset, idLength, clock.nanoTime());
                flusher.flush(connection);
                return;
            }
            if (startOrdinal == TopicLog.NOT_FOUND)
            {
                metrics.increment(ServerCounter.REPLAY_MISSES);
                startOrdinal = log.firstOrdinal();
                found = false;
            }
        }
        startStreaming(connection, stream, selectors, startOrdinal,
            head(connection, lastEventIdField, credentialsInUrl, idBuffer, idOffset, found ? idLength : 0), held);
        stream.addSubscriber(connection);
        if (!held)
        {
            metrics.increment(ServerCounter.SUBSCRIBERS);
        }
        flusher.flush(connection);
    }

    /**
     * The control bytes a shared stream's cursor starts with: the shared event-stream head, or, to report where a
     * Mercure subscription resumes, a head of its own carrying {@code Last-Event-ID}, rendered in the response buffer
     * with the id's bytes and written from there at once ({@link ResponseWriter#writeStreamHead}), so that only
     * what the socket did not take (nothing, usually) is left for the cursor.
     *
     * @param lastEventIdField  the field carrying the id ({@code Last-Event-ID} or {@code Mercure-Last-Event-ID}),
     *                          or none.
     * @param credentialsInUrl  whether the request carried its credentials in the URL ({@code Cache-Control:
     *                          private}).
     * @param idLength          of the id it carries; 0 for {@code earliest}.
     * @return the bytes the cursor sends before any event, or null for none.
     */
    private ByteBuffer head(
        final Connection connection,
        final LastEventIdField lastEventIdField,
        final boolean credentialsInUrl,
        final DirectBuffer idBuffer,
        final int idOffset,
        final int idLength)
    {
        if (LastEventIdField.NONE == lastEventIdField)
        {
            return credentialsInUrl ? privateStreamHead : streamHead;
        }
        final int length = writer.responses().putEventStreamHeadWithLastEventId(
            writer.buffer(), 0, idBuffer, idOffset, idLength,
            credentialsInUrl ? CacheControl.PRIVATE : CacheControl.NO_CACHE, lastEventIdField);
        return writer.writeStreamHead(connection, length);
    }

    private void startStreaming(
        final Connection connection,
        final SharedStream stream,
        final SelectorSet selectors,
        final long startOrdinal,
        final ByteBuffer head,
        final boolean held)
    {
        if (!held)
        {
            connection.startStreaming(stream);
            limitToCredentials(connection);
            countSelectors(selectors);
        }
        connection.cursor.open(stream.log, startOrdinal, head, clock.nanoTime());
    }

    private void countSelectors(final SelectorSet selectors)
    {
        metrics.addSelectors(SelectorKind.EXACT, selectors.count(SelectorKind.EXACT));
        metrics.addSelectors(SelectorKind.WILDCARD, selectors.count(SelectorKind.WILDCARD));
        metrics.addSelectors(SelectorKind.TEMPLATE, selectors.count(SelectorKind.TEMPLATE));
    }

    /**
     * Where a stream request resumes: the {@code Last-Event-ID} header, else the {@code lastEventId} query parameter
     * (decoded into the field buffer); the header wins, being the browser's latest id. Sets
     * {@link #resumeIdBuffer} and {@link #resumeIdOffset}; a malformed query parameter is answered {@code 400} here.
     *
     * @return the id's length (0: none), or -1 when refused.
     */
    private int findResumeId(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        final int headerOffset = parser.lastEventIdOffset();
        final int headerLength = parser.lastEventIdLength();
        if (headerOffset >= 0 && headerLength > 0)
        {
            resumeIdBuffer = buffer;
            resumeIdOffset = headerOffset;
            return headerLength;
        }
        final int decoded = QueryParameters.decode(
            buffer, parser.queryOffset(), parser.queryLength(), "lastEventId", fieldBuffer, 0, MAX_FIELD_BYTES);
        if (decoded == QueryParameters.MALFORMED)
        {
            writer.sendError(connection, Refusal.BAD_REQUEST, "malformed or too long lastEventId");
            return -1;
        }
        resumeIdBuffer = fieldBuffer;
        resumeIdOffset = 0;
        return Math.max(decoded, 0);
    }
}
