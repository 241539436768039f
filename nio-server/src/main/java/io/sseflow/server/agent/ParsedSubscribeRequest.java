package io.sseflow.server.agent;

import io.sseflow.server.SubscribeAuthorizer;
import io.sseflow.server.SubscribeRequest;
import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.http.QueryParameters;
import io.sseflow.server.selector.SelectorSet;
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
 * The agent's {@link SubscribeRequest}: a view over the request's bytes and its parser, wrapped for the duration of
 * one {@link SubscribeAuthorizer#authorize(SubscribeRequest)} call and cleared after it, so one instance serves
 * every request.
 */
final class ParsedSubscribeRequest implements SubscribeRequest
{
    private static final int MAX_QUERY_VALUE_BYTES = 4096;

    private final UnsafeBuffer queryValue = new UnsafeBuffer(new byte[MAX_QUERY_VALUE_BYTES]);
    private DirectBuffer buffer;
    private HttpRequestParser parser;
    private String topic;
    private InetAddress remoteAddress;
    private SelectorSet privateUpdateSelectors;

    ParsedSubscribeRequest()
    {
    }

    ParsedSubscribeRequest wrap(
        final DirectBuffer buffer, final HttpRequestParser parser, final String topic, final InetAddress remoteAddress)
    {
        this.buffer = buffer;
        this.parser = parser;
        this.topic = topic;
        this.remoteAddress = remoteAddress;
        this.privateUpdateSelectors = null;
        return this;
    }

    void clear()
    {
        buffer = null;
        parser = null;
        topic = null;
        remoteAddress = null;
    }

    /**
     * The selectors of private updates the subscriber may receive, as its authorization decided (a token's
     * {@code mercure.subscribe} claim); kept after {@link #clear()} until the next {@link #wrap}.
     *
     * @return the selectors, or null for public updates only.
     */
    SelectorSet privateUpdateSelectors()
    {
        return privateUpdateSelectors;
    }

    /**
     * Set by the authorization step.
     *
     * @param selectors the private-update selectors, or null for public updates only.
     */
    void privateUpdateSelectors(final SelectorSet selectors)
    {
        privateUpdateSelectors = selectors;
    }

    /**
     * {@inheritDoc}
     */
    public String topic()
    {
        checkValid();
        return topic;
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
        return null == parser ? "SubscribeRequest{}" : "SubscribeRequest{topic=" + topic + "}";
    }

    private void checkValid()
    {
        if (null == parser)
        {
            throw new IllegalStateException("a SubscribeRequest is valid only during SubscribeAuthorizer.authorize");
        }
    }

    private static String string(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
