package io.sseflow.server.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Raw HTTP/1.1 for tests: a request built byte for byte, one request on a fresh connection with the whole answer
 * read until the server closes, and the status line or body of an answer.
 */
public final class RawHttp
{
    private static final String CONNECTION_CLOSE = "Connection: close";

    private RawHttp()
    {
    }

    /**
     * A request with {@code Host: 127.0.0.1}, the given header lines, and a {@code Content-Length} when there is a
     * body or the method is POST.
     *
     * @param method  the method.
     * @param path    the request target.
     * @param headers header lines, without CRLF.
     * @param body    the body, sent as UTF-8.
     * @return the request text.
     */
    public static String request(final String method, final String path, final String[] headers, final String body)
    {
        final StringBuilder builder = new StringBuilder()
            .append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (final String header : headers)
        {
            builder.append(header).append("\r\n");
        }
        if (!body.isEmpty() || "POST".equals(method))
        {
            builder.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        return builder.append("\r\n").append(body).toString();
    }

    /**
     * The header lines with {@code Connection: close} added last.
     *
     * @param headers header lines.
     * @return a new array.
     */
    public static String[] closing(final String... headers)
    {
        final String[] all = new String[headers.length + 1];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = CONNECTION_CLOSE;
        return all;
    }

    /**
     * Send one request (UTF-8) on a fresh connection and read until the server closes.
     *
     * @param port    the server's port.
     * @param request the whole request.
     * @return the whole answer.
     * @throws IOException when the exchange fails.
     */
    public static String exchange(final int port, final String request) throws IOException
    {
        return exchange(port, request.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Send raw bytes on a fresh connection and read until the server closes.
     *
     * @param port    the server's port.
     * @param request the bytes.
     * @return the whole answer.
     * @throws IOException when the exchange fails.
     */
    public static String exchange(final int port, final byte[] request) throws IOException
    {
        try (RawSseClient client = RawSseClient.open(port, 0))
        {
            client.send(request);
            return client.readToEof();
        }
    }

    /**
     * {@link #exchange} of a GET with these header lines (add {@code Connection: close} where the server would
     * otherwise keep the connection open).
     *
     * @param port    the server's port.
     * @param path    the request target.
     * @param headers header lines.
     * @return the whole answer.
     * @throws IOException when the exchange fails.
     */
    public static String get(final int port, final String path, final String... headers) throws IOException
    {
        return exchange(port, request("GET", path, headers, ""));
    }

    /**
     * {@link #exchange} of a POST with {@code Connection: close} after these header lines.
     *
     * @param port    the server's port.
     * @param path    the request target.
     * @param body    the body, UTF-8.
     * @param headers header lines.
     * @return the whole answer.
     * @throws IOException when the exchange fails.
     */
    public static String post(final int port, final String path, final String body, final String... headers)
        throws IOException
    {
        return exchange(port, request("POST", path, closing(headers), body));
    }

    /**
     * The body of {@code GET /metrics}, asserting a {@code 200}.
     *
     * @param port the server's port.
     * @return the Prometheus text.
     * @throws IOException when the exchange fails.
     */
    public static String metrics(final int port) throws IOException
    {
        final String response = get(port, "/metrics", CONNECTION_CLOSE);
        assertEquals("HTTP/1.1 200 OK", status(response), response);
        return body(response);
    }

    /**
     * The status line of an answer.
     *
     * @param response the answer.
     * @return its first line without CRLF, or all of it when there is no CRLF.
     */
    public static String status(final String response)
    {
        final int end = response.indexOf("\r\n");
        return end < 0 ? response : response.substring(0, end);
    }

    /**
     * The body of an answer.
     *
     * @param response the answer.
     * @return what follows the blank line after the head, empty when there is none.
     */
    public static String body(final String response)
    {
        final int start = response.indexOf("\r\n\r\n");
        return start < 0 ? "" : response.substring(start + 4);
    }
}
