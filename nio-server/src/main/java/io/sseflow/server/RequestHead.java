package io.sseflow.server;

import java.net.InetAddress;
import java.util.List;

/**
 * A read-only view of a request's head for an authorizer: the topics asked for, the header fields and the query,
 * read from the request's bytes on demand. One instance is reused by the server agent, so it is valid only during
 * the authorizer's call; copy what you need to keep.
 */
public interface RequestHead
{
    /**
     * The first of {@link #topics()}: for {@code /events/{topic}} the one topic of the path, already validated
     * ({@code [A-Za-z0-9._-]{1,128}}).
     *
     * @return the topic name, or null when the request names no topic on its head.
     */
    String topic();

    /**
     * Every topic the request is for, in the order asked: the one of {@code /events/{topic}}, or the
     * {@code topic} parameters of a request for several. Empty when the topics are not on the head (a Mercure
     * publish names them in its body: then the answer's {@link Authorization#allowsPublishTo} decides each).
     *
     * @return the topics; unmodifiable.
     */
    default List<String> topics()
    {
        final String topic = topic();
        return null == topic ? List.of() : List.of(topic);
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
    InetAddress remoteAddress();

    /**
     * The value of the first header field with this name, compared ignoring case, trimmed of optional whitespace.
     * Bytes are decoded as ISO-8859-1, as HTTP field values are octets.
     *
     * @param name the field name, e.g. {@code "Authorization"}.
     * @return the value, or null when absent.
     */
    String header(String name);

    /**
     * The values of every header field with this name, compared ignoring case, in the order sent.
     *
     * @param name the field name.
     * @return the values, empty when absent; unmodifiable.
     */
    List<String> headers(String name);

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
     * @return the value ({@code ""} when it has none), or null when absent, malformed or over 8192 bytes.
     */
    String queryParameter(String name);
}
