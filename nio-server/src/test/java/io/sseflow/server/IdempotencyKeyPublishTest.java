package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 6: a publish without an id of its own but with an {@code Idempotency-Key} gets the id the key stands
 * for ({@code urn:uuid:} and the key's version 5 UUID), on both publish endpoints, so a client's retry is answered
 * {@code 200} with that id and never appended twice; a bad key is refused {@code 400} and counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdempotencyKeyPublishTest
{
    private static final String OK = "HTTP/1.1 200 OK";
    private static final String K1_ID = "urn:uuid:8320cb51-2442-5a1b-b747-56b7bdea21d5";
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";

    private SseServer server;

    @BeforeEach
    void start()
    {
        server = SseServer.builder().port(0).start();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
    }

    @Test
    void shouldGiveAKeyedEventsPublishTheKeysIdAndAppendItsRetryOnce() throws Exception
    {
        try (RawSseClient live = RawSseClient.get(server.port(), "/events/orders"))
        {
            live.readHead();
            Servers.awaitSubscribers(server, 1);
            assertEquals(K1_ID + "\n", body(RawHttp.post(server.port(), "/events/orders", "first", "Idempotency-Key: k-1")));
            assertEquals(K1_ID + "\n",
                body(RawHttp.post(server.port(), "/events/orders", "retry", "Idempotency-Key: \"k-1\"")));
            assertEquals("given\n",
                body(RawHttp.post(server.port(), "/events/orders?id=given", "own id", "Idempotency-Key: k-2")));
            assertEquals("1\n", body(RawHttp.post(server.port(), "/events/orders", "assigned")));
            final String frames = "id: " + K1_ID + "\ndata: first\n\n" +
                "id: given\ndata: own id\n\n" +
                "id: 1\ndata: assigned\n\n";
            assertEquals(frames, live.readBytes(frames.length()));
        }
        assertEquals(3, server.metrics().eventsPublished());
    }

    @Test
    void shouldGiveAKeyedMercureUpdateTheKeysIdAndAppendItsRetryOnce() throws Exception
    {
        assertEquals(K1_ID, body(RawHttp.post(server.port(), "/.well-known/mercure", "topic=books&data=first", FORM,
            "Idempotency-Key: k-1")));
        assertEquals(K1_ID, body(RawHttp.post(server.port(), "/.well-known/mercure", "topic=books&data=retry", FORM,
            "Idempotency-Key: k-1")));
        final String unkeyed = body(RawHttp.post(server.port(), "/.well-known/mercure", "topic=books&data=x", FORM));
        assertTrue(unkeyed.startsWith("urn:uuid:") && !unkeyed.equals(K1_ID), unkeyed);
        assertEquals("u-1", body(RawHttp.post(server.port(), "/.well-known/mercure", "topic=books&data=y&id=u-1", FORM,
            "Idempotency-Key: k-1")));
        try (RawSseClient replay = RawSseClient.get(server.port(), "/events/books", "Last-Event-ID: no-such-id"))
        {
            replay.readHead();
            final String frames = "id: " + K1_ID + "\ndata: first\n\n" +
                "id: " + unkeyed + "\ndata: x\n\n" +
                "id: u-1\ndata: y\n\n";
            assertEquals(frames, replay.readBytes(frames.length()));
        }
        assertEquals(3, server.metrics().eventsPublished());
    }

    @Test
    void shouldRefuseABadKeyOrTwoKeysWith400OnBothEndpointsAndCountThem() throws Exception
    {
        final String reason = "Idempotency-Key must be 1 to 128 visible ASCII characters (no \" or \\), optionally in " +
            "double quotes, and given once";
        final String[] refused = {
            RawHttp.post(server.port(), "/events/orders", "x", "Idempotency-Key: two words"),
            RawHttp.post(server.port(), "/events/orders", "x", "Idempotency-Key: " + "k".repeat(129)),
            RawHttp.post(server.port(), "/events/orders?id=given", "x", "Idempotency-Key: \"\""),
            RawHttp.post(server.port(), "/events/orders", "x", "Idempotency-Key: a", "Idempotency-Key: b"),
            RawHttp.post(server.port(), "/.well-known/mercure", "topic=books&data=x", FORM, "Idempotency-Key: caf\u00e9"),
            RawHttp.post(server.port(), "/.well-known/mercure", "topic=books&data=x&id=u", FORM,
                "Idempotency-Key: a\\b"),
        };
        for (final String answer : refused)
        {
            assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(answer), answer);
            assertEquals(reason, RawHttp.body(answer).trim(), answer);
        }
        assertEquals(0, server.metrics().eventsPublished());
        assertTrue(RawHttp.metrics(server.port())
            .contains("sseflow_requests_refused_total{reason=\"bad_idempotency_key\"} 6\n"));
    }

    private static String body(final String answer)
    {
        assertEquals(OK, RawHttp.status(answer), answer);
        return RawHttp.body(answer);
    }
}
