package io.sseflow.server;

import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.SequencedEventHandler;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.ForwardingSequencer;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pipelined publishes on one connection, sent in one write: each is offered as soon as it is read (up to 64 in flight
 * per connection), and the answers come back in request order with their ids, byte for byte as one at a time, on
 * the in-memory server and on a one-member durable cluster ({@code --data-dir}); a refusal in the middle keeps its
 * place and ends the connection; the in-flight bound stops reading the connection; a connection closed with
 * publishes in flight leaves them published; a graceful close writes the answers in flight before it ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelinedPublishTest
{
    private static final String TEXT_HEAD = "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Cache-Control: no-store\r\n";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Path dataDir;

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            resources.get(i).close();
        }
        if (null != dataDir)
        {
            try (Stream<Path> files = Files.walk(dataDir))
            {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void shouldAnswerFiftyPipelinedPublishesInOrderAndDeliverEachOnceInMemory() throws Exception
    {
        assertFiftyPipelinedPublishes(open(SseServer.builder().host("127.0.0.1").port(0).start()));
    }

    @Test
    void shouldAnswerFiftyPipelinedPublishesInOrderAndDeliverEachOnceOnADurableNode() throws Exception
    {
        dataDir = Files.createTempDirectory("sseflow-pipelined-");
        final SseServer server = open(Servers.hub("--data-dir", dataDir.toString()));
        Await.condition(() -> readyz(server), "the durable node has a leader", Duration.ofSeconds(60));
        assertFiftyPipelinedPublishes(server);
        assertDuplicateIdsInOneBatchAppendedOnce(server);
    }

    @Test
    void shouldAnswerPipelinedDuplicateIdsWithTheSameIdAndAppendOnceInMemory() throws Exception
    {
        assertDuplicateIdsInOneBatchAppendedOnce(open(SseServer.builder().host("127.0.0.1").port(0).start()));
    }

    @Test
    void shouldKeepTheRefusalOfABadIdInItsPlaceThenEndTheConnection() throws Exception
    {
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0).start());
        final RawSseClient live = subscribe(server, "news");
        final StringBuilder requests = new StringBuilder();
        for (int i = 1; i <= 6; i++)
        {
            requests.append(post(i == 4 ? "/events/news?id=a%0Ab" : "/events/news", "event " + i));
        }
        final RawSseClient publisher = publisher(server);
        publisher.send(requests.toString());

        final String refusal = "HTTP/1.1 400 Bad Request\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 59\r\n" +
            "Connection: close\r\n" +
            "\r\n" +
            "id must be UTF-8 without CR, LF or NUL, at most 1024 bytes\n";
        assertEquals(published("1") + published("2") + published("3") + refusal, publisher.readToEof(),
            "three answers, the refusal in the fourth place, then the end of the connection");
        assertEvents(live, 1, 3, "event ");
        assertEquals(3, server.metrics().eventsPublished(), "nothing after the refusal was taken");
        assertEquals(1, server.metrics().refused(Refusal.BAD_REQUEST));
    }

    @Test
    void shouldKeepTheRefusalOfATooLargeBodyInItsPlace() throws Exception
    {
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0).maxEventBytes(256).start());
        final RawSseClient publisher = publisher(server);
        publisher.send(post("/events/big", "small one") + post("/events/big", "small two") +
            post("/events/big", "x".repeat(400)) + post("/events/big", "never taken"));

        assertEquals(published("1") + published("2") +
            "HTTP/1.1 413 Content Too Large\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 23\r\n" +
            "Connection: close\r\n" +
            "\r\n" +
            "request body too large\n", publisher.readToEof(), "refused on its head, after the answers before it");
        assertEquals(2, server.metrics().eventsPublished());
    }

    @Test
    void shouldStopReadingAtSixtyFourPublishesInFlightAndAnswerAllInOrderOnceSequenced() throws Exception
    {
        final AtomicBoolean held = new AtomicBoolean(true);
        final AtomicInteger claimed = new AtomicInteger();
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0)
            .eventSequencer(capacity -> new HeldSequencer(new InMemoryEventSequencer(capacity), held, claimed))
            .start());
        final RawSseClient live = subscribe(server, "bound");
        final int count = 100;
        final StringBuilder requests = new StringBuilder();
        final StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= count; i++)
        {
            requests.append(post("/events/bound", "event " + i));
            answers.append(published(Integer.toString(i)));
        }
        final RawSseClient publisher = publisher(server);
        publisher.send(requests.toString());

        Await.value(claimed::get, 64, "publishes offered while none is answered");
        // the agent goes on serving other connections meanwhile, and still takes no 65th publish
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.get(server.port(), "/healthz", "Connection: close")));
        assertEquals(64, claimed.get(), "the connection is not read beyond 64 publishes in flight");

        held.set(false);
        assertEquals(answers.toString(), publisher.readBytes(answers.length()));
        assertEquals(count, claimed.get());
        assertEvents(live, 1, count, "event ");
    }

    @Test
    void shouldLeavePublishesInFlightPublishedWhenTheirConnectionCloses() throws Exception
    {
        final AtomicBoolean held = new AtomicBoolean(true);
        final AtomicInteger claimed = new AtomicInteger();
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0)
            .eventSequencer(capacity -> new HeldSequencer(new InMemoryEventSequencer(capacity), held, claimed))
            .start());
        final RawSseClient live = subscribe(server, "gone");
        final StringBuilder requests = new StringBuilder();
        for (int i = 1; i <= 20; i++)
        {
            requests.append(post("/events/gone", "event " + i));
        }
        final RawSseClient publisher = publisher(server);
        publisher.send(requests.toString());
        Await.value(claimed::get, 20, "publishes offered");
        publisher.reset();
        Await.value(() -> server.metrics().connections(), 1,
            "the publisher's connection closed; the subscriber's open");

        held.set(false);
        assertEvents(live, 1, 20, "event ");
        assertEquals("21\n", RawHttp.body(RawHttp.post(server.port(), "/events/gone", "after")));
    }

    @Test
    void shouldAnswerPublishesInFlightBeforeAGracefulCloseEndsTheConnection() throws Exception
    {
        final AtomicBoolean held = new AtomicBoolean(true);
        final AtomicInteger claimed = new AtomicInteger();
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0)
            .eventSequencer(capacity -> new HeldSequencer(new InMemoryEventSequencer(capacity), held, claimed))
            .start());
        final int port = server.port();
        final StringBuilder requests = new StringBuilder();
        final StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= 10; i++)
        {
            requests.append(post("/events/drain", "event " + i));
            answers.append(published(Integer.toString(i)));
        }
        final RawSseClient publisher = publisher(server);
        publisher.send(requests.toString());
        Await.value(claimed::get, 10, "publishes offered");

        final Thread closer = new Thread(server::close, "closer");
        closer.start();
        Await.condition(() -> !accepts(port), "the drain stopped accepting", Duration.ofSeconds(10));
        held.set(false);
        assertEquals(answers.toString(), publisher.readToEof(), "every answer, then FIN");
        closer.join(10_000);
        assertFalse(closer.isAlive(), "the server closed once the answers were written");
    }

    @Test
    void shouldAnswerUpToARequestThatEndsTheConnectionAndTakeNothingAfterIt() throws Exception
    {
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0).start());
        final RawSseClient publisher = publisher(server);
        publisher.send(post("/events/end", "one") + post("/events/end", "two") +
            "POST /events/end HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nthree" +
            post("/events/end", "four"));
        assertEquals(published("1") + published("2") + TEXT_HEAD + "Content-Length: 2\r\nConnection: close\r\n\r\n3\n",
            publisher.readToEof());
        assertEquals(3, server.metrics().eventsPublished());

        final RawSseClient http10 = publisher(server);
        http10.send("POST /events/end HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 4\r\n\r\nfive" +
            "POST /events/end HTTP/1.0\r\nContent-Length: 3\r\n\r\nsix" +
            "POST /events/end HTTP/1.0\r\nContent-Length: 5\r\n\r\nseven");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n" +
            "Content-Length: 2\r\nConnection: keep-alive\r\n\r\n4\n" +
            TEXT_HEAD + "Content-Length: 2\r\nConnection: close\r\n\r\n5\n", http10.readToEof(),
            "HTTP/1.0: kept alive when asked, closed after the request that did not ask");
        assertEquals(5, server.metrics().eventsPublished());
    }

    @Test
    void shouldAnswerPipelinedChunkedMercureAndOtherRequestsInOrder() throws Exception
    {
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0).start());
        final RawSseClient live = subscribe(server, "mixed");
        final RawSseClient publisher = publisher(server);
        final String mercureBody = "topic=mixed&data=event+3&id=m-3";
        publisher.send(post("/events/mixed", "event 1") +
            "POST /events/mixed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "3\r\neve\r\n4\r\nnt 2\r\n0\r\n\r\n" +
            "POST /.well-known/mercure HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
            "Content-Length: " + mercureBody.length() + "\r\n\r\n" + mercureBody +
            "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" +
            post("/events/mixed", "event 4"));
        final String expected = published("1") + published("2") +
            TEXT_HEAD + "Content-Length: 3\r\n\r\nm-3" +
            TEXT_HEAD + "Content-Length: 3\r\n\r\nok\n" +
            published("3");
        assertEquals(expected, publisher.readBytes(expected.length()));
        final List<SseEvent> events = live.nextEvents(4);
        assertEquals(List.of(
            new SseEvent("1", "message", "event 1"),
            new SseEvent("2", "message", "event 2"),
            new SseEvent("m-3", "message", "event 3"),
            new SseEvent("3", "message", "event 4")), events, "a Mercure update's own id takes no number of the topic");
    }

    @Test
    void shouldAnswerAPublishTheSequencerRefusedWith503InItsPlaceAndLeaveTheOnesAfterItPublished() throws Exception
    {
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0)
            .eventSequencer(capacity -> new RefusingThirdSequencer(new InMemoryEventSequencer(capacity)))
            .start());
        final RawSseClient live = subscribe(server, "leader");
        final RawSseClient publisher = publisher(server);
        final StringBuilder requests = new StringBuilder();
        for (int i = 1; i <= 5; i++)
        {
            requests.append(post("/events/leader", "event " + i));
        }
        publisher.send(requests.toString());
        assertEquals(published("1") + published("2") +
            "HTTP/1.1 503 Service Unavailable\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 33\r\n" +
            "Connection: close\r\n" +
            "Retry-After: 1\r\n" +
            "\r\n" +
            "no cluster leader; retry shortly\n", publisher.readToEof());
        assertEquals(List.of(
            new SseEvent("1", "message", "event 1"),
            new SseEvent("2", "message", "event 2"),
            new SseEvent("4", "message", "event 4"),
            new SseEvent("5", "message", "event 5")), live.nextEvents(4),
            "offered before the refusal was decided: published, not answered");
        assertEquals(1, server.metrics().refused(Refusal.NO_LEADER));
    }

    @Test
    void shouldWriteAnswersThatDoNotFitOneResponseBufferInSeveralWrites() throws Exception
    {
        final AtomicBoolean held = new AtomicBoolean(true);
        final AtomicInteger claimed = new AtomicInteger();
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0)
            .eventSequencer(capacity -> new HeldSequencer(new InMemoryEventSequencer(capacity), held, claimed))
            .start());
        final RawSseClient publisher = publisher(server);
        final StringBuilder requests = new StringBuilder();
        final StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= 64; i++)
        {
            final String id = String.format("%04d", i) + "i".repeat(1_020);
            requests.append(post("/events/wide?id=" + id, "event " + i));
            answers.append(published(id));
        }
        publisher.send(requests.toString());
        Await.value(claimed::get, 64, "publishes offered");
        held.set(false);
        assertTrue(answers.length() > 64 * 1024, "more than the response buffer: " + answers.length());
        assertEquals(answers.toString(), publisher.readBytes(answers.length()), "all 64 decided in one poll, in order");
    }

    @Test
    void shouldAnswerPipelinedPublishesWhoseBodiesNeedABodyBufferInOrder() throws Exception
    {
        final SseServer server = open(SseServer.builder().host("127.0.0.1").port(0).requestBodyBuffers(1).start());
        final RawSseClient live = subscribe(server, "large");
        final RawSseClient publisher = publisher(server);
        final StringBuilder requests = new StringBuilder();
        final StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= 4; i++)
        {
            requests.append(post("/events/large", i + "x".repeat(20_000)));
            answers.append(published(Integer.toString(i)));
        }
        publisher.send(requests.toString());
        assertEquals(answers.toString(), publisher.readBytes(answers.length()));
        for (int i = 1; i <= 4; i++)
        {
            assertEquals(new SseEvent(Integer.toString(i), "message", i + "x".repeat(20_000)), live.nextEvent());
        }
    }

    private void assertFiftyPipelinedPublishes(final SseServer server) throws IOException
    {
        final RawSseClient live = subscribe(server, "pipelined");
        final StringBuilder requests = new StringBuilder();
        final StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= 50; i++)
        {
            requests.append(post("/events/pipelined", "event " + i));
            answers.append(published(Integer.toString(i)));
        }
        final RawSseClient publisher = publisher(server);
        publisher.send(requests.toString());
        assertEquals(answers.toString(), publisher.readBytes(answers.length()));
        assertEvents(live, 1, 50, "event ");
        assertEquals("51\n", RawHttp.body(RawHttp.post(server.port(), "/events/pipelined", "after")));
        assertEquals(new SseEvent("51", "message", "after"), live.nextEvent(), "nothing delivered twice before it");
    }

    private void assertDuplicateIdsInOneBatchAppendedOnce(final SseServer server) throws IOException
    {
        final RawSseClient live = subscribe(server, "retried");
        final RawSseClient publisher = publisher(server);
        publisher.send(post("/events/retried?id=order-1", "first") + post("/events/retried?id=order-1", "retry") +
            post("/events/retried?id=order-2", "second"));
        final String expected = published("order-1") + published("order-1") + published("order-2");
        assertEquals(expected, publisher.readBytes(expected.length()));
        assertEquals(new SseEvent("order-1", "message", "first"), live.nextEvent());
        assertEquals(new SseEvent("order-2", "message", "second"), live.nextEvent(), "the retry is not appended");
    }

    private static void assertEvents(final RawSseClient live, final int first, final int last, final String prefix)
        throws IOException
    {
        for (int i = first; i <= last; i++)
        {
            assertEquals(new SseEvent(Integer.toString(i), "message", prefix + i), live.nextEvent());
        }
    }

    private static String post(final String path, final String body)
    {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
            body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String published(final String id)
    {
        return TEXT_HEAD + "Content-Length: " + (id.length() + 1) + "\r\n\r\n" + id + "\n";
    }

    private static boolean accepts(final int port)
    {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port))
        {
            return socket.isConnected();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static boolean readyz(final SseServer server)
    {
        try
        {
            return RawHttp.get(server.port(), "/readyz", "Connection: close").startsWith("HTTP/1.1 200 ");
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private RawSseClient subscribe(final SseServer server, final String topic) throws IOException
    {
        final long before = server.metrics().subscribers();
        final RawSseClient live = RawSseClient.get(server.port(), "/events/" + topic);
        resources.add(live);
        live.readHead();
        Servers.awaitSubscribers(server, before + 1);
        return live;
    }

    private RawSseClient publisher(final SseServer server) throws IOException
    {
        final RawSseClient client = RawSseClient.open(server.port(), 0);
        resources.add(client);
        return client;
    }

    private SseServer open(final SseServer server)
    {
        resources.add(server);
        return server;
    }

    /**
     * Refuses the third record it polls as a clustered sequencer without a leader does ({@code onRefused}).
     */
    private static final class RefusingThirdSequencer extends ForwardingSequencer
    {
        private int polled;

        RefusingThirdSequencer(final EventSequencer delegate)
        {
            super(delegate);
        }

        @Override
        public int poll(final SequencedEventHandler handler, final int limit)
        {
            return super.poll(new SequencedEventHandler()
            {
                public void onEvent(
                    final org.agrona.DirectBuffer buffer, final int offset, final int length, final long seq,
                    final long numericId)
                {
                    if (++polled == 3)
                    {
                        handler.onRefused(buffer, offset, length, PublishResult.NO_LEADER);
                    }
                    else
                    {
                        handler.onEvent(buffer, offset, length, seq, numericId);
                    }
                }

                public void onDuplicate(
                    final org.agrona.DirectBuffer buffer, final int offset, final int length, final long existingSeq)
                {
                    handler.onDuplicate(buffer, offset, length, existingSeq);
                }

                public void onRefused(
                    final org.agrona.DirectBuffer buffer, final int offset, final int length,
                    final PublishResult result)
                {
                    handler.onRefused(buffer, offset, length, result);
                }
            }, limit);
        }
    }

    /**
     * Counts claims and, while held, sequences nothing: publishes stay in flight.
     */
    private static final class HeldSequencer extends ForwardingSequencer
    {
        private final AtomicBoolean held;
        private final AtomicInteger claimed;

        HeldSequencer(final EventSequencer delegate, final AtomicBoolean held, final AtomicInteger claimed)
        {
            super(delegate);
            this.held = held;
            this.claimed = claimed;
        }

        @Override
        public PublishResult tryClaim(final int length, final PublishClaim claim)
        {
            final PublishResult result = super.tryClaim(length, claim);
            if (PublishResult.OK == result)
            {
                claimed.incrementAndGet();
            }
            return result;
        }

        @Override
        public int poll(final SequencedEventHandler handler, final int limit)
        {
            return held.get() ? 0 : super.poll(handler, limit);
        }
    }
}
