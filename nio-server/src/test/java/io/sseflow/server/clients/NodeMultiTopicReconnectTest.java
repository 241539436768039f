package io.sseflow.server.clients;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Closer;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node's npm {@code eventsource@4} on a stream of two topics, {@code /events?topic=a&topic=b}, with a third topic
 * published in between: the client reconnects by itself after its connection is dropped, sends the last id it got
 * (a hub seq), and receives exactly the events of its two topics it missed, then the live ones.
 */
class NodeMultiTopicReconnectTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Closer resources = new Closer();

    @AfterEach
    void stop() throws Exception
    {
        resources.close();
    }

    @Test
    @Timeout(30)
    void shouldReconnectByItselfAndReceiveExactlyTheMissedEventsOfItsTopics() throws Exception
    {
        final SseServer server = resources.track(SseServer.builder().port(0).start());
        final Topic a = server.topic("a");
        final Topic b = server.topic("b");
        final Topic c = server.topic("c");
        final DroppingRelay relay = resources.track(new DroppingRelay(server.port()));
        final Path node = NodeToolchain.requireNodeWithModules();
        final JsonLineProcess client = resources.track(JsonLineProcess.start("eventsource@4",
            NodeToolchain.scriptsDirectory(), List.of(node.toString(), "eventsource-client.mjs",
                "http://127.0.0.1:" + relay.port() + "/events?topic=a&topic=b", "--timeout-ms", "60000")));
        client.await("the connection to open", (line) -> "open".equals(line.get("kind")), WAIT);

        Servers.publish(a, "a1", SseOptions.builder().retry(200).build());
        Servers.publish(c, "c1", SseOptions.NONE);
        Servers.publish(b, "b1", SseOptions.NONE);
        final List<Map<String, Object>> first = client.awaitKind("event", 2, WAIT);
        assertEquals(List.of("1:a1", "3:b1"), idsAndData(first), client.describe());

        assertEquals(1, relay.dropAll(), "one connection to drop");
        Servers.publish(b, "b2", SseOptions.NONE);
        Servers.publish(c, "c2", SseOptions.NONE);
        Servers.publish(a, "a2", SseOptions.NONE);
        final Map<String, Object> reconnect =
            client.await("the reconnect request", (line) -> "connect".equals(line.get("kind")) &&
                null != line.get("lastEventId"), WAIT);
        assertEquals("3", reconnect.get("lastEventId"), client.describe());
        client.await("the connection to reopen", (line) -> "open".equals(line.get("kind")), WAIT);
        Servers.publish(a, "a3", SseOptions.NONE);

        final List<Map<String, Object>> rest = client.awaitKind("event", 3, WAIT);
        assertEquals(List.of("4:b2", "6:a2", "7:a3"), idsAndData(rest), client.describe());
        Await.pause(200);
        for (final Map<String, Object> line : client.pending())
        {
            assertTrue(!"event".equals(line.get("kind")), "unexpected extra event " + line + client.describe());
        }
        assertEquals(2, relay.acceptedConnections(), "exactly one reconnect" + client.describe());
    }

    private static List<String> idsAndData(final List<Map<String, Object>> events)
    {
        final List<String> seen = new ArrayList<>();
        for (final Map<String, Object> event : events)
        {
            seen.add(event.get("id") + ":" + event.get("data"));
        }
        return seen;
    }
}
