package io.sseflow.server;

import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.HttpMethod;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.HttpResponses;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Dispatches a parsed request by method and path: {@code /events/{topic}} to the {@link SubscribeHandler}
 * ({@code GET}), the {@link HttpPublishHandler} ({@code POST}) or the CORS preflight ({@code OPTIONS});
 * {@code GET /metrics} renders the Prometheus text; {@code GET /} answers the pre-built demo page; anything else
 * is {@code 400}, {@code 404}, {@code 405} or {@code 501}.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class RequestRouter
{
    private static final String EVENTS_PREFIX = "/events/";
    private static final String TOPIC_NAME_REASON = "topic name must match [A-Za-z0-9._-]{1,128}, not . or ..";

    private final TopicRegistry topics;
    private final ServerMetrics metrics;
    private final HttpResponses responses;
    private final ResponseWriter writer;
    private final SubscribeHandler subscribeHandler;
    private final HttpPublishHandler publishHandler;
    private final byte[] allowEvents;
    private final UnsafeBuffer metricsBuffer;
    private final ByteBuffer demoResponse;

    RequestRouter(
        final ServerConfig config,
        final TopicRegistry topics,
        final ServerMetrics metrics,
        final ResponseWriter writer,
        final SubscribeHandler subscribeHandler,
        final HttpPublishHandler publishHandler,
        final byte[] demoPage)
    {
        this.topics = topics;
        this.metrics = metrics;
        this.responses = writer.responses();
        this.writer = writer;
        this.subscribeHandler = subscribeHandler;
        this.publishHandler = publishHandler;
        allowEvents = config.httpPublish() ? ResponseHeaders.ALLOW_EVENTS : ResponseHeaders.ALLOW_EVENTS_READ_ONLY;
        metricsBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ServerMetrics.maxRenderedLength()));
        if (null != demoPage)
        {
            final UnsafeBuffer body = new UnsafeBuffer(demoPage);
            final UnsafeBuffer response = new UnsafeBuffer(new byte[demoPage.length + 1024]);
            final int length = responses.putResponse(
                response, 0, 200, ResponseHeaders.TEXT_HTML, body, 0, demoPage.length, true);
            demoResponse = ByteBuffer.allocateDirect(length);
            demoResponse.put(response.byteArray(), 0, length).flip();
        }
        else
        {
            demoResponse = null;
        }
    }

    /**
     * Dispatch a complete request by method and path.
     *
     * @param connection whose request was parsed by its {@link Connection#parser}.
     * @param buffer     holding the request.
     */
    void route(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        final HttpMethod method = parser.method();
        final int pathOffset = parser.pathOffset();
        final int pathLength = parser.pathLength();

        if (method == HttpMethod.OTHER)
        {
            writer.sendError(connection, 501, "method not implemented", null);
        }
        else if (pathLength > EVENTS_PREFIX.length() && AsciiBytes.equals(buffer, pathOffset, EVENTS_PREFIX.length(), EVENTS_PREFIX))
        {
            final int topicOffset = pathOffset + EVENTS_PREFIX.length();
            final int topicLength = pathLength - EVENTS_PREFIX.length();
            if (!Topic.isValidNameInPath(buffer, topicOffset, topicLength))
            {
                writer.sendError(connection, 400, TOPIC_NAME_REASON, null);
            }
            else if (method == HttpMethod.GET)
            {
                subscribeHandler.onSubscribe(connection, buffer, topicOffset, topicLength);
            }
            else if (method == HttpMethod.POST)
            {
                publishHandler.onPublish(connection, buffer, topicOffset, topicLength);
            }
            else if (method == HttpMethod.OPTIONS)
            {
                writer.send(connection, responses.options(responses.hasCors()));
            }
            else
            {
                writer.sendError(connection, 405, "method not allowed", allowEvents);
            }
        }
        else if (AsciiBytes.equals(buffer, pathOffset, pathLength, "/events/") ||
            AsciiBytes.equals(buffer, pathOffset, pathLength, "/events"))
        {
            writer.sendError(connection, 400, TOPIC_NAME_REASON, null);
        }
        else if (AsciiBytes.equals(buffer, pathOffset, pathLength, "/metrics"))
        {
            if (method != HttpMethod.GET)
            {
                writer.sendError(connection, 405, "method not allowed", ResponseHeaders.ALLOW_GET);
                return;
            }
            metrics.add(ServerMetrics.TOPICS, topics.count() - metrics.get(ServerMetrics.TOPICS));
            final int bodyLength = metrics.renderPrometheus(metricsBuffer, 0);
            final int length = responses.putResponse(
                writer.buffer(), 0, 200, ResponseHeaders.TEXT_METRICS, metricsBuffer, 0, bodyLength, connection.keepAlive);
            writer.send(connection, length, connection.keepAlive);
        }
        else if (null != demoResponse && AsciiBytes.equals(buffer, pathOffset, pathLength, "/"))
        {
            if (method != HttpMethod.GET)
            {
                writer.sendError(connection, 405, "method not allowed", ResponseHeaders.ALLOW_GET);
                return;
            }
            final int length = demoResponse.capacity();
            writer.buffer().putBytes(0, demoResponse, 0, length);
            writer.send(connection, length, connection.keepAlive);
        }
        else
        {
            writer.sendError(connection, 404, "not found", null);
        }
    }
}
