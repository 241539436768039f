package io.sseflow.server.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Connection}'s state machine on its own: each transition from every state, legal ones changing the state
 * and the fields that go with it, illegal ones throwing an exception that names both states and changing nothing.
 */
class ConnectionTest
{
    private static final Connection.State READING = Connection.State.READING;
    private static final Connection.State PUBLISHING = Connection.State.PUBLISHING;
    private static final Connection.State AWAITING_PUBLISH = Connection.State.AWAITING_PUBLISH;
    private static final Connection.State WRITING = Connection.State.WRITING;
    private static final Connection.State STREAMING = Connection.State.STREAMING;
    private static final Connection.State ENDING_STREAM = Connection.State.ENDING_STREAM;
    private static final Connection.State LINGERING = Connection.State.LINGERING;
    private static final Connection.State CLOSED = Connection.State.CLOSED;

    /**
     * A transition: the state it leads to, the states it may leave, and the call.
     */
    private enum Transition
    {
        START_PUBLISHING(PUBLISHING, EnumSet.of(READING, PUBLISHING), Connection::startPublishing),
        AWAIT_PUBLISH(AWAITING_PUBLISH, EnumSet.of(PUBLISHING), Connection::awaitPublish),
        START_WRITING(WRITING, EnumSet.of(READING, PUBLISHING, AWAITING_PUBLISH),
            c -> c.startWriting(ByteBuffer.allocate(1), true, 1)),
        READ_NEXT_REQUEST(READING, EnumSet.of(READING, PUBLISHING, AWAITING_PUBLISH, WRITING),
            c -> c.readNextRequest(2)),
        START_STREAMING(STREAMING, EnumSet.of(READING), c -> c.startStreaming(null)),
        END_STREAM(ENDING_STREAM, EnumSet.of(STREAMING), c -> c.endStream(3)),
        LINGER(LINGERING, EnumSet.of(READING, PUBLISHING, AWAITING_PUBLISH, WRITING, ENDING_STREAM), c -> c.linger(4)),
        MARK_CLOSED(CLOSED, EnumSet.complementOf(EnumSet.of(CLOSED)), Connection::markClosed);

        final Connection.State to;
        final Set<Connection.State> from;
        final Consumer<Connection> call;

        Transition(final Connection.State to, final Set<Connection.State> from, final Consumer<Connection> call)
        {
            this.to = to;
            this.from = from;
            this.call = call;
        }
    }

    private long nextId = 1;

    @Test
    void shouldStartReading()
    {
        final Connection connection = connection();
        assertEquals(READING, connection.state());
        assertTrue(connection.isReading());
        assertFalse(connection.isAwaitingPublish());
        assertFalse(connection.isStreaming());
        assertFalse(connection.isClosed());
    }

    @ParameterizedTest
    @EnumSource(Transition.class)
    void shouldTakeATransitionOnlyFromTheStatesItLeaves(final Transition transition)
    {
        for (final Connection.State from : Connection.State.values())
        {
            final Connection connection = in(from);
            if (transition.from.contains(from))
            {
                transition.call.accept(connection);
                assertEquals(transition.to, connection.state(), transition + " from " + from);
            }
            else
            {
                final IllegalStateException error =
                    assertThrows(IllegalStateException.class, () -> transition.call.accept(connection), transition + " from " + from);
                assertEquals(
                    "connection " + connection.id + ": no transition from " + from + " to " + transition.to,
                    error.getMessage());
                assertEquals(from, connection.state(), "an illegal transition changes nothing");
            }
        }
    }

    @Test
    void shouldKeepWhatIsLeftToWriteUntilTheResponseIsWritten()
    {
        final Connection connection = connection();
        connection.startPublishing();
        assertTrue(connection.isReading(), "a connection with publishes in flight reads on");
        connection.awaitPublish();
        assertTrue(connection.isAwaitingPublish());
        assertFalse(connection.isReading());

        final ByteBuffer pendingOut = ByteBuffer.allocate(8);
        connection.startWriting(pendingOut, true, 42);
        assertSame(pendingOut, connection.pendingOut);
        assertTrue(connection.keepAlive);
        assertEquals(42, connection.deadlineNs);

        connection.readNextRequest(99);
        assertTrue(connection.isReading());
        assertNull(connection.pendingOut);
        assertEquals(99, connection.deadlineNs);
    }

    @Test
    void shouldGiveBackTheRequestBufferWhenAStreamStartsAndDropTheTopicWhenItEnds()
    {
        final BufferPool pool = new BufferPool(64, 4);
        final Connection connection = connection();
        connection.request = pool.acquire();
        connection.readLimit = 10;
        assertEquals(1, pool.inUse());

        final TopicState topic = new TopicState("t", 0, null);
        connection.startStreaming(topic);
        assertTrue(connection.isStreaming());
        assertSame(topic, connection.topic);
        assertNull(connection.request);
        assertEquals(0, connection.readLimit);
        assertEquals(0, pool.inUse(), "the request buffer is back in its pool");

        connection.endStream(7);
        assertEquals(ENDING_STREAM, connection.state());
        assertNull(connection.topic);
        assertEquals(7, connection.deadlineNs);

        connection.linger(11);
        assertEquals(LINGERING, connection.state());
        assertEquals(11, connection.deadlineNs);

        connection.markClosed();
        assertTrue(connection.isClosed());
    }

    @Test
    void shouldReleaseTheRequestBufferWhenItLingersOrCloses()
    {
        final BufferPool pool = new BufferPool(64, 4);
        final Connection lingering = connection();
        lingering.request = pool.acquire();
        lingering.readLimit = 5;
        lingering.linger(1);
        assertNull(lingering.request);
        assertEquals(0, lingering.readLimit);

        final Connection closed = connection();
        closed.request = pool.acquire();
        closed.startWriting(ByteBuffer.allocate(1), false, 1);
        closed.markClosed();
        assertNull(closed.request);
        assertNull(closed.pendingOut);
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldReadOnWithPublishesInFlightAfterAResponseAndReadAloneOnceNoneIs()
    {
        final Connection connection = connection();
        connection.publishes = new PendingPublishes().reset(0);
        connection.publishes.offered(io.sseflow.server.http.Persistence.KEEP_ALIVE);
        connection.startPublishing();
        connection.startWriting(ByteBuffer.allocate(1), true, 5);
        connection.readNextRequest(6);
        assertEquals(PUBLISHING, connection.state(), "a publish is still in flight");
        assertTrue(connection.hasOutputPending(), "its answer is still to be written");

        connection.publishes = null;
        connection.startWriting(ByteBuffer.allocate(1), true, 7);
        connection.readNextRequest(8);
        assertEquals(READING, connection.state());
        assertFalse(connection.hasOutputPending());
    }

    private Connection connection()
    {
        return new Connection(nextId++, null, true, null);
    }

    private Connection in(final Connection.State state)
    {
        final Connection connection = connection();
        switch (state)
        {
            case READING:
                break;

            case PUBLISHING:
                connection.startPublishing();
                break;

            case AWAITING_PUBLISH:
                connection.startPublishing();
                connection.awaitPublish();
                break;

            case WRITING:
                connection.startWriting(ByteBuffer.allocate(1), true, 0);
                break;

            case STREAMING:
                connection.startStreaming(null);
                break;

            case ENDING_STREAM:
                connection.startStreaming(null);
                connection.endStream(0);
                break;

            case LINGERING:
                connection.linger(0);
                break;

            case CLOSED:
            default:
                connection.markClosed();
                break;
        }
        assertEquals(state, connection.state());
        return connection;
    }
}
