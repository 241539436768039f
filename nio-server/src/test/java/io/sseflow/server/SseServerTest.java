package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SseServerTest
{
    static final String STREAM_HEAD =
        "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache\r\n" +
        "X-Accel-Buffering: no\r\n" +
        "\r\n";
    static final String PRIVATE_STREAM_HEAD = STREAM_HEAD.replace("no-cache", "private, no-cache");

    private SseServer server;

    @BeforeEach
    void setUp()
    {
        server = SseServer.builder().port(0).start();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
    }

    @Test
    void shouldStreamExactBytesWithAssignedIdsEventNamesAndJson() throws Exception
    {
        final Topic topic = server.topic("news");
        try (RawSseClient client = RawSseClient.get(server.port(), "/events/news"))
        {
            assertEquals(STREAM_HEAD, client.readHead());
            Servers.awaitSubscribers(server, 1);

            assertEquals(PublishResult.OK, topic.publish("hello"));
            assertEquals(PublishResult.OK, topic.publishEvent("greet", "two\nlines"));
            assertEquals(PublishResult.OK, topic.publish(Map.of("name", "John"), SseOptions.builder().retry(300).build()));

            final String expected =
                "id: 1\ndata: hello\n\n" +
                "event: greet\nid: 2\ndata: two\ndata: lines\n\n" +
                "retry: 300\nid: 3\ndata: {\"name\":\"John\"}\n\n";
            assertEquals(expected, client.readBytes(expected.length()));
        }
    }

    @Test
    void shouldUseGivenIdsAndKeepAssignedIdsIncreasing() throws Exception
    {
        final Topic topic = server.topic("ids");
        try (RawSseClient client = RawSseClient.get(server.port(), "/events/ids"))
        {
            client.readHead();
            Servers.awaitSubscribers(server, 1);

            topic.publish("a");
            topic.publish("b", SseOptions.builder().id(100).build());
            topic.publish("c");
            topic.publish("d", SseOptions.builder().id("order-7").build());
            topic.publish("e");

            assertEquals(List.of(
                new SseEvent("1", "message", "a"),
                new SseEvent("100", "message", "b"),
                new SseEvent("101", "message", "c"),
                new SseEvent("order-7", "message", "d"),
                new SseEvent("102", "message", "e")), client.nextEvents(5));
        }
    }

    @Test
    void shouldDeliverInOrderToJdkHttpClient() throws Exception
    {
        final Topic topic = server.topic("jdk");
        final HttpClient httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/events/jdk"))
            .header("Accept", "text/event-stream")
            .build();
        final HttpResponse<Stream<String>> response = httpClient.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("no-cache", response.headers().firstValue("cache-control").orElseThrow());
        assertEquals("no", response.headers().firstValue("x-accel-buffering").orElseThrow());
        Servers.awaitSubscribers(server, 1);

        final int count = 200;
        for (int i = 0; i < count; i++)
        {
            Servers.publish(topic, "event " + i, i % 2 == 0 ? SseOptions.NONE : SseOptions.event("odd"));
        }

        final List<SseEvent> events = new ArrayList<>();
        final Iterator<String> lines = response.body().iterator();
        String id = "";
        String type = "";
        StringBuilder data = new StringBuilder();
        while (events.size() < count && lines.hasNext())
        {
            final String line = lines.next();
            if (line.isEmpty())
            {
                events.add(new SseEvent(id, type.isEmpty() ? "message" : type, data.toString()));
                type = "";
                data = new StringBuilder();
            }
            else if (line.startsWith("id: "))
            {
                id = line.substring(4);
            }
            else if (line.startsWith("event: "))
            {
                type = line.substring(7);
            }
            else if (line.startsWith("data: "))
            {
                data.append(line.substring(6));
            }
        }
        response.body().close();

        assertEquals(count, events.size());
        for (int i = 0; i < count; i++)
        {
            assertEquals(new SseEvent(String.valueOf(i + 1), i % 2 == 0 ? "message" : "odd", "event " + i), events.get(i));
        }
    }

    @Test
    void shouldAnswerHttpPublishWithTheAssignedIdAndStreamIt() throws Exception
    {
        try (RawSseClient subscriber = RawSseClient.get(server.port(), "/events/http"))
        {
            subscriber.readHead();
            Servers.awaitSubscribers(server, 1);

            final String response = RawHttp.exchange(server.port(), RawHttp.request(
                "POST", "/events/http?event=note&retry=500", new String[]{"Connection: close"}, "line one\r\nline two"));
            assertEquals(
                "HTTP/1.1 200 OK\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Cache-Control: no-store\r\n" +
                "Content-Length: 2\r\n" +
                "Connection: close\r\n" +
                "\r\n" +
                "1\n", response);

            final String given = RawHttp.exchange(server.port(), RawHttp.request(
                "POST", "/events/http?id=a%20b", new String[]{"Connection: close"}, "x"));
            assertEquals("a b\n", RawHttp.body(given));

            final String expected =
                "retry: 500\nevent: note\nid: 1\ndata: line one\ndata: line two\n\n" +
                "id: a b\ndata: x\n\n";
            assertEquals(expected, subscriber.readBytes(expected.length()));
        }
    }

    @Test
    void shouldServeKeepAliveAndPipelinedRequestsOnOneConnection() throws Exception
    {
        try (RawSseClient client = RawSseClient.open(server.port(), 0))
        {
            client.send(
                RawHttp.request("POST", "/events/pipe", new String[0], "first") +
                RawHttp.request("POST", "/events/pipe", new String[0], "second") +
                RawHttp.request("GET", "/events/pipe", new String[]{"Last-Event-ID: 1"}, ""));
            final String first = client.readHead() + client.readBytes(2);
            final String second = client.readHead() + client.readBytes(2);
            assertTrue(first.startsWith("HTTP/1.1 200 OK\r\n") && first.endsWith("\r\n\r\n1\n"), first);
            assertTrue(second.endsWith("\r\n\r\n2\n"), second);
            assertEquals(STREAM_HEAD, client.readHead());
            assertEquals(new SseEvent("2", "message", "second"), client.nextEvent());
        }
    }

    @Test
    void shouldReportBackPressureInsteadOfDroppingWhenTheRingIsFull()
    {
        server.close();
        server = SseServer.builder().port(0).maxEventBytes(1024).publishRingBytes(8 * 1024)
            .idleStrategy(() -> new org.agrona.concurrent.SleepingMillisIdleStrategy(200)).start();
        final Topic topic = server.topic("full");
        final String payload = "x".repeat(900);
        PublishResult result = PublishResult.OK;
        int published = 0;
        for (int i = 0; i < 1_000 && result == PublishResult.OK; i++)
        {
            result = topic.publish(payload);
            published += result == PublishResult.OK ? 1 : 0;
        }
        assertEquals(PublishResult.BACK_PRESSURED, result);
        assertTrue(published >= 1 && published < 1_000, "published " + published);
        assertEquals(PublishResult.TOO_LARGE, topic.publish("y".repeat(2000)));
    }

    @Test
    void shouldRejectInvalidTopicNamesAndReturnClosedAfterClose() throws IOException
    {
        assertThrows(IllegalArgumentException.class, () -> server.topic("no/slash"));
        assertThrows(IllegalArgumentException.class, () -> server.topic(""));
        assertThrows(IllegalArgumentException.class, () -> server.topic("x".repeat(129)));
        assertThrows(IllegalArgumentException.class, () -> server.topic("."));
        assertThrows(IllegalArgumentException.class, () -> server.topic(".."));
        assertEquals("topic name must match [A-Za-z0-9._-]{1,128} and not be . or ..: ..",
            assertThrows(IllegalArgumentException.class, () -> server.topic("..")).getMessage());
        server.topic("...");
        final Topic topic = server.topic("A-z_0.9");
        server.close();
        assertEquals(PublishResult.CLOSED, topic.publish("late"));
    }

    @Test
    void shouldRefuseToStartWithOpenPublishingOnANonLoopbackHost()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> SseServer.builder().host("0.0.0.0").port(0).start());
        assertTrue(ex.getMessage().contains("not a loopback address"), ex.getMessage());

        SseServer.builder().host("0.0.0.0").port(0).publishToken("secret").start().close();
        SseServer.builder().host("0.0.0.0").port(0).httpPublish(false).start().close();
    }
}
