package io.sseflow.server.http;

/**
 * What a response says about its connection (RFC 9112 section 9.3), written as its {@code Connection} field.
 */
public enum Persistence
{
    /**
     * The connection closes after this response: {@code Connection: close}.
     */
    CLOSE,
    /**
     * The connection stays open, the HTTP/1.1 default: no {@code Connection} field.
     */
    KEEP_ALIVE,
    /**
     * The connection stays open for an HTTP/1.0 client that asked for it, which keeps it only when told:
     * {@code Connection: keep-alive} (RFC 9112 appendix C.2.2).
     */
    KEEP_ALIVE_ANNOUNCED;

    /**
     * The persistence of a response.
     *
     * @param keepAlive         does the connection stay open?
     * @param announceKeepAlive must staying open be announced (an HTTP/1.0 client)?
     * @return the value.
     */
    public static Persistence of(final boolean keepAlive, final boolean announceKeepAlive)
    {
        return !keepAlive ? CLOSE : announceKeepAlive ? KEEP_ALIVE_ANNOUNCED : KEEP_ALIVE;
    }
}
