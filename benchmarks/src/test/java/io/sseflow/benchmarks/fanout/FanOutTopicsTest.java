package io.sseflow.benchmarks.fanout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FanOutTopicsTest
{
    @Test
    void shouldUseTheTopicsPathForOneTopic()
    {
        final FanOutTopics topics = new FanOutTopics("fanout-1000", 1);
        assertEquals("/events/fanout-1000", topics.subscribeTarget());
        assertEquals("/events/fanout-1000", topics.publishTarget(0));
        assertEquals(0, topics.topicOf(7));
    }

    @Test
    void shouldSubscribeToEveryTopicInOneQueryAndPublishToThemInTurn()
    {
        final FanOutTopics topics = new FanOutTopics("fanout-1000", 3);
        assertEquals("/events?topic=fanout-1000-0&topic=fanout-1000-1&topic=fanout-1000-2", topics.subscribeTarget());
        assertEquals("/events/fanout-1000-2", topics.publishTarget(2));
        assertEquals(0, topics.topicOf(0));
        assertEquals(1, topics.topicOf(4));
        assertEquals(2, topics.topicOf(8));
    }

    @Test
    void shouldRefuseACountOutOfRangeOrANameThatNeedsEscaping()
    {
        assertEquals("topics per subscriber must be 1 to 10: 0",
            assertThrows(IllegalArgumentException.class, () -> new FanOutTopics("t", 0)).getMessage());
        assertEquals("topics per subscriber must be 1 to 10: 11",
            assertThrows(IllegalArgumentException.class, () -> new FanOutTopics("t", 11)).getMessage());
        assertEquals("topic name must be letters, digits, '-', '_' or '.': 'a&b'",
            assertThrows(IllegalArgumentException.class, () -> new FanOutTopics("a&b", 3)).getMessage());
    }

    @Test
    void shouldTakeTheTopicsPerSubscriberFromTheCommandLineForSseflowOnly()
    {
        assertEquals(1, FanOutSettings.parse(new String[] {"--quick"}).topicsPerSubscriber);
        assertEquals(3, FanOutSettings.parse(
            new String[] {"--servers", "sseflow", "--topics-per-subscriber", "3"}).topicsPerSubscriber);
        assertEquals("--topics-per-subscriber 3 needs --servers sseflow (the peers stream one topic per subscriber)",
            assertThrows(IllegalArgumentException.class,
                () -> FanOutSettings.parse(new String[] {"--topics-per-subscriber", "3"})).getMessage());
        assertEquals("--topics-per-subscriber must be 1 to 10",
            assertThrows(IllegalArgumentException.class,
                () -> FanOutSettings.parse(new String[] {"--topics-per-subscriber", "12"})).getMessage());
    }
}
