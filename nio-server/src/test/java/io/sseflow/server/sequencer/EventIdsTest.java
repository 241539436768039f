package io.sseflow.server.sequencer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ids a publisher may give: text ids and numbers up to 17 digits; 18-digit numbers are kept for server-assigned
 * ids; and how far an explicit id raises a topic's counter.
 */
class EventIdsTest
{
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "0, true",
        "7000, true",
        "99999999999999999, true",
        "100000000000000000, false",
        "999999999999999999, false",
        "1000000000000000000, true",
        "9223372036854775808, true",
        "010000000000000000, true",
        "12345678901234567x, true",
        "order-1, true"
    })
    void shouldAllowTextIdsAndNumbersUpToSeventeenDigits(final String id, final boolean allowed)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(("  " + id).getBytes(StandardCharsets.UTF_8));
        assertEquals(allowed, EventIds.isAllowedFromPublisher(buffer, 2, id.length()), "bytes");
        assertEquals(allowed, EventIds.isAllowedFromPublisher(id), "string");
    }

    @ParameterizedTest(name = "{0} after {1}: {2}")
    @CsvSource({
        "5, 3, 5",
        "5, 9, 9",
        "5, 99999999999999999, 99999999999999999",
        "5, 999999999999999999, 99999999999999999",
        "100000000000000005, 999999999999999999, 100000000000000005"
    })
    void shouldRaiseACounterToAnExplicitIdNeverPastTheLargestAPublisherMayGive(
        final long last, final long id, final long raised)
    {
        assertEquals(raised, EventIds.raised(last, id));
    }
}
