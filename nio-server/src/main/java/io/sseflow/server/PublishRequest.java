package io.sseflow.server;

/**
 * A read-only view of a publish request's head for a {@link PublishAuthorizer}: the topic (or, for a Mercure
 * publish whose topics are in its body, none yet), the header fields and the query, read from the request's bytes
 * on demand. One instance is reused by the server agent, so it is valid only during
 * {@link PublishAuthorizer#authorize(PublishRequest)}; copy what you need to keep.
 */
public interface PublishRequest extends RequestHead
{
    /**
     * Does the request come from a web origin the server lets publish? Its {@code Origin} (or, without one, the
     * origin of its {@code Referer}) must be one of the server's own loopback origins ({@code http://127.0.0.1:PORT},
     * {@code http://localhost:PORT}, {@code http://[::1]:PORT}, and that of its host) or the
     * {@link SseServer.Builder#allowOrigin(String) allowed origin} ({@code *}: any). A request that names no origin
     * at all is not from an allowed one: call this for credentials a browser attaches by itself (a cookie), which
     * a page on another site could make it send (cross-site request forgery).
     *
     * @return true when the request names an allowed origin.
     */
    boolean isFromAllowedOrigin();
}
