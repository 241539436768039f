package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The failover phase's publisher: one request at a time on a keep-alive connection to one node, each event with an
 * explicit id ({@code ?id=} {@value #ID_BASE} + sequence: decimal and increasing, as the decoder wants, and far above
 * the ids the hub gives the warm-up events, which a retained id would otherwise match) so that a retry of an event
 * the cluster already took is answered with that id and not appended again. Anything but {@code 200} (a refused connection, a reset, {@code 503} without a leader, a
 * timeout) moves it to the next node, and the event is sent again after 20 ms, stamped anew, until one node answers
 * 200 or the event's deadline passes.
 */
final class FailoverPublisher implements AutoCloseable
{
    /** An event's id is this plus its sequence. */
    static final long ID_BASE = 1_000_000_000L;
    private static final int READ_TIMEOUT_MS = 5_000;
    private static final long RETRY_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final InetSocketAddress[] nodes;
    private final String topic;
    private final ByteBuffer payload;
    private final byte[] answer = new byte[4096];
    private int node;
    private Socket socket;
    private int retries;

    /**
     * @param nodes        every node's HTTP address.
     * @param topic        the topic to publish to.
     * @param payloadBytes event data length, at least {@link EventPayload#MIN_LENGTH}.
     * @param firstNode    the node tried first (the leader).
     */
    FailoverPublisher(final InetSocketAddress[] nodes, final String topic, final int payloadBytes, final int firstNode)
    {
        this.nodes = nodes.clone();
        this.topic = topic;
        this.payload = ByteBuffer.allocate(payloadBytes);
        EventPayload.writeTemplate(payload, 0, payloadBytes);
        this.node = firstNode;
    }

    /**
     * Publish a warm-up event (data {@code w}, no id), retried like the others.
     *
     * @param deadlineNs give up after this {@link System#nanoTime()}.
     * @return the node that answered 200.
     * @throws IOException if no node did in time.
     */
    int publishWarmUp(final long deadlineNs) throws IOException
    {
        return publish("/events/" + topic, new byte[]{EventPayload.WARM_UP}, -1, deadlineNs);
    }

    /**
     * Publish one event, stamped just before each attempt is written.
     *
     * @param sequence   its sequence (its id is {@link #ID_BASE} + sequence).
     * @param deadlineNs give up after this {@link System#nanoTime()}.
     * @return the node that answered 200.
     * @throws IOException if no node did in time.
     */
    int publish(final long sequence, final long deadlineNs) throws IOException
    {
        return publish("/events/" + topic + "?id=" + (ID_BASE + sequence), payload.array(), sequence, deadlineNs);
    }

    private int publish(final String target, final byte[] body, final long sequence, final long deadlineNs)
        throws IOException
    {
        String last = "not sent";
        while (System.nanoTime() - deadlineNs < 0)
        {
            try
            {
                if (sequence >= 0)
                {
                    EventPayload.patch(payload, 0, sequence, EventPayload.now());
                }
                final int status = attempt(target, body);
                if (status == 200)
                {
                    return node;
                }
                last = "node " + node + " answered " + status;
            }
            catch (final IOException ex)
            {
                last = "node " + node + ": " + ex;
            }
            closeSocket();
            node = (node + 1) % nodes.length;
            retries++;
            LockSupport.parkNanos(RETRY_PAUSE_NS);
        }
        throw new IOException("publish to " + target + " not answered 200 by any node in time; last: " + last);
    }

    private int attempt(final String target, final byte[] body) throws IOException
    {
        if (socket == null)
        {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(nodes[node], READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
        }
        final byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: " + nodes[node].getHostString() + ":" +
            nodes[node].getPort() + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length +
            "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        socket.getOutputStream().write(request);
        return readAnswer(socket.getInputStream());
    }

    /** Read one whole answer (head and Content-Length body) and return its status. */
    private int readAnswer(final InputStream in) throws IOException
    {
        int length = 0;
        int headEnd = -1;
        while (headEnd < 0)
        {
            if (length == answer.length)
            {
                throw new IOException("answer head over " + answer.length + " bytes");
            }
            final int read = in.read(answer, length, answer.length - length);
            if (read < 0)
            {
                throw new IOException("connection closed before the answer");
            }
            length += read;
            headEnd = new String(answer, 0, length, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        final String head = new String(answer, 0, headEnd, StandardCharsets.ISO_8859_1);
        final HubHttp.Answer parsed = HubHttp.parse(head + "\r\n\r\n");
        long contentLength = 0;
        for (final String line : head.split("\r\n"))
        {
            if (line.regionMatches(true, 0, "content-length:", 0, 15))
            {
                contentLength = Long.parseLong(line.substring(15).trim());
            }
        }
        long remaining = contentLength - (length - headEnd - 4);
        while (remaining > 0)
        {
            final int read = in.read(answer, 0, (int)Math.min(answer.length, remaining));
            if (read < 0)
            {
                throw new IOException("connection closed in the answer's body");
            }
            remaining -= read;
        }
        return parsed.status();
    }

    /**
     * Attempts that failed and were sent again (to the next node).
     *
     * @return count.
     */
    int retries()
    {
        return retries;
    }

    private void closeSocket()
    {
        if (socket != null)
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
            }
            socket = null;
        }
    }

    /** Close the connection. */
    @Override
    public void close()
    {
        closeSocket();
    }
}
