package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.SubscribeAuthorizer;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.QueryParameters;
import io.sseflow.server.log.TopicLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Subscribing, {@code GET /events/{topic}}: the {@link SubscribeAuthorizer} (when configured) decides, the
 * {@code Last-Event-ID} header or {@code lastEventId} query parameter picks where the replay starts in the topic's
 * log, and the connection becomes a streaming subscriber whose cursor starts with the event-stream response head.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class SubscribeHandler
{
    private static final int MAX_FIELD_BYTES = 1024;

    private final ServerConfig config;
    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final ResponseWriter writer;
    private final SubscriberFlusher flusher;
    private final CatchUpHolds holds;
    private final CachedNanoClock clock;
    private final AtomicBoolean closeRequested;
    private final ByteBuffer streamHead;
    private final SubscribeAuthorizer subscribeAuthorizer;
    private final ParsedSubscribeRequest subscribeRequest = new ParsedSubscribeRequest();
    private final UnsafeBuffer fieldBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_FIELD_BYTES));

    SubscribeHandler(
        final AgentContext context,
        final ResponseWriter writer,
        final SubscriberFlusher flusher,
        final CatchUpHolds holds,
        final ByteBuffer streamHead)
    {
        this.holds = holds;
        this.config = context.config;
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.writer = writer;
        this.flusher = flusher;
        this.clock = context.clock;
        this.closeRequested = context.closeRequested;
        this.streamHead = streamHead;
        subscribeAuthorizer = context.config.subscribeAuthorizer();
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

        DirectBuffer idBuffer = buffer;
        int idOffset = parser.lastEventIdOffset();
        int idLength = parser.lastEventIdLength();
        if (idOffset < 0 || idLength == 0)
        {
            final int decoded = QueryParameters.decode(
                buffer, parser.queryOffset(), parser.queryLength(), "lastEventId", fieldBuffer, 0, MAX_FIELD_BYTES);
            if (decoded == QueryParameters.MALFORMED)
            {
                writer.sendError(connection, Refusal.BAD_REQUEST, "malformed or too long lastEventId");
                return;
            }
            idBuffer = fieldBuffer;
            idOffset = 0;
            idLength = Math.max(decoded, 0);
        }

        final TopicLog log = topic.logOrCreate();
        long startOrdinal = log.nextOrdinal();
        if (idLength > 0)
        {
            metrics.increment(ServerCounter.REPLAYS);
            startOrdinal = log.ordinalAfterId(idBuffer, idOffset, idLength);
            if (startOrdinal == TopicLog.NOT_FOUND && holds.shouldHold(log, idBuffer, idOffset, idLength))
            {
                connection.startStreaming(topic);
                connection.cursor.open(log, log.nextOrdinal(), streamHead, clock.nanoTime());
                holds.hold(connection, idBuffer, idOffset, idLength, clock.nanoTime());
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
        connection.cursor.open(log, startOrdinal, streamHead, clock.nanoTime());
        topic.addSubscriber(connection);
        metrics.increment(ServerCounter.SUBSCRIBERS);
        flusher.flush(connection);
    }

    /**
     * Ask the subscribe authorizer, if there is one, about a stream request ({@code GET} or {@code HEAD}); a refusal
     * is answered here (401, 403, or 500 when the authorizer failed).
     *
     * @return true when the request may have the stream.
     */
    boolean authorize(
        final Connection connection, final UnsafeBuffer buffer, final int topicOffset, final int topicLength)
    {
        if (null == subscribeAuthorizer)
        {
            return true;
        }
        SubscribeAuthorizer.Decision decision = null;
        try
        {
            final String topicName = buffer.getStringWithoutLengthAscii(topicOffset, topicLength);
            decision = subscribeAuthorizer.authorize(
                subscribeRequest.wrap(buffer, connection.parser, topicName, connection.remoteAddress));
            if (null == decision)
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
            subscribeRequest.clear();
        }

        if (decision == SubscribeAuthorizer.Decision.ALLOW)
        {
            return true;
        }
        if (decision == SubscribeAuthorizer.Decision.UNAUTHORIZED)
        {
            writer.sendError(connection, Refusal.UNAUTHORIZED, "not authorized to subscribe");
        }
        else if (decision == SubscribeAuthorizer.Decision.FORBIDDEN)
        {
            writer.sendError(connection, Refusal.FORBIDDEN, "not allowed to subscribe to this topic");
        }
        else
        {
            writer.sendError(connection, Refusal.SERVER_ERROR);
        }
        return false;
    }
}
