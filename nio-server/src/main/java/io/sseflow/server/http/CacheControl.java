package io.sseflow.server.http;

/**
 * The {@code Cache-Control} of an event stream's response head (RFC 9111 section 5.2.2).
 */
public enum CacheControl
{
    /**
     * {@code no-cache}: no cache serves the stream without asking the server again.
     */
    NO_CACHE("Cache-Control: no-cache\r\n"),

    /**
     * {@code private, no-cache}: also, no shared cache may store it. For a request that carried a credential in its
     * URL (RFC 6750 section 2.3; Mercure's {@code authorization} query parameter), whose URL must not key a shared
     * cache entry.
     */
    PRIVATE("Cache-Control: private, no-cache\r\n");

    static final CacheControl[] VALUES = values();

    private final byte[] headerLine;

    CacheControl(final String headerLine)
    {
        this.headerLine = HttpResponses.ascii(headerLine);
    }

    byte[] headerLine()
    {
        return headerLine;
    }
}
