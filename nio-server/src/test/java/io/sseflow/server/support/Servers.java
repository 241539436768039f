package io.sseflow.server.support;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;

/**
 * A running {@link SseServer} through its public API: wait for its subscribers, publish through back-pressure.
 */
public final class Servers
{
    private Servers()
    {
    }

    /**
     * Wait until the server counts this many subscribers.
     *
     * @param server the server.
     * @param count  subscribers to wait for.
     */
    public static void awaitSubscribers(final SseServer server, final long count)
    {
        Await.value(() -> server.metrics().subscribers(), count, "subscribers");
    }

    /**
     * Publish, retrying while back-pressured until {@link Await#DEFAULT_TIMEOUT}; fails on any other refusal.
     *
     * @param topic   to publish to.
     * @param data    the event's data.
     * @param options the event's options.
     */
    public static void publish(final Topic topic, final Object data, final SseOptions options)
    {
        final long deadline = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
        PublishResult result;
        while ((result = topic.publish(data, options)) == PublishResult.BACK_PRESSURED && System.nanoTime() - deadline < 0)
        {
            Thread.yield();
        }
        if (result != PublishResult.OK)
        {
            throw new AssertionError("publish failed: " + result);
        }
    }
}
