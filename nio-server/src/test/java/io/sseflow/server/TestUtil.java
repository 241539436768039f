package io.sseflow.server;

import io.sseflow.encoder.SseOptions;

import java.util.function.LongSupplier;

final class TestUtil
{
    private TestUtil()
    {
    }

    static void awaitSubscribers(final SseServer server, final long count)
    {
        await(() -> server.metrics().subscribers(), count, "subscribers");
    }

    static void await(final LongSupplier value, final long expected, final String what)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        long last;
        while ((last = value.getAsLong()) != expected)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(what + ": expected " + expected + " but was " + last);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static void publish(final Topic topic, final Object data, final SseOptions options)
    {
        PublishResult result;
        while ((result = topic.publish(data, options)) == PublishResult.BACK_PRESSURED)
        {
            Thread.yield();
        }
        if (result != PublishResult.OK)
        {
            throw new AssertionError("publish failed: " + result);
        }
    }
}
