package io.sseflow.encoder;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application that uses {@link Sse} on a JVM started without {@code --add-exports java.base/jdk.internal.misc}
 * gets an error that names the option, not Agrona's {@code IllegalAccessError}: a child JVM (this test's class path,
 * no options) runs {@link WithoutExports}.
 */
class AgronaAccessTest
{
    @Test
    void shouldNameTheMissingJvmOptionWhenAgronaCannotReachUnsafe() throws IOException, InterruptedException
    {
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final Process child = new ProcessBuilder(List.of(
            java, "-cp", System.getProperty("java.class.path"), WithoutExports.class.getName()))
            .redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child ended");
        assertEquals(3, child.exitValue(), output);
        assertTrue(output.startsWith("java.lang.IllegalStateException: sseflow needs Agrona's access to " +
            "jdk.internal.misc.Unsafe: start the JVM with --add-exports java.base/jdk.internal.misc=ALL-UNNAMED"),
            output);
    }

    @Test
    void shouldPassWhereTheOptionIsGiven() throws IOException
    {
        AgronaAccess.check();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Sse sse = new Sse(out))
        {
            sse.write("ok");
        }
        assertEquals("data: ok\n\n", out.toString(StandardCharsets.UTF_8));
    }

    /**
     * The child's program: write one event, print what was thrown and exit 3.
     */
    public static final class WithoutExports
    {
        public static void main(final String[] args)
        {
            try (Sse sse = new Sse(new ByteArrayOutputStream()))
            {
                sse.write("hello");
                System.out.println("written");
            }
            catch (final Throwable ex)
            {
                System.out.println(ex);
                System.exit(3);
            }
        }
    }
}
