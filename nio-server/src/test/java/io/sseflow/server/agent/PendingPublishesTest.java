package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.http.Persistence;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PendingPublishes} on its own: answers rendered in request order whatever order they are decided in, exact
 * bytes, refusals keeping their place and ending the connection, the bound, and decisions that match no publish
 * in flight.
 */
class PendingPublishesTest
{
    private static final long CONNECTION = 7;
    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Cache-Control: no-store\r\n";

    private final HttpResponses responses = new HttpResponses(null);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
    private final PendingPublishes queue = new PendingPublishes().reset(0);

    @Test
    void shouldRenderOnlyFromTheOldestDecidedAnswerOnInRequestOrder()
    {
        final long first = offer(Persistence.KEEP_ALIVE);
        final long second = offer(Persistence.KEEP_ALIVE);
        final long third = offer(Persistence.KEEP_ALIVE);
        assertTrue(queue.published(third, id("3"), 0, 1, true));
        assertTrue(queue.published(second, id("2"), 0, 1, true));
        assertFalse(queue.isHeadDecided(), "the first is still awaited");
        assertEquals("", render(), "nothing is written before the first is decided");

        assertTrue(queue.published(first, id("1"), 0, 1, true));
        assertTrue(queue.isHeadDecided());
        assertEquals(OK_HEAD + "Content-Length: 2\r\n\r\n1\n" + OK_HEAD + "Content-Length: 2\r\n\r\n2\n" +
            OK_HEAD + "Content-Length: 2\r\n\r\n3\n", render());
        assertTrue(queue.isEmpty());
        assertTrue(queue.keepsAlive());
    }

    @Test
    void shouldKeepARefusalInItsPlaceAndRenderNothingAfterIt()
    {
        final long first = offer(Persistence.KEEP_ALIVE);
        queue.refuse(Refusal.BAD_REQUEST, "bad id", null, true);
        assertTrue(queue.isEnding(), "nothing is taken after a refusal");
        assertTrue(queue.published(first, id("order-1"), 0, 7, false));

        assertEquals(OK_HEAD + "Content-Length: 7\r\n\r\norder-1" +
            "HTTP/1.1 400 Bad Request\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 7\r\n" +
            "Connection: close\r\n" +
            "\r\n" +
            "bad id\n", render(), "a Mercure answer (no line feed), then the refusal");
        assertFalse(queue.keepsAlive());
    }

    @Test
    void shouldAnswerARefusalOfTheSequencerWithItsHeaderLineAndStopThere()
    {
        final long first = offer(Persistence.KEEP_ALIVE);
        final long second = offer(Persistence.KEEP_ALIVE);
        assertTrue(queue.published(second, id("2"), 0, 1, true));
        assertTrue(queue.refused(first, Refusal.NO_LEADER));
        assertTrue(queue.isEnding());
        assertEquals("HTTP/1.1 503 Service Unavailable\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 33\r\n" +
            "Connection: close\r\n" +
            "Retry-After: 1\r\n" +
            "\r\n" +
            "no cluster leader; retry shortly\n", render(), "the second is never written after the refusal");
        assertFalse(queue.keepsAlive());
    }

    @Test
    void shouldEndAfterARequestThatClosesTheConnectionOrOnceTheClientClosedItsSide()
    {
        final long first = offer(Persistence.KEEP_ALIVE_ANNOUNCED);
        final long second = offer(Persistence.CLOSE);
        assertTrue(queue.isEnding());
        queue.published(first, id("1"), 0, 1, true);
        queue.published(second, id("2"), 0, 1, true);
        assertEquals(OK_HEAD + "Content-Length: 2\r\nConnection: keep-alive\r\n\r\n1\n" +
            OK_HEAD + "Content-Length: 2\r\nConnection: close\r\n\r\n2\n", render());
        assertFalse(queue.keepsAlive());

        final PendingPublishes ended = new PendingPublishes().reset(0);
        final long only = PendingPublishes.correlationId(CONNECTION, ended.nextNumber());
        ended.offered(Persistence.KEEP_ALIVE);
        ended.endInput();
        assertTrue(ended.isEnding());
        ended.published(only, id("9"), 0, 1, true);
        assertEquals(OK_HEAD + "Content-Length: 2\r\n\r\n9\n", render(ended));
        assertFalse(ended.keepsAlive(), "the client closed its side: nothing more to read");
    }

