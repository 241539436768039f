package io.sseflow.server.sequencer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The duplicate rule of an update with an explicit id, told topic by topic: new when no topic retains the id, a retry
 * when every topic retains it as one event, a conflict otherwise.
 */
class RetainedIdCheckTest
{
    private final RetainedIdCheck check = new RetainedIdCheck();

    @Test
    void shouldBeNewWhenNoTopicRetainsTheId()
    {
        check.reset().onTopic(0, false);
        check.onTopic(0, false);
        assertEquals(RetainedIdOutcome.NEW, check.outcome());
        assertEquals(0, check.retainedSeq());
    }

    @Test
    void shouldBeARetryWhenEveryTopicRetainsTheIdAsOneEvent()
    {
        check.reset().onTopic(7, false);
        check.onTopic(7, false);
        check.onTopic(7, false);
        assertEquals(RetainedIdOutcome.RETRY, check.outcome());
        assertEquals(7, check.retainedSeq());
    }

    @Test
    void shouldBeAConflictWhenSomeTopicsRetainTheIdAndOthersDoNot()
    {
        check.reset().onTopic(7, false);
        check.onTopic(0, false);
        assertEquals(RetainedIdOutcome.CONFLICT, check.outcome());
        check.reset().onTopic(0, false);
        check.onTopic(7, false);
        assertEquals(RetainedIdOutcome.CONFLICT, check.outcome());
    }

    @Test
    void shouldBeAConflictWhenTopicsRetainTheIdAsDifferentEvents()
    {
        check.reset().onTopic(7, false);
        check.onTopic(9, false);
        assertEquals(RetainedIdOutcome.CONFLICT, check.outcome());
    }

    @Test
    void shouldBeAConflictWhenOnlyAnEventOfTheOtherKindHoldsTheId()
    {
        check.reset().onTopic(0, true);
        assertEquals(RetainedIdOutcome.CONFLICT, check.outcome());
        check.reset().onTopic(0, false);
        check.onTopic(0, true);
        assertEquals(RetainedIdOutcome.CONFLICT, check.outcome());
    }

    @Test
    void shouldForgetTheRecordBeforeOnReset()
    {
        check.reset().onTopic(7, false);
        check.onTopic(9, true);
        check.reset().onTopic(3, false);
        assertEquals(RetainedIdOutcome.RETRY, check.outcome());
        assertEquals(3, check.retainedSeq());
    }
}
