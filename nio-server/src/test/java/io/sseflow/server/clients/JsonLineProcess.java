package io.sseflow.server.clients;

import io.sseflow.server.support.Await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child process that reports one JSON object per line on stdout (the Node scripts in {@code src/test/node}).
 * Lines are parsed on a reader thread and queued; every line seen is kept for failure messages. Closing ends
 * stdin (the scripts exit on that), then kills the process tree if it has not gone within a few seconds.
 */
final class JsonLineProcess implements AutoCloseable
{
    private static final long POLL_MILLIS = 50;

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<Map<String, Object>> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private final List<Map<String, Object>> history = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private JsonLineProcess(final String name, final Process process)
    {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        daemon(name + "-stdout", () -> readLines(process.getInputStream()));
        daemon(name + "-stderr", () -> readStderr(process.getErrorStream()));
    }

    /**
     * Start a process in a directory.
     *
     * @param name      for thread names and failure messages.
     * @param directory working directory.
     * @param command   program and arguments.
     * @return the running process.
     * @throws IOException if it cannot be started.
     */
    static JsonLineProcess start(final String name, final java.nio.file.Path directory, final List<String> command)
        throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        return new JsonLineProcess(name, builder.start());
    }

    /**
     * Write one line to the process's stdin.
     *
     * @param line without its line end.
     */
    void send(final String line)
    {
        try
        {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
        catch (final IOException ex)
        {
            fail(name + ": cannot write to the process: " + ex + describe());
        }
    }

    /**
     * Take lines until one matches, failing the test if none does in time or the process ends first.
     * Lines taken on the way are handed to {@code skipped} (which may be null).
     *
     * @param what    the expectation, for the failure message.
     * @param match   the line wanted.
     * @param timeout how long to wait.
     * @return the matching line.
     */
    Map<String, Object> await(final String what, final Predicate<Map<String, Object>> match, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                fail(name + ": timed out after " + timeout.toMillis() + " ms waiting for " + what + describe());
            }
            final Map<String, Object> line;
            try
            {
                line = lines.poll(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
            if (null == line)
            {
                if (!process.isAlive() && lines.isEmpty())
                {
                    Await.pause(POLL_MILLIS);
                    if (lines.isEmpty())
                    {
                        fail(name + ": exited with " + process.exitValue() + " while waiting for " + what + describe());
                    }
                }
                continue;
            }
            if (match.test(line))
            {
                return line;
            }
        }
    }

    /**
     * Take the next {@code count} lines of the given kind, skipping the others.
     *
     * @param kind    the {@code kind} member wanted.
     * @param count   how many.
     * @param timeout for all of them.
     * @return the lines, in order.
     */
    List<Map<String, Object>> awaitKind(final String kind, final int count, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Map<String, Object>> taken = new ArrayList<>(count);
        while (taken.size() < count)
        {
            final Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            taken.add(await(
                (count - taken.size()) + " more '" + kind + "' lines (" + taken.size() + " of " + count + " so far)",
                (line) -> kind.equals(line.get("kind")), left));
        }
        return taken;
    }

    /**
     * Lines seen so far that are still queued, without waiting; they stay queued.
     *
     * @return a copy of the queue.
     */
    List<Map<String, Object>> pending()
    {
        return new ArrayList<>(lines);
    }

    /**
     * Every line parsed so far, taken or not, in order.
     *
     * @return a copy.
     */
    List<Map<String, Object>> history()
    {
        synchronized (history)
        {
            return new ArrayList<>(history);
        }
    }

    /**
     * Everything the process printed so far, for assertion messages.
     *
     * @return the transcript of stdout and stderr.
     */
    String describe()
    {
        synchronized (transcript)
        {
            final StringBuilder out = new StringBuilder("\n--- ").append(name).append(" stdout ---\n");
            final int from = Math.max(0, transcript.size() - 200);
            if (from > 0)
            {
                out.append("... ").append(from).append(" earlier lines\n");
            }
            for (int i = from; i < transcript.size(); i++)
            {
                out.append(transcript.get(i)).append('\n');
            }
            synchronized (stderr)
            {
                out.append("--- ").append(name).append(" stderr ---\n").append(stderr);
            }
            return out.toString();
        }
    }

    /**
     * End stdin, wait a little for the process to exit, then kill it and its children.
     */
    public void close()
    {
        try
        {
            stdin.close();
        }
        catch (final IOException ignore)
        {
            // already gone
        }
        try
        {
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void readLines(final InputStream in)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                synchronized (transcript)
                {
                    transcript.add(line);
                }
                try
                {
                    final Map<String, Object> parsed = Json.parseObject(line);
                    synchronized (history)
                    {
                        history.add(parsed);
                    }
                    lines.add(parsed);
                }
                catch (final IllegalArgumentException ex)
                {
                    synchronized (stderr)
                    {
                        stderr.append("(not JSON on stdout) ").append(line).append('\n');
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // process ended
        }
    }

    private void readStderr(final InputStream in)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                synchronized (stderr)
                {
                    if (stderr.length() < 64 * 1024)
                    {
                        stderr.append(line).append('\n');
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // process ended
        }
    }

    private static void daemon(final String name, final Runnable task)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
