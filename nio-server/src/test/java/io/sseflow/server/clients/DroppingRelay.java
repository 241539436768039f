package io.sseflow.server.clients;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP relay on 127.0.0.1 in front of the server, so a test can cut every open connection at once:
 * the client sees the stream end exactly as if the server had closed it. Blocking sockets, two threads per
 * relayed connection; for a handful of test connections only.
 */
final class DroppingRelay implements AutoCloseable
{
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> open = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Start relaying to a port on 127.0.0.1.
     *
     * @param targetPort where the server listens.
     * @throws IOException if no port can be bound.
     */
    DroppingRelay(final int targetPort) throws IOException
    {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        final Thread acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The relay's own port, for clients.
     *
     * @return the bound port.
     */
    int port()
    {
        return listener.getLocalPort();
    }

    /**
     * Connections accepted so far.
     *
     * @return count.
     */
    int acceptedConnections()
    {
        return accepted.get();
    }

    /**
     * Close every relayed connection, both sides, now; new connections are still relayed.
     *
     * @return how many connections were cut.
     */
    int dropAll()
    {
        final List<Socket> toClose;
        synchronized (open)
        {
            toClose = new ArrayList<>(open);
            open.clear();
        }
        toClose.forEach(DroppingRelay::closeQuietly);
        return toClose.size() / 2;
    }

    /**
     * Stop listening and cut everything.
     */
    public void close()
    {
        closed = true;
        closeQuietly(listener);
        dropAll();
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            try
            {
                final Socket client = listener.accept();
                final Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                synchronized (open)
                {
                    open.add(client);
                    open.add(server);
                }
                accepted.incrementAndGet();
                pump(client, server, "relay-up");
                pump(server, client, "relay-down");
            }
            catch (final IOException ex)
            {
                if (closed)
                {
                    return;
                }
            }
        }
    }

    private void pump(final Socket from, final Socket to, final String name)
    {
        final Thread thread = new Thread(() ->
        {
            final byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream())
            {
                int read;
                while ((read = in.read(buffer)) >= 0)
                {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (final IOException ignore)
            {
                // one side closed or was dropped
            }
            finally
            {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ignore)
        {
            // closing anyway
        }
    }
}
