package io.sseflow.encoder;

import org.agrona.ExpandableArrayBuffer;

/**
 * The one JVM setting sseflow needs: Agrona's buffers use {@code jdk.internal.misc.Unsafe}, which Java 17 and later
 * open to them only with {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (the hub jar's manifest
 * says so already). Without it the first buffer fails with an {@link IllegalAccessError} deep inside Agrona; the
 * entry points ({@link Sse}, {@link EventFrameEncoder}, the server's builder) call {@link #check()} first, which
 * turns that into an {@link IllegalStateException} that names the fix.
 */
public final class AgronaAccess
{
    private static final String PROBLEM = probe();

    private AgronaAccess()
    {
    }

    /**
     * Fail, naming the JVM option to add, when Agrona cannot reach {@code jdk.internal.misc.Unsafe}.
     *
     * @throws IllegalStateException with the fix, the original error as its cause.
     */
    public static void check()
    {
        if (null != PROBLEM)
        {
            throw new IllegalStateException(PROBLEM, Failure.cause);
        }
    }

    private static String probe()
    {
        try
        {
            new ExpandableArrayBuffer(1);
            return null;
        }
        catch (final IllegalAccessError | NoClassDefFoundError | ExceptionInInitializerError ex)
        {
            Failure.cause = ex;
            return "sseflow needs Agrona's access to jdk.internal.misc.Unsafe: start the JVM with " +
                "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED (on the module path: " +
                "=org.agrona), or put 'Add-Exports: java.base/jdk.internal.misc' in your executable jar's " +
                "manifest (" + ex + ")";
        }
    }

    private static final class Failure
    {
        static Throwable cause;
    }
}
