package io.sseflow.server;

import io.sseflow.encoder.SseOptions;
import io.sseflow.server.sequencer.EventIds;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 17's id findings over HTTP on the in-memory hub: an 18-digit id is refused (it would push assigned ids past
 * what a {@code Last-Event-ID} finds as a number), an update of several topics is a retry only when every topic retains
 * its id as one event and is refused {@code 409} when only some do, and a private update's id moves no public counter
 * and is taken once when retried.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventIdRulesTest
{
    private static final String OK = "HTTP/1.1 200 OK";
    private static final String CONFLICT = "HTTP/1.1 409 Conflict";

    private SseServer server;

    @AfterEach
    void tearDown()
    {
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldRefuseAnEighteenDigitIdAndKeepAssignedIdsResumable() throws Exception
    {
        server = SseServer.builder().port(0).start();
        final String refused = RawHttp.post(server.port(), "/events/t?id=999999999999999999", "poison");
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(refused), refused);
        assertEquals(EventIds.OUT_OF_RANGE_REASON + "\n", RawHttp.body(refused));
        final String mercure = publish("topic=t&id=100000000000000000&data=poison");
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(mercure), mercure);
        assertEquals(EventIds.OUT_OF_RANGE_REASON + "\n", RawHttp.body(mercure));
        assertEquals(EventIds.OUT_OF_RANGE_REASON + ": 999999999999999999", assertThrows(IllegalArgumentException.class,
            () -> server.topic("t").publish("poison", SseOptions.builder().id("999999999999999999").build())).getMessage());
        assertEquals(2, server.metrics().refused(Refusal.ID_OUT_OF_RANGE));
        assertEquals(0, server.metrics().eventsPublished());

        assertEquals("99999999999999999\n", RawHttp.body(RawHttp.post(server.port(), "/events/t?id=99999999999999999", "a")));
        assertEquals("100000000000000000\n", RawHttp.body(RawHttp.post(server.port(), "/events/t", "b")));
        assertEquals("1000000000000000000\n",
            RawHttp.body(RawHttp.post(server.port(), "/events/t?id=1000000000000000000", "a text id")));
        assertEquals("100000000000000001\n", RawHttp.body(RawHttp.post(server.port(), "/events/t", "c")));
        try (RawSseClient resumed = RawSseClient.get(server.port(), "/events/t", "Last-Event-ID: 100000000000000000"))
        {
            resumed.readHead();
            final String frames = "id: 1000000000000000000\ndata: a text id\n\nid: 100000000000000001\ndata: c\n\n";
            assertEquals(frames, resumed.readBytes(frames.length()));
        }
    }

    @Test
    void shouldRefuseAnUpdateOfSeveralTopicsWhoseIdOnlySomeOfThemRetain() throws Exception
    {
        server = SseServer.builder().port(0).start();
        assertEquals("x", RawHttp.body(publish("topic=t1&id=x&data=on-t1")));
        try (RawSseClient t2 = RawSseClient.get(server.port(), "/.well-known/mercure?topic=t2"))
        {
            t2.readHead();
            Servers.awaitSubscribers(server, 1);
            final String firstT1 = publish("topic=t1&topic=t2&id=x&data=both");
            assertEquals(CONFLICT, RawHttp.status(firstT1), firstT1);
            assertEquals(Refusal.ID_CONFLICT.message() + "\n", RawHttp.body(firstT1));
            final String firstT2 = publish("topic=t2&topic=t1&id=x&data=both");
            assertEquals(CONFLICT, RawHttp.status(firstT2), firstT2);
            assertEquals(2, server.metrics().refused(Refusal.ID_CONFLICT));

            assertEquals("y", RawHttp.body(publish("topic=t1&topic=t2&id=y&data=both")));
            final String retried = publish("topic=t2&topic=t1&id=y&data=both");
            assertEquals(OK, RawHttp.status(retried), retried);
            assertEquals("y", RawHttp.body(retried));
            assertEquals("z", RawHttp.body(publish("topic=t2&id=z&data=sentinel")));
            final String frames = "id: y\ndata: both\n\nid: z\ndata: sentinel\n\n";
            assertEquals(frames, t2.readBytes(frames.length()));
        }
        assertEquals(3, server.metrics().eventsPublished());
        assertStream("/.well-known/mercure?topic=t1&lastEventID=earliest", "id: x\ndata: on-t1\n\nid: y\ndata: both\n\n");
    }

    @Test
    void shouldKeepAPrivateIdOutOfTheTopicsCounterAndTakeARetriedPrivateUpdateOnce() throws Exception
    {
        server = SseServer.builder().port(0).subscribeAuthorizer(SubscribeAuthorizer.of((request) ->
            null != request.header("X-Reader") ?
                Authorization.granting(TopicGrant.of(List.of(), List.of("*"))) : Authorization.ALLOW)).start();
        try (RawSseClient everyone = RawSseClient.get(server.port(), "/events/t"))
        {
            everyone.readHead();
            Servers.awaitSubscribers(server, 1);
            assertEquals("1\n", RawHttp.body(RawHttp.post(server.port(), "/events/t", "a")));
            assertEquals("7000", RawHttp.body(publish("topic=t&id=7000&data=secret&private=on")));
            assertEquals("2\n", RawHttp.body(RawHttp.post(server.port(), "/events/t", "b")));
            final String retried = publish("topic=t&id=7000&data=secret&private=on");
            assertEquals(OK, RawHttp.status(retried), retried);
            assertEquals("7000", RawHttp.body(retried));
            final String clash = publish("topic=t&id=7000&data=public");
            assertEquals(CONFLICT, RawHttp.status(clash), clash);
            assertEquals("3\n", RawHttp.body(RawHttp.post(server.port(), "/events/t", "c")));
            final String frames = "id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: c\n\n";
            assertEquals(frames, everyone.readBytes(frames.length()));
        }
        assertEquals(4, server.metrics().eventsPublished());
        assertStream("/.well-known/mercure?topic=t&lastEventID=earliest",
            "id: 1\ndata: a\n\nid: 7000\ndata: secret\n\nid: 3\ndata: b\n\nid: 4\ndata: c\n\n", "X-Reader: yes");
    }

    private void assertStream(final String path, final String expected, final String... headers) throws Exception
    {
        try (RawSseClient client = RawSseClient.get(server.port(), path, headers))
        {
            client.readHead();
            assertEquals(expected, client.readBytes(expected.getBytes(StandardCharsets.UTF_8).length));
        }
    }

    private String publish(final String form) throws Exception
    {
        return RawHttp.post(server.port(), "/.well-known/mercure", form, "Content-Type: application/x-www-form-urlencoded");
    }
}
