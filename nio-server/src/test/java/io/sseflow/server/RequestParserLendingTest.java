package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.agent.AgentInternals;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A connection borrows a request parser only while it reads a request head, so idle connections and streams hold
 * none, and subscribers whose heads arrive whole share one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestParserLendingTest
{
    private static final String HEAD = "GET /events/news HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";
    private static final int CONNECTIONS = 100;

    private final List<RawSseClient> clients = new ArrayList<>();
    private SseServer server;

    @BeforeEach
    void setUp()
    {
        server = SseServer.builder().port(0).start();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (final RawSseClient client : clients)
        {
            client.close();
        }
        server.close();
    }

    @Test
    void shouldLendNoParserToConnectionsThatHaveSentNothing() throws Exception
    {
        openConnections(CONNECTIONS);
        Await.value(() -> server.metrics().connections(), CONNECTIONS, "connections");

        assertEquals(0, AgentInternals.requestParsersCreated(server));
    }

    @Test
    void shouldShareOneParserAmongSubscribersWhoseHeadsArriveWhole() throws Exception
    {
        openConnections(CONNECTIONS);
        Await.value(() -> server.metrics().connections(), CONNECTIONS, "connections");
        for (final RawSseClient client : clients)
        {
            client.send(HEAD);
        }
        Servers.awaitSubscribers(server, CONNECTIONS);

        assertEquals(1, AgentInternals.requestParsersCreated(server));
        Servers.publish(server.topic("news"), "after", SseOptions.NONE);
        for (final RawSseClient client : clients)
        {
            client.readHead();
            assertEquals(List.of("id: 1", "data: after"), client.nextFrameLines());
        }
    }

    @Test
    void shouldLendAParserToEachConnectionPartWayThroughAHead() throws Exception
    {
        openConnections(3);
        Await.value(() -> server.metrics().connections(), 3, "connections");
        final int half = HEAD.length() / 2;
        for (int i = 0; i < clients.size(); i++)
        {
            clients.get(i).send(HEAD.substring(0, half));
            final long lent = i + 1;
            Await.value(() -> AgentInternals.requestParsersCreated(server), lent, "parsers lent");
        }
        for (final RawSseClient client : clients)
        {
            client.send(HEAD.substring(half));
        }
        Servers.awaitSubscribers(server, 3);

        openConnections(1);
        clients.get(3).send(HEAD);
        Servers.awaitSubscribers(server, 4);
        assertEquals(3, AgentInternals.requestParsersCreated(server), "a free parser is lent again");
    }

    private void openConnections(final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            clients.add(RawSseClient.open(server.port(), 0));
        }
    }
}
