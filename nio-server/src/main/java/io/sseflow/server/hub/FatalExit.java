package io.sseflow.server.hub;

import org.agrona.ErrorHandler;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Ends the hub after a fatal error, wherever it strikes: a {@link VirtualMachineError} (an {@code OutOfMemoryError},
 * a {@code StackOverflowError}) on any thread, the server's, the cluster's (Aeron reports its agents' errors to the
 * error handler), or one of the JVM's; and, through {@link #exit}, any error that stopped the server thread. It
 * prints the stack trace and {@code sseflow: exiting (status 70) because of a fatal error: ...} to stderr, then
 * halts with status 70 ({@code Runtime.halt}: no shutdown hook that might need memory or wait on a dead thread; the
 * kernel closes the port and every socket, and durable history is crash-safe).
 * <p>
 * With no heap left, printing could fail and the handler itself would die ({@code OutOfMemoryError thrown from the
 * UncaughtExceptionHandler}, exit 1, port left to the JVM's fate). So a reserve of heap is held from start-up and let
 * go first, and if printing still throws, a one-line message built at start-up ({@code ...: java.lang.OutOfMemoryError})
 * is written to file descriptor 2 without allocating. Only the first fatal error is reported; a later one on another
 * thread returns at once while the first ends the process.
 * <p>
 * Cannot see an error that some code catches and swallows; the hub's own threads let them through.
 */
final class FatalExit implements Thread.UncaughtExceptionHandler, ErrorHandler
{
    /**
     * The exit status, sysexits' {@code EX_SOFTWARE}.
     */
    static final int STATUS = 70;

    /**
     * Heap held from start-up and let go before a fatal error is printed.
     */
    static final int RESERVE_BYTES = 1 << 20;

    /**
     * How long a closing exit ({@link #exitClosing}) may take to close the hub before it halts instead: 10 s.
     */
    static final long CLOSE_LIMIT_MS = 10_000;

    private static final String PREFIX = "sseflow: exiting (status " + STATUS + ") because of a fatal error: ";
    private static final String BECAUSE = "sseflow: exiting (status " + STATUS + ") because ";
    private static final byte[] OUT_OF_MEMORY_LINE = ascii(PREFIX + OutOfMemoryError.class.getName() + "\n");
    private static final byte[] STACK_OVERFLOW_LINE = ascii(PREFIX + StackOverflowError.class.getName() + "\n");
    private static final byte[] OTHER_LINE =
        ascii("sseflow: exiting (status " + STATUS + ") because of a fatal error (no memory left to describe it)\n");

    private static volatile FatalExit installed;

    private final PrintStream err;
    private final OutputStream rawErr;
    private final IntConsumer halt;
    private boolean exiting;
    private volatile byte[] reserve = new byte[RESERVE_BYTES];

    /**
     * @param err    where the stack trace and the line go (stderr).
     * @param rawErr where the pre-built line goes when printing fails (file descriptor 2).
     * @param halt   ends the process with a status ({@code Runtime.getRuntime()::halt}).
     */
    FatalExit(final PrintStream err, final OutputStream rawErr, final IntConsumer halt)
    {
        this.err = err;
        this.rawErr = rawErr;
        this.halt = halt;
    }

    /**
     * Make a fatal exit to stderr the JVM's default uncaught exception handler, for the whole process.
     *
     * @return the handler, also the server's error handler.
     */
    static FatalExit install()
    {
        final FatalExit fatalExit = new FatalExit(
            System.err, new FileOutputStream(FileDescriptor.err), (status) -> Runtime.getRuntime().halt(status));
        installed = fatalExit;
        Thread.setDefaultUncaughtExceptionHandler(fatalExit);
        warmUp();
        fatalExit.writeRaw(new byte[0]);
        return fatalExit;
    }

    /**
     * Run every path once while there is heap: the first run of code resolves what it names (classes, methods, the
     * catch clauses' types), which allocates, and would fail with no heap left. Dry runs of this class's paths, a
     * thread that dies of an uncaught {@link WarmUp} for the JVM's own dispatch to the default handler, and (in
     * {@link #install()}) an empty write to file descriptor 2.
     */
    private static void warmUp()
    {
        final OutputStream discard = OutputStream.nullOutputStream();
        final PrintStream failing = new PrintStream(new OutputStream()
        {
            @Override
            public void write(final int b)
            {
                throw new OutOfMemoryError("warm-up");
            }
        }, true, StandardCharsets.US_ASCII);
        final IntConsumer noHalt = (status) -> {};
        new FatalExit(new PrintStream(discard), discard, noHalt)
            .uncaughtException(Thread.currentThread(), new OutOfMemoryError("warm-up"));
        new FatalExit(failing, discard, noHalt).onError(new OutOfMemoryError("warm-up"));
        new FatalExit(failing, discard, noHalt).onError(new IllegalStateException("warm-up"));
        new FatalExit(failing, discard, noHalt).exit(new StackOverflowError("warm-up"), false);
        final Thread thread = new Thread(() ->
        {
            throw new WarmUp();
        }, "sseflow-fatal-exit-warm-up");
        thread.start();
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A fatal exit that prints to {@code err} and does not halt, for a caller that ends the process itself (or a
     * test that must not end); not installed as the default handler.
     *
     * @param err where the stack trace and the line go.
     * @return the handler.
     */
    static FatalExit printingOnly(final PrintStream err)
    {
        return new FatalExit(err, new FileOutputStream(FileDescriptor.err), (status) -> {});
    }

    /**
     * For handlers of other components (the cluster's): exit if the error is fatal and {@link #install()} ran.
     *
     * @param error reported.
     */
    static void exitIfFatal(final Throwable error)
    {
        final FatalExit fatalExit = installed;
        if (null != fatalExit && error instanceof VirtualMachineError)
        {
            fatalExit.exit(error, true);
        }
    }

    /**
     * For the cluster's watchdog: this node's cluster member stopped by itself, so the process can no longer do its
     * job. Exit with {@value #STATUS} and the one line {@code sseflow: exiting (status 70) because REASON} if
     * {@link #install()} ran; otherwise (a hub run inside a test) only print the line.
     *
     * @param reason one line, what stopped and why.
     * @param err    where the line goes when no handler is installed.
     */
    static void exitBecause(final String reason, final PrintStream err)
    {
        final FatalExit fatalExit = installed;
        if (null != fatalExit)
        {
            fatalExit.exit(reason);
        }
        else
        {
            err.println(BECAUSE.concat(reason));
            err.flush();
        }
    }

    /**
     * Is the process's handler installed (the hub runs as its own process)?
     *
     * @return true after {@link #install()}.
     */
    static boolean isInstalled()
    {
        return null != installed;
    }

    /**
     * End the process with {@code status} after {@code line}, closing it as on SIGTERM (its shutdown hook closes the
     * server and the cluster member, so that their files are closed) from a thread of its own, and halting with the
     * same status if that takes more than {@link #CLOSE_LIMIT_MS} (a component that does not close must not keep a
     * process that can no longer do its job alive). Nothing is logged after the line ({@link HubLog#reasonIsLast}),
     * and a fatal error during the close is not reported (the time limit still ends the process). When no handler is
     * installed (a hub run inside a test) only the line is printed. Returns at once.
     *
     * @param status the exit status.
     * @param line   the one line that says why, printed first.
     * @param log    where the line goes.
     */
    static void exitClosing(final int status, final String line, final PrintStream log)
    {
        final FatalExit fatalExit = installed;
        if (null == fatalExit)
        {
            log.println(line);
            log.flush();
            HubLog.reasonIsLast();
            return;
        }
        fatalExit.exitClosing(status, line, log, HubLog::reasonIsLast, (code) -> System.exit(code), CLOSE_LIMIT_MS);
    }

    /**
     * {@link #exitClosing(int, String, PrintStream)} with the exit and the time limit given.
     *
     * @param status       the exit status.
     * @param line         the one line that says why.
     * @param log          where the line goes.
     * @param linePrinted  run once the line is out, before the exit starts (nothing else may be logged after it).
     * @param exit         starts the JVM's orderly exit ({@code System.exit}), on a thread of its own.
     * @param closeLimitMs after which it halts with {@code status}.
     * @return false, printing nothing, when another exit (this or a fatal one) was already under way.
     */
    boolean exitClosing(
        final int status, final String line, final PrintStream log, final Runnable linePrinted, final IntConsumer exit,
        final long closeLimitMs)
    {
        if (!claimExit())
        {
            return false;
        }
        log.println(line);
        log.flush();
        linePrinted.run();
        final Thread deadline = new Thread(() ->
        {
            try
            {
                Thread.sleep(closeLimitMs);
            }
            catch (final InterruptedException ignore)
            {
                // halt anyway
            }
            halt.accept(status);
        }, "sseflow-exit-deadline");
        deadline.setDaemon(true);
        deadline.start();
        final Thread exiting = new Thread(() -> exit.accept(status), "sseflow-exit");
        exiting.setDaemon(true);
        exiting.start();
        return true;
    }

    /**
     * Print {@code sseflow: exiting (status 70) because REASON} and halt with {@value #STATUS}; for a failure that is
     * not an {@code Error} and has no stack trace worth printing. Returns only when another thread is already
     * exiting, or when the halt is a test's.
     *
     * @param reason one line.
     */
    void exit(final String reason)
    {
        if (!claimExit())
        {
            return;
        }
        synchronized (err)
        {
            try
            {
                err.println(BECAUSE.concat(reason));
                err.flush();
            }
            catch (final Throwable ex)
            {
                writeRaw(OTHER_LINE);
            }
            halt.accept(STATUS);
        }
    }

    /**
     * A thread died of {@code error}: exit if it is a {@link VirtualMachineError}; otherwise print it as the JVM does.
     *
     * @param thread that died.
     * @param error  that ended it.
     */
    public void uncaughtException(final Thread thread, final Throwable error)
    {
        if (error instanceof WarmUp)
        {
            return;
        }
        if (error instanceof VirtualMachineError)
        {
            exit(error, true);
            return;
        }
        try
        {
            err.print("Exception in thread \"".concat(thread.getName()).concat("\" "));
            error.printStackTrace(err);
        }
        catch (final Throwable ex)
        {
            exitIfOutOfMemory(ex);
        }
    }

    /**
     * The server's error handler: exit on a {@link VirtualMachineError} (the server thread's failure is reported
     * here after the server closed its port and connections); print anything else.
     *
     * @param error reported.
     */
    public void onError(final Throwable error)
    {
        if (error instanceof VirtualMachineError)
        {
            exit(error, true);
            return;
        }
        try
        {
            error.printStackTrace(err);
        }
        catch (final Throwable ex)
        {
            exitIfOutOfMemory(ex);
        }
    }

    /**
     * Let the reserve go, print the error (its stack trace too when asked) and the one line, then halt with
     * {@value #STATUS}. Returns only when another thread is already exiting, or when the halt is a test's.
     *
     * @param error           the fatal error.
     * @param printStackTrace false when it was printed already.
     */
    void exit(final Throwable error, final boolean printStackTrace)
    {
        reserve = null;
        if (!claimExit())
        {
            return;
        }
        // holding the stream's monitor (PrintStream locks itself), no other thread's print lands after the line
        synchronized (err)
        {
            try
            {
                if (printStackTrace)
                {
                    error.printStackTrace(err);
                }
                err.println(PREFIX.concat(String.valueOf(error)));
                err.flush();
            }
            catch (final Throwable ex)
            {
                writePrebuiltLine(error);
            }
            halt.accept(STATUS);
        }
    }

    /**
     * Is the reserve still held?
     *
     * @return false once a fatal error let it go.
     */
    boolean holdsReserve()
    {
        return null != reserve;
    }

    /**
     * A monitor rather than an atomic: an atomic's first use links a method handle, which needs heap.
     */
    private synchronized boolean claimExit()
    {
        if (exiting)
        {
            return false;
        }
        exiting = true;
        return true;
    }

    private void exitIfOutOfMemory(final Throwable ex)
    {
        if (ex instanceof VirtualMachineError)
        {
            exit(ex, false);
        }
    }

    private void writePrebuiltLine(final Throwable error)
    {
        writeRaw(error instanceof OutOfMemoryError ? OUT_OF_MEMORY_LINE :
            error instanceof StackOverflowError ? STACK_OVERFLOW_LINE : OTHER_LINE);
    }

    private void writeRaw(final byte[] bytes)
    {
        try
        {
            rawErr.write(bytes);
            rawErr.flush();
        }
        catch (final Throwable ignore)
        {
            // nothing is left to tell it with: the exit status still says it
        }
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What the warm-up thread dies of, ignored by {@link #uncaughtException}.
     */
    private static final class WarmUp extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        WarmUp()
        {
            super("warm-up", null, false, false);
        }
    }
}
