package io.sseflow.server.agent;

import io.sseflow.encoder.SseFields;
import io.sseflow.server.PublishResult;
import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.mercure.GeneratedIds;
import io.sseflow.server.mercure.MercurePublish;
import io.sseflow.server.mercure.MercurePublishDecoder;
import io.sseflow.server.mercure.MercurePublishOutcome;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Mercure's publish, {@code POST /.well-known/mercure} with a form body ({@code topic} one or more times,
 * {@code data}, {@code private}, {@code id}, {@code type}, {@code retry}), decided as a native publish is: on the
 * head by the same authorization ({@link HttpPublishHandler#authorizeHead}), then on the body by
 * {@link MercurePublishDecoder} ({@code 400} naming the problem). The update becomes ONE publish record of all its
 * topics ({@link PublishRecord#FLAG_MORE_TOPICS}) with one id, the given one or a generated {@code urn:uuid:}
 * ({@link GeneratedIds}), marked as naming the event across topics ({@link PublishRecord#FLAG_HUB_ID}) and, when
 * {@code private}, {@link PublishRecord#FLAG_PRIVATE}. Its topics are any texts, created as topics of the server
 * if need be (so {@code news} here is the native topic {@code news}); the publisher is answered {@code 200}
 * {@code text/plain} with the id once the update is sequenced.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class MercurePublishHandler
{
    private final ServerConfig config;
    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final EventSequencer sequencer;
    private final ConnectionTable connections;
    private final ResponseWriter writer;
    private final HttpPublishHandler publishHandler;
    private final int maxRecordLength;
    private final MercurePublishDecoder decoder = new MercurePublishDecoder();
    private final MercurePublish update = new MercurePublish();
    private final GeneratedIds generatedIds = new GeneratedIds();
    private final UnsafeBuffer id = new UnsafeBuffer(new byte[MercurePublish.MAX_ID_LENGTH]);
    private final TopicState[] pinned = new TopicState[MercurePublish.MAX_TOPICS];
    private final int[] moreTopics = new int[MercurePublish.MAX_TOPICS];
    private final PublishClaim claim = new PublishClaim();
    private final PublishRecord record = new PublishRecord();
    private int pinnedCount;

    MercurePublishHandler(
        final AgentContext context, final ResponseWriter writer, final HttpPublishHandler publishHandler)
    {
        this.config = context.config;
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.sequencer = context.sequencer;
        this.connections = context.connections;
        this.writer = writer;
        this.publishHandler = publishHandler;
        this.maxRecordLength = context.maxRecordLength;
    }

    /**
     * Decide a Mercure publish on its head: publishing over HTTP on, and authorized as a native publish is.
     *
     * @param connection whose request head is complete in {@code buffer}.
     * @param buffer     holding the head.
     * @return true when the body is to be read.
     */
    boolean onPublishHead(final Connection connection, final UnsafeBuffer buffer)
    {
        if (!config.httpPublish())
        {
            writer.sendError(connection, Refusal.METHOD_NOT_ALLOWED, "publishing over HTTP is disabled",
                ResponseHeaders.ALLOW_EVENTS_READ_ONLY);
            return false;
        }
        return publishHandler.authorizeHead(connection, buffer);
    }

    /**
     * Decode the form body and offer the update; its answer then waits, in request order, for it to be sequenced.
     *
     * @param connection whose request is complete in {@code buffer}.
     * @param buffer     holding the request, its body after the head.
     */
    void onPublish(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        final MercurePublish update = this.update;
        final MercurePublishOutcome outcome =
            decoder.decode(buffer, parser.headLength(), (int)parser.bodyLength(), update);
        if (outcome != MercurePublishOutcome.OK)
        {
            writer.sendError(connection,
                MercurePublishOutcome.ID_OUT_OF_RANGE == outcome ? Refusal.ID_OUT_OF_RANGE : Refusal.BAD_REQUEST,
                outcome.reason());
            return;
        }
        for (int i = 0; i < update.topicCount(); i++)
        {
            if (!publishHandler.gate().allowsTopic(connection, update.topic(i)))
            {
                return;
            }
        }
        if (update.topicCount() > 1 && !sequencer.sequencesSeveralTopics())
        {
            writer.sendError(connection, Refusal.NOT_IMPLEMENTED,
                "this hub's sequencer does not carry an update of several topics: publish one topic per update");
            return;
        }
        final int keyIdLength = publishHandler.keyedId(connection, buffer, null == update.id(), id, 0);
        if (keyIdLength < 0)
        {
            return;
        }
        final int idLength = null != update.id() ? id.putStringWithoutLengthUtf8(0, update.id()) :
            keyIdLength > 0 ? keyIdLength : generatedIds.put(id, 0);
        final int prefixLength = (update.retry() >= 0 ? SseFields.retryFieldLength(update.retry()) : 0) +
            (null != update.type() ? SseFields.eventFieldLength(update.type()) : 0);
        final int dataLength = SseFields.dataLinesLength(update.dataBuffer(), 0, update.dataLength());
        if (PublishRecord.recordLength(idLength, prefixLength, dataLength, update.topicCount() - 1) > maxRecordLength)
        {
            writer.sendError(connection, Refusal.TOO_LARGE, "event too large");
            return;
        }
        if (!pinTopics(update))
        {
            unpinAll();
            writer.sendError(connection, Refusal.TOPIC_LIMIT);
            return;
        }

        final PublishResult result = offer(connection, update, idLength, prefixLength, dataLength);
        switch (result)
        {
            case OK:
                for (int i = 0; i < pinnedCount; i++)
                {
                    pinned[i] = null;
                }
                pinnedCount = 0;
                connections.publishOffered(connection);
                break;

            case BACK_PRESSURED:
                unpinAll();
                metrics.addAtomic(ServerCounter.PUBLISH_BACK_PRESSURED, 1);
                writer.sendError(connection, Refusal.BACK_PRESSURED);
                break;

            case TOO_LARGE:
                unpinAll();
                writer.sendError(connection, Refusal.TOO_LARGE, "event too large");
                break;

            case NO_LEADER:
                unpinAll();
                writer.sendError(connection, Refusal.NO_LEADER);
                break;

            case INSUFFICIENT_STORAGE:
                unpinAll();
                writer.sendError(connection, Refusal.INSUFFICIENT_STORAGE, HttpPublishHandler.lowStorageReason(sequencer));
                break;

            case TOPIC_LIMIT:
                unpinAll();
                writer.sendError(connection, Refusal.TOPIC_LIMIT);
                break;

            case CLOSED:
            default:
                unpinAll();
                writer.sendError(connection, Refusal.SHUTTING_DOWN);
                break;
        }
    }

    /**
     * Find or create each of the update's topics, once each, and pin it until the agent applies the record.
     *
     * @return false at the topic limit.
     */
    private boolean pinTopics(final MercurePublish update)
    {
        pinnedCount = 0;
        for (int i = 0; i < update.topicCount(); i++)
        {
            final TopicState topic = topics.getOrCreateText(update.topic(i));
            if (null == topic)
            {
                return false;
            }
            boolean seen = false;
            for (int j = 0; j < pinnedCount && !seen; j++)
            {
                seen = pinned[j] == topic;
            }
            if (!seen)
            {
                if (!topic.pin())
                {
                    throw new IllegalStateException("publish to a freed topic: " + topic.name());
                }
                pinned[pinnedCount++] = topic;
            }
        }
        return true;
    }

    private void unpinAll()
    {
        for (int i = 0; i < pinnedCount; i++)
        {
            pinned[i].unpin();
            pinned[i] = null;
        }
        pinnedCount = 0;
    }

    private PublishResult offer(
        final Connection connection,
        final MercurePublish update,
        final int idLength,
        final int prefixLength,
        final int dataLength)
    {
        final int more = pinnedCount - 1;
        final PublishClaim claim = this.claim;
        final PublishResult result = sequencer.tryClaim(
            PublishRecord.recordLength(idLength, prefixLength, dataLength, more), claim);
        if (result != PublishResult.OK)
        {
            return result;
        }
        try
        {
            final MutableDirectBuffer buffer = claim.buffer();
            final PublishRecord record = this.record.wrap(buffer, 0)
                .header(ConnectionTable.nextCorrelationId(connection), pinned[0].index(), idLength, prefixLength, dataLength);
            int position = record.idOffset();
            buffer.putBytes(position, id, 0, idLength);
            position += idLength;
            record.classifyId();
            record.flags(record.flags() | PublishRecord.FLAG_HUB_ID | (update.isPrivate() ? PublishRecord.FLAG_PRIVATE : 0));
            if (update.retry() >= 0)
            {
                position += SseFields.putRetryField(buffer, position, update.retry());
            }
            if (null != update.type())
            {
                position += SseFields.putEventField(buffer, position, update.type());
            }
            position += SseFields.putDataLines(buffer, position, update.dataBuffer(), 0, update.dataLength());
            if (more > 0)
            {
                for (int i = 0; i < more; i++)
                {
                    moreTopics[i] = pinned[i + 1].index();
                }
                record.moreTopics(moreTopics, more);
            }
            if (record.recordLength() != claim.length())
            {
                throw new IllegalStateException(
                    "publish record of " + record.recordLength() + " bytes in a claim of " + claim.length());
            }
        }
        catch (final Throwable ex)
        {
            sequencer.abort(claim);
            unpinAll();
            throw ex;
        }
        sequencer.commit(claim);
        return PublishResult.OK;
    }
}
