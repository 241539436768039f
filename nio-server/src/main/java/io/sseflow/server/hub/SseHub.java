package io.sseflow.server.hub;

import io.sseflow.server.SseServer;
import io.sseflow.server.SubscribeAuthorizer;

import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * The standalone hub: {@code java -jar sseflow-server.jar [flags]}. Starts an {@link SseServer} with the demo
 * page, prints {@code sseflow listening on http://HOST:PORT}, and closes gracefully on SIGTERM / Ctrl-C.
 * <p>
 * Exit status: 0 after a graceful close, 2 for bad flags or a refused configuration, 1 when the address cannot be
 * bound, and {@value #EXIT_FATAL_ERROR} (sysexits' {@code EX_SOFTWARE}) when a fatal error, such as an
 * {@code OutOfMemoryError}, stops the server thread or prevents the start: its stack trace goes to stderr with one
 * line {@code sseflow: exiting (status 70) because of a fatal error: ...}, the port is closed, and the process ends
 * so that a supervisor (systemd, Kubernetes, Docker's restart policy) can start a fresh one.
 * <p>
 * Fault injection, to test that path end to end (the hub's own tests do): with the system property
 * {@value #FATAL_ERROR_TOPIC_PROPERTY}{@code =NAME}, a {@code GET /events/NAME} makes the server thread fail with a
 * real {@code OutOfMemoryError} (it asks the JVM for an array larger than it allows). Not for production.
 */
public final class SseHub
{
    /**
     * Exit status after a fatal error on the server thread or during start-up.
     */
    public static final int EXIT_FATAL_ERROR = 70;

    /**
     * System property naming a topic whose subscribe request fails the server thread with an
     * {@code OutOfMemoryError} (fault injection for tests).
     */
    public static final String FATAL_ERROR_TOPIC_PROPERTY = "sseflow.hub.fatalErrorTopic";

    private SseHub()
    {
    }

    /**
     * Run the hub.
     *
     * @param args flags, see {@link HubOptions#USAGE}.
     * @throws InterruptedException when interrupted while waiting for shutdown.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final int status = run(args, System.out, System.err);
        if (status != 0)
        {
            System.exit(status);
        }
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws InterruptedException
    {
        if (HubOptions.wantsHelp(args))
        {
            out.print(HubOptions.USAGE);
            out.flush();
            return 0;
        }

        final SseServer server;
        try
        {
            server = withFaultInjection(HubOptions.parse(args)).start();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("sseflow: " + ex.getMessage());
            err.print(HubOptions.USAGE);
            err.flush();
            return 2;
        }
        catch (final IllegalStateException ex)
        {
            err.println("sseflow: " + ex.getMessage());
            err.flush();
            return 2;
        }
        catch (final UncheckedIOException ex)
        {
            err.println("sseflow: " + ex.getMessage());
            err.flush();
            return 1;
        }
        catch (final RuntimeException | Error ex)
        {
            ex.printStackTrace(err);
            return exitingBecauseOf(ex, err);
        }

        err.println(HubOptions.historyBudgetLine(server.config()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sseflow-shutdown"));
        out.println("sseflow listening on " + server.url());
        out.flush();
        server.awaitClose();
        final Throwable failure = server.failure();
        if (null != failure)
        {
            // the stack trace was printed by the server's error handler (System.err by default)
            return exitingBecauseOf(failure, err);
        }
        return 0;
    }

    private static SseServer.Builder withFaultInjection(final SseServer.Builder builder)
    {
        final String fatalErrorTopic = System.getProperty(FATAL_ERROR_TOPIC_PROPERTY);
        if (null == fatalErrorTopic || fatalErrorTopic.isEmpty())
        {
            return builder;
        }
        return builder.subscribeAuthorizer((request) ->
        {
            if (fatalErrorTopic.equals(request.topic()))
            {
                final long[] tooLarge = new long[Integer.MAX_VALUE];
                return tooLarge.length > 0 ? SubscribeAuthorizer.Decision.FORBIDDEN : SubscribeAuthorizer.Decision.ALLOW;
            }
            return SubscribeAuthorizer.Decision.ALLOW;
        });
    }

    private static int exitingBecauseOf(final Throwable failure, final PrintStream err)
    {
        err.println("sseflow: exiting (status " + EXIT_FATAL_ERROR + ") because of a fatal error: " + failure);
        err.flush();
        return EXIT_FATAL_ERROR;
    }
}
