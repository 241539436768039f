package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code application/x-www-form-urlencoded} recognised in a {@code Content-Type} value: any case, parameters and
 * whitespace before them ignored; another type, a longer one, or an absent field is not it.
 */
class FormMediaTypeTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "application/x-www-form-urlencoded", "Application/X-WWW-Form-URLEncoded", "application/x-www-form-urlencoded;",
        "application/x-www-form-urlencoded ; charset=UTF-8", "application/x-www-form-urlencoded\t;charset=utf-8",
    })
    void shouldRecogniseTheFormMediaType(final String value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(value.getBytes(StandardCharsets.US_ASCII));
        assertTrue(FormMediaType.matches(buffer, 0, buffer.capacity()), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "application/json", "application/x-www-form-urlencodedx", "text/plain; application/x-www-form-urlencoded",
        "multipart/form-data", "application/x-www-form-urlencode",
    })
    void shouldRefuseAnyOtherValue(final String value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(value.getBytes(StandardCharsets.US_ASCII));
        assertFalse(FormMediaType.matches(buffer, 0, value.length()), value);
    }

    @Test
    void shouldRefuseAnAbsentField()
    {
        assertFalse(FormMediaType.matches(new UnsafeBuffer(new byte[0]), -1, 0));
    }
}
