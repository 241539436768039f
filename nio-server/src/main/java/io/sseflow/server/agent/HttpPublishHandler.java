package io.sseflow.server.agent;

import io.sseflow.server.PublishResult;
import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.encoder.SseFields;
import io.sseflow.server.http.FieldRules;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.IdempotencyKey;
import io.sseflow.server.http.QueryParameters;
import io.sseflow.server.sequencer.EventIds;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Publishing over HTTP, {@code POST /events/{topic}}, decided in two steps. On the request head,
 * {@link #onPublishHead}: the {@link PublishGate} decides who may publish (the publish authorizer, the bearer
 * token, or the {@code Origin} rule of open publishing), and the query's {@code event}, {@code id} and
 * {@code retry} are decoded and checked by {@link FieldRules}; only a head that passed is given its body. On the
 * complete request, {@link #onPublish}: the body must be UTF-8, and a {@link PublishRecord} (correlated by the
 * connection's id and the publish's number on it) is written straight into the space claimed from the
 * {@link EventSequencer}, and its answer queued on the connection ({@link PendingPublishes}): pipelined publishes
 * are offered one after another without waiting. When the event comes back sequenced, {@link #onSequenced} decides
 * its answer, {@code 200} with the id it was given, written in request order.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class HttpPublishHandler
{
    private static final int MAX_FIELD_BYTES = 1024;

    private final ServerConfig config;
    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final EventSequencer sequencer;
    private final ConnectionTable connections;
    private final ResponseWriter writer;
    private final int maxRecordLength;
    private final PublishClaim claim = new PublishClaim();
    private final PublishRecord record = new PublishRecord();
    private final UnsafeBuffer fieldBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * MAX_FIELD_BYTES));
    private final PublishGate gate;
    private final IdempotencyKey idempotencyKey = new IdempotencyKey();
    private int eventLength;
    private int idLength;
    private long retry;
    private long fieldsDecodedFor;

    HttpPublishHandler(final AgentContext context, final ResponseWriter writer)
    {
        final ServerConfig config = context.config;
        this.config = config;
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.sequencer = context.sequencer;
        this.connections = context.connections;
        this.writer = writer;
        this.maxRecordLength = context.maxRecordLength;
        gate = new PublishGate(context, writer);
    }

    /**
     * Decide {@code POST /events/{topic}} on its head, before any of its body is read: publishing over HTTP must be
     * on ({@code 405}), the {@link PublishGate} must admit it (the authorizer's answer, {@code 401} for a wrong
     * token, {@code 403} for a foreign {@code Origin} of open publishing), and the query's fields valid
     * ({@code 400}). The body's size was checked by the parser.
     *
     * @param connection  whose request head is complete in {@code buffer}.
     * @param buffer      holding the head.
     * @param topicOffset of the topic name in the path.
     * @param topicLength of the topic name.
     * @return true when the request may go on to its body; false when it was answered.
     */
    boolean onPublishHead(
        final Connection connection, final UnsafeBuffer buffer, final int topicOffset, final int topicLength)
    {
        if (!config.httpPublish())
        {
            writer.sendError(
                connection, Refusal.METHOD_NOT_ALLOWED, "publishing over HTTP is disabled", ResponseHeaders.ALLOW_EVENTS_READ_ONLY);
            return false;
        }
        if (!gate.admit(connection, buffer, topicOffset, topicLength))
        {
            return false;
        }
        if (!decodeFields(connection, buffer))
        {
            return false;
        }
        fieldsDecodedFor = connection.id;
        return true;
    }

    /**
     * May this request head publish topics it names only in its body (a Mercure publish)? The gate decides the
     * credentials now ({@code 401}, or the {@code Origin} of open publishing, {@code 403}) and each topic once the
     * body is decoded ({@link PublishGate#allowsTopic}); a refusal is answered here.
     *
     * @param connection whose request head is complete in {@code buffer}.
     * @param buffer     holding the head.
     * @return true when authorized.
     */
    boolean authorizeHead(final Connection connection, final UnsafeBuffer buffer)
    {
        if (!gate.admit(connection, buffer, List.of()))
        {
            return false;
        }
        return true;
    }

    /**
     * Who may publish: for the other publish endpoints, which decide their heads and bodies with it.
     *
     * @return the gate.
     */
    PublishGate gate()
    {
        return gate;
    }

    /**
     * Answer {@code POST /events/{topic}} whose head passed {@link #onPublishHead}: check the body, then offer the
     * record to the sequencer; its answer waits, in order, for its event to come back sequenced, while the connection
     * reads on (further pipelined publishes).
     *
     * @param connection  whose request is complete in {@code buffer}.
     * @param buffer      holding the request, its body (decoded, when it was chunked) after the head.
     * @param topicOffset of the topic name in the path.
     * @param topicLength of the topic name.
     */
    void onPublish(final Connection connection, final UnsafeBuffer buffer, final int topicOffset, final int topicLength)
    {
        final HttpRequestParser parser = connection.parser;
        if (fieldsDecodedFor != connection.id && !decodeFields(connection, buffer))
        {
            return;
        }
        fieldsDecodedFor = 0;
        final int eventLength = this.eventLength;
        final int idLength = Math.max(this.idLength, 0);
        final long retry = this.retry;

        final int bodyOffset = parser.headLength();
        final int bodyLength = (int)parser.bodyLength();
        if (!SseFields.isValidUtf8(buffer, bodyOffset, bodyLength))
        {
            writer.sendError(connection, Refusal.BAD_REQUEST, "body must be UTF-8");
            return;
        }

        final int prefixLength =
            (retry >= 0 ? SseFields.retryFieldLength(retry) : 0) +
            (eventLength > 0 ? SseFields.utf8EventFieldLength(eventLength) : 0);
        final int dataLength = SseFields.dataLinesLength(buffer, bodyOffset, bodyLength);
        final int recordLength = PublishRecord.recordLength(idLength, prefixLength, dataLength);
        if (recordLength > maxRecordLength)
        {
            writer.sendError(connection, Refusal.TOO_LARGE, "event too large");
            return;
        }

        final TopicState topic = topics.lookup(buffer, topicOffset, topicLength);
        if (null == topic)
        {
            writer.sendError(connection, Refusal.TOPIC_LIMIT);
            return;
        }

        switch (offer(connection, topic, idLength, prefixLength, dataLength, buffer, bodyOffset, bodyLength))
        {
            case OK:
                connections.publishOffered(connection);
                break;

            case BACK_PRESSURED:
                metrics.addAtomic(ServerCounter.PUBLISH_BACK_PRESSURED, 1);
                writer.sendError(connection, Refusal.BACK_PRESSURED);
                break;

            case TOO_LARGE:
                writer.sendError(connection, Refusal.TOO_LARGE, "event too large");
                break;

            case NO_LEADER:
                writer.sendError(connection, Refusal.NO_LEADER);
                break;

            case INSUFFICIENT_STORAGE:
                writer.sendError(connection, Refusal.INSUFFICIENT_STORAGE, lowStorageReason(sequencer));
                break;

            case TOPIC_LIMIT:
                writer.sendError(connection, Refusal.TOPIC_LIMIT);
                break;

            case CLOSED:
            default:
                writer.sendError(connection, Refusal.SHUTTING_DOWN);
                break;
        }
    }

    /**
     * Decide the answer to the HTTP publisher of an event that was just sequenced.
     *
     * @param correlationId of the publish record: the publishing connection's id and the publish's number on it.
     * @param frame         holding the event's frame.
     * @param idTextOffset  of the id assigned, in the frame.
     * @param idTextLength  of the id assigned.
     * @return the connection whose answer was decided (to be written once those before it are), or null when it is
     * gone.
     */
    Connection onSequenced(
        final long correlationId, final DirectBuffer frame, final int idTextOffset, final int idTextLength)
    {
        return onSequenced(correlationId, frame, idTextOffset, idTextLength, true);
    }

    /**
     * Decide the answer to the HTTP publisher of an event that was just sequenced: the id and a line end (native
     * publishes), or the id alone (Mercure publishes, as Mercure hubs answer).
     *
     * @param correlationId of the publish record: the publishing connection's id and the publish's number on it.
     * @param frame         holding the event's frame.
     * @param idTextOffset  of the id assigned, in the frame.
     * @param idTextLength  of the id assigned.
     * @param lineEnd       whether the body ends with a line feed after the id.
     * @return the connection whose answer was decided, or null when it is gone or no longer awaits it.
     */
    Connection onSequenced(
        final long correlationId,
        final DirectBuffer frame,
        final int idTextOffset,
        final int idTextLength,
        final boolean lineEnd)
    {
        final Connection connection = connections.publisher(correlationId);
        if (null != connection &&
            connection.publishes.published(correlationId, frame, idTextOffset, idTextLength, lineEnd))
        {
            return connection;
        }
        return null;
    }

    /**
     * Refuse the HTTP publisher of a record the sequencer took but will never sequence: {@code 503} with
     * {@code Retry-After} when no leader was found in time and the record never left this node, {@code 504} when it
     * was handed to the cluster but not answered in time (its outcome unknown: retry with the same id), the topic limit's answer when the replicated state
     * refused a new topic, {@code 413} when the record with its topics' names is too large for the replicated log,
     * {@code 409} when its explicit id conflicts with what its topics retain, the shutting-down answer otherwise;
     * written in request order.
     *
     * @param correlationId of the publish record: the publishing connection's id and the publish's number on it.
     * @param result        why.
     * @return the connection whose answer was decided, or null when it is gone or no longer awaits it.
     */
    Connection onRefused(final long correlationId, final PublishResult result)
    {
        final Connection connection = connections.publisher(correlationId);
        final Refusal refusal = PublishResult.NO_LEADER == result ? Refusal.NO_LEADER :
            PublishResult.OUTCOME_UNKNOWN == result ? Refusal.OUTCOME_UNKNOWN :
            PublishResult.TOPIC_LIMIT == result ? Refusal.TOPIC_LIMIT :
            PublishResult.TOO_LARGE == result ? Refusal.TOO_LARGE :
            PublishResult.ID_CONFLICT == result ? Refusal.ID_CONFLICT : Refusal.SHUTTING_DOWN;
        if (null != connection && connection.publishes.refused(correlationId, refusal))
        {
            writer.countRefusal(refusal);
            return connection;
        }
        return null;
    }

    /**
     * The id a request's {@code Idempotency-Key} stands for ({@link IdempotencyKey}), written at {@code outOffset}:
     * used when the publish gives no id of its own. A bad key, or two, is answered {@code 400} here, also when the
     * publish gives its id.
     *
     * @param connection whose request head is complete in {@code buffer}.
     * @param buffer     holding the head.
     * @param needed     whether the id is wanted (the publish gives none); else the key is only checked.
     * @param out        where to write the id.
     * @param outOffset  at which to write it.
     * @return the id's length, 0 without a key (or when not needed), -1 when the request was refused.
     */
    int keyedId(
        final Connection connection,
        final DirectBuffer buffer,
        final boolean needed,
        final MutableDirectBuffer out,
        final int outOffset)
    {
        final HttpRequestParser parser = connection.parser;
        final int count = parser.idempotencyKeyCount();
        if (0 == count)
        {
            return 0;
        }
        final int valueOffset = parser.idempotencyKeyOffset();
        final int valueLength = parser.idempotencyKeyLength();
        final int keyOffset = count > 1 ? IdempotencyKey.INVALID : IdempotencyKey.validate(buffer, valueOffset, valueLength);
        if (IdempotencyKey.INVALID == keyOffset)
        {
            writer.sendError(connection, Refusal.BAD_IDEMPOTENCY_KEY);
            return -1;
        }
        return !needed ? 0 : idempotencyKey.putId(
            buffer, keyOffset, IdempotencyKey.keyLength(keyOffset, valueOffset, valueLength), out, outOffset);
    }

    /**
     * Claim the record's space, write it there from the decoded fields and the body, and commit it, the topic
     * pinned until the agent applies it.
     */
    private PublishResult offer(
        final Connection connection,
        final TopicState topic,
        final int idLength,
        final int prefixLength,
        final int dataLength,
        final UnsafeBuffer body,
        final int bodyOffset,
        final int bodyLength)
    {
        if (!topic.pin())
        {
            throw new IllegalStateException("publish to a freed topic: " + topic.name());
        }
        final PublishClaim claim = this.claim;
        final PublishResult result =
            sequencer.tryClaim(PublishRecord.recordLength(idLength, prefixLength, dataLength), claim);
        if (result != PublishResult.OK)
        {
            topic.unpin();
            return result;
        }
        try
        {
            final UnsafeBuffer fields = fieldBuffer;
            final int eventAt = 0;
            final int idAt = MAX_FIELD_BYTES;
            final int eventLength = this.eventLength;
            final long retry = this.retry;
            final MutableDirectBuffer buffer = claim.buffer();
            final PublishRecord record = this.record.wrap(buffer, 0)
                .header(ConnectionTable.nextCorrelationId(connection), topic.index(), idLength, prefixLength, dataLength);
            int position = record.idOffset();
            if (idLength > 0)
            {
                buffer.putBytes(position, fields, idAt, idLength);
                position += idLength;
                record.classifyId();
            }
            if (retry >= 0)
            {
                position += SseFields.putRetryField(buffer, position, retry);
            }
            if (eventLength > 0)
            {
                position += SseFields.putEventField(buffer, position, fields, eventAt, eventLength);
            }
            position += SseFields.putDataLines(buffer, position, body, bodyOffset, bodyLength);
            if (position != claim.length())
            {
                throw new IllegalStateException("publish record of " + position + " bytes in a claim of " + claim.length());
            }
        }
        catch (final Throwable ex)
        {
            sequencer.abort(claim);
            topic.unpin();
            throw ex;
        }
        sequencer.commit(claim);
        return PublishResult.OK;
    }

    /**
     * The reason to answer a publish refused {@link PublishResult#INSUFFICIENT_STORAGE} with: the sequencer's, naming
     * the free and the needed bytes, or the refusal's own when space came back meanwhile.
     *
     * @param sequencer that refused.
     * @return the reason.
     */
    static String lowStorageReason(final EventSequencer sequencer)
    {
        final String reason = sequencer.lowStorageReason();
        return null == reason ? Refusal.INSUFFICIENT_STORAGE.message() : reason;
    }

    /**
     * Decode and check the query's {@code event}, {@code id} and {@code retry} into the shared field buffer. The
     * head decision decodes them; {@link #onPublish} decodes them again only when another connection's head was
     * decoded in between (its body arrived later), since the buffer is shared.
     */
    private boolean decodeFields(final Connection connection, final UnsafeBuffer buffer)
    {
        fieldsDecodedFor = 0;
        final HttpRequestParser parser = connection.parser;
        final int queryOffset = parser.queryOffset();
        final int queryLength = parser.queryLength();
        final UnsafeBuffer fields = fieldBuffer;
        final int eventAt = 0;
        final int idAt = MAX_FIELD_BYTES;
        final int retryAt = 2 * MAX_FIELD_BYTES;
        eventLength = QueryParameters.decode(buffer, queryOffset, queryLength, "event", fields, eventAt, MAX_FIELD_BYTES);
        if (eventLength == QueryParameters.MALFORMED ||
            (eventLength > 0 && !FieldRules.isValidFieldValue(fields, eventAt, eventLength)))
        {
            writer.sendError(connection, Refusal.BAD_REQUEST, "event must be UTF-8 without CR, LF or NUL, at most 1024 bytes");
            return false;
        }
        idLength = QueryParameters.decode(buffer, queryOffset, queryLength, "id", fields, idAt, MAX_FIELD_BYTES);
        if (idLength == QueryParameters.MALFORMED || (idLength > 0 && !FieldRules.isValidFieldValue(fields, idAt, idLength)))
        {
            writer.sendError(connection, Refusal.BAD_REQUEST, "id must be UTF-8 without CR, LF or NUL, at most 1024 bytes");
            return false;
        }
        if (idLength > 0 && !EventIds.isAllowedFromPublisher(fields, idAt, idLength))
        {
            writer.sendError(connection, Refusal.ID_OUT_OF_RANGE);
            return false;
        }
        final int keyIdLength = keyedId(connection, buffer, idLength <= 0, fields, idAt);
        if (keyIdLength < 0)
        {
            return false;
        }
        if (keyIdLength > 0)
        {
            idLength = keyIdLength;
        }
        final int retryLength = QueryParameters.decode(buffer, queryOffset, queryLength, "retry", fields, retryAt, 16);
        retry = -1;
        if (retryLength == QueryParameters.MALFORMED || retryLength > 0)
        {
            retry = FieldRules.parseRetry(fields, retryAt, retryLength);
            if (retry < 0)
            {
                writer.sendError(connection, Refusal.BAD_REQUEST, "retry must be ASCII digits (milliseconds, at most 2147483647)");
                return false;
            }
        }
        return true;
    }
}
