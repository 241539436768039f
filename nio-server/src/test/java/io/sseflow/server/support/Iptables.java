package io.sseflow.server.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * iptables rules a test adds to cut loopback traffic, each removed again by {@link #close()} whatever happened
 * (partition tests: mark packets by the sending process's group in {@code mangle OUTPUT}, drop them on
 * {@code INPUT}). A rule is given as iptables' words after the action, with {@code -t TABLE} first when not the
 * filter table: {@code {"-t", "mangle", "OUTPUT", "-m", "owner", ...}}.
 */
public final class Iptables implements AutoCloseable
{
    private final List<String[]> added = new ArrayList<>();

    /**
     * @return true when iptables can be used here (installed, and run as root).
     */
    public static boolean available()
    {
        return 0 == command("iptables", "-t", "mangle", "-L", "OUTPUT", "-n") && 0 == command("setpriv", "--version");
    }

    /**
     * Insert a rule at the top of its chain.
     *
     * @param rule the words after {@code -I}.
     */
    public void add(final String... rule)
    {
        assertEquals(0, run("-I", rule), "iptables -I " + String.join(" ", rule));
        added.add(rule);
    }

    /**
     * Delete a rule added before.
     *
     * @param rule the words it was added with.
     */
    public void delete(final String... rule)
    {
        assertEquals(0, run("-D", rule), "iptables -D " + String.join(" ", rule));
        added.removeIf((each) -> java.util.Arrays.equals(each, rule));
    }

    /**
     * Delete every rule still in place.
     */
    public void close()
    {
        for (final String[] rule : added)
        {
            run("-D", rule);
        }
        added.clear();
    }

    private static int run(final String action, final String[] rule)
    {
        final List<String> command = new ArrayList<>();
        command.add("iptables");
        final boolean table = "-t".equals(rule[0]);
        if (table)
        {
            command.add(rule[0]);
            command.add(rule[1]);
        }
        command.add(action);
        command.addAll(List.of(rule).subList(table ? 2 : 0, rule.length));
        return command(command.toArray(new String[0]));
    }

    /**
     * Run a command, its output discarded.
     *
     * @return its exit status, -1 when it could not run or took over 30 s.
     */
    public static int command(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }
        catch (final IOException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
