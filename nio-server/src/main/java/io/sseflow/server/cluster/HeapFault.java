package io.sseflow.server.cluster;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Fault injection for the hub's tests (not for production; with the property unset nothing changes): with the system
 * property {@value #SERVICE_TOPIC_PROPERTY}{@code =NAME}, the clustered service fills the heap, on its own thread, when
 * it applies a publish whose first topic is NAME, so that a test sees what an {@code OutOfMemoryError} there does to
 * the hub (it must exit 70 with its line). {@link #fillHeap()} is also the hub's other heap switches' way to fill it.
 */
public final class HeapFault
{
    /**
     * The system property naming the topic.
     */
    public static final String SERVICE_TOPIC_PROPERTY = "sseflow.hub.serviceHeapExhaustionTopic";

    private static final byte[] SERVICE_TOPIC = topic(System.getProperty(SERVICE_TOPIC_PROPERTY));
    private static final int[] CHUNK_SIZES = {1 << 20, 1 << 16, 1 << 12, 1 << 8, 16};

    @SuppressWarnings("unused")
    private static volatile Object kept;

    private HeapFault()
    {
    }

    /**
     * Fill the heap when the record is a publish whose first topic is the property's (the clustered service's thread).
     *
     * @param buffer holding a {@link ClusterRecord}.
     * @param offset where it starts.
     * @param length its length.
     */
    static void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] topic = SERVICE_TOPIC;
        if (null == topic || length < ClusterRecord.HEADER_LENGTH + topic.length ||
            ClusterRecord.topicNameLength(buffer, offset) != topic.length)
        {
            return;
        }
        final int nameOffset = ClusterRecord.topicNameOffset(offset);
        for (int i = 0; i < topic.length; i++)
        {
            if (buffer.getByte(nameOffset + i) != topic[i])
            {
                return;
            }
        }
        fillHeap();
    }

    /**
     * Allocate chunks, each smaller size once the larger no longer fits, all kept reachable, until the smallest does
     * not fit: that {@code OutOfMemoryError} is thrown, and the heap stays full.
     */
    public static void fillHeap()
    {
        Object[] chain = null;
        for (int i = 0; i < CHUNK_SIZES.length; i++)
        {
            try
            {
                while (true)
                {
                    chain = new Object[]{new byte[CHUNK_SIZES[i]], chain};
                    kept = chain;
                }
            }
            catch (final OutOfMemoryError ex)
            {
                if (i == CHUNK_SIZES.length - 1)
                {
                    throw ex;
                }
            }
        }
    }

    private static byte[] topic(final String name)
    {
        return null == name || name.isEmpty() ? null : name.getBytes(StandardCharsets.UTF_8);
    }
}
