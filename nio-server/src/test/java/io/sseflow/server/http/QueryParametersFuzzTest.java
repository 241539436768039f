package io.sseflow.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of the publish path's query decoding ({@code event}, {@code id}, {@code retry},
 * {@code lastEventId}) against a straightforward reference decoder. Runs the checked-in inputs as a normal test;
 * fuzzes with {@code JAZZER_FUZZ=1}:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl nio-server test -Dtest=QueryParametersFuzzTest
 * </pre>
 * Properties: no exception escapes, nothing is written past the destination's bound, and the result (absent,
 * malformed or the decoded bytes) is exactly the reference's.
 */
class QueryParametersFuzzTest
{
    private static final String[] NAMES = {"event", "id", "retry", "lastEventId"};
    private static final byte GUARD = (byte)0xA5;
    private static final byte[] MALFORMED_MARK = new byte[0];

    @FuzzTest(maxDuration = "30s")
    void fuzzQueryDecoding(final FuzzedDataProvider data)
    {
        final String name = NAMES[data.consumeInt(0, NAMES.length - 1)];
        final int maxValueLength = data.consumeInt(0, 300);
        final int offset = data.consumeInt(0, 7);
        final byte[] query = data.consumeRemainingAsBytes();

        final UnsafeBuffer source = new UnsafeBuffer(new byte[offset + query.length + 1]);
        source.putBytes(offset, query);
        final int destinationIndex = 3;
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[destinationIndex + maxValueLength + 16]);
        destination.setMemory(0, destination.capacity(), GUARD);

        final int result = QueryParameters.decode(
            source, offset, query.length, name, destination, destinationIndex, maxValueLength);

        final byte[] expected = referenceDecode(query, name, maxValueLength);
        if (null == expected)
        {
            assertEquals(QueryParameters.ABSENT, result, "absent");
        }
        else if (expected == MALFORMED_MARK)
        {
            assertEquals(QueryParameters.MALFORMED, result, "malformed");
        }
        else
        {
            assertEquals(expected.length, result, "decoded length");
            final byte[] actual = new byte[result];
            destination.getBytes(destinationIndex, actual);
            assertArrayEquals(expected, actual, "decoded bytes");
        }

        for (int i = 0; i < destinationIndex; i++)
        {
            assertEquals(GUARD, destination.getByte(i), "wrote before the destination index");
        }
        for (int i = destinationIndex + Math.max(0, result); i < destination.capacity(); i++)
        {
            if (result >= 0 || i >= destinationIndex + maxValueLength)
            {
                assertEquals(GUARD, destination.getByte(i), "wrote past the decoded value at " + i);
            }
        }
    }

    /**
     * The first {@code name=value} pair's value, percent- and plus-decoded; null when absent.
     */
    private static byte[] referenceDecode(final byte[] query, final String name, final int maxValueLength)
    {
        final String text = new String(query, StandardCharsets.ISO_8859_1);
        for (final String pair : text.split("&", -1))
        {
            final int equals = pair.indexOf('=');
            final String key = equals < 0 ? pair : pair.substring(0, equals);
            if (!key.equals(name))
            {
                continue;
            }
            if (equals < 0)
            {
                return new byte[0];
            }
            final String value = pair.substring(equals + 1);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < value.length(); i++)
            {
                if (out.size() >= maxValueLength)
                {
                    return MALFORMED_MARK;
                }
                final char c = value.charAt(i);
                if (c == '%')
                {
                    if (i + 2 >= value.length() ||
                        Character.digit(value.charAt(i + 1), 16) < 0 || Character.digit(value.charAt(i + 2), 16) < 0)
                    {
                        return MALFORMED_MARK;
                    }
                    out.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
                    i += 2;
                }
                else
                {
                    out.write(c == '+' ? ' ' : c);
                }
            }
            return out.toByteArray();
        }
        return null;
    }
}
