package io.sseflow.server.agent;

import io.sseflow.server.Authorization;
import io.sseflow.server.PublishAuthorizer;
import io.sseflow.server.Refusal;
import io.sseflow.server.ServerConfig;
import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.HttpResponses;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;
import java.util.List;

/**
 * Who may publish over HTTP, decided on the request head, before any body byte is read; a refusal is answered
 * here. One of three rules, by configuration:
 * <ul>
 * <li>a {@link PublishAuthorizer} (the hub's JWT authorization): its answer, asked once per request; an answer
 * within a grant is kept on the connection so that topics named only by the body are checked with
 * {@link #allowsTopic};</li>
 * <li>a publish token: {@code Authorization: Bearer TOKEN}, compared in constant time ({@code 401});</li>
 * <li>open publishing: the {@code Origin}, when there is one, must be one of the {@link PublishOrigins}
 * ({@code 403}).</li>
 * </ul>
 * The token and open rules allocate nothing.
 * <p>
 * Not thread-safe: owned by the server agent.
 */
final class PublishGate
{
    private final ServerConfig config;
    private final ResponseWriter writer;
    private final PublishAuthorizer authorizer;
    private final byte[] token;
    private final byte[] tokenScratch;
    private final PublishOrigins origins;
    private final ParsedPublishRequest request;

    PublishGate(final AgentContext context, final ResponseWriter writer)
    {
        final ServerConfig config = context.config;
        this.config = config;
        this.writer = writer;
        authorizer = config.publishAuthorizer();
        token = null == config.publishToken() ? null : HttpResponses.ascii(config.publishToken());
        tokenScratch = null == token ? null : new byte[token.length];
        origins = new PublishOrigins(config.allowOrigin(), config.host(), context.port);
        request = new ParsedPublishRequest(origins);
    }

    /**
     * Decide a publish head for one topic of the path ({@code POST /events/{topic}}).
     *
     * @param connection  whose request head is complete in {@code buffer}.
     * @param buffer      holding the head.
     * @param topicOffset of the topic name in the path.
     * @param topicLength of the topic name.
     * @return true when the request may go on to its body; false when it was answered.
     */
    boolean admit(final Connection connection, final UnsafeBuffer buffer, final int topicOffset, final int topicLength)
    {
        if (null != authorizer)
        {
            return ask(connection, buffer, List.of(buffer.getStringWithoutLengthAscii(topicOffset, topicLength)));
        }
        return admitWithoutAuthorizer(connection, buffer);
    }

    /**
     * Decide a publish head whose topics are named by its body (a Mercure publish: {@code topics} empty) or by
     * its head.
     *
     * @param connection whose request head is complete in {@code buffer}.
     * @param buffer     holding the head.
     * @param topics     the topics known from the head, decoded; empty when the body names them.
     * @return true when the request may go on to its body; false when it was answered.
     */
    boolean admit(final Connection connection, final UnsafeBuffer buffer, final List<String> topics)
    {
        if (null != authorizer)
        {
            return ask(connection, buffer, topics);
        }
        return admitWithoutAuthorizer(connection, buffer);
    }

    /**
     * May the connection, whose head was {@link #admit admitted}, publish to a topic named by its body? When not,
     * answer {@link Refusal#JWT_FORBIDDEN} ({@code 403}).
     *
     * @param connection whose publish head was admitted.
     * @param topic      a topic of its body.
     * @return true when it may; false when it was answered.
     */
    boolean allowsTopic(final Connection connection, final CharSequence topic)
    {
        final Authorization answer = connection.publishAuthorization;
        if (null == authorizer || null == answer || answer.allowsPublishTo(topic))
        {
            return true;
        }
        writer.sendError(connection, Refusal.JWT_FORBIDDEN);
        return false;
    }

    private boolean ask(final Connection connection, final UnsafeBuffer buffer, final List<String> topics)
    {
        connection.publishAuthorization = null;
        Authorization answer = null;
        try
        {
            answer = authorizer.authorize(request.wrap(buffer, connection.parser, topics, connection.remoteAddress));
            if (null == answer)
            {
                config.errorHandler().onError(new IllegalStateException("publish authorizer returned null"));
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
            writer.sendError(connection, Refusal.SERVER_ERROR, "publish authorizer failed");
            return false;
        }
        if (!answer.isAllowed())
        {
            writer.sendError(connection, answer.refusal(), answer.reason());
            return false;
        }
        connection.publishAuthorization = answer;
        return true;
    }

    private boolean admitWithoutAuthorizer(final Connection connection, final UnsafeBuffer buffer)
    {
        final HttpRequestParser parser = connection.parser;
        if (null != token && !hasToken(buffer, parser))
        {
            writer.sendError(connection, Refusal.UNAUTHORIZED, "missing or wrong publish token");
            return false;
        }
        if (null == token && !origins.allows(buffer, parser.originOffset(), parser.originLength()))
        {
            writer.sendError(connection, Refusal.FORBIDDEN,
                "publishing from this Origin is not allowed; set --allow-origin or --publish-token");
            return false;
        }
        return true;
    }

    private boolean hasToken(final UnsafeBuffer buffer, final HttpRequestParser parser)
    {
        final int offset = parser.authorizationOffset();
        final int length = parser.authorizationLength();
        final byte[] token = this.token;
        final byte[] presented = tokenScratch;
        int tokenOffset = offset + 7;
        final boolean bearer = offset >= 0 && length > 7 && AsciiBytes.equalsIgnoreCase(buffer, offset, 7, "bearer ");
        if (bearer)
        {
            while (tokenOffset < offset + length && buffer.getByte(tokenOffset) == ' ')
            {
                tokenOffset++;
            }
        }
        final int presentedLength = bearer ? offset + length - tokenOffset : 0;
        for (int i = 0; i < presented.length; i++)
        {
            presented[i] = i < presentedLength ? buffer.getByte(tokenOffset + i) : 0;
        }
        final boolean equal = MessageDigest.isEqual(token, presented);
        return equal & bearer & presentedLength == token.length;
    }
}
