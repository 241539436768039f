package io.sseflow.server;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The JVM's memory limits that defaults are fitted to. The direct-memory limit comes from
 * {@code jdk.internal.misc.VM.maxDirectMemory()} when that package is exported to us (the hub jar and the build
 * always run with {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}); otherwise from a
 * {@code -XX:MaxDirectMemorySize} among the JVM's arguments; otherwise it is the JVM's default, the heap's maximum.
 */
final class JvmMemoryLimits
{
    private static final String MAX_DIRECT_FLAG = "-XX:MaxDirectMemorySize=";

    private JvmMemoryLimits()
    {
    }

    /**
     * Most bytes all direct buffers together may take before allocation fails.
     *
     * @return bytes.
     */
    static long maxDirectMemory()
    {
        try
        {
            final Object value = Class.forName("jdk.internal.misc.VM").getMethod("maxDirectMemory").invoke(null);
            if (value instanceof Long && (Long)value > 0)
            {
                return (Long)value;
            }
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError notExported)
        {
            // fall back to the JVM's arguments
        }
        try
        {
            for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                if (argument.startsWith(MAX_DIRECT_FLAG))
                {
                    final long bytes = parseSize(argument.substring(MAX_DIRECT_FLAG.length()));
                    if (bytes > 0)
                    {
                        return bytes;
                    }
                }
            }
        }
        catch (final RuntimeException | LinkageError noManagement)
        {
            // no java.management: the JVM default below
        }
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * A HotSpot size: digits with an optional {@code k}, {@code m}, {@code g} or {@code t} suffix.
     *
     * @param text the size.
     * @return bytes, or -1 when not a size.
     */
    static long parseSize(final String text)
    {
        if (text.isEmpty())
        {
            return -1;
        }
        final char unit = Character.toLowerCase(text.charAt(text.length() - 1));
        final int shift = "kmgt".indexOf(unit) < 0 ? 0 : 10 * ("kmgt".indexOf(unit) + 1);
        final String digits = 0 == shift ? text : text.substring(0, text.length() - 1);
        try
        {
            final long value = Long.parseLong(digits);
            return value < 0 || value > (Long.MAX_VALUE >> shift) ? -1 : value << shift;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * Bytes as MiB for messages: {@code 64 MiB}, {@code 1.5 MiB}.
     *
     * @param bytes to describe.
     * @return the text.
     */
    static String mib(final long bytes)
    {
        if (bytes < 1024 * 1024 && bytes % 1024 == 0)
        {
            return bytes / 1024 + " KiB";
        }
        final double mib = bytes / (1024.0 * 1024.0);
        return mib == Math.rint(mib) ? (long)mib + " MiB" : String.format(Locale.ROOT, "%.1f MiB", mib);
    }
}
