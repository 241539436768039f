package io.sseflow.server;

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
 * A read-only view of a subscribe request for a {@link SubscribeAuthorizer}: the topic, the header fields and
 * the query, read from the request's bytes on demand. One instance is reused by the server agent, so it is valid
 * only during {@link SubscribeAuthorizer#authorize(SubscribeRequest)}; copy what you need to keep.
 */
public final class SubscribeRequest
{
    private static final int MAX_QUERY_VALUE_BYTES = 4096;

    private final UnsafeBuffer queryValue = new UnsafeBuffer(new byte[MAX_QUERY_VALUE_BYTES]);
    private DirectBuffer buffer;
    private HttpRequestParser parser;
    private String topic;
    private InetAddress remoteAddress;

    SubscribeRequest()
    {
    }

    SubscribeRequest wrap(
        final DirectBuffer buffer, final HttpRequestParser parser, final String topic, final InetAddress remoteAddress)
    {
        this.buffer = buffer;
        this.parser = parser;
        this.topic = topic;
        this.remoteAddress = remoteAddress;
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
     * The topic asked for, already validated ({@code [A-Za-z0-9._-]{1,128}}).
     *
     * @return the topic name.
     */
    public String topic()
    {
        checkValid();
        return topic;
    }

    /**
     * The client's IP address: the connection's peer or, for a connection from a trusted proxy
     * ({@link SseServer.Builder#trustedProxies(String)}, by default one on this host), the client its
     * {@code X-Forwarded-For} or {@code Forwarded} header names (the right-most address that is not itself a
     * trusted proxy); the proxy's own address when that header is missing or unusable. It is the address the
     * per-address connection limit counted this request against.
     *
     * @return the address.
     */
    public InetAddress remoteAddress()
    {
        checkValid();
        return remoteAddress;
    }

    /**
     * The value of the first header field with this name, compared ignoring case, trimmed of optional whitespace.
     * Bytes are decoded as ISO-8859-1, as HTTP field values are octets.
     *
     * @param name the field name, e.g. {@code "Authorization"}.
     * @return the value, or null when absent.
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
     * The values of every header field with this name, compared ignoring case, in the order sent.
     *
     * @param name the field name.
     * @return the values, empty when absent; unmodifiable.
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
     * The names of the header fields sent, in order (repeated names repeated), case as sent.
     *
     * @return the names; unmodifiable.
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
     * The token of an {@code Authorization: Bearer TOKEN} header (scheme compared ignoring case).
     *
     * @return the token, or null when there is no such header.
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
     * The first query parameter with this name, percent-decoded as UTF-8 ({@code +} is a space).
     *
     * @param name the parameter name, compared exactly.
     * @return the value ({@code ""} when it has none), or null when absent, malformed or over 4096 bytes.
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
