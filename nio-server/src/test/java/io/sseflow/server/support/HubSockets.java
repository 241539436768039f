package io.sseflow.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Blocking sockets to a hub process from a chosen loopback source address (so that attacks from many "clients" do
 * not meet the per-address limit unless that is what a test wants), the lines of its answers, and the process's
 * resident memory: what the attack tests against the hub jar share.
 */
public final class HubSockets
{
    private static final int MAX_LINE = 8192;

    private HubSockets()
    {
    }

    /**
     * Connect from a loopback source address to 127.0.0.1, with a 20 s read timeout.
     *
     * @param sourceAddress the local address to bind, e.g. {@code 127.0.2.7}.
     * @param port          the hub's port.
     * @return the connected socket.
     * @throws IOException when the connection fails.
     */
    public static Socket connectFrom(final String sourceAddress, final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(sourceAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    /**
     * Write ASCII text and flush.
     *
     * @param socket to write to.
     * @param text   the request bytes, ASCII.
     * @throws IOException when the write fails.
     */
    public static void send(final Socket socket, final String text) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * One line without its CR LF (at most 8 KiB; empty at end of stream).
     *
     * @param in to read.
     * @return the line.
     * @throws IOException when the read fails.
     */
    public static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n')
        {
            if (b != '\r')
            {
                line.append((char)b);
            }
            if (line.length() > MAX_LINE)
            {
                break;
            }
        }
        return line.toString();
    }

    /**
     * Read the rest of a response head, after its status line.
     *
     * @param in to read.
     * @return its {@code Content-Length}, 0 when it has none.
     * @throws IOException when the read fails.
     */
    public static int skipHead(final InputStream in) throws IOException
    {
        int contentLength = 0;
        String line;
        while (!(line = readLine(in)).isEmpty())
        {
            if (line.regionMatches(true, 0, "content-length:", 0, 15))
            {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        return contentLength;
    }

    /**
     * A process's resident memory ({@code VmRSS}).
     *
     * @param process a running process.
     * @return bytes.
     * @throws IOException when its status cannot be read.
     */
    public static long residentBytes(final Process process) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /**
     * Read until {@code end} has been read (or 64 KiB, or the end of the stream).
     *
     * @param in  to read.
     * @param end the text to stop after, e.g. {@code "\r\n\r\n"} for a response head.
     * @return what was read, as ISO-8859-1 characters.
     * @throws IOException when the read fails.
     */
    public static String readUntil(final InputStream in, final String end) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        int b;
        while (text.length() < 64 * 1024 && text.indexOf(end) < 0 && (b = in.read()) >= 0)
        {
            text.append((char)b);
        }
        return text.toString();
    }

    /**
     * Fail unless connecting to the port is refused: the hub has closed its listening socket.
     *
     * @param port the hub's port.
     */
    public static void assertPortClosed(final int port)
    {
        assertThrows(ConnectException.class, () ->
        {
            try (Socket ignored = new Socket("127.0.0.1", port))
            {
                throw new IOException("port " + port + " still accepts connections");
            }
        });
    }
}
