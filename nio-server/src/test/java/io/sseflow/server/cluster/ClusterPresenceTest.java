package io.sseflow.server.cluster;

import io.sseflow.server.ServerCounter;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence on a cluster over its whole life: three members in this process with {@code --max-topics 20}; member 0
 * announces 40 subscriptions of 2 selectors (80 subscription topics, presence may hold 10 at once). Presence's updates
 * are transient (the state machine holds no topic for them) and each member frees ended subscription topics, its own
 * and the others' (their end updates are marked), so every subscription is announced, no member lacks a topic for an
 * update, the publishers keep all 20 of their topics, and another member still announces its own subscriptions.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterPresenceTest
{
    private static final int MEMBERS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ClusterMembers members = new ClusterMembers("presence", MEMBERS);
    private final ServerMembers cluster = new ServerMembers(members, 64);

    @AfterEach
    void cleanUp()
    {
        cluster.close();
        members.close();
    }

    @Test
    void shouldAnnounceEverySubscriptionOverAClustersLifeAndLeavePublishersAllTheirTopics() throws Exception
    {
        for (int i = 0; i < MEMBERS; i++)
        {
            cluster.start(i, (settings) -> settings.limits(20, 64), (server) -> server.subscriptions(true).maxTopics(20));
        }
        cluster.awaitReady(0, 1, 2);
        final int rounds = 40;
        for (int round = 0; round < rounds; round++)
        {
            try (RawSseClient reader = RawSseClient.get(cluster.server(0).port(),
                "/.well-known/mercure?topic=books&topic=chat"))
            {
                assertTrue(reader.readHead().startsWith("HTTP/1.1 200 OK\r\n"), "round " + round);
                Servers.awaitSubscribers(cluster.server(0), 1);
            }
            Servers.awaitSubscribers(cluster.server(0), 0);
            // every member applies the start and the end before the next round
            final long updates = 4L * (round + 1);
            for (int i = 0; i < MEMBERS; i++)
            {
                final int member = i;
                Await.condition(() -> presenceEventsDelivered(member) >= updates, "member " + member + " has " +
                    updates + " presence updates", WAIT);
            }
        }
        assertEquals(0, cluster.server(0).metrics().get(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED));
        assertEquals(4L * rounds, cluster.server(0).metrics().get(ServerCounter.SUBSCRIPTION_UPDATES));

        for (int i = 0; i < 20; i++)
        {
            final String answer = RawHttp.post(cluster.server(1).port(), "/events/fresh" + i, "x", "Connection: close");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), "publisher topic " + i + ": " + answer);
        }
        try (RawSseClient reader = RawSseClient.get(cluster.server(2).port(), "/.well-known/mercure?topic=news"))
        {
            assertTrue(reader.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            Await.value(() -> cluster.server(2).metrics().get(ServerCounter.SUBSCRIPTION_UPDATES), 1L,
                "member 2 announces its own subscription");
        }
        assertEquals(0, cluster.server(2).metrics().get(ServerCounter.SUBSCRIPTIONS_UNANNOUNCED));
        assertTrue(members.errors().isEmpty(), "errors: " + members.errors());
    }

    /**
     * Events a member delivered, from its metrics: presence's updates are the only events until the publishes.
     */
    private long presenceEventsDelivered(final int member)
    {
        return cluster.server(member).metrics().get(ServerCounter.EVENTS_PUBLISHED);
    }
}
