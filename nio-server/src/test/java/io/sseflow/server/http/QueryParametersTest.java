package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QueryParametersTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "id=42|id|42",
        "a=1&id=x%20y+z&id=2|id|x y z",
        "lastEventId=k%2F%C3%A4|lastEventId|k/ä",
        "ids=1&id=|id|''",
        "id|id|''",
        "x=1|id|<absent>",
        "id=%4|id|<malformed>",
        "id=%zz|id|<malformed>",
    })
    void shouldDecodeTheFirstMatchingParameter(final String query, final String name, final String expected)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(query.getBytes(StandardCharsets.US_ASCII));
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[64]);
        final int length = QueryParameters.decode(buffer, 0, query.length(), name, destination, 0, 64);
        final String actual = length == QueryParameters.ABSENT ? "<absent>" :
            length == QueryParameters.MALFORMED ? "<malformed>" :
            new String(destination.byteArray(), 0, length, StandardCharsets.UTF_8);
        assertEquals(expected, actual);
    }
}
