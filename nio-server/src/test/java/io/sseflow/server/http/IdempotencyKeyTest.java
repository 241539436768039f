package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdempotencyKeyTest
{
    private final IdempotencyKey keys = new IdempotencyKey();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldAcceptVisibleAsciiKeysBareOrInDoubleQuotes()
    {
        assertKey("k", "k");
        assertKey("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertKey("!#$%&'()*+,-./:;<=>?@[]^_`{|}~", "!#$%&'()*+,-./:;<=>?@[]^_`{|}~");
        assertKey("\"k-1\"", "k-1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "\"\"", "two words", "tab\there", "back\\slash", "quote\"in", "\"open", "\"\"\"", "caf\u00e9",
        "del\u007f" })
    void shouldRefuseEmptyKeysAndAnythingButVisibleAscii(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        assertEquals(IdempotencyKey.INVALID, IdempotencyKey.validate(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void shouldAcceptAtMost128Characters()
    {
        final String longest = "a".repeat(IdempotencyKey.MAX_LENGTH);
        assertEquals(0, IdempotencyKey.validate(ascii(longest), 0, longest.length()));
        assertEquals(1, IdempotencyKey.validate(ascii('"' + longest + '"'), 0, longest.length() + 2));
        assertEquals(IdempotencyKey.INVALID, IdempotencyKey.validate(ascii(longest + "a"), 0, longest.length() + 1));
    }

    @ParameterizedTest
    @CsvSource({
        "k-1, urn:uuid:8320cb51-2442-5a1b-b747-56b7bdea21d5",
        "order-7, urn:uuid:53676887-7f9c-5959-8af5-82cc823cc272",
        "8e03978e-40d5-43e8-bc93-6894a57f9324, urn:uuid:ce03f887-6d48-5763-9fd1-f3f881eb640e" })
    void shouldDeriveTheVersion5UuidOfTheKeyInSseflowsNamespace(final String key, final String id)
    {
        final UnsafeBuffer buffer = ascii("xx" + key);
        assertEquals(IdempotencyKey.ID_LENGTH, keys.putId(buffer, 2, key.length(), out, 3));
        assertEquals(id, out.getStringWithoutLengthAscii(3, IdempotencyKey.ID_LENGTH));
        final UUID uuid = UUID.fromString(id.substring("urn:uuid:".length()));
        assertEquals(5, uuid.version());
        assertEquals(2, uuid.variant());
    }

    @Test
    void shouldDeriveTheSameIdEveryTimeAndAnotherForAnotherKey()
    {
        final String longest = "a".repeat(IdempotencyKey.MAX_LENGTH);
        keys.putId(ascii(longest), 0, longest.length(), out, 0);
        assertEquals("urn:uuid:00a3edbf-890d-5293-8b40-16b3c4083e00", out.getStringWithoutLengthAscii(0, 45));
        keys.putId(ascii("k-1"), 0, 3, out, 0);
        assertEquals("urn:uuid:8320cb51-2442-5a1b-b747-56b7bdea21d5", out.getStringWithoutLengthAscii(0, 45));
        new IdempotencyKey().putId(ascii("k-1"), 0, 3, out, 0);
        assertEquals("urn:uuid:8320cb51-2442-5a1b-b747-56b7bdea21d5", out.getStringWithoutLengthAscii(0, 45));
    }

    private static void assertKey(final String value, final String key)
    {
        final UnsafeBuffer buffer = ascii(" " + value + " ");
        final int keyOffset = IdempotencyKey.validate(buffer, 1, value.length());
        assertEquals(key, buffer.getStringWithoutLengthAscii(keyOffset,
            IdempotencyKey.keyLength(keyOffset, 1, value.length())));
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