    @Test
    void shouldHoldSixtyFourInFlightAndRefuseAProgrammingErrorBeyond()
    {
        final long[] ids = new long[PendingPublishes.CAPACITY];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = offer(Persistence.KEEP_ALIVE);
        }
        assertTrue(queue.isFull());
        final IllegalStateException error =
            assertThrows(IllegalStateException.class, () -> queue.offered(Persistence.KEEP_ALIVE));
        assertEquals("more than 64 publishes in flight on one connection", error.getMessage());

        assertTrue(queue.published(ids[0], id("1"), 0, 1, true));
        assertEquals(OK_HEAD + "Content-Length: 2\r\n\r\n1\n", render());
        assertFalse(queue.isFull());
        assertEquals(63, queue.size());
        final long next = offer(Persistence.KEEP_ALIVE);
        assertEquals(PendingPublishes.correlationId(CONNECTION, 64), next, "numbers go on; the slot is reused");
        assertTrue(queue.published(next, id("65"), 0, 2, true));
        assertFalse(queue.published(next, id("65"), 0, 2, true), "decided once");
    }

    @Test
    void shouldIgnoreDecisionsForNoPublishInFlight()
    {
        final long first = offer(Persistence.KEEP_ALIVE);
        assertFalse(queue.published(first + 1, id("x"), 0, 1, true), "a number not offered yet");
        assertFalse(queue.refused(first - 1 + (1L << PendingPublishes.NUMBER_BITS), Refusal.NO_LEADER),
            "a number from long ago");
        assertTrue(queue.published(first, id("1"), 0, 1, true));
        render();
        assertFalse(queue.published(first, id("1"), 0, 1, true), "already answered");
    }

    @Test
    void shouldKeepAnIdLongerThanTheInlineRoomInTheSlotsOwnBuffer()
    {
        final String longId = "i".repeat(1024);
        final long first = offer(Persistence.KEEP_ALIVE);
        final long second = offer(Persistence.KEEP_ALIVE);
        assertTrue(queue.published(second, id("2"), 0, 1, true));
        assertTrue(queue.published(first, id(longId), 0, longId.length(), true));
        assertEquals(
            OK_HEAD + "Content-Length: 1025\r\n\r\n" + longId + "\n" + OK_HEAD + "Content-Length: 2\r\n\r\n2\n",
            render());
    }

    @Test
    void shouldNameTheConnectionAndTheNumberInACorrelationId()
    {
        final long correlationId = PendingPublishes.correlationId(CONNECTION, 3);
        assertEquals((CONNECTION << 20) | 3, correlationId);
        assertEquals(CONNECTION, PendingPublishes.connectionId(correlationId));
        assertEquals(PendingPublishes.correlationId(CONNECTION, 0),
            PendingPublishes.correlationId(CONNECTION, 1L << PendingPublishes.NUMBER_BITS), "numbers wrap at 2^20");
    }

    private long offer(final Persistence persistence)
    {
        final long correlationId = PendingPublishes.correlationId(CONNECTION, queue.nextNumber());
        queue.offered(persistence);
        return correlationId;
    }

    private String render()
    {
        return render(queue);
    }

    private String render(final PendingPublishes publishes)
    {
        final int length = publishes.render(responses, out, 0, out.capacity() - 8192);
        return out.getStringWithoutLengthAscii(0, length);
    }

    private static UnsafeBuffer id(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
