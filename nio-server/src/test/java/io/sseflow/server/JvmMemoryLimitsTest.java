package io.sseflow.server;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JvmMemoryLimitsTest
{
    @Test
    void shouldParseHotSpotSizesAsTheFallbackReadsThem()
    {
        assertEquals(256L << 20, JvmMemoryLimits.parseSize("256m"));
        assertEquals(256L << 20, JvmMemoryLimits.parseSize("256M"));
        assertEquals(2L << 30, JvmMemoryLimits.parseSize("2g"));
        assertEquals(1024L << 10, JvmMemoryLimits.parseSize("1024k"));
        assertEquals(1L << 40, JvmMemoryLimits.parseSize("1t"));
        assertEquals(123456, JvmMemoryLimits.parseSize("123456"));
        assertEquals(-1, JvmMemoryLimits.parseSize(""));
        assertEquals(-1, JvmMemoryLimits.parseSize("m"));
        assertEquals(-1, JvmMemoryLimits.parseSize("12x"));
        assertEquals(-1, JvmMemoryLimits.parseSize("-5m"));
        assertEquals(-1, JvmMemoryLimits.parseSize("99999999999999999g"));
    }

    @Test
    void shouldReadThisJvmsDirectMemoryLimit()
    {
        final long limit = JvmMemoryLimits.maxDirectMemory();
        long expected = Runtime.getRuntime().maxMemory();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("-XX:MaxDirectMemorySize="))
            {
                expected = JvmMemoryLimits.parseSize(argument.substring("-XX:MaxDirectMemorySize=".length()));
            }
        }
        assertEquals(expected, limit, "no -XX:MaxDirectMemorySize: the JVM's default, the heap's maximum");
    }

    @Test
    void shouldDescribeSizes()
    {
        assertEquals("128 MiB", JvmMemoryLimits.mib(128L << 20));
        assertEquals("256 KiB", JvmMemoryLimits.mib(256 << 10));
        assertEquals("1.5 MiB", JvmMemoryLimits.mib(3L << 19));
    }
}
