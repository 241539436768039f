package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.FormMediaType;
import io.sseflow.server.http.HttpMethod;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.mercure.ProtectedResourceMetadata;
import io.sseflow.server.sequencer.EventSequencer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Dispatches a request by method and path, in two steps. On the complete head, {@link #onHead} takes every
 * decision that needs no body: unknown methods {@code 501}, unknown paths {@code 404}, methods a path does not
 * take {@code 405}, bad topic names {@code 400}, and for a publish the {@link HttpPublishHandler}'s token, Origin
 * and field checks; only a request that passed them is read further. On the complete request, {@link #route}:
 * {@code /events/{topic}} to the {@link SubscribeHandler} ({@code GET}), the stream head alone ({@code HEAD}), the
 * {@link HttpPublishHandler} ({@code POST}) or the CORS preflight ({@code OPTIONS}); {@code /events?topic=A&topic=B}
 * and Mercure's {@code /.well-known/mercure} to the {@link SubscribeHandler}'s streams of several topics or selectors
 * ({@code GET}, {@code HEAD}, {@code OPTIONS}; for Mercure also {@code QUERY}, RFC 10008, its parameters in a form
 * body, {@code 415} for another media type) and, for Mercure, the {@link MercurePublishHandler} ({@code POST});
 * {@code GET /metrics} renders
 * the Prometheus text; {@code GET /healthz} answers {@code 200} while the server runs, {@code GET /readyz}
 * {@code 200} while it takes publishes ({@code 503} once it is shutting down, or while the sequencer is not ready: no
 * leader known, or still catching up); {@code GET /} answers the pre-built demo page. {@code HEAD} is answered like
 * {@code GET} without the body; the sequencer adds its own lines to {@code /metrics}.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class RequestRouter
{
    private static final String EVENTS_PREFIX = "/events/";
    private static final String MERCURE_PATH = "/.well-known/mercure";
    private static final String SUBSCRIPTIONS_PATH = io.sseflow.server.mercure.SubscriptionIds.PREFIX;
    private static final String TOPIC_NAME_REASON = "topic name must match [A-Za-z0-9._-]{1,128}, not . or ..";
    private static final UnsafeBuffer OK_BODY = new UnsafeBuffer(HttpResponses.ascii("ok\n"));
    private static final int MAX_NOT_READY_REASON = 1024;
    private static final UnsafeBuffer NOT_READY_BODY = new UnsafeBuffer(HttpResponses.ascii("not ready: shutting down\n"));
    private static final UnsafeBuffer NO_LEADER_BODY = new UnsafeBuffer(HttpResponses.ascii("not ready: no leader\n"));

    private enum Endpoint
    {
        EVENTS,
        EVENTS_QUERY,
        MERCURE,
        SUBSCRIPTIONS,
        BAD_TOPIC,
        METRICS,
        HEALTH,
        READY,
        DEMO,
        RESOURCE_METADATA,
        NOT_FOUND
    }

    private final TopicRegistry topics;
    private final ServerCounters metrics;
    private final HttpResponses responses;
    private final ResponseWriter writer;
    private final SubscribeHandler subscribeHandler;
    private final HttpPublishHandler publishHandler;
    private final MercurePublishHandler mercurePublishHandler;
    private final SubscriptionsHandler subscriptions;
    private final AtomicBoolean closeRequested;
    private final EventSequencer sequencer;
    private final byte[] allowEvents;
    private final byte[] allowMercure;
    private final UnsafeBuffer metricsBuffer;
    private final ProcessMetrics processMetrics = new ProcessMetrics();
    private final UnsafeBuffer demoBody;
    private final UnsafeBuffer resourceMetadataBody;

    RequestRouter(
        final AgentContext context,
        final ResponseWriter writer,
        final SubscribeHandler subscribeHandler,
        final HttpPublishHandler publishHandler,
        final byte[] demoPage,
        final Presence presence)
    {
        this.topics = context.topics;
        this.metrics = context.metrics;
        this.responses = writer.responses();
        this.writer = writer;
        this.subscribeHandler = subscribeHandler;
        this.publishHandler = publishHandler;
        this.mercurePublishHandler = new MercurePublishHandler(context, writer, publishHandler);
        this.subscriptions = new SubscriptionsHandler(context, writer, subscribeHandler, presence);
        this.closeRequested = context.closeRequested;
        this.sequencer = context.sequencer;
        allowEvents = context.config.httpPublish() ? ResponseHeaders.ALLOW_EVENTS : ResponseHeaders.ALLOW_EVENTS_READ_ONLY;
        allowMercure = context.config.httpPublish() ? ResponseHeaders.ALLOW_MERCURE : ResponseHeaders.ALLOW_MERCURE_READ_ONLY;
        metricsBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ServerCounters.maxRenderedLength() +
            processMetrics.maxRenderedLength() + context.sequencer.maxMetricsLength()));
        if (null != demoPage)
        {
            final ByteBuffer page = ByteBuffer.allocateDirect(demoPage.length);
            page.put(demoPage).flip();
            demoBody = new UnsafeBuffer(page);
        }
        else
        {
            demoBody = null;
        }
        final String resource = context.config.resourceIdentifier();
        resourceMetadataBody = null == resource ? null :
            new UnsafeBuffer(ProtectedResourceMetadata.json(resource));
    }

    /**
     * Decide a request on its complete head, before any of its body is read or buffered.
     *
     * @param connection whose request head was parsed by its {@link Connection#parser}.
     * @param buffer     holding the head.
     * @return true when the request may go on (its body, if any, is to be read); false when it was answered.
     */
    boolean onHead(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        final HttpMethod method = parser.method();
        if (method == HttpMethod.OTHER)
        {
            writer.sendError(connection, Refusal.NOT_IMPLEMENTED);
            return false;
        }
        switch (endpoint(parser, buffer))
        {
            case EVENTS:
                if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS)
                {
                    return true;
                }
                if (method == HttpMethod.POST)
                {
                    return publishHandler.onPublishHead(connection, buffer,
                        parser.pathOffset() + EVENTS_PREFIX.length(), parser.pathLength() - EVENTS_PREFIX.length());
                }
                writer.sendError(connection, Refusal.METHOD_NOT_ALLOWED, Refusal.METHOD_NOT_ALLOWED.message(), allowEvents);
                return false;

            case EVENTS_QUERY:
                if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS)
                {
                    return true;
                }
                writer.sendError(connection, Refusal.METHOD_NOT_ALLOWED, Refusal.METHOD_NOT_ALLOWED.message(),
                    ResponseHeaders.ALLOW_EVENTS_READ_ONLY);
                return false;

            case MERCURE:
                if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS)
                {
                    return true;
                }
                if (method == HttpMethod.POST)
                {
                    return mercurePublishHandler.onPublishHead(connection, buffer);
                }
                if (method == HttpMethod.QUERY)
                {
                    return onQueryHead(connection, buffer);
                }
                writer.sendError(connection, Refusal.METHOD_NOT_ALLOWED, Refusal.METHOD_NOT_ALLOWED.message(), allowMercure);
                return false;

            case SUBSCRIPTIONS:
                if (method == HttpMethod.GET || method == HttpMethod.HEAD)
                {
                    return true;
                }
                writer.sendError(
                    connection, Refusal.METHOD_NOT_ALLOWED, Refusal.METHOD_NOT_ALLOWED.message(), ResponseHeaders.ALLOW_GET);
                return false;

            case BAD_TOPIC:
                writer.sendError(connection, Refusal.BAD_REQUEST, TOPIC_NAME_REASON);
                return false;

            case METRICS:
            case HEALTH:
            case READY:
            case DEMO:
            case RESOURCE_METADATA:
                if (method == HttpMethod.GET || method == HttpMethod.HEAD)
                {
                    return true;
                }
                writer.sendError(
                    connection, Refusal.METHOD_NOT_ALLOWED, Refusal.METHOD_NOT_ALLOWED.message(), ResponseHeaders.ALLOW_GET);
                return false;

            case NOT_FOUND:
            default:
                writer.sendError(connection, Refusal.NOT_FOUND);
                return false;
        }
    }

    /**
     * Does a request that passed {@link #onHead} take a body? A publish does, and a Mercure {@code QUERY}
     * subscription (its parameters are the body); any other request's body is limited to what fits in the buffer its
     * head arrived in.
     *
     * @param parser holding the request head.
     * @return true for a publish or a {@code QUERY}.
     */
    static boolean takesBody(final HttpRequestParser parser)
    {
        return parser.method() == HttpMethod.POST || parser.method() == HttpMethod.QUERY;
    }

    /**
     * Is the request a publish, one that may be taken while the publishes before it on its connection are still
     * awaited? A {@code QUERY} takes a body but is not one: it waits for their answers like any other request.
     *
     * @param parser holding the request head.
     * @return true for a publish.
     */
    static boolean isPublish(final HttpRequestParser parser)
    {
        return parser.method() == HttpMethod.POST;
    }

    /**
     * Answer a complete request that passed {@link #onHead}.
     *
     * @param connection whose request was parsed by its {@link Connection#parser}.
     * @param buffer     holding the request, its body after the head.
     */
    void route(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        final HttpMethod method = parser.method();
        switch (endpoint(parser, buffer))
        {
            case EVENTS:
            {
                final int topicOffset = parser.pathOffset() + EVENTS_PREFIX.length();
                final int topicLength = parser.pathLength() - EVENTS_PREFIX.length();
                if (method == HttpMethod.GET)
                {
                    subscribeHandler.onSubscribe(connection, buffer, topicOffset, topicLength);
                }
                else if (method == HttpMethod.HEAD)
                {
                    onStreamHead(connection, buffer, topicOffset, topicLength);
                }
                else if (method == HttpMethod.POST)
                {
                    publishHandler.onPublish(connection, buffer, topicOffset, topicLength);
                }
                else
                {
                    writer.send(connection, responses.options(responses.hasCors(), ResponseWriter.persistence(connection)));
                }
                break;
            }

            case EVENTS_QUERY:
                routeQueryStream(connection, buffer, method, false);
                break;

            case MERCURE:
                routeQueryStream(connection, buffer, method, true);
                break;

            case SUBSCRIPTIONS:
            {
                final int bodyLength = subscriptions.list(connection, buffer,
                    buffer.getStringWithoutLengthAscii(parser.pathOffset(), parser.pathLength()));
                if (bodyLength >= 0)
                {
                    respond(connection, 200, ResponseHeaders.JSON_LD, subscriptions.body(), bodyLength);
                }
                break;
            }

            case METRICS:
            {
                metrics.set(ServerCounter.TOPICS, topics.count());
                metrics.set(ServerCounter.HISTORY_BYTES, topics.historyBudget().used());
                metrics.set(ServerCounter.STREAM_LOG_BYTES, topics.streams().logs().budget().used());
                int bodyLength = metrics.renderPrometheus(metricsBuffer, 0);
                bodyLength += processMetrics.render(metricsBuffer, bodyLength);
                bodyLength += sequencer.renderMetrics(metricsBuffer, bodyLength);
                respond(connection, 200, ResponseHeaders.TEXT_METRICS, metricsBuffer, bodyLength);
                break;
            }

            case HEALTH:
                respond(connection, 200, ResponseHeaders.TEXT_PLAIN, OK_BODY, OK_BODY.capacity());
                break;

            case READY:
                if (closeRequested.get())
                {
                    respond(connection, 503, ResponseHeaders.TEXT_PLAIN, NOT_READY_BODY, NOT_READY_BODY.capacity());
                }
                else if (!sequencer.isReady())
                {
                    respond(connection, 503, ResponseHeaders.TEXT_PLAIN, NO_LEADER_BODY, NO_LEADER_BODY.capacity());
                }
                else if (null != sequencer.lowStorageReason())
                {
                    respondNotReady(connection, sequencer.lowStorageReason());
                }
                else
                {
                    respond(connection, 200, ResponseHeaders.TEXT_PLAIN, OK_BODY, OK_BODY.capacity());
                }
                break;

            case DEMO:
                respond(connection, 200, ResponseHeaders.TEXT_HTML, demoBody, demoBody.capacity());
                break;

            case RESOURCE_METADATA:
                respond(connection, 200, ResponseHeaders.JSON, resourceMetadataBody, resourceMetadataBody.capacity());
                break;

            default:
                writer.sendError(connection, Refusal.NOT_FOUND);
                break;
        }
    }

    private Endpoint endpoint(final HttpRequestParser parser, final UnsafeBuffer buffer)
    {
        final int pathOffset = parser.pathOffset();
        final int pathLength = parser.pathLength();
        if (pathLength > EVENTS_PREFIX.length() && AsciiBytes.equals(buffer, pathOffset, EVENTS_PREFIX.length(), EVENTS_PREFIX))
        {
            final int topicOffset = pathOffset + EVENTS_PREFIX.length();
            final int topicLength = pathLength - EVENTS_PREFIX.length();
            return TopicState.isValidNameInPath(buffer, topicOffset, topicLength) ? Endpoint.EVENTS : Endpoint.BAD_TOPIC;
        }
        if (AsciiBytes.equals(buffer, pathOffset, pathLength, "/events"))
        {
            return Endpoint.EVENTS_QUERY;
        }
        if (AsciiBytes.equals(buffer, pathOffset, pathLength, "/events/"))
        {
            return Endpoint.BAD_TOPIC;
        }
        if (AsciiBytes.equals(buffer, pathOffset, pathLength, MERCURE_PATH))
        {
            return Endpoint.MERCURE;
        }
        if (pathLength >= SUBSCRIPTIONS_PATH.length() &&
            AsciiBytes.equals(buffer, pathOffset, SUBSCRIPTIONS_PATH.length(), SUBSCRIPTIONS_PATH) &&
            (pathLength == SUBSCRIPTIONS_PATH.length() ||
            buffer.getByte(pathOffset + SUBSCRIPTIONS_PATH.length()) == '/'))
        {
            return Endpoint.SUBSCRIPTIONS;
        }
        if (AsciiBytes.equals(buffer, pathOffset, pathLength, "/metrics"))
        {
            return Endpoint.METRICS;
        }
        if (AsciiBytes.equals(buffer, pathOffset, pathLength, "/healthz"))
        {
            return Endpoint.HEALTH;
        }
        if (AsciiBytes.equals(buffer, pathOffset, pathLength, "/readyz"))
        {
            return Endpoint.READY;
        }
        if (null != resourceMetadataBody &&
            AsciiBytes.equals(buffer, pathOffset, pathLength, ProtectedResourceMetadata.PATH))
        {
            return Endpoint.RESOURCE_METADATA;
        }
        if (null != demoBody && AsciiBytes.equals(buffer, pathOffset, pathLength, "/"))
        {
            return Endpoint.DEMO;
        }
        return Endpoint.NOT_FOUND;
    }

    /**
     * A {@code QUERY} subscription (RFC 10008) goes on to have its body read only when that body is a form
     * (the draft's "Subscription": {@code application/x-www-form-urlencoded}); else {@code 415} with the
     * {@code Accept-Query} it takes.
     */
    private boolean onQueryHead(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        if (!FormMediaType.matches(buffer, parser.contentTypeOffset(), parser.contentTypeLength()))
        {
            writer.sendError(connection, Refusal.UNSUPPORTED_MEDIA_TYPE);
            return false;
        }
        return true;
    }

    private void respond(
        final Connection connection,
        final int status,
        final byte[] contentType,
        final UnsafeBuffer body,
        final int bodyLength)
    {
        final UnsafeBuffer out = writer.buffer();
        final int length = connection.parser.method() == HttpMethod.HEAD ?
            responses.putHead(out, 0, status, contentType, bodyLength, ResponseWriter.persistence(connection)) :
            responses.putResponse(out, 0, status, contentType, body, 0, bodyLength, ResponseWriter.persistence(connection));
        writer.send(connection, length, connection.keepAlive);
    }

    /**
     * {@code 503} with {@code not ready: REASON} (at most {@link #MAX_NOT_READY_REASON} characters of it), written
     * through the metrics buffer without allocating.
     */
    private void respondNotReady(final Connection connection, final String reason)
    {
        final UnsafeBuffer body = metricsBuffer;
        int length = body.putStringWithoutLengthAscii(0, "not ready: ");
        length += body.putStringWithoutLengthAscii(length, reason, 0, MAX_NOT_READY_REASON);
        body.putByte(length++, (byte)'\n');
        respond(connection, 503, ResponseHeaders.TEXT_PLAIN, body, length);
    }

    private void routeQueryStream(
        final Connection connection, final UnsafeBuffer buffer, final HttpMethod method, final boolean mercure)
    {
        if (method == HttpMethod.GET || (mercure && method == HttpMethod.QUERY))
        {
            if (mercure)
            {
                subscribeHandler.onMercureSubscribe(connection, buffer);
            }
            else
            {
                subscribeHandler.onSubscribeTopics(connection, buffer);
            }
        }
        else if (method == HttpMethod.HEAD)
        {
            if (null != subscribeHandler.acceptQuery(connection, buffer, mercure))
            {
                final int length = responses.putEventStreamHead(
                    writer.buffer(), 0, ResponseWriter.persistence(connection), subscribeHandler.cacheControl());
                writer.send(connection, length, connection.keepAlive);
            }
        }
        else if (method == HttpMethod.POST)
        {
            mercurePublishHandler.onPublish(connection, buffer);
        }
        else
        {
            writer.send(connection,
                responses.options(responses.hasCors(), ResponseWriter.persistence(connection), mercure));
        }
    }

    private void onStreamHead(
        final Connection connection, final UnsafeBuffer buffer, final int topicOffset, final int topicLength)
    {
        if (!subscribeHandler.authorize(connection, buffer, topicOffset, topicLength))
        {
            return;
        }
        final int length = responses.putEventStreamHead(
            writer.buffer(), 0, ResponseWriter.persistence(connection), subscribeHandler.cacheControl());
        writer.send(connection, length, connection.keepAlive);
    }
}
