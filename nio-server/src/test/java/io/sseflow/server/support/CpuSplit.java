package io.sseflow.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's CPUs split in two with {@code taskset}: the upper half for the hub process, the lower half for this
 * test JVM (the attack and the {@link ControlProbe}), so that what the probe measures is the hub's doing and not the
 * two processes taking turns on the same cores (on this project's 2-core CI machine one CPU each; unchanged on a
 * bigger one). Where {@code taskset} or a second CPU is missing, or {@value #PROPERTY} is {@code false}, nothing is
 * pinned and {@link #pinned()} says so.
 * {@link #close()} gives this JVM every CPU back.
 */
public final class CpuSplit implements AutoCloseable
{
    private static final Path TASKSET = Path.of("/usr/bin/taskset");
    /**
     * {@code -Dsseflow.it.cpuSplit=false} runs the hub and the test on every CPU, as before the split, to compare.
     */
    public static final String PROPERTY = "sseflow.it.cpuSplit";

    private final int cpus;
    private final boolean pinned;

    private CpuSplit(final int cpus, final boolean pinned)
    {
        this.cpus = cpus;
        this.pinned = pinned;
    }

    /**
     * Pin this JVM's threads (and those it starts later) to the lower half of the CPUs.
     *
     * @return the split, to start the hub with {@link #hubCommandPrefix()} and to close after.
     */
    public static CpuSplit pinTestToLowerHalf()
    {
        final int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2 || !Files.isExecutable(TASKSET) || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true")))
        {
            return new CpuSplit(cpus, false);
        }
        final boolean pinned = taskset("0-" + (cpus / 2 - 1));
        return new CpuSplit(cpus, pinned);
    }

    /**
     * @return true when the hub and this JVM run on disjoint CPUs.
     */
    public boolean pinned()
    {
        return pinned;
    }

    /**
     * @return the words that start the hub's command on the upper half of the CPUs, none when not pinned.
     */
    public List<String> hubCommandPrefix()
    {
        return pinned ? List.of(TASKSET.toString(), "-c", (cpus / 2) + "-" + (cpus - 1)) : List.of();
    }

    /**
     * @return what the split is, for a test's output.
     */
    public String describe()
    {
        return pinned ? "hub on CPU " + range(cpus / 2, cpus - 1) + ", test on CPU " + range(0, cpus / 2 - 1) :
            "not pinned (" + Runtime.getRuntime().availableProcessors() + " CPUs" +
            (Files.isExecutable(TASKSET) ? "" : ", no taskset") + ")";
    }

    /**
     * Give this JVM every CPU back.
     */
    public void close()
    {
        if (pinned)
        {
            taskset("0-" + (cpus - 1));
        }
    }

    private static String range(final int first, final int last)
    {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }

    private static boolean taskset(final String list)
    {
        try
        {
            final Process process = new ProcessBuilder(
                TASKSET.toString(), "-a", "-p", "-c", list, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
