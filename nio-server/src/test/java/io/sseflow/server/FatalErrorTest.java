package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.ForwardingSequencer;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fatal error on the agent thread, injected through real seams (a subscribe authorizer, the error handler, the
 * idle strategy, the sequencer factory at start-up), never leaves a port that answers nothing: the port refuses
 * connections, streams end, the error handler gets the error, {@code isRunning()} is false, {@code awaitClose()}
 * and {@code close()} return and publishing says {@code CLOSED}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FatalErrorTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void shouldStopAndClosePortWhenAnAuthorizerOverflowsTheStack() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final SseServer server = SseServer.builder().port(0).errorHandler(errors::add)
            .subscribeAuthorizer((request) ->
                "boom".equals(request.topic()) ? recurse(request.topic().length()) : SubscribeAuthorizer.Decision.ALLOW)
            .start();
        try
        {
            final int port = server.port();
            final Topic topic = server.topic("ok");
            try (RawSseClient streaming = RawSseClient.get(port, "/events/ok"))
            {
                streaming.readHead();
                Servers.awaitSubscribers(server, 1);
                Servers.publish(topic, "before", SseOptions.NONE);
                assertEquals(new SseEvent("1", "message", "before"), streaming.nextEvent());

                try (RawSseClient trigger = RawSseClient.get(port, "/events/boom"))
                {
                    awaitPortRefused(port);
                    assertFalse(server.isRunning());
                    server.awaitClose();
                    assertInstanceOf(StackOverflowError.class, server.failure());
                    assertEquals(List.of(server.failure()), errors);

                    streaming.timeout(5_000);
                    assertNull(streaming.nextEvent(), "the stream ends (EOF) after the frames already written");
                    assertEquals(PublishResult.CLOSED, topic.publish("after"));
                    assertFalse(topic.disconnectSubscribers());
                }
            }
        }
        finally
        {
            server.close();
        }
        assertFalse(server.isRunning());
        assertEquals(PublishResult.CLOSED, server.topic("ok").publish("after close"));
    }

    @Test
    void shouldStopWhenTheErrorHandlerThrowsAnError() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final SseServer server = SseServer.builder().port(0)
            .subscribeAuthorizer((request) ->
            {
                throw new IllegalStateException("authorizer bug");
            })
            .errorHandler((throwable) ->
            {
                errors.add(throwable);
                if (throwable instanceof IllegalStateException)
                {
                    final long[] tooLarge = new long[Integer.MAX_VALUE];
                    errors.add(new AssertionError("allocated " + tooLarge.length));
                }
            })
            .start();
        try
        {
            final int port = server.port();
            try (RawSseClient trigger = RawSseClient.get(port, "/events/any"))
            {
                awaitPortRefused(port);
                server.awaitClose();
                assertFalse(server.isRunning());
                final Throwable failure = server.failure();
                assertInstanceOf(OutOfMemoryError.class, failure);
                assertEquals(2, errors.size(), errors.toString());
                assertEquals("authorizer bug", errors.get(0).getMessage());
                assertSame(failure, errors.get(1));
                trigger.timeout(5_000);
                assertTrue(trigger.isAtEof(), "the connection that triggered it is closed");
            }
        }
        finally
        {
            server.close();
        }
    }

    @ParameterizedTest(name = "agents {0}")
    @ValueSource(ints = {1, 2})
    void shouldStopWhenTheIdleStrategyThrowsAnError(final int agents) throws Exception
    {
        final AtomicBoolean fail = new AtomicBoolean();
        final AtomicReference<Throwable> reported = new AtomicReference<>();
        final SseServer server = SseServer.builder().port(0).agents(agents).errorHandler(reported::set)
            .idleStrategy(() -> new FailingIdleStrategy(fail))
            .start();
        final Queue<PublishResult> results = new ConcurrentLinkedQueue<>();
        final Thread publisher = new Thread(() ->
        {
            PublishResult result = PublishResult.OK;
            for (int i = 0; i < 10_000_000 && result != PublishResult.CLOSED; i++)
            {
                result = server.topic("t").publish("event " + i);
                if (result != PublishResult.OK && result != PublishResult.BACK_PRESSURED)
                {
                    results.add(result);
                }
            }
        });
        try
        {
            final int port = server.port();
            final Topic topic = server.topic("t");
            Servers.publish(topic, "fine", SseOptions.NONE);
            publisher.start();
            fail.set(true);
            awaitPortRefused(port);
            server.awaitClose();
            assertFalse(server.isRunning());
            assertInstanceOf(StackOverflowError.class, server.failure());
            assertSame(server.failure(), reported.get());
            assertEquals(PublishResult.CLOSED, topic.publish("after"));
            publisher.join(10_000);
            assertFalse(publisher.isAlive(), "a publisher during the failure is answered, never left spinning");
            assertEquals(List.of(PublishResult.CLOSED), List.copyOf(results));
        }
        finally
        {
            server.close();
        }
    }

    @Test
    void shouldReleaseThePortWhenStartFailsToAllocate() throws Exception
    {
        final SseServer server = SseServer.builder().port(0)
            .eventSequencer((capacity) ->
            {
                final long[] tooLarge = new long[Integer.MAX_VALUE];
                throw new AssertionError("allocated " + tooLarge.length);
            })
            .build();
        assertThrows(OutOfMemoryError.class, server::start);
        final int port = server.port();
        assertTrue(port > 0);
        assertFalse(server.isRunning());
        assertNull(server.failure());
        awaitPortRefused(port);
        try (ServerSocket again = new ServerSocket())
        {
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
        server.close();
    }

    @Test
    void shouldNotHangWhenClosedFromTheErrorHandler() throws Exception
    {
        final AtomicReference<SseServer> self = new AtomicReference<>();
        final SseServer server = SseServer.builder().port(0)
            .subscribeAuthorizer((request) ->
            {
                throw new IllegalStateException("close me");
            })
            .errorHandler((throwable) -> self.get().close())
            .build();
        self.set(server);
        server.start();
        final int port = server.port();
        try (RawSseClient trigger = RawSseClient.get(port, "/events/any"))
        {
            awaitPortRefused(port);
            server.awaitClose();
            assertFalse(server.isRunning());
            assertNull(server.failure(), "a close, not a failure");
        }
        server.close();
    }

    @Test
    void shouldReportAnErrorThrownWhileClosing() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final OutOfMemoryError closeFailure = new OutOfMemoryError("sequencer close failed");
        final SseServer server = SseServer.builder().port(0).errorHandler(errors::add)
            .eventSequencer((capacity) -> new FailingCloseSequencer(new InMemoryEventSequencer(capacity), closeFailure))
            .start();
        final int port = server.port();
        final Topic topic = server.topic("t");
        try (RawSseClient streaming = RawSseClient.get(port, "/events/t"))
        {
            streaming.readHead();
            Servers.awaitSubscribers(server, 1);
            Servers.publish(topic, "last", SseOptions.NONE);
            assertEquals(new SseEvent("1", "message", "last"), streaming.nextEvent());

            server.close();
            assertFalse(server.isRunning());
            assertSame(closeFailure, server.failure());
            assertEquals(List.of(closeFailure), errors);
            awaitPortRefused(port);
            streaming.timeout(5_000);
            assertNull(streaming.nextEvent(), "EOF");
            server.awaitClose();
        }
    }

    private static SubscribeAuthorizer.Decision recurse(final int depth)
    {
        final SubscribeAuthorizer.Decision decision = recurse(depth + 1);
        return depth < 0 ? decision : SubscribeAuthorizer.Decision.ALLOW;
    }

    static void awaitPortRefused(final int port) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (true)
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            }
            catch (final ConnectException refused)
            {
                return;
            }
            catch (final IOException other)
            {
                // a timeout or a reset: not yet refused
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("port " + port + " still accepts connections");
            }
            Thread.sleep(10);
        }
    }

    private static final class FailingCloseSequencer extends ForwardingSequencer
    {
        private final Error closeFailure;

        FailingCloseSequencer(final EventSequencer delegate, final Error closeFailure)
        {
            super(delegate);
            this.closeFailure = closeFailure;
        }

        @Override
        public void close()
        {
            super.close();
            throw closeFailure;
        }
    }

    private static final class FailingIdleStrategy implements IdleStrategy
    {
        private final AtomicBoolean fail;

        FailingIdleStrategy(final AtomicBoolean fail)
        {
            this.fail = fail;
        }

        public void idle(final int workCount)
        {
            idle();
        }

        public void idle()
        {
            if (fail.get())
            {
                recurse(0);
            }
            Thread.onSpinWait();
        }

        public void reset()
        {
        }
    }
}
