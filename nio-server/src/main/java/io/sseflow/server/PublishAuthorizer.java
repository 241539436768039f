package io.sseflow.server;

/**
 * Decides whether a publish over HTTP ({@code POST /events/{topic}}) may go ahead, on its head, before any of its
 * body is read. Set with {@link SseServer.Builder#publishAuthorizer(PublishAuthorizer)}; the hub's JWT
 * authorization ({@code --jwt-key}) is one. It takes the place of the publish token and of the {@code Origin}
 * rule of open publishing, so a server with one may bind to any address.
 * <p>
 * Called on the server agent thread, once per publish request: it must answer quickly and never block. A refusal
 * is answered with its {@link Refusal} (status, header line, reason) and counted under its label; an exception or
 * a null answer is reported to the error handler and answered {@code 500}. An answer
 * {@link Authorization#granting(TopicGrant) within a grant} allows only the topics its publish selectors match.
 */
@FunctionalInterface
public interface PublishAuthorizer
{
    /**
     * Decide.
     *
     * @param request the topic, headers and query of the request; valid only during this call.
     * @return the answer.
     */
    Authorization authorize(PublishRequest request);
}
