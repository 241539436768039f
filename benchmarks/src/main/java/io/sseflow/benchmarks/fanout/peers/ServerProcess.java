package io.sseflow.benchmarks.fanout.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own process: started from a command line, ready when it prints
 * {@code ... listening on http://HOST:PORT}, measured from outside with only what the JDK and Linux give:
 * CPU time and RSS from {@code /proc/PID/stat} and {@code /proc/PID/status}, heap after a full GC from
 * {@code jcmd PID GC.run} then {@code jstat -gc PID}.
 */
public final class ServerProcess implements ServerCounters, AutoCloseable
{
    private static final Pattern LISTENING = Pattern.compile("listening on http://([^\\s:/]+):(\\d+)");
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB\\s*");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final InetSocketAddress address;
    private final String banner;
    private final ArrayDeque<String> lastLines;

    private ServerProcess(
        final String name,
        final Process process,
        final InetSocketAddress address,
        final String banner,
        final ArrayDeque<String> lastLines)
    {
        this.name = name;
        this.process = process;
        this.address = address;
        this.banner = banner;
        this.lastLines = lastLines;
    }

    /**
     * Start a server and wait until it says where it listens.
     *
     * @param name      for messages.
     * @param command   command line.
     * @param log       where its output goes.
     * @param timeoutMs how long to wait for the listening line.
     * @return the running server.
     * @throws IOException if it cannot start, exits, or stays silent.
     */
    public static ServerProcess start(final String name, final List<String> command, final Path log, final long timeoutMs)
        throws IOException
    {
        Files.createDirectories(log.toAbsolutePath().getParent());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CompletableFuture<String> listening = new CompletableFuture<>();
        final ArrayDeque<String> lastLines = new ArrayDeque<>();
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true))
            {
                out.println("# " + String.join(" ", command));
                String line;
                while ((line = reader.readLine()) != null)
                {
                    out.println(line);
                    synchronized (lastLines)
                    {
                        lastLines.addLast(line);
                        if (lastLines.size() > 20)
                        {
                            lastLines.removeFirst();
                        }
                    }
                    if (!listening.isDone() && LISTENING.matcher(line).find())
                    {
                        listening.complete(line);
                    }
                }
            }
            catch (final IOException ignore)
            {
            }
            listening.completeExceptionally(new IOException(name + " exited before listening"));
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
        try
        {
            final String line = listening.get(timeoutMs, TimeUnit.MILLISECONDS);
            final Matcher matcher = LISTENING.matcher(line);
            if (!matcher.find())
            {
                throw new IllegalStateException(line);
            }
            final InetSocketAddress address = new InetSocketAddress(matcher.group(1), Integer.parseInt(matcher.group(2)));
            return new ServerProcess(name, process, address, line, lastLines);
        }
        catch (final ExecutionException | TimeoutException | InterruptedException ex)
        {
            process.destroyForcibly();
            final String tail;
            synchronized (lastLines)
            {
                tail = String.join("\n", lastLines);
            }
            throw new IOException(name + " did not start (" + ex + "), see " + log + ":\n" + tail);
        }
    }

    /**
     * Where the server listens, from its banner.
     *
     * @return loopback address and port.
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * The server's {@code listening on} line.
     *
     * @return the banner as printed.
     */
    public String banner()
    {
        return banner;
    }

    /**
     * Process id.
     *
     * @return pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Is the process still running.
     *
     * @return true while alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * User plus system CPU time of all its threads so far.
     *
     * @return seconds.
     * @throws IOException if /proc cannot be read.
     */
    @Override
    public double cpuSeconds() throws IOException
    {
        return cpuSeconds(pid());
    }

    /**
     * User plus system CPU time of all threads of a process so far, from {@code /proc/PID/stat}.
     *
     * @param pid process id.
     * @return seconds.
     * @throws IOException if /proc cannot be read.
     */
    public static double cpuSeconds(final long pid) throws IOException
    {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return (double)ticks / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * Write-family system calls made so far ({@code syscw} in {@code /proc/PID/io}: write, writev and the like;
     * sends made with sendmsg/sendto are not counted there).
     *
     * @return count, or -1 if unavailable.
     */
    @Override
    public long writeSyscalls()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "io")))
            {
                if (line.startsWith("syscw:"))
                {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
        }
        return -1;
    }

    /**
     * CPU time all processes of the machine spent busy so far (user, nice, system, irq, softirq, steal), from
     * {@code /proc/stat}: compared with the server's and the load process's own, it shows what else ran.
     *
     * @return seconds.
     * @throws IOException if /proc cannot be read.
     */
    public static double machineBusySeconds() throws IOException
    {
        final String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        final String[] fields = line.trim().split("\\s+");
        long ticks = 0;
        for (final int i : new int[]{1, 2, 3, 6, 7, 8})
        {
            ticks += Long.parseLong(fields[i]);
        }
        return (double)ticks / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * Resident set size.
     *
     * @return bytes.
     * @throws IOException if /proc cannot be read.
     */
    public long rssBytes() throws IOException
    {
        final long rss = vmRssBytes(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
        if (rss < 0)
        {
            throw new IOException("no VmRSS for " + pid());
        }
        return rss;
    }

    /**
     * The resident set size in a {@code /proc/PID/status} text ({@code VmRSS:    123456 kB}).
     *
     * @param status the file's text.
     * @return bytes, or -1 if it has no {@code VmRSS} line (a kernel thread, a zombie).
     * @throws IllegalArgumentException if the line is not a number of kB.
     */
    public static long vmRssBytes(final String status)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith("VmRSS:"))
            {
                final Matcher kib = VM_RSS.matcher(line);
                if (!kib.matches())
                {
                    throw new IllegalArgumentException("VmRSS line is not a number of kB: '" + line + "'");
                }
                return Long.parseLong(kib.group(1)) * 1024;
            }
        }
        return -1;
    }

    /** Stop the server at once: SIGKILL, as {@code kill -9} does, then wait for it to be gone (up to 10 s). */
    public void kill()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Bytes queued in the kernel for sending on the server's established connections (written by the server, not
     * yet acknowledged by the peer: {@code tx_queue} of {@code /proc/net/tcp} and {@code tcp6} for sockets on the
     * server's port), summed; memory a server spends on slow readers outside its heap and RSS.
     *
     * @param minBytes count only connections with at least this many bytes queued.
     * @return {@code [bytes, connections]} or {@code null} if /proc/net cannot be read.
     */
    public long[] kernelSendQueue(final long minBytes)
    {
        final String port = String.format(":%04X", address.getPort());
        long bytes = 0;
        long connections = 0;
        boolean read = false;
        for (final String file : List.of("/proc/net/tcp", "/proc/net/tcp6"))
        {
            try
            {
                for (final String line : Files.readAllLines(Path.of(file)))
                {
                    final String[] fields = line.trim().split("\\s+");
                    // sl local_address rem_address st tx_queue:rx_queue ...; 01 = ESTABLISHED
                    if (fields.length > 4 && fields[1].endsWith(port) && "01".equals(fields[3]))
                    {
                        final long queued = Long.parseLong(fields[4].substring(0, fields[4].indexOf(':')), 16);
                        if (queued >= minBytes)
                        {
                            bytes += queued;
                            connections++;
                        }
                    }
                }
                read = true;
            }
            catch (final IOException | RuntimeException ignore)
            {
            }
        }
        return read ? new long[]{bytes, connections} : null;
    }

    /**
     * Heap in use after two full collections: {@code jcmd PID GC.run} twice, then the used columns of
     * {@code jstat -gc PID} (survivors, eden, old) summed.
     *
     * @return bytes.
     * @throws IOException if the tools fail.
     */
    public long heapUsedAfterGc() throws IOException
    {
        run(tool("jcmd"), Long.toString(pid()), "GC.run");
        run(tool("jcmd"), Long.toString(pid()), "GC.run");
        final String[] lines = run(tool("jstat"), "-gc", Long.toString(pid())).trim().split("\n");
        final String[] names = lines[0].trim().split("\\s+");
        final String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kib = 0;
        for (int i = 0; i < names.length; i++)
        {
            switch (names[i])
            {
                case "S0U":
                case "S1U":
                case "EU":
                case "OU":
                    kib += Double.parseDouble(values[i]);
                    break;
                default:
                    break;
            }
        }
        return (long)(kib * 1024);
    }

    private static String tool(final String name)
    {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String run(final String... command) throws IOException
    {
        final Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            final String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0)
            {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
        finally
        {
            tool.destroyForcibly();
        }
    }

    /**
     * Last lines the server printed.
     *
     * @return up to 20 lines.
     */
    public String tail()
    {
        synchronized (lastLines)
        {
            return String.join("\n", lastLines);
        }
    }

    /** Stop the server: SIGTERM, then SIGKILL after 10 s. */
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
