package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One-shot {@code GET} requests to a hub node ({@code /readyz}, {@code /metrics}) on a fresh connection with
 * {@code Connection: close}, for the durable scenario's readiness and leader checks.
 */
final class HubHttp
{
    private static final int TIMEOUT_MS = 5_000;

    private HubHttp()
    {
    }

    /**
     * An answer: its status code and body.
     *
     * @param status e.g. 200.
     * @param body   the body as text.
     */
    record Answer(int status, String body)
    {
    }

    /**
     * {@code GET path} and read the whole answer.
     *
     * @param node the node's HTTP address.
     * @param path e.g. {@code /readyz}.
     * @return the answer.
     * @throws IOException if the node does not answer within 5 s or the answer is not HTTP/1.1.
     */
    static Answer get(final InetSocketAddress node, final String path) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(node, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + node.getHostString() + ":" + node.getPort() +
                "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Split a complete answer, read to the end of the connection.
     *
     * @param answer the bytes as text.
     * @return status and body (chunked bodies are not expected from these endpoints and are returned as sent).
     * @throws IOException if it does not start with an HTTP/1.1 status line or has no end of head.
     */
    static Answer parse(final String answer) throws IOException
    {
        final int headEnd = answer.indexOf("\r\n\r\n");
        if (!answer.startsWith("HTTP/1.1 ") || answer.length() < 12 || headEnd < 0)
        {
            throw new IOException("not an HTTP/1.1 answer: '" + answer.substring(0, Math.min(answer.length(), 80)) +
                "'");
        }
        try
        {
            return new Answer(Integer.parseInt(answer.substring(9, 12)), answer.substring(headEnd + 4));
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("bad status line: '" + answer.substring(0, answer.indexOf('\r')) + "'");
        }
    }
}
