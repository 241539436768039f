package io.sseflow.server.agent;

import io.sseflow.server.http.LastEventIdField;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Subscribers waiting for their new shared stream to be linked to the live topics ({@link StreamRegistry#link}):
 * each connection is streaming (nothing sent yet, not a subscriber) with its stream pinned, and keeps what its
 * request asked for (where to resume); when the stream is linked and filled, {@link SubscribeHandler} starts it
 * as it starts a stream that needed no linking. A connection closed meanwhile lets go of its stream.
 * <p>
 * Not thread-safe: owned by the server agent. Allocates a copy of the resume id per hold (a subscribe, not an event).
 */
final class LinkHolds
{
    /**
     * Starts a held connection on its linked stream.
     */
    interface Starter
    {
        /**
         * @param connection        held, still streaming.
         * @param stream            linked and filled.
         * @param id                the resume id (length 0: none).
         * @param earliest          whether the request asked for every retained event.
         * @param lastEventIdField  the head's field reporting where the stream resumes (Mercure), or none.
         * @param credentialsInUrl  whether the request carried its credentials in the URL.
         */
        void start(
            Connection connection,
            SharedStream stream,
            DirectBuffer id,
            boolean earliest,
            LastEventIdField lastEventIdField,
            boolean credentialsInUrl);
    }

    private static final byte[] NO_ID = new byte[0];
    private static final LastEventIdField[] FIELDS = LastEventIdField.values();

    private final StreamRegistry streams;
    private final Starter starter;
    private final UnsafeBuffer id = new UnsafeBuffer(NO_ID);
    private final Consumer<SharedStream> onLinked = this::onLinked;
    private Connection[] held = new Connection[8];
    private SharedStream[] heldStreams = new SharedStream[8];
    private byte[][] ids = new byte[8][];
    private byte[] options = new byte[8];
    private int count;

    LinkHolds(final StreamRegistry streams, final Starter starter)
    {
        this.streams = streams;
        this.starter = starter;
    }

    /**
     * Hold a connection that has just started streaming a stream still linking.
     */
    void hold(
        final Connection connection,
        final SharedStream stream,
        final DirectBuffer idBuffer,
        final int idOffset,
        final int idLength,
        final boolean earliest,
        final LastEventIdField lastEventIdField,
        final boolean credentialsInUrl)
    {
        if (!stream.pinForHold())
        {
            throw new IllegalStateException("holding a subscriber of a freed stream: " + stream);
        }
        if (count == held.length)
        {
            held = Arrays.copyOf(held, count << 1);
            heldStreams = Arrays.copyOf(heldStreams, count << 1);
            ids = Arrays.copyOf(ids, count << 1);
            options = Arrays.copyOf(options, count << 1);
        }
        final byte[] copy = idLength > 0 ? new byte[idLength] : NO_ID;
        if (idLength > 0)
        {
            idBuffer.getBytes(idOffset, copy);
        }
        held[count] = connection;
        heldStreams[count] = stream;
        ids[count] = copy;
        options[count] = (byte)((earliest ? 1 : 0) | (credentialsInUrl ? 4 : 0) | (lastEventIdField.ordinal() << 3));
        count++;
    }

    boolean isEmpty()
    {
        return 0 == count;
    }

    /**
     * How many connections wait.
     *
     * @return the count.
     */
    int count()
    {
        return count;
    }

    /**
     * Link for about {@code budget} steps of matching, starting the connections of each stream linked.
     *
     * @param budget steps of matching ({@link StreamRegistry#link}).
     * @return work done (1 when anything was, else 0).
     */
    int poll(final long budget)
    {
        int work = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            if (!held[i].isStreaming())
            {
                remove(i);
                work++;
            }
        }
        if (streams.linkingCount() > 0 && streams.link(budget, onLinked) > 0)
        {
            work++;
        }
        return work;
    }

    private void onLinked(final SharedStream stream)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (heldStreams[i] == stream)
            {
                final Connection connection = held[i];
                if (connection.isStreaming())
                {
                    id.wrap(ids[i]);
                    final int option = options[i];
                    starter.start(
                        connection, stream, id, (option & 1) != 0, FIELDS[option >>> 3], (option & 4) != 0);
                    id.wrap(NO_ID);
                }
                remove(i);
            }
        }
    }

    private void remove(final int i)
    {
        final SharedStream stream = heldStreams[i];
        final int last = --count;
        held[i] = held[last];
        heldStreams[i] = heldStreams[last];
        ids[i] = ids[last];
        options[i] = options[last];
        held[last] = null;
        heldStreams[last] = null;
        ids[last] = null;
        stream.unpinForHold();
    }
}
