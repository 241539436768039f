package io.sseflow.server.hub;

import io.sseflow.server.BuildInfo;
import io.sseflow.server.SseServer;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

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
 * An {@code OutOfMemoryError} (any {@code VirtualMachineError}) on any other thread of the process, the cluster's
 * included, ends the hub the same way ({@link FatalExit}), and so does one that leaves no heap to print it with: a
 * reserve let go first, a pre-built line if printing still fails, then {@code Runtime.halt(70)}.
 * <p>
 * A durable or clustered hub whose cluster member stops by itself (a component terminated unexpectedly, an Aeron
 * client timed out after a pause of 5 s or more, an agent thread ended or stalled, the archive refused to record at
 * start for lack of disk space) ends the same way, with status 70 and one line {@code sseflow: exiting (status 70)
 * because cluster node N stopped: ...} (no stack trace), within about a second; a deliberate cluster shutdown
 * ({@code ClusterTool ... shutdown}) closes the hub as SIGTERM does and exits 0 ({@code cluster.MemberWatch}).
 * <p>
 * A member of several that must not join as itself exits 2 with one line saying why and what to do: its data dir
 * belongs to another member or member list, lost its cluster log, holds an unfinished restore, or is empty while
 * another member has cluster history (at start, or later while it waited to learn whether the cluster is new). Such a
 * member is started again with {@code --restore}, which copies its state from the cluster's leader first.
 * <p>
 * Fault injection, to test these paths end to end (the hub's own tests do; not for production): with the system
 * property {@value #FATAL_ERROR_TOPIC_PROPERTY}{@code =NAME}, a {@code GET /events/NAME} makes the server thread fail
 * with a real {@code OutOfMemoryError} (it asks the JVM for an array larger than it allows); with
 * {@value #HEAP_EXHAUSTION_TOPIC_PROPERTY} the server thread fills the heap and keeps it full; with
 * {@value #THREAD_HEAP_EXHAUSTION_TOPIC_PROPERTY} another thread does ({@link FaultInjection}).
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

    /**
     * System property naming a topic whose subscribe request makes the server thread fill the heap, keeping it full,
     * until an {@code OutOfMemoryError: Java heap space} (fault injection for tests).
     */
    public static final String HEAP_EXHAUSTION_TOPIC_PROPERTY = "sseflow.hub.heapExhaustionTopic";

    /**
     * System property naming a topic whose subscribe request is refused {@code 403} while a thread other than the
     * server's fills the heap, keeping it full, until an {@code OutOfMemoryError} ends that thread (fault injection
     * for tests).
     */
    public static final String THREAD_HEAP_EXHAUSTION_TOPIC_PROPERTY = "sseflow.hub.threadHeapExhaustionTopic";

    /**
     * How often the log may summarize refusals and slow-consumer drops: 10 s (the system property
     * {@code sseflow.hub.logSummaryMillis} changes it, for tests).
     */
    static final long SUMMARY_MILLIS = Long.getLong("sseflow.hub.logSummaryMillis", 10_000);

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
        final int status = run(args, System.getenv(), System.out, System.err, FatalExit.install());
        if (status != 0)
        {
            System.exit(status);
        }
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws InterruptedException
    {
        return run(args, Map.of(), out, err);
    }

    static int run(
        final String[] args, final Map<String, String> environment, final PrintStream out, final PrintStream err)
        throws InterruptedException
    {
        return run(args, environment, out, err, FatalExit.printingOnly(err));
    }

    static int run(
        final String[] args, final Map<String, String> environment, final PrintStream out, final PrintStream err,
        final FatalExit fatalExit) throws InterruptedException
    {
        if (HubOptions.wantsHelp(args))
        {
            out.print(HubOptions.USAGE);
            out.flush();
            return 0;
        }
        if (Arrays.asList(args).contains("--version"))
        {
            out.println("sseflow " + BuildInfo.version());
            out.flush();
            return 0;
        }

        final SseServer server;
        final HubSettings settings;
        try
        {
            final ConfigSources sources = ConfigSources.resolve(args, environment);
            settings = HubOptions.parseSettings(sources.settings());
            if (sources.printConfig())
            {
                out.print(sources.describe());
                out.println("# " + HubOptions.historyBudgetLine(settings.server().build().config()));
                out.flush();
                return 0;
            }
            HubLog.install(settings.logFormat(), err, Clock.systemUTC());
            server = FaultInjection.apply(settings.server()).errorHandler(fatalExit).start();
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
            fatalExit.exit(ex, true);
            return EXIT_FATAL_ERROR;
        }

        final HubLog log = new HubLog();
        log.info(HubOptions.historyBudgetLine(server.config()));
        final Thread reporter = new HubReporter(server.metrics(), settings.clusterRole(), log, SUMMARY_MILLIS).start();
        try
        {
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                log.infoAtShutdown("sseflow: closing: " + server.metrics().connections() + " connections, " +
                    server.metrics().subscribers() + " subscribers");
                final long startNs = System.nanoTime();
                server.close();
                log.infoAtShutdown("sseflow: closed in " + (System.nanoTime() - startNs) / 1_000_000 + " ms");
            }, "sseflow-shutdown"));
        }
        catch (final IllegalStateException shutdownInProgress)
        {
            // the process is already exiting, with its own status and line (a cluster member refused as it started)
            reporter.interrupt();
            return 0;
        }
        out.println("sseflow listening on " + server.url());
        out.flush();
        server.awaitClose();
        reporter.interrupt();
        final Throwable failure = server.failure();
        if (null != failure)
        {
            // the server's error handler printed its stack trace (and halted already if it was a VirtualMachineError)
            fatalExit.exit(failure, false);
            return EXIT_FATAL_ERROR;
        }
        return 0;
    }
}
