package io.sseflow.server;

import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.support.ForwardingSequencer;
import io.sseflow.server.support.RawHttp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sequencer that cannot carry records of several topics (an SPI implementer's that answers
 * {@code sequencesSeveralTopics()} false; the in-memory and the clustered ones carry them): a Mercure update of
 * several topics is refused {@code 501} with the reason, one of one topic is published, and nothing of the refused
 * update is appended.
 */
class SeveralTopicsRefusedTest
{
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";

    @Test
    void shouldRefuseAnUpdateOfSeveralTopicsWhenTheSequencerCannotCarryIt() throws Exception
    {
        try (SseServer server = SseServer.builder()
            .host("127.0.0.1")
            .port(0)
            .eventSequencer((capacity) -> new OneTopicSequencer(new InMemoryEventSequencer(capacity)))
            .start())
        {
            final String refused = RawHttp.post(server.port(), "/.well-known/mercure", "topic=a&topic=b&id=x&data=1", FORM);
            assertEquals(
                "HTTP/1.1 501 Not Implemented\r\n" +
                "Content-Type: text/plain; charset=utf-8\r\n" +
                "Content-Length: 94\r\n" +
                "Connection: close\r\n" +
                "\r\n" +
                "this hub's sequencer does not carry an update of several topics: publish one topic per update\n",
                refused);
            final String published = RawHttp.post(server.port(), "/.well-known/mercure", "topic=a&id=y&data=2", FORM);
            assertTrue(published.startsWith("HTTP/1.1 200 OK\r\n") && published.endsWith("\r\n\r\ny"), published);
            assertEquals(1, server.metrics().eventsPublished());
        }
    }

    private static final class OneTopicSequencer extends ForwardingSequencer
    {
        OneTopicSequencer(final EventSequencer delegate)
        {
            super(delegate);
        }

        @Override
        public boolean sequencesSeveralTopics()
        {
            return false;
        }
    }
}
