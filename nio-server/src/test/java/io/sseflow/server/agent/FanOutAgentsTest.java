package io.sseflow.server.agent;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.ServerInternals;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hub of two fan-out agents ({@code agents(2)}): connections from the loopback address, a trusted proxy, are shared
 * out in turn, so consecutive connections land on different agents; every agent delivers the same bytes, a subscriber
 * resumes exactly on either agent, and a publisher is answered in order on its own agent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanOutAgentsTest
{
    private static final String HEAD_END = "\r\n\r\n";

    @Test
    void shouldDeliverTheSameBytesToSubscribersOnEveryAgent() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).agents(2).start())
        {
            final Topic topic = server.topic("news");
            final List<RawSseClient> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < 4; i++)
                {
                    clients.add(RawSseClient.get(server.port(), "/events/news"));
                }
                awaitSubscribersPerAgent(server, 2, 2);

                assertEquals(PublishResult.OK, topic.publish("a", SseOptions.NONE));
                assertEquals(PublishResult.OK, topic.publish("b", SseOptions.builder().event("note").build()));
                final String answer = RawHttp.post(server.port(), "/events/news?id=x-7", "c");
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer));
                assertEquals("x-7", RawHttp.body(answer).trim());

                final String expected = "id: 1\ndata: a\n\nevent: note\nid: 2\ndata: b\n\nid: x-7\ndata: c\n\n";
                for (final RawSseClient client : clients)
                {
                    client.timeout(10_000);
                    assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK"));
                    assertEquals(expected, client.readBytes(expected.length()));
                }
                Await.value(() -> server.metrics().get(ServerCounter.EVENTS_PUBLISHED), 3, "events, counted once");
                Await.value(() -> server.metrics().get(ServerCounter.FRAMES_DELIVERED), 12, "frames, summed");
            }
            finally
            {
                for (final RawSseClient client : clients)
                {
                    client.close();
                }
            }
        }
    }

    @Test
    void shouldResumeExactlyOnEitherAgent() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).agents(2).start())
        {
            final Topic topic = server.topic("news");
            for (int i = 1; i <= 5; i++)
            {
                assertEquals(PublishResult.OK, topic.publish("e" + i, SseOptions.NONE));
            }
            Await.value(() -> server.metrics().get(ServerCounter.EVENTS_PUBLISHED), 5, "events");

            try (RawSseClient first = RawSseClient.get(server.port(), "/events/news", "Last-Event-ID: 3");
                RawSseClient second = RawSseClient.get(server.port(), "/events/news", "Last-Event-ID: 3"))
            {
                awaitSubscribersPerAgent(server, 1, 1);
                final String expected = "id: 4\ndata: e4\n\nid: 5\ndata: e5\n\n";
                for (final RawSseClient client : List.of(first, second))
                {
                    client.timeout(10_000);
                    client.readHead();
                    assertEquals(expected, client.readBytes(expected.length()));
                }
                assertEquals(PublishResult.OK, topic.publish("e6", SseOptions.NONE));
                for (final RawSseClient client : List.of(first, second))
                {
                    assertEquals("id: 6\ndata: e6\n\n", client.readBytes("id: 6\ndata: e6\n\n".length()));
                }
            }
        }
    }

    @Test
    void shouldAnswerPipelinedPublishesInOrderOnTheirAgentAndDecideARetryOnce() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).agents(2).start())
        {
            server.topic("news");
            try (RawSseClient subscriber = RawSseClient.get(server.port(), "/events/news");
                RawSseClient publisher = RawSseClient.open(server.port(), 0))
            {
                awaitSubscribersPerAgent(server, 1, 0);
                final StringBuilder pipelined = new StringBuilder();
                final String[] ids = {"", "p-1", "", "p-1", "41", ""};
                for (int i = 0; i < ids.length; i++)
                {
                    final String query = ids[i].isEmpty() ? "" : "?id=" + ids[i];
                    pipelined.append(RawHttp.request("POST", "/events/news" + query, new String[0], "d" + i));
                }
                publisher.send(pipelined.toString());
                publisher.timeout(10_000);
                final List<String> answers = new ArrayList<>();
                for (int i = 0; i < ids.length; i++)
                {
                    final String head = publisher.readHead();
                    final int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                    answers.add(head.substring(9, 12) + " " + publisher.readBytes(length).trim());
                }
                assertEquals(List.of("200 1", "200 p-1", "200 2", "200 p-1", "200 41", "200 42"), answers);

                subscriber.timeout(10_000);
                subscriber.readHead();
                final String expected = "id: 1\ndata: d0\n\nid: p-1\ndata: d1\n\nid: 2\ndata: d2\n\n" +
                    "id: 41\ndata: d4\n\nid: 42\ndata: d5\n\n";
                assertEquals(expected, subscriber.readBytes(expected.length()));
            }
        }
    }

    @Test
    void shouldDeliverAMercureUpdateOfSeveralTopicsOnceAndResumeAStreamOfSeveralTopicsOnTheOtherAgent() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).agents(2).history(100).start())
        {
            final Topic a = server.topic("a");
            final Topic b = server.topic("b");
            try (RawSseClient first = RawSseClient.get(server.port(), "/events?topic=a&topic=b");
                RawSseClient mercure = RawSseClient.get(server.port(),
                    "/.well-known/mercure?topic=" + URLEncoder.encode("https://example.com/m/{x}", StandardCharsets.UTF_8) +
                    "&topic=a"))
            {
                first.timeout(10_000);
                mercure.timeout(10_000);
                first.readHead();
                mercure.readHead();
                awaitSubscribersPerAgent(server, 1, 1);
                assertEquals(PublishResult.OK, a.publish("a1", SseOptions.NONE));
                assertEquals(PublishResult.OK, b.publish("b1", SseOptions.NONE));
                final String answer = RawHttp.post(server.port(), "/.well-known/mercure",
                    "topic=a&topic=" + URLEncoder.encode("https://example.com/m/7", StandardCharsets.UTF_8) +
                    "&id=u-1&data=both", "Content-Type: application/x-www-form-urlencoded");
                assertEquals("u-1", RawHttp.body(answer).trim(), answer);
                assertEquals(PublishResult.OK, a.publish("a2", SseOptions.NONE));

                final String several = "id: 1\ndata: a1\n\nid: 2\ndata: b1\n\nid: u-1\ndata: both\n\nid: 4\ndata: a2\n\n";
                assertEquals(several, first.readBytes(several.length()));
                final String selectors = "id: 1\ndata: a1\n\nid: u-1\ndata: both\n\nid: 4\ndata: a2\n\n";
                assertEquals(selectors, mercure.readBytes(selectors.length()));
            }
            awaitSubscribersPerAgent(server, 0, 0);

            try (RawSseClient resumedOne = RawSseClient.get(server.port(), "/events?topic=b&topic=a", "Last-Event-ID: 2");
                RawSseClient resumedTwo = RawSseClient.get(server.port(), "/events?topic=b&topic=a", "Last-Event-ID: 2"))
            {
                awaitSubscribersPerAgent(server, 1, 1);
                final String expected = "id: u-1\ndata: both\n\nid: 4\ndata: a2\n\n";
                for (final RawSseClient client : List.of(resumedOne, resumedTwo))
                {
                    client.timeout(10_000);
                    client.readHead();
                    assertEquals(expected, client.readBytes(expected.length()));
                }
            }
        }
    }

    private static void awaitSubscribersPerAgent(final SseServer server, final long first, final long second)
    {
        final ServerCounters[] counters = ServerInternals.runtime(server).agentCounters();
        Await.condition(() -> counters[0].get(ServerCounter.SUBSCRIBERS) == first &&
            counters[1].get(ServerCounter.SUBSCRIBERS) == second,
            "subscribers " + first + " and " + second + " on agents 0 and 1", Await.DEFAULT_TIMEOUT);
    }
}
