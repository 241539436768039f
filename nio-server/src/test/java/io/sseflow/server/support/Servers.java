package io.sseflow.server.support;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.hub.HubOptions;
import io.sseflow.server.sequencer.InMemoryEventSequencer;

/**
 * A running {@link SseServer} through its public API: wait for its subscribers, publish through back-pressure.
 */
public final class Servers
{
    private Servers()
    {
    }

    /**
     * Start the hub in this process, as {@code java -jar sseflow-server.jar --port 0 FLAGS} would.
     *
     * @param flags the hub's flags after {@code --port 0}.
     * @return the running hub.
     */
    public static SseServer hub(final String... flags)
    {
        final String[] args = new String[flags.length + 2];
        args[0] = "--port";
        args[1] = "0";
        System.arraycopy(flags, 0, args, 2, flags.length);
        return HubOptions.parse(args).start();
    }

    /**
     * An in-memory server on a free loopback port whose sequencer says it can be behind (as a cluster member can),
     * so that a stream whose {@code Last-Event-ID} is ahead of the log is held rather than replayed.
     *
     * @return the started server.
     */
    public static SseServer startCanBeBehind()
    {
        return SseServer.builder().port(0).eventSequencer((capacity) ->
            new ForwardingSequencer(new InMemoryEventSequencer(capacity))
            {
                @Override
                public boolean canBeBehind()
                {
                    return true;
                }
            }).start();
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
            java.util.concurrent.locks.LockSupport.parkNanos(10_000);
        }
        if (result != PublishResult.OK)
        {
            throw new AssertionError("publish failed: " + result);
        }
    }
}
