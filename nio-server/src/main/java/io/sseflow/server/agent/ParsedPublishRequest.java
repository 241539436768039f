package io.sseflow.server.agent;

import io.sseflow.server.PublishAuthorizer;
import io.sseflow.server.PublishRequest;
import io.sseflow.server.http.HttpRequestParser;
import org.agrona.DirectBuffer;

import java.net.InetAddress;
import java.util.List;

/**
 * The agent's {@link PublishRequest}: a view over the request head's bytes and its parser, wrapped for the
 * duration of one {@link PublishAuthorizer#authorize(PublishRequest)} call and cleared after it, so one instance
 * serves every request. Origins are judged by the server's {@link PublishOrigins}.
 */
final class ParsedPublishRequest extends ParsedRequestHead implements PublishRequest
{
    private static final String SCHEME_END = "://";

    private final PublishOrigins origins;

    ParsedPublishRequest(final PublishOrigins origins)
    {
        super("PublishRequest", "PublishAuthorizer.authorize");
        this.origins = origins;
    }

    ParsedPublishRequest wrap(
        final DirectBuffer buffer, final HttpRequestParser parser, final List<String> topics, final InetAddress remoteAddress)
    {
        wrapHead(buffer, parser, List.copyOf(topics), remoteAddress);
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isFromAllowedOrigin()
    {
        checkValid();
        final String origin = header("Origin");
        return origins.allowsOrigin(null != origin ? origin : refererOrigin(header("Referer")));
    }

    /**
     * The origin of a {@code Referer} URL: its scheme and authority, {@code https://app.example:8443}.
     *
     * @return the origin, or null when there is no such header or it is not an absolute URL.
     */
    static String refererOrigin(final String referer)
    {
        if (null == referer)
        {
            return null;
        }
        final int schemeEnd = referer.indexOf(SCHEME_END);
        if (schemeEnd <= 0)
        {
            return null;
        }
        final int authorityStart = schemeEnd + SCHEME_END.length();
        int end = authorityStart;
        while (end < referer.length() && "/?#".indexOf(referer.charAt(end)) < 0)
        {
            end++;
        }
        return end == authorityStart ? null : referer.substring(0, end);
    }
}
