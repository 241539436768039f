package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.RawHttp;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One hub process from the jar, for the durable and clustered tests: started with its flags, its stderr in a file,
 * its start-up line read, then asked {@code /readyz} until it answers {@code 200}; killed with SIGKILL (Java's
 * {@link Process#destroyForcibly()}) or stopped with SIGTERM.
 */
final class HubNode implements AutoCloseable
{
    private final List<String> arguments;
    private final File stderr;
    private List<String> launcher = List.of();
    private Process process;
    private int port;

    HubNode(final File stderr, final String... arguments)
    {
        this.stderr = stderr;
        this.arguments = List.of(arguments);
    }

    /**
     * Run the jar behind this command (such as {@code setpriv --regid G --clear-groups}).
     *
     * @param launcher the command and its arguments.
     * @return this.
     */
    HubNode launchedWith(final String... launcher)
    {
        this.launcher = List.of(launcher);
        return this;
    }

    /**
     * Start the process; its start-up line is read when its port is first needed, so that the members of a new
     * cluster started in a loop all start at once (a member that starts after the others have elected and written to
     * their log is refused as one that may have lost its disk).
     *
     * @return this.
     */
    HubNode start() throws IOException
    {
        final List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx256m");
        jvm.add("-XX:+UseSerialGC");
        port = 0;
        process = ChildProcess.startHubJar(
            launcher, jvm, ProcessBuilder.Redirect.appendTo(stderr), arguments.toArray(new String[0]));
        return this;
    }

    /**
     * Wait until {@code /readyz} answers {@code 200}.
     *
     * @return this.
     */
    HubNode awaitReady(final Duration timeout)
    {
        Await.condition(this::isReady, "node on port " + port() + " ready (stderr: " + stderr + ")", timeout);
        return this;
    }

    boolean isReady()
    {
        try
        {
            return RawHttp.status(RawHttp.get(port(), "/readyz", "Connection: close")).equals("HTTP/1.1 200 OK");
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    int port()
    {
        if (0 == port)
        {
            try
            {
                port = ChildProcess.port(ChildProcess.awaitListening(process, stderr.toPath()));
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        return port;
    }

    Process process()
    {
        return process;
    }

    String stderr() throws IOException
    {
        return Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
    }

    /**
     * SIGKILL, and wait for the process to go.
     */
    void kill() throws InterruptedException
    {
        if (null != process)
        {
            ChildProcess.kill(process);
        }
    }

    /**
     * {@code POST /events/{topic}} with a body, and the answer's body (the id) asserting a {@code 200}.
     */
    String publish(final String topic, final String query, final String body) throws IOException
    {
        final String answer = RawHttp.post(port(), "/events/" + topic + query, body);
        if (!RawHttp.status(answer).equals("HTTP/1.1 200 OK"))
        {
            throw new AssertionError("publish to node on port " + port + ": " + answer);
        }
        return RawHttp.body(answer);
    }

    /**
     * Stop with SIGTERM (then SIGKILL whatever is left).
     */
    public void close() throws InterruptedException
    {
        if (null != process)
        {
            ChildProcess.stop(process, Duration.ofSeconds(15));
        }
    }
}
