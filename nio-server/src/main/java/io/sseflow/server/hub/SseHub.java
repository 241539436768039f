package io.sseflow.server.hub;

import io.sseflow.server.SseServer;

import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * The standalone hub: {@code java -jar sseflow-server.jar [flags]}. Starts an {@link SseServer} with the demo
 * page, prints {@code sseflow listening on http://HOST:PORT}, and closes gracefully on SIGTERM / Ctrl-C.
 * Exit status 2 for bad flags or a refused configuration, 1 when the address cannot be bound.
 */
public final class SseHub
{
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
            server = HubOptions.parse(args).start();
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

        err.println(HubOptions.historyBudgetLine(server.config()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sseflow-shutdown"));
        out.println("sseflow listening on " + server.url());
        out.flush();
        server.awaitClose();
        return 0;
    }
}
