package io.sseflow.server.agent;

import io.sseflow.server.RequestHead;
import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.QueryParameters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The agent's {@link RequestHead}: a view over a request's bytes and its parser, wrapped for the duration of one
 * authorizer call and cleared after it, so one instance serves every request. What it reads it decodes on demand
 * (each call allocates its answer; an authorizer runs once per request, never per event).
 */
abstract class ParsedRequestHead implements RequestHead
{
    private static final int MAX_QUERY_VALUE_BYTES = 8192;

    private final UnsafeBuffer queryValue = new UnsafeBuffer(new byte[MAX_QUERY_VALUE_BYTES]);
    private final String viewName;
    private final String validDuring;
    DirectBuffer buffer;
    HttpRequestParser parser;
    private List<String> topics;
    private InetAddress remoteAddress;

    /**
     * @param viewName    of the view, for {@link #toString()}: {@code SubscribeRequest}.
     * @param validDuring the call during which it is valid, for the error of a stale use.
     */
    ParsedRequestHead(final String viewName, final String validDuring)
    {
        this.viewName = viewName;
        this.validDuring = validDuring;
    }

    void wrapHead(
        final DirectBuffer buffer, final HttpRequestParser parser, final List<String> topics, final InetAddress remoteAddress)
    {
        this.buffer = buffer;
        this.parser = parser;
        this.topics = topics;
        this.remoteAddress = remoteAddress;
    }

    void clear()
    {
        buffer = null;
        parser = null;
        topics = null;
        remoteAddress = null;
    }

    /**
     * {@inheritDoc}
     */
    public String topic()
    {
        checkValid();
        return topics.isEmpty() ? null : topics.get(0);
    }

    /**
     * {@inheritDoc}
     */
    public List<String> topics()
    {
        checkValid();
        return topics;
    }

    /**
     * {@inheritDoc}
     */
    public InetAddress remoteAddress()
    {
        checkValid();
        return remoteAddress;
    }

    /**
     * {@inheritDoc}
     */
    public String header(final String name)
    {
        Objects.requireNonNull(name, "name");
        checkValid();
        final String lowerName = name.toLowerCase(Locale.ROOT);
        final String[] found = new String[1];
        parser.forEachHeader(buffer, (buffer, nameOffset, nameLength, valueOffset, valueLength) ->
        {
            if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, lowerName))
            {
                found[0] = string(buffer, valueOffset, valueLength);
                return false;
            }
            return true;
        });
        return found[0];
    }

    /**
     * {@inheritDoc}
     */
    public List<String> headers(final String name)
    {
        Objects.requireNonNull(name, "name");
        checkValid();
        final String lowerName = name.toLowerCase(Locale.ROOT);
        final List<String> values = new ArrayList<>(1);
        parser.forEachHeader(buffer, (buffer, nameOffset, nameLength, valueOffset, valueLength) ->
        {
            if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, lowerName))
            {
                values.add(string(buffer, valueOffset, valueLength));
            }
            return true;
        });
        return Collections.unmodifiableList(values);
    }

    /**
     * {@inheritDoc}
     */
    public List<String> headerNames()
    {
        checkValid();
        final List<String> names = new ArrayList<>(parser.headerCount());
        parser.forEachHeader(buffer, (buffer, nameOffset, nameLength, valueOffset, valueLength) ->
            names.add(string(buffer, nameOffset, nameLength)));
        return Collections.unmodifiableList(names);
    }

    /**
     * {@inheritDoc}
     */
    public String bearerToken()
    {
        final String authorization = header("Authorization");
        if (null == authorization || authorization.length() < 7 ||
            !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /**
     * {@inheritDoc}
     */
    public String queryParameter(final String name)
    {
        Objects.requireNonNull(name, "name");
        checkValid();
        final int length = QueryParameters.decode(
            buffer, parser.queryOffset(), parser.queryLength(), name, queryValue, 0, MAX_QUERY_VALUE_BYTES);
        return length < 0 ? null : queryValue.getStringWithoutLengthUtf8(0, length);
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return null == parser ? viewName + "{}" : viewName + "{topics=" + topics + "}";
    }

    void checkValid()
    {
        if (null == parser)
        {
            throw new IllegalStateException("a " + viewName + " is valid only during " + validDuring);
        }
    }

    private static String string(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
