package io.sseflow.encoder;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Rails' {@code ActionController::Live::SSE} for the JVM: a writer over a stream with default options that writes
 * a {@link CharSequence} as it is and any other value as JSON, one whole frame per write, flushed at once.
 * <pre>{@code
 * try (Sse sse = new Sse(response.getOutputStream(), SseOptions.builder().retry(300).event("event-name").build()))
 * {
 *     sse.write(Map.of("name", "John"));                              // retry: 300\nevent: event-name\n
 *                                                                     // data: {"name":"John"}\n\n
 *     sse.write(Map.of("name", "John"), SseOptions.builder().id(10).build());
 *     sse.write("first line.\nsecond line.");                         // two data: lines
 *     sse.comment("keep-alive");                                      // : keep-alive\n
 * }
 * }</pre>
 * Per-write options override the defaults field by field. Each frame is encoded completely into an internal buffer
 * before any byte reaches the stream, so bad input ({@link IllegalArgumentException}) writes nothing.
 * {@link #close()} closes the underlying stream or channel.
 * <p>
 * Safe to share between threads: writes are serialized. After warm-up a write of text or of a compiled-JSON object
 * allocates nothing. A channel is written until the whole frame is out, so give it one in blocking mode.
 */
public final class Sse implements Closeable
{
    private static final int INITIAL_CAPACITY = 1024;

    private final OutputStream out;
    private final WritableByteChannel channel;
    private final SseOptions defaults;
    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private final ExpandableArrayBuffer arrayBuffer;
    private final ExpandableDirectByteBuffer directBuffer;
    private final MutableDirectBuffer buffer;
    private boolean closed;

    /**
     * Writer with no default options.
     *
     * @param out stream to write frames to.
     */
    public Sse(final OutputStream out)
    {
        this(out, SseOptions.NONE);
    }

    /**
     * Writer whose options apply to every event.
     *
     * @param out      stream to write frames to.
     * @param defaults options for every event.
     */
    public Sse(final OutputStream out, final SseOptions defaults)
    {
        AgronaAccess.check();
        this.out = Objects.requireNonNull(out, "out");
        this.channel = null;
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.arrayBuffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);
        this.directBuffer = null;
        this.buffer = arrayBuffer;
    }

    /**
     * Writer over a channel (blocking mode), whose options apply to every event.
     *
     * @param channel  to write frames to.
     * @param defaults options for every event.
     */
    public Sse(final WritableByteChannel channel, final SseOptions defaults)
    {
        AgronaAccess.check();
        this.out = null;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.arrayBuffer = null;
        this.directBuffer = new ExpandableDirectByteBuffer(INITIAL_CAPACITY);
        this.buffer = directBuffer;
    }

    /**
     * The options that apply to every event.
     *
     * @return the defaults given at construction.
     */
    public SseOptions defaults()
    {
        return defaults;
    }

    /**
     * Write one event with the default options.
     *
     * @param data a {@link CharSequence} as it is (line breaks make several {@code data:} lines), anything else
     *             (including null) as JSON.
     * @throws IOException              if the stream fails or this writer is closed.
     * @throws IllegalArgumentException if the value has no JSON converter; nothing is written.
     */
    public void write(final Object data) throws IOException
    {
        write(data, SseOptions.NONE);
    }

    /**
     * Write one event; the fields set in {@code overrides} replace the defaults' for this event only.
     *
     * @param data      a {@link CharSequence} as it is, anything else as JSON.
     * @param overrides options for this event.
     * @throws IOException              if the stream fails or this writer is closed.
     * @throws IllegalArgumentException if the value has no JSON converter; nothing is written.
     */
    public synchronized void write(final Object data, final SseOptions overrides) throws IOException
    {
        ensureOpen();
        final int length = encoder.encode(buffer, 0, Integer.MAX_VALUE, defaults, overrides, data);
        send(length);
    }

    /**
     * Write a comment: {@code ": text\n"} per line. Clients ignore it; proxies and NATs see traffic.
     *
     * @param comment the text.
     * @throws IOException if the stream fails or this writer is closed.
     */
    public synchronized void comment(final CharSequence comment) throws IOException
    {
        ensureOpen();
        final int length = encoder.encodeComment(buffer, 0, Integer.MAX_VALUE, comment);
        send(length);
    }

    /**
     * Is this writer closed?
     *
     * @return true after {@link #close()}.
     */
    public synchronized boolean isClosed()
    {
        return closed;
    }

    /**
     * Close the underlying stream or channel. Closing twice does nothing.
     *
     * @throws IOException if closing the stream fails.
     */
    public synchronized void close() throws IOException
    {
        if (!closed)
        {
            closed = true;
            if (null != out)
            {
                out.close();
            }
            else
            {
                channel.close();
            }
        }
    }

    private void ensureOpen() throws IOException
    {
        if (closed)
        {
            throw new IOException("Sse is closed");
        }
    }

    private void send(final int length) throws IOException
    {
        if (length < 0)
        {
            throw new IOException("frame larger than " + Integer.MAX_VALUE + " bytes");
        }
        if (null != out)
        {
            out.write(arrayBuffer.byteArray(), 0, length);
            out.flush();
        }
        else
        {
            final ByteBuffer bytes = directBuffer.byteBuffer();
            bytes.limit(length).position(0);
            while (bytes.hasRemaining())
            {
                if (channel.write(bytes) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
