package io.sseflow.server.support;

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
            final List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
            for (int i = 1; i < lines.size(); i++)
            {
                final String[] fields = lines.get(i).trim().split("\\s+");
                final String local = fields[1];
                if (Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == localPort)
                {
                    final String queues = fields[4];
                    total += Long.parseLong(queues.substring(0, queues.indexOf(':')), 16);
                }
            }
        }
        return total;
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
