package io.sseflow.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking plain-socket client for tests: sends a raw request, reads the response head, then parses the event
 * stream the way the WHATWG algorithm does (LF, CR and CRLF line ends; one leading space stripped; blank line
 * dispatches; comments counted).
 */
public final class RawSseClient implements AutoCloseable
{
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private String lastEventId = "";
    private int comments;
    private int pushback = -1;

    private RawSseClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /**
     * Connect to 127.0.0.1 with a 10 s read timeout.
     *
     * @param port               the server's port.
     * @param receiveBufferBytes {@code SO_RCVBUF} to ask for before connecting, 0 for the default.
     * @return the connected client; nothing sent yet.
     * @throws IOException when the connection fails.
     */
    public static RawSseClient open(final int port, final int receiveBufferBytes) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return new RawSseClient(socket);
    }

    /**
     * Connect and send a GET.
     *
     * @param port    the server's port.
     * @param path    the request target.
     * @param headers extra header lines, without CRLF.
     * @return the client, the request sent.
     * @throws IOException when the connection fails.
     */
    public static RawSseClient get(final int port, final String path, final String... headers) throws IOException
    {
        final RawSseClient client = open(port, 0);
        client.send(RawHttp.request("GET", path, headers, ""));
        return client;
    }

    /**
     * Send text as UTF-8.
     *
     * @param text to send.
     * @throws IOException when the write fails.
     */
    public void send(final String text) throws IOException
    {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Send bytes.
     *
     * @param bytes to send.
     * @throws IOException when the write fails.
     */
    public void send(final byte[] bytes) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /**
     * Close with a reset (SO_LINGER 0): a client that vanishes mid-stream.
     */
    public void reset() throws IOException
    {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /**
     * Half-close: send FIN, keep reading.
     *
     * @throws IOException when the socket is closed.
     */
    public void shutdownOutput() throws IOException
    {
        socket.shutdownOutput();
    }

    /**
     * Change the read timeout.
     *
     * @param millis the new timeout.
     * @throws IOException when the socket is closed.
     */
    public void timeout(final int millis) throws IOException
    {
        socket.setSoTimeout(millis);
    }

    /**
     * Read up to and including the blank line after the response head.
     */
    public String readHead() throws IOException
    {
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n"))
        {
            final int b = read();
            if (b < 0)
            {
                throw new IOException("EOF in response head: " + head);
            }
            head.append((char)b);
        }
        return head.toString();
    }

    /**
     * Next dispatched event, or null at EOF.
     */
    public SseEvent nextEvent() throws IOException
    {
        final StringBuilder data = new StringBuilder();
        boolean hasData = false;
        String type = "";
        while (true)
        {
            final String line = readLine();
            if (null == line)
            {
                return null;
            }
            if (line.isEmpty())
            {
                if (hasData)
                {
                    String value = data.toString();
                    if (value.endsWith("\n"))
                    {
                        value = value.substring(0, value.length() - 1);
                    }
                    return new SseEvent(lastEventId, type.isEmpty() ? "message" : type, value);
                }
                type = "";
                continue;
            }
            if (line.startsWith(":"))
            {
                comments++;
                continue;
            }
            final int colon = line.indexOf(':');
            final String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" "))
            {
                value = value.substring(1);
            }
            switch (name)
            {
                case "data":
                    data.append(value).append('\n');
                    hasData = true;
                    break;
                case "event":
                    type = value;
                    break;
                case "id":
                    if (value.indexOf('\0') < 0)
                    {
                        lastEventId = value;
                    }
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * The lines of the next frame as sent, split as {@link #nextEvent} splits them: comment lines and blank lines
     * before it skipped, without the blank line that ends it.
     *
     * @return the frame's lines.
     * @throws IOException at EOF before the frame ends, or on a read error.
     */
    public List<String> nextFrameLines() throws IOException
    {
        final List<String> frame = new ArrayList<>();
        while (true)
        {
            final String line = readLine();
            if (null == line)
            {
                throw new IOException("EOF in a frame; got " + frame);
            }
            if (line.startsWith(":"))
            {
                comments++;
                continue;
            }
            if (line.isEmpty())
            {
                if (!frame.isEmpty())
                {
                    return frame;
                }
                continue;
            }
            frame.add(line);
        }
    }

    /**
     * The next events, failing at EOF.
     *
     * @param count how many.
     * @return exactly {@code count} events.
     * @throws IOException at EOF before the last one, or on a read error.
     */
    public List<SseEvent> nextEvents(final int count) throws IOException
    {
        final List<SseEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final SseEvent event = nextEvent();
            if (null == event)
            {
                throw new IOException("EOF after " + events.size() + " of " + count + " events: " + events);
            }
            events.add(event);
        }
        return events;
    }

    /**
     * Read exactly {@code length} bytes.
     */
    public String readBytes(final int length) throws IOException
    {
        final byte[] bytes = in.readNBytes(length);
        raw.write(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Read until EOF (bounded by the socket timeout).
     */
    public String readToEof() throws IOException
    {
        final ByteArrayOutputStream rest = new ByteArrayOutputStream();
        if (pushback >= 0)
        {
            rest.write(pushback);
            pushback = -1;
        }
        final byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0)
        {
            rest.write(chunk, 0, n);
            raw.write(chunk, 0, n);
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    /**
     * Is the connection at EOF within the timeout (after skipping nothing)?
     */
    public boolean isAtEof() throws IOException
    {
        try
        {
            return read() < 0;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * Comment lines seen so far.
     *
     * @return how many.
     */
    public int comments()
    {
        return comments;
    }

    /**
     * Every byte read so far, as UTF-8.
     *
     * @return the text.
     */
    public String rawText()
    {
        return raw.toString(StandardCharsets.UTF_8);
    }

    /**
     * Close the socket.
     *
     * @throws IOException from the socket.
     */
    public void close() throws IOException
    {
        socket.close();
    }

    private String readLine() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            final int b = read();
            if (b < 0)
            {
                return null;
            }
            if (b == '\n')
            {
                break;
            }
            if (b == '\r')
            {
                final int next = read();
                if (next != '\n' && next >= 0)
                {
                    pushback = next;
                }
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private int read() throws IOException
    {
        if (pushback >= 0)
        {
            final int b = pushback;
            pushback = -1;
            return b;
        }
        final int b = in.read();
        if (b >= 0)
        {
            raw.write(b);
        }
        return b;
    }
}
