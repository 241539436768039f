package io.sseflow.server;

/**
 * A read-only view of a subscribe request for a {@link SubscribeAuthorizer}: the topic (or topics), the header
 * fields and the query, read from the request's bytes on demand. One instance is reused by the server agent, so it
 * is valid only during {@link SubscribeAuthorizer#authorize(SubscribeRequest)} (or
 * {@link SubscribeAuthorizer#authorization(SubscribeRequest)}); copy what you need to keep.
 */
public interface SubscribeRequest extends RequestHead
{
    /**
     * Are the {@link #topics()} topic selectors (a Mercure subscribe, {@code GET /.well-known/mercure?topic=S}:
     * {@code *}, exact topics or URI templates, each matching topics) rather than topic names? A subscriber may
     * ask for any selectors: what its credentials decide is which {@code private} updates it receives
     * ({@link Authorization#privateSelectors()}).
     *
     * @return true for selectors; false (the default) for topic names.
     */
    default boolean topicsAreSelectors()
    {
        return false;
    }
}
