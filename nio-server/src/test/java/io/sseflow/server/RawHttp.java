package io.sseflow.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One raw request on a fresh connection, the whole answer read until the server closes.
 */
final class RawHttp
{
    private RawHttp()
    {
    }

    static String exchange(final int port, final String request) throws IOException
    {
        return exchange(port, request.getBytes(StandardCharsets.UTF_8));
    }

    static String exchange(final int port, final byte[] request) throws IOException
    {
        try (RawSseClient client = RawSseClient.open(port, 0))
        {
            client.send(request);
            return client.readToEof();
        }
    }

    static String status(final String response)
    {
        final int end = response.indexOf("\r\n");
        return end < 0 ? response : response.substring(0, end);
    }

    static String body(final String response)
    {
        final int start = response.indexOf("\r\n\r\n");
        return start < 0 ? "" : response.substring(start + 4);
    }
}
