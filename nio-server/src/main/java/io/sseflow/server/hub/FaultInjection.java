package io.sseflow.server.hub;

import io.sseflow.server.SseServer;
import io.sseflow.server.SubscribeAuthorizer;
import io.sseflow.server.cluster.HeapFault;

/**
 * The hub's fault-injection switches, system properties naming a topic whose {@code GET /events/NAME} fails the hub
 * in a chosen way, so that its tests can check the fatal-error path end to end on the jar. Not for production; with
 * none set, nothing is changed.
 * <ul>
 * <li>{@value SseHub#FATAL_ERROR_TOPIC_PROPERTY}: the server thread asks for an impossible array (an
 * {@code OutOfMemoryError} with heap to spare).</li>
 * <li>{@value SseHub#HEAP_EXHAUSTION_TOPIC_PROPERTY}: the server thread fills the heap and keeps it, until a real
 * {@code OutOfMemoryError: Java heap space}; whatever handles it finds no heap left.</li>
 * <li>{@value SseHub#THREAD_HEAP_EXHAUSTION_TOPIC_PROPERTY}: the request is answered {@code 403} while another thread,
 * {@code sseflow-fault-injection}, fills the heap the same way and dies of it.</li>
 * </ul>
 */
final class FaultInjection
{
    private FaultInjection()
    {
    }

    /**
     * The builder with the switches that are set applied as its subscribe authorizer.
     *
     * @param builder the hub's.
     * @return the same builder.
     */
    static SseServer.Builder apply(final SseServer.Builder builder)
    {
        final String impossibleArray = property(SseHub.FATAL_ERROR_TOPIC_PROPERTY);
        final String heap = property(SseHub.HEAP_EXHAUSTION_TOPIC_PROPERTY);
        final String threadHeap = property(SseHub.THREAD_HEAP_EXHAUSTION_TOPIC_PROPERTY);
        if (null == impossibleArray && null == heap && null == threadHeap)
        {
            return builder;
        }
        return builder.subscribeAuthorizer((request) ->
        {
            final String topic = request.topic();
            if (topic.equals(impossibleArray))
            {
                final long[] tooLarge = new long[Integer.MAX_VALUE];
                return tooLarge.length > 0 ? SubscribeAuthorizer.Decision.FORBIDDEN : SubscribeAuthorizer.Decision.ALLOW;
            }
            if (topic.equals(heap))
            {
                fillHeap();
            }
            if (topic.equals(threadHeap))
            {
                final Thread thread = new Thread(FaultInjection::fillHeap, "sseflow-fault-injection");
                thread.setDaemon(true);
                thread.start();
                return SubscribeAuthorizer.Decision.FORBIDDEN;
            }
            return SubscribeAuthorizer.Decision.ALLOW;
        });
    }

    /**
     * Fill the heap and keep it full, until an {@code OutOfMemoryError} ({@link HeapFault#fillHeap()}).
     */
    static void fillHeap()
    {
        HeapFault.fillHeap();
    }

    private static String property(final String name)
    {
        final String value = System.getProperty(name);
        return null == value || value.isEmpty() ? null : value;
    }
}
