package io.sseflow.server.clients;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.clients.SampleEvents.Sample;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Closer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node's npm {@code eventsource@4} (a WHATWG EventSource we did not write) against the embedded server: every
 * published event arrives in order with its id, event name and data; and when the connection drops, the client
 * reconnects by itself with {@code Last-Event-ID} and is replayed exactly the events it missed.
 * <p>
 * The client is {@code src/test/node/eventsource-client.mjs}, printing what it sees as JSON lines. The server has no
 * API to close one subscriber, so drops are made by a {@link DroppingRelay} in front of it: the client sees its
 * stream end, the server sees the peer go, exactly as when either side closes.
 */
class NodeEventSourceClientTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long RECONNECT_MS = 300;
    private static final long NO_RETRY = -1;

    private SseServer server;
    private final Closer resources = new Closer();

    @BeforeEach
    void startServer()
    {
        server = resources.track(SseServer.builder().port(0).start());
    }

    @AfterEach
    void stop() throws Exception
    {
        resources.close();
    }

    @Test
    @Timeout(30)
    void shouldReceiveEveryPublishedEventInOrderWithIdNameAndData() throws IOException
    {
        final Topic topic = server.topic("node-order");
        final JsonLineProcess client = startClient(server.port(), topic.name());
        client.await("the connection to open", (line) -> "open".equals(line.get("kind")), WAIT);

        final List<Sample> samples = SampleEvents.batch("in-order");
        samples.forEach((sample) -> publish(topic, sample, NO_RETRY));

        final List<Map<String, Object>> events = client.awaitKind("event", samples.size(), WAIT);
        assertEvents(samples, events, "in-order", client);
        assertStrictlyIncreasingIds(events, -1, client);
        assertNoMoreEvents(client);
    }

    @Test
    @Timeout(30)
    void shouldReconnectWithLastEventIdAndReceiveExactlyTheMissedEvents() throws IOException
    {
        final Topic topic = server.topic("node-reconnect");
        final DroppingRelay relay = track(new DroppingRelay(server.port()));
        final JsonLineProcess client = startClient(relay.port(), topic.name());
        final Map<String, Object> firstConnect = client.await("the first request", NodeEventSourceClientTest::isConnect, WAIT);
        assertEquals(null, firstConnect.get("lastEventId"), "first request must not carry Last-Event-ID" + client.describe());
        client.await("the connection to open", (line) -> "open".equals(line.get("kind")), WAIT);

        final List<Sample> before = SampleEvents.batch("before-drop");
        publish(topic, before.get(0), RECONNECT_MS);
        before.subList(1, before.size()).forEach((sample) -> publish(topic, sample, NO_RETRY));
        final List<Map<String, Object>> beforeEvents = client.awaitKind("event", before.size(), WAIT);
        assertEvents(before, beforeEvents, "before-drop", client);
        final String lastIdBeforeDrop = (String)beforeEvents.get(beforeEvents.size() - 1).get("id");
        final long replaysBefore = server.metrics().replays();

        assertEquals(1, relay.dropAll(), "one connection to drop");
        final List<Sample> missed = SampleEvents.batch("missed");
        missed.forEach((sample) -> publish(topic, sample, NO_RETRY));

        client.await("the client to notice the drop", (line) -> "error".equals(line.get("kind")), WAIT);
        final Map<String, Object> reconnect = client.await("the reconnect request", NodeEventSourceClientTest::isConnect, WAIT);
        assertEquals(lastIdBeforeDrop, reconnect.get("lastEventId"), "reconnect must send the last id received" + client.describe());
        client.await("the connection to reopen", (line) -> "open".equals(line.get("kind")), WAIT);

        final List<Sample> after = SampleEvents.batch("after-reconnect");
        after.forEach((sample) -> publish(topic, sample, NO_RETRY));

        final List<Sample> expected = new ArrayList<>(missed);
        expected.addAll(after);
        final List<Map<String, Object>> events = client.awaitKind("event", expected.size(), WAIT);
        assertEvents(expected, events, "missed + after-reconnect", client);
        assertStrictlyIncreasingIds(events, Long.parseLong(lastIdBeforeDrop), client);
        assertNoMoreEvents(client);
        assertEquals(2, relay.acceptedConnections(), "exactly one reconnect" + client.describe());
        assertTrue(server.metrics().replays() > replaysBefore, "the server counted the replay: " + server.metrics());
    }

    @Test
    @Timeout(40)
    void shouldReceiveEveryEventExactlyOnceWhenDroppedTwiceWhilePublishing() throws Exception
    {
        final int count = 400;
        final Topic topic = server.topic("node-busy");
        final DroppingRelay relay = track(new DroppingRelay(server.port()));
        final JsonLineProcess client = startClient(relay.port(), topic.name());
        client.await("the connection to open", (line) -> "open".equals(line.get("kind")), WAIT);
        publish(topic, new Sample(null, "0", "0"), 100);
        client.awaitKind("event", 1, WAIT);

        final Thread publisher = new Thread(() ->
        {
            for (int i = 1; i <= count; i++)
            {
                publish(topic, new Sample(i % 3 == 0 ? "tick" : null, "n=" + i, null), NO_RETRY);
                if (i % 4 == 0)
                {
                    Await.pause(3);
                }
            }
        }, "busy-publisher");
        publisher.setDaemon(true);
        publisher.start();

        final List<Map<String, Object>> events = new ArrayList<>(client.awaitKind("event", count / 3, WAIT));
        relay.dropAll();
        events.addAll(client.awaitKind("event", count / 3, WAIT));
        relay.dropAll();
        publisher.join(WAIT.toMillis());
        events.addAll(client.awaitKind("event", count - events.size(), WAIT));

        for (int i = 0; i < count; i++)
        {
            final Map<String, Object> event = events.get(i);
            final int n = i + 1;
            assertEquals("n=" + n, event.get("data"), "event " + i + " (no gap, no duplicate)" + client.describe());
            assertEquals(n % 3 == 0 ? "tick" : "message", event.get("type"), "type of event " + i);
        }
        assertStrictlyIncreasingIds(events, -1, client);
        assertNoMoreEvents(client);
        assertTrue(relay.acceptedConnections() >= 3, "reconnected after each drop" + client.describe());
    }

    private JsonLineProcess startClient(final int port, final String topic) throws IOException
    {
        final Path node = NodeToolchain.requireNodeWithModules();
        final List<String> command = new ArrayList<>(List.of(
            node.toString(), "eventsource-client.mjs", "http://127.0.0.1:" + port + "/events/" + topic,
            "--timeout-ms", "60000"));
        for (final String name : List.of("greeting", "price", "tick"))
        {
            command.add("--event");
            command.add(name);
        }
        return track(JsonLineProcess.start("eventsource@4", NodeToolchain.scriptsDirectory(), command));
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    private static boolean isConnect(final Map<String, Object> line)
    {
        return "connect".equals(line.get("kind"));
    }

    static void publish(final Topic topic, final Sample sample, final long retryMs)
    {
        final SseOptions.Builder builder = SseOptions.builder();
        if (null != sample.eventName())
        {
            builder.event(sample.eventName());
        }
        if (retryMs >= 0)
        {
            builder.retry(retryMs);
        }
        final SseOptions options = builder.build();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        PublishResult result;
        while ((result = topic.publish(sample.payload(), options)) == PublishResult.BACK_PRESSURED &&
            System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertEquals(PublishResult.OK, result, "publish " + sample);
    }

    private static void assertEvents(
        final List<Sample> expected, final List<Map<String, Object>> events, final String what, final JsonLineProcess client)
    {
        assertEquals(expected.size(), events.size(), what + client.describe());
        for (int i = 0; i < expected.size(); i++)
        {
            final Map<String, Object> event = events.get(i);
            expected.get(i).assertReceived((String)event.get("type"), (String)event.get("data"),
                what + " event " + i + " " + event + client.describe());
        }
    }

    static void assertStrictlyIncreasingIds(final List<Map<String, Object>> events, final long after, final JsonLineProcess client)
    {
        long previous = after;
        for (final Map<String, Object> event : events)
        {
            final long id = Long.parseLong((String)event.get("id"));
            assertTrue(id > previous, "ids must increase: " + id + " after " + previous + client.describe());
            previous = id;
        }
    }

    private static void assertNoMoreEvents(final JsonLineProcess client)
    {
        Await.pause(200);
        for (final Map<String, Object> line : client.pending())
        {
            assertTrue(!"event".equals(line.get("kind")), "unexpected extra event " + line + client.describe());
        }
    }
}
