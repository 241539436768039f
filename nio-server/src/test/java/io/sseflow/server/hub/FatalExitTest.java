package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FatalExit} with its stderr, raw file descriptor and halt replaced: what it prints, when it halts, and the
 * line it still writes when printing itself runs out of memory. (The real thing, on the jar with a full heap, is
 * {@code HeapExhaustionIT}.)
 */
class FatalExitTest
{
    private static final String LINE = "sseflow: exiting (status 70) because of a fatal error: ";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final List<Integer> halts = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void shouldLetTheReserveGoPrintTheStackTraceAndTheLineThenHalt70OnAnOutOfMemoryError()
    {
        final FatalExit fatalExit = fatalExit(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertTrue(fatalExit.holdsReserve());

        fatalExit.onError(new OutOfMemoryError("Java heap space"));

        final String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("java.lang.OutOfMemoryError: Java heap space\n\tat io.sseflow.server.hub."), text);
        assertTrue(text.endsWith("\n" + LINE + "java.lang.OutOfMemoryError: Java heap space\n"), text);
        assertEquals(List.of(70), halts);
        assertEquals("", raw.toString(StandardCharsets.US_ASCII));
        assertFalse(fatalExit.holdsReserve());
    }

    @Test
    void shouldExitOnAnOutOfMemoryErrorThatEndsAnyThread()
    {
        final FatalExit fatalExit = fatalExit(new PrintStream(printed, true, StandardCharsets.UTF_8));

        fatalExit.uncaughtException(new Thread("aeron-conductor"), new OutOfMemoryError("Direct buffer memory"));

        assertTrue(printed.toString(StandardCharsets.UTF_8)
            .endsWith("\n" + LINE + "java.lang.OutOfMemoryError: Direct buffer memory\n"));
        assertEquals(List.of(70), halts);
    }

    @Test
    void shouldWriteThePrebuiltLineWhenPrintingRunsOutOfMemory()
    {
        final FatalExit fatalExit = fatalExit(new PrintStream(new OutputStream()
        {
            @Override
            public void write(final int b)
            {
                throw new OutOfMemoryError("Java heap space");
            }
        }, true, StandardCharsets.UTF_8));

        fatalExit.uncaughtException(new Thread("worker"), new OutOfMemoryError("Java heap space"));

        assertEquals(LINE + "java.lang.OutOfMemoryError\n", raw.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(70), halts);
    }

    @Test
    void shouldWriteTheOtherPrebuiltLinesWhenPrintingFails()
    {
        final PrintStream failing = new PrintStream(new OutputStream()
        {
            @Override
            public void write(final int b)
            {
                throw new OutOfMemoryError("Java heap space");
            }
        }, true, StandardCharsets.UTF_8);

        fatalExit(failing).onError(new StackOverflowError());
        fatalExit(failing).exit(new IllegalStateException("agent state unknown"), false);

        assertEquals(LINE + "java.lang.StackOverflowError\n" +
            "sseflow: exiting (status 70) because of a fatal error (no memory left to describe it)\n",
            raw.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(70, 70), halts);
    }

    @Test
    void shouldPrintOtherErrorsWithoutExiting()
    {
        final FatalExit fatalExit = fatalExit(new PrintStream(printed, true, StandardCharsets.UTF_8));

        fatalExit.onError(new IllegalStateException("handled"));
        fatalExit.uncaughtException(new Thread("worker"), new IllegalArgumentException("thrown"));

        final String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("java.lang.IllegalStateException: handled\n\tat "), text);
        assertTrue(text.contains("\nException in thread \"worker\" java.lang.IllegalArgumentException: thrown\n\tat "),
            text);
        assertFalse(text.contains(LINE), text);
        assertEquals(List.of(), halts);
        assertTrue(fatalExit.holdsReserve());
    }

    @Test
    void shouldReportOnlyTheFirstFatalErrorAndTheLineAloneForOneAlreadyPrinted()
    {
        final FatalExit fatalExit = fatalExit(new PrintStream(printed, true, StandardCharsets.UTF_8));

        fatalExit.exit(new IllegalStateException("escaped the duty cycle"), false);
        fatalExit.onError(new OutOfMemoryError("Java heap space"));

        assertEquals(LINE + "java.lang.IllegalStateException: escaped the duty cycle\n",
            printed.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(70), halts);
    }

    @Test
    void shouldPrintOnlyTheLineWithTheReasonThenHalt70WhenTheClusterMemberStopped()
    {
        final FatalExit fatalExit = fatalExit(new PrintStream(printed, true, StandardCharsets.UTF_8));

        fatalExit.exit("cluster node 0 stopped: the consensus module failed: x");
        fatalExit.exit("a second reason");

        assertEquals("sseflow: exiting (status 70) because cluster node 0 stopped: the consensus module failed: x\n",
            printed.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(70), halts);
    }

    @Test
    void shouldPrintTheLineThenExitWithItsStatusAndHaltWithItWhenTheCloseOutlastsTheLimit()
    {
        final FatalExit fatalExit = fatalExit(new PrintStream(printed, true, StandardCharsets.UTF_8));
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Integer> exits = new java.util.concurrent.CopyOnWriteArrayList<>();

        assertTrue(fatalExit.exitClosing(2, "sseflow: exiting (status 2) because refused",
            new PrintStream(log, true, StandardCharsets.UTF_8), () -> order.add("line printed"),
            (status) ->
            {
                order.add("exit");
                exits.add(status);
            }, 200));

        assertEquals("sseflow: exiting (status 2) because refused\n", log.toString(StandardCharsets.UTF_8));
        Await.condition(() -> exits.size() == 1, "the exit started", Duration.ofSeconds(10));
        assertEquals(List.of(2), exits);
        assertEquals(List.of("line printed", "exit"), order);
        Await.condition(() -> halts.size() == 1, "halted after the limit: the close never finished",
            Duration.ofSeconds(10));
        assertEquals(List.of(2), List.copyOf(halts));

        fatalExit.onError(new OutOfMemoryError("Java heap space"));
        assertFalse(fatalExit.exitClosing(2, "again", new PrintStream(log, true, StandardCharsets.UTF_8),
            () -> order.add("again"), (status) -> exits.add(status), 200));
        assertEquals("", printed.toString(StandardCharsets.UTF_8), "nothing reported after the line");
        assertEquals(List.of(2), exits);
        assertEquals(List.of(2), List.copyOf(halts));
    }

    private FatalExit fatalExit(final PrintStream err)
    {
        return new FatalExit(err, raw, halts::add);
    }
}
