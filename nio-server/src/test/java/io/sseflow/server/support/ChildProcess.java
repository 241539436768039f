package io.sseflow.server.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub as a child process, as the README runs it: {@code java [options] -jar sseflow-server.jar [arguments]},
 * its start-up line {@code sseflow listening on http://127.0.0.1:<port>} read from stdout, then stopped with SIGTERM
 * or killed.
 */
public final class ChildProcess
{
    private static final Pattern LISTENING = Pattern.compile("sseflow listening on (http://127\\.0\\.0\\.1:(\\d+))");

    private ChildProcess()
    {
    }

    /**
     * The {@code java} launcher of the JVM running the tests.
     *
     * @return its path.
     */
    public static String javaBinary()
    {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /**
     * The hub jar the build made ({@code sseflow.server.jar}, default {@code target/sseflow-server.jar}), failing
     * when it is missing.
     *
     * @return the jar.
     */
    public static File hubJar()
    {
        final File jar = new File(System.getProperty("sseflow.server.jar", "target/sseflow-server.jar"));
        assertTrue(jar.isFile(), "build the jar first: " + jar);
        return jar;
    }

    /**
     * System property with more options for every hub JVM a test starts, separated by spaces (e.g.
     * {@code -Dsseflow.it.hubJvmOptions=-XX:StartFlightRecording=filename=/tmp/hub.jfr} to profile one).
     */
    public static final String EXTRA_JVM_OPTIONS = "sseflow.it.hubJvmOptions";

    /**
     * Start the hub jar.
     *
     * @param jvmOptions options for the JVM, before {@code -jar}.
     * @param stderr     where its standard error goes.
     * @param arguments  the hub's arguments.
     * @return the process; its stdout is for {@link #awaitListening}.
     * @throws IOException when it cannot be started.
     */
    public static Process startHubJar(
        final List<String> jvmOptions, final ProcessBuilder.Redirect stderr, final String... arguments) throws IOException
    {
        return startHubJar(List.of(), jvmOptions, stderr, arguments);
    }

    /**
     * Start the hub jar behind a command prefix (e.g. {@code taskset -c 1}, see {@link CpuSplit}, or
     * {@code setpriv --regid G --clear-groups} for a test that tells its packets apart by group).
     *
     * @param prefix     words before {@code java}.
     * @param jvmOptions options for the hub's JVM.
     * @param stderr     where its standard error goes.
     * @param arguments  the hub's arguments.
     * @return the process.
     * @throws IOException when it cannot be started.
     */
    public static Process startHubJar(
        final List<String> prefix, final List<String> jvmOptions, final ProcessBuilder.Redirect stderr,
        final String... arguments) throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(javaBinary());
        command.addAll(jvmOptions);
        final String extra = System.getProperty(EXTRA_JVM_OPTIONS, "").trim();
        if (!extra.isEmpty())
        {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-jar");
        command.add(hubJar().getPath());
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectError(stderr).start();
    }

    /**
     * Read the hub's first line of stdout and fail unless it is the start-up line.
     *
     * @param hub    a hub just started.
     * @param stderr its standard error file, quoted in the failure, or null.
     * @return the URL it listens on, {@code http://127.0.0.1:<port>}.
     * @throws IOException when stdout cannot be read.
     */
    public static String awaitListening(final Process hub, final Path stderr) throws IOException
    {
        final BufferedReader stdout =
            new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine();
        while (null != line && line.matches("^\\[[0-9.]+s]\\[.*"))
        {
            line = stdout.readLine(); // the JVM's own log (a flight recording started by EXTRA_JVM_OPTIONS says so)
        }
        final Matcher matcher = LISTENING.matcher(null == line ? "" : line);
        if (!matcher.matches())
        {
            throw new AssertionError("start-up line: " + line +
                (null == stderr ? "" : "; stderr: " + Files.readString(stderr, StandardCharsets.UTF_8)));
        }
        return matcher.group(1);
    }

    /**
     * The port of a URL {@link #awaitListening} returned.
     *
     * @param url {@code http://127.0.0.1:<port>}.
     * @return the port.
     */
    public static int port(final String url)
    {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /**
     * Stop with SIGTERM, then kill whatever is left.
     *
     * @param process to stop.
     * @param timeout how long it may take to exit after SIGTERM.
     * @return true when it exited on SIGTERM in time.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static boolean stop(final Process process, final Duration timeout) throws InterruptedException
    {
        process.destroy();
        final boolean stopped = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        kill(process);
        return stopped;
    }

    /**
     * Kill a process (SIGKILL) and wait up to 10 s for it to go.
     *
     * @param process to kill.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static void kill(final Process process) throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * The last line of a process's output, without its line end.
     *
     * @param text what it wrote (its stderr file, read).
     * @return the last line.
     */
    public static String lastLine(final String text)
    {
        final String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }

    /**
     * How often a part occurs in a process's output (e.g. an exit line that must be printed once).
     *
     * @param text what it wrote.
     * @param part to count.
     * @return the occurrences, overlapping ones included.
     */
    public static int occurrences(final String text, final String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1))
        {
            count++;
        }
        return count;
    }
}
