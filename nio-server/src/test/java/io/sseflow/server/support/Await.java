package io.sseflow.server.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * Poll a condition until it holds or a deadline passes: the one way tests wait for the server, so that they hold on
 * a loaded machine without sleeping for a guessed time. Every wait is bounded by {@link #DEFAULT_TIMEOUT} unless
 * given its own.
 */
public final class Await
{
    /**
     * How long a condition may take to hold unless the caller says otherwise.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private static final long POLL_MILLIS = 1;

    private Await()
    {
    }

    /**
     * A figure read from outside the test's JVM or over a request, which may fail.
     */
    @FunctionalInterface
    public interface Probe
    {
        /**
         * Read the figure once.
         *
         * @return the figure.
         * @throws Exception when it cannot be read.
         */
        long read() throws Exception;
    }

    /**
     * Read a probe until it satisfies a condition or the deadline passes, pausing between reads; the caller asserts
     * on the figure returned (so that the failure says what the figure was).
     *
     * @param probe       read again and again.
     * @param done        when to stop.
     * @param timeout     the deadline from now.
     * @param pauseMillis between two reads.
     * @return the last figure read.
     * @throws Exception from the probe.
     */
    public static long until(final Probe probe, final LongPredicate done, final Duration timeout, final long pauseMillis)
        throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long last;
        while (!done.test(last = probe.read()) && System.nanoTime() - deadline < 0)
        {
            pause(pauseMillis);
        }
        return last;
    }

    /**
     * Wait until a value equals the expected one.
     *
     * @param value    read again and again.
     * @param expected the value to wait for.
     * @param what     named in the failure.
     */
    public static void value(final LongSupplier value, final long expected, final String what)
    {
        value(value, expected, what, DEFAULT_TIMEOUT);
    }

    /**
     * Wait until a value equals the expected one.
     *
     * @param value    read again and again.
     * @param expected the value to wait for.
     * @param what     named in the failure.
     * @param timeout  the deadline from now.
     */
    public static void value(final LongSupplier value, final long expected, final String what, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long last;
        while ((last = value.getAsLong()) != expected)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(what + ": expected " + expected + " but was " + last);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * Wait until a value is at least the expected one.
     *
     * @param value    read again and again.
     * @param expected the least value to wait for.
     * @param what     named in the failure.
     */
    public static void atLeast(final LongSupplier value, final long expected, final String what)
    {
        final long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        long last;
        while ((last = value.getAsLong()) < expected)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(what + ": expected at least " + expected + " but was " + last);
            }
            Thread.yield();
        }
    }

    /**
     * Wait until a condition holds, pausing a millisecond between checks (for conditions that are costly to check,
     * such as a request or a child process).
     *
     * @param condition checked again and again.
     * @param what      named in the failure.
     * @param timeout   the deadline from now.
     */
    public static void condition(final BooleanSupplier condition, final String what, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms");
            }
            pause(POLL_MILLIS);
        }
    }

    /**
     * Pause between two checks of something that is polled (a child process's output, a page): not a wait for the
     * server, which {@link #value} and {@link #condition} do. Keeps the interrupt flag when interrupted.
     *
     * @param millis how long.
     */
    public static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
