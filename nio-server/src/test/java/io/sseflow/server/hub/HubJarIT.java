package io.sseflow.server.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub jar started as the README says ({@code java -jar nio-server/target/sseflow-server.jar --port 0}), its
 * start-up line parsed, driven with curl, stopped with SIGTERM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubJarIT
{
    private static final Pattern LISTENING = Pattern.compile("sseflow listening on (http://127\\.0\\.0\\.1:(\\d+))");

    @Test
    void shouldStartFromTheJarAndServeCurl() throws Exception
    {
        assumeTrue(isCurlAvailable(), "curl is not installed: skipping the hub jar test driven by curl");
        final File jar = new File(System.getProperty("sseflow.server.jar", "target/sseflow-server.jar"));
        assertTrue(jar.isFile(), "build the jar first: " + jar);

        final Process hub = new ProcessBuilder(
            javaBinary(), "-jar", jar.getPath(), "--port", "0", "--heartbeat-ms", "60000")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        try
        {
            final BufferedReader stdout = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
            final String line = stdout.readLine();
            final Matcher matcher = LISTENING.matcher(null == line ? "" : line);
            assertTrue(matcher.matches(), "start-up line: " + line);
            final String url = matcher.group(1);

            final Process stream = new ProcessBuilder("curl", "-sN", "--max-time", "30", url + "/events/demo").start();
            waitForSubscriber(url);

            assertEquals("1\n", curl("-s", "-X", "POST", "--data-binary", "hello\nworld", url + "/events/demo?event=greet"));
            assertEquals("42\n", curl("-s", "-X", "POST", "-d", "{\"n\":2}", url + "/events/demo?id=42"));
            assertEquals("43\n", curl("-s", "-X", "POST", "--data-binary", "x", url + "/events/demo"));
            assertEquals("404", curl("-s", "-o", "/dev/null", "-w", "%{http_code}", url + "/nope"));
            assertTrue(curl("-s", url + "/").contains("new EventSource("));
            final String metrics = curl("-s", url + "/metrics");
            assertTrue(metrics.contains("\nsseflow_events_published_total 3\n"), metrics);

            hub.destroy();
            assertTrue(hub.waitFor(15, TimeUnit.SECONDS), "hub stops on SIGTERM");
            assertTrue(stream.waitFor(15, TimeUnit.SECONDS));
            final String events = new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(
                "event: greet\nid: 1\ndata: hello\ndata: world\n\n" +
                "id: 42\ndata: {\"n\":2}\n\n" +
                "id: 43\ndata: x\n\n",
                events);
            assertEquals(0, stream.exitValue(), "curl saw a clean end of stream");
        }
        finally
        {
            hub.destroyForcibly();
        }
    }

    private static void waitForSubscriber(final String url) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!curl("-s", url + "/metrics").contains("\nsseflow_subscribers 1\n"))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("curl did not subscribe");
            }
            Thread.sleep(20);
        }
    }

    private static String curl(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add("curl");
        command.add("--max-time");
        command.add("10");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(15, TimeUnit.SECONDS);
        return output;
    }

    private static boolean isCurlAvailable()
    {
        try
        {
            final Process process = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    private static String javaBinary()
    {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
