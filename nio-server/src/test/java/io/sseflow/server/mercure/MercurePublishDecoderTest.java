package io.sseflow.server.mercure;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MercurePublishDecoderTest
{
    private final MercurePublishDecoder decoder = new MercurePublishDecoder();
    private final MercurePublish update = new MercurePublish();

    @Test
    void shouldDecodeEveryFieldOfAnUpdate()
    {
        assertEquals(MercurePublishOutcome.OK, decode(
            "topic=https%3A%2F%2Fexample.com%2Fbooks%2F1&topic=https://example.com/users/dunglas/?topic=x" +
            "&data=%7B%22title%22%3A+%22Mercure%22%7D&private=on&id=urn%3Auuid%3A1&type=book+update&retry=3000"));
        assertEquals(2, update.topicCount());
        assertEquals("https://example.com/books/1", update.topic(0));
        assertEquals("https://example.com/users/dunglas/?topic=x", update.topic(1));
        assertEquals("{\"title\": \"Mercure\"}", update.data());
        assertEquals(20, update.dataLength());
        assertTrue(update.isPrivate());
        assertEquals("urn:uuid:1", update.id());
        assertEquals("book update", update.type());
        assertEquals(3000, update.retry());
    }

    @Test
    void shouldLeaveOptionalFieldsAbsentAndResetBetweenBodies()
    {
        decode("topic=a&data=x&private&id=i&type=t&retry=5");
        assertEquals(MercurePublishOutcome.OK, decode("topic=b"));
        assertEquals(1, update.topicCount());
        assertEquals("b", update.topic(0));
        assertEquals("", update.data());
        assertEquals(0, update.dataLength());
        assertFalse(update.isPrivate());
        assertNull(update.id());
        assertNull(update.type());
        assertEquals(-1, update.retry());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "topic=a&private=on | true",
        "topic=a&private=   | true",
        "topic=a&private    | true",
        "topic=a&private=0  | true",
        "topic=a&privat=on  | false",
        "topic=a&Private=on | false",
        "topic=a&priv%61te  | true",
    })
    void shouldMakeAnUpdatePrivateWhenThePrivateFieldIsPresentWhateverItsValue(final String body, final boolean expected)
    {
        assertEquals(MercurePublishOutcome.OK, decode(body.trim()));
        assertEquals(expected, update.isPrivate());
    }

    @Test
    void shouldKeepLineBreaksAndPlusSignsOfData()
    {
        assertEquals(MercurePublishOutcome.OK, decode("topic=a&data=line+1%0Aline%202%0D%0A%2B3%0A"));
        assertEquals("line 1\nline 2\r\n+3\n", update.data());
        assertEquals(MercurePublishOutcome.OK, decode("topic=a&data=&data=second"));
        assertEquals("", update.data());
        assertEquals(MercurePublishOutcome.OK, decode("topic=a&data=%C3%A9t%C3%A9"));
        assertEquals("été", update.data());
    }

    @Test
    void shouldTakeTheFirstIdTypeAndRetryAsMercureDoes()
    {
        assertEquals(MercurePublishOutcome.OK, decode("id=1&topic=a&id=2&type=x&type=y&retry=1&retry=2"));
        assertEquals("1", update.id());
        assertEquals("x", update.type());
        assertEquals(1, update.retry());
        assertEquals(MercurePublishOutcome.OK, decode("id=&topic=a&id=2&retry=&retry=x"));
        assertNull(update.id(), "an empty first id means: generate one");
        assertEquals(-1, update.retry());
    }

    @Test
    void shouldIgnoreUnknownAndEmptyFields()
    {
        assertEquals(MercurePublishOutcome.OK, decode("&&foo=bar&=x&topic=a&&topics=b&"));
        assertEquals(1, update.topicCount());
        assertEquals("a", update.topic(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | MISSING_TOPIC           | missing \"topic\" parameter",
        "data=x&id=1                 | MISSING_TOPIC           | missing \"topic\" parameter",
        "topics=a                    | MISSING_TOPIC           | missing \"topic\" parameter",
        "topic=                      | EMPTY_TOPIC             | empty \"topic\"",
        "topic                       | EMPTY_TOPIC             | empty \"topic\"",
        "topic=a%0Ab                 | TOPIC_CONTROL_CHARACTER | \"topic\" contains a control character",
        "topic=a%00                  | TOPIC_CONTROL_CHARACTER | \"topic\" contains a control character",
        "topic=%C3%28                | TOPIC_NOT_UTF8          | \"topic\" is not valid UTF-8",
        "topic=%ED%A0%80             | TOPIC_NOT_UTF8          | \"topic\" is not valid UTF-8",
        "topic=a&data=%FF            | DATA_NOT_UTF8           | \"data\" is not valid UTF-8",
        "topic=a%zz                  | MALFORMED_ESCAPE        | malformed percent-escape in the form body",
        "topic=a&data=100%           | MALFORMED_ESCAPE        | malformed percent-escape in the form body",
        "topic=a&data=%4             | MALFORMED_ESCAPE        | malformed percent-escape in the form body",
        "topic=a&x%zz=1              | MALFORMED_ESCAPE        | malformed percent-escape in the form body",
        "topic=a&unknown=%g0         | MALFORMED_ESCAPE        | malformed percent-escape in the form body",
        "topic=a&id=a%0Db            | INVALID_ID              | \"id\" must be UTF-8 without CR, LF or NUL",
        "topic=a&id=a%0Ab            | INVALID_ID              | \"id\" must be UTF-8 without CR, LF or NUL",
        "topic=a&id=a%00b            | INVALID_ID              | \"id\" must be UTF-8 without CR, LF or NUL",
        "topic=a&id=%FF              | INVALID_ID              | \"id\" must be UTF-8 without CR, LF or NUL",
        "topic=a&id=%23fragment      | ID_STARTS_WITH_HASH     | \"id\" must not start with '#'",
        "topic=a&type=a%0Ab          | INVALID_TYPE            | \"type\" must be UTF-8 without CR, LF or NUL",
        "topic=a&type=%0D            | INVALID_TYPE            | \"type\" must be UTF-8 without CR, LF or NUL",
        "topic=a&retry=abc           | INVALID_RETRY           | invalid \"retry\" parameter: milliseconds as 1 to 10 digits, at most 2147483647",
        "topic=a&retry=-1            | INVALID_RETRY           | invalid \"retry\" parameter: milliseconds as 1 to 10 digits, at most 2147483647",
        "topic=a&retry=+5            | INVALID_RETRY           | invalid \"retry\" parameter: milliseconds as 1 to 10 digits, at most 2147483647",
        "topic=a&retry=1.5           | INVALID_RETRY           | invalid \"retry\" parameter: milliseconds as 1 to 10 digits, at most 2147483647",
        "topic=a&retry=2147483648    | INVALID_RETRY           | invalid \"retry\" parameter: milliseconds as 1 to 10 digits, at most 2147483647",
        "topic=a&retry=%20%31        | INVALID_RETRY           | invalid \"retry\" parameter: milliseconds as 1 to 10 digits, at most 2147483647",
    })
    void shouldRefuseInvalidBodiesWithAReason(final String body, final MercurePublishOutcome expected, final String reason)
    {
        assertEquals(expected, decode(body));
        assertEquals(reason, expected.reason());
    }

    @Test
    void shouldAcceptIdsThatOnlyContainAHashLaterAndTheLargestRetry()
    {
        assertEquals(MercurePublishOutcome.OK, decode("topic=a&id=a%23b&retry=2147483647"));
        assertEquals("a#b", update.id());
        assertEquals(2147483647L, update.retry());
        assertEquals(MercurePublishOutcome.OK, decode("topic=a&retry=0"));
        assertEquals(0, update.retry());
    }

    @Test
    void shouldBoundTopicsIdAndTypeLengths()
    {
        assertEquals(MercurePublishOutcome.OK, decode("topic=" + "a".repeat(2048)));
        assertEquals(MercurePublishOutcome.TOPIC_TOO_LONG, decode("topic=" + "a".repeat(2049)));
        assertEquals(MercurePublishOutcome.TOPIC_TOO_LONG, decode("topic=" + "%C3%A9".repeat(1025)));
        assertEquals("\"topic\" longer than 2048 bytes", MercurePublishOutcome.TOPIC_TOO_LONG.reason());
        assertEquals(MercurePublishOutcome.OK, decode("topic=a&id=" + "i".repeat(1024) + "&type=" + "t".repeat(1024)));
        assertEquals(MercurePublishOutcome.ID_TOO_LONG, decode("topic=a&id=" + "i".repeat(1025)));
        assertEquals(MercurePublishOutcome.TYPE_TOO_LONG, decode("topic=a&type=" + "t".repeat(1025)));
    }

    @Test
    void shouldBoundTheNumberOfTopics()
    {
        assertEquals(MercurePublishOutcome.OK, decode("topic=t&".repeat(100)));
        assertEquals(100, update.topicCount());
        assertEquals(MercurePublishOutcome.TOO_MANY_TOPICS, decode("topic=t&".repeat(101)));
        assertEquals("more than 100 \"topic\" parameters", MercurePublishOutcome.TOO_MANY_TOPICS.reason());
    }

    @Test
    void shouldDecodeFromAnOffsetOfADirectBufferAndOfAnArray()
    {
        final byte[] body = "xxxtopic=a&data=d%0Ax&id=7yyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(MercurePublishOutcome.OK, decoder.decode(body, 3, body.length - 6, update));
        assertEquals("a", update.topic(0));
        assertEquals("d\nx", update.data());
        assertEquals("7", update.id());

        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        direct.putBytes(5, body, 3, body.length - 6);
        assertEquals(MercurePublishOutcome.OK, decoder.decode(direct, 5, body.length - 6, update));
        assertEquals("a", update.topic(0));
        assertEquals("d\nx", update.data());
        assertEquals(MercurePublishOutcome.MISSING_TOPIC, decoder.decode(body, body.length, 0, update));
    }

    @Test
    void shouldGrowForBodiesLargerThanBefore()
    {
        final String data = "0123456789".repeat(10_000);
        assertEquals(MercurePublishOutcome.OK, decode("topic=a&data=" + data));
        assertEquals(data, update.data());
        assertEquals(MercurePublishOutcome.OK, decode("data=small&topic=b"));
        assertEquals("small", update.data());
    }

    @Test
    void shouldGenerateUrnUuidIds()
    {
        final String id = MercurePublish.generateId();
        assertTrue(Pattern.matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", id), id);
        assertFalse(id.equals(MercurePublish.generateId()));
    }

    @Test
    void shouldAllocateOnlyTheTopicStringsWhateverTheSizeOfTheData()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final byte[] small = ("topic=https%3A%2F%2Fexample.com%2Fbooks%2F1&private=on&data=" + "d".repeat(100))
            .getBytes(StandardCharsets.US_ASCII);
        final byte[] large = ("topic=https%3A%2F%2Fexample.com%2Fbooks%2F1&private=on&data=" + "d".repeat(60_000))
            .getBytes(StandardCharsets.US_ASCII);
        final long smallBytes = bytesPerDecode(threads, small);
        final long largeBytes = bytesPerDecode(threads, large);
        assertTrue(smallBytes <= 256, smallBytes + " bytes per decode of a 100-byte data");
        assertTrue(largeBytes <= 256, largeBytes + " bytes per decode of a 60,000-byte data");
    }

    private long bytesPerDecode(final com.sun.management.ThreadMXBean threads, final byte[] body)
    {
        final int decodes = 2_000;
        long minimum = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < decodes; i++)
            {
                assertEquals(MercurePublishOutcome.OK, decoder.decode(body, 0, body.length, update));
            }
            minimum = Math.min(minimum, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return minimum / decodes;
    }

    private MercurePublishOutcome decode(final String body)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(bytes, 0, bytes.length, update);
    }
}
