package io.sseflow.server;

import java.net.InetAddress;
import java.util.List;

/**
 * A read-only view of a subscribe request for a {@link SubscribeAuthorizer}: the topic, the header fields and
 * the query, read from the request's bytes on demand. One instance is reused by the server agent, so it is valid
 * only during {@link SubscribeAuthorizer#authorize(SubscribeRequest)}; copy what you need to keep.
 */
public interface SubscribeRequest
{
    /**
     * The topic asked for, already validated ({@code [A-Za-z0-9._-]{1,128}}).
     *
     * @return the topic name.
     */
    String topic();

    /**
     * The client's IP address: the connection's peer or, for a connection from a trusted proxy
     * ({@link SseServer.Builder#trustedProxies(String)}, by default one on this host), the client its
     * {@code X-Forwarded-For} or {@code Forwarded} header names (the right-most address that is not itself a
     * trusted proxy); the proxy's own address when that header is missing or unusable. It is the address the
     * per-address connection limit counted this request against.
     *
     * @return the address.
     */
    InetAddress remoteAddress();

    /**
     * The value of the first header field with this name, compared ignoring case, trimmed of optional whitespace.
     * Bytes are decoded as ISO-8859-1, as HTTP field values are octets.
     *
     * @param name the field name, e.g. {@code "Authorization"}.
     * @return the value, or null when absent.
     */
    String header(final String name);

    /**
     * The values of every header field with this name, compared ignoring case, in the order sent.
     *
     * @param name the field name.
     * @return the values, empty when absent; unmodifiable.
     */
    List<String> headers(final String name);

    /**
     * The names of the header fields sent, in order (repeated names repeated), case as sent.
     *
     * @return the names; unmodifiable.
     */
    List<String> headerNames();

    /**
     * The token of an {@code Authorization: Bearer TOKEN} header (scheme compared ignoring case).
     *
     * @return the token, or null when there is no such header.
     */
    String bearerToken();

    /**
     * The first query parameter with this name, percent-decoded as UTF-8 ({@code +} is a space).
     *
     * @param name the parameter name, compared exactly.
     * @return the value ({@code ""} when it has none), or null when absent, malformed or over 4096 bytes.
     */
    String queryParameter(final String name);
}
