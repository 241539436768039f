package io.sseflow.server.mercure;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratedIdsTest
{
    private final GeneratedIds ids = new GeneratedIds();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldWriteDistinctVersion4UrnUuidsThatUuidParsesBack()
    {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(GeneratedIds.LENGTH, ids.put(buffer, 3));
            final String id = buffer.getStringWithoutLengthAscii(3, GeneratedIds.LENGTH);
            assertTrue(id.matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            final UUID uuid = UUID.fromString(id.substring("urn:uuid:".length()));
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertEquals(id, "urn:uuid:" + uuid);
            assertTrue(seen.add(id), "repeated " + id);
        }
        assertEquals(45, GeneratedIds.LENGTH);
    }

    @Test
    void shouldNotAllocatePerId()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final long thread = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < 100_000; i++)
        {
            sink += ids.put(buffer, 0);
        }
        long minimum = Long.MAX_VALUE;
        for (int batch = 0; batch < 3; batch++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 100_000; i++)
            {
                sink += ids.put(buffer, 0);
            }
            minimum = Math.min(minimum, threads.getThreadAllocatedBytes(thread) - before);
        }
        assertEquals(0, minimum, "bytes allocated for 100,000 ids (" + sink + " bytes written)");
    }
}
