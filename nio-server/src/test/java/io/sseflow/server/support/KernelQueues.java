package io.sseflow.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel holds for TCP, read from {@code /proc} (Linux only): the send queues of a server's sockets and the
 * host's TCP memory.
 */
public final class KernelQueues
{
    private static final String[] TCP_TABLES = {"/proc/net/tcp", "/proc/net/tcp6"};

    private KernelQueues()
    {
    }

    /**
     * Can this machine be read? ({@code /proc/net/tcp} and {@code /proc/net/sockstat} exist.)
     *
     * @return true on Linux with {@code /proc} mounted.
     */
    public static boolean readable()
    {
        return Files.isReadable(Path.of(TCP_TABLES[0])) && Files.isReadable(Path.of("/proc/net/sockstat"));
    }

    /**
     * Sum of {@code tx_queue} (bytes written and not yet acknowledged, unsent ones included) over every socket whose
     * local port is the given one, from {@code /proc/net/tcp} and {@code /proc/net/tcp6}: the server's send queues
     * when the port is its listening port.
     *
     * @param localPort the server's port.
     * @return bytes.
     * @throws IOException when a table cannot be read.
     */
    public static long sendQueueBytes(final int localPort) throws IOException
    {
        long total = 0;
        for (final String table : TCP_TABLES)
        {
            final Path path = Path.of(table);
            if (!Files.isReadable(path))
            {
                continue;
            }
            try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII))
            {
                reader.readLine();
                for (String line = reader.readLine(); null != line; line = reader.readLine())
                {
                    // "  sl  local_address rem_address st tx_queue:rx_queue ...": read fields 1 and 4 in place
                    final int local = field(line, 0, 1);
                    final int localEnd = line.indexOf(' ', local);
                    final int port = Integer.parseInt(line, line.lastIndexOf(':', localEnd) + 1, localEnd, 16);
                    if (port == localPort)
                    {
                        final int queues = field(line, localEnd, 2);
                        total += Long.parseLong(line, queues, line.indexOf(':', queues), 16);
                    }
                }
            }
        }
        return total;
    }

    /**
     * Where the {@code n}th field after the one at or after {@code from} starts (fields separated by runs of spaces),
     * without splitting the line:
     * this is read every few hundred milliseconds from a table of thousands of sockets, beside a latency probe.
     */
    private static int field(final String line, final int from, final int n)
    {
        int i = skipSpaces(line, from);
        for (int f = 0; f < n; f++)
        {
            while (line.charAt(i) != ' ')
            {
                i++;
            }
            i = skipSpaces(line, i);
        }
        return i;
    }

    private static int skipSpaces(final String line, final int from)
    {
        int i = from;
        while (line.charAt(i) == ' ')
        {
            i++;
        }
        return i;
    }

    /**
     * The host's TCP memory, {@code TCP: ... mem N} of {@code /proc/net/sockstat}: pages of every TCP socket's
     * buffers, both ends of loopback connections included.
     *
     * @return bytes (pages x 4096).
     * @throws IOException when it cannot be read.
     */
    public static long hostTcpMemoryBytes() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/net/sockstat"), StandardCharsets.US_ASCII))
        {
            if (line.startsWith("TCP:"))
            {
                final String[] fields = line.trim().split("\\s+");
                for (int i = 1; i < fields.length - 1; i++)
                {
                    if ("mem".equals(fields[i]))
                    {
                        return Long.parseLong(fields[i + 1]) * 4096;
                    }
                }
            }
        }
        throw new IOException("no TCP mem in /proc/net/sockstat");
    }
}
