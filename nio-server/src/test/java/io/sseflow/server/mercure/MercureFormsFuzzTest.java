package io.sseflow.server.mercure;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Coverage-guided fuzzing of the Mercure publish-body decoder and subscribe-query parser with Jazzer. Runs the
 * checked-in inputs (in {@code src/test/resources/io/sseflow/server/mercure/MercureFormsFuzzTestInputs/}) as a
 * normal test; fuzzes with {@code JAZZER_FUZZ=1}:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl nio-server test -Dtest=MercureFormsFuzzTest
 * </pre>
 * Properties: no exception escapes; the publish decoder's outcome and every field of an accepted update are
 * exactly those of a plain reference reading of the form (split, percent-decode, first value wins, the same
 * rules in the same order); a decoder reused across inputs gives what a new one gives; an accepted subscribe
 * query has 1 to 100 selectors and a refused one none.
 */
class MercureFormsFuzzTest
{
    private final MercurePublishDecoder reused = new MercurePublishDecoder();
    private final MercurePublish reusedUpdate = new MercurePublish();

    @FuzzTest(maxDuration = "30s")
    void fuzzPublishBody(final FuzzedDataProvider data)
    {
        final int offset = data.consumeInt(0, 7);
        final byte[] body = data.consumeRemainingAsBytes();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + body.length + 1]);
        buffer.putBytes(offset, body);

        final MercurePublish update = new MercurePublish();
        final MercurePublishOutcome outcome = new MercurePublishDecoder().decode(buffer, offset, body.length, update);
        final Reference expected = Reference.decode(body);
        assertEquals(expected.outcome, outcome, "outcome");
        assertEquals(outcome, reused.decode(body, 0, body.length, reusedUpdate), "outcome of a reused decoder");
        if (outcome == MercurePublishOutcome.OK)
        {
            for (final MercurePublish decoded : new MercurePublish[]{update, reusedUpdate})
            {
                assertEquals(expected.topics.size(), decoded.topicCount());
                for (int i = 0; i < decoded.topicCount(); i++)
                {
                    assertEquals(expected.topics.get(i), decoded.topic(i));
                }
                assertEquals(expected.data, decoded.data());
                assertEquals(expected.privateUpdate, decoded.isPrivate());
                assertEquals(expected.id, decoded.id());
                assertEquals(expected.type, decoded.type());
                assertEquals(expected.retry, decoded.retry());
            }
        }

        final MercureSubscribeQuery query = MercureSubscribeQuery.parse(buffer, offset, body.length, buffer, 0, offset);
        if (query.outcome() == MercureSubscribeOutcome.OK)
        {
            assertNotNull(query.selectors());
        }
        else
        {
            assertNull(query.selectors());
            assertNotNull(query.reason());
        }
    }

    /**
     * The publish form read plainly: pairs split at {@code &} and {@code =}, names and values percent- and
     * plus-decoded, then checked in order.
     */
    private static final class Reference
    {
        private static final byte[] MALFORMED = new byte[0];

        MercurePublishOutcome outcome = MercurePublishOutcome.OK;
        final List<String> topics = new ArrayList<>();
        String data = "";
        boolean privateUpdate;
        String id;
        String type;
        long retry = -1;

        static Reference decode(final byte[] body)
        {
            final Reference reference = new Reference();
            reference.outcome = reference.read(new String(body, StandardCharsets.ISO_8859_1));
            return reference;
        }

        private MercurePublishOutcome read(final String form)
        {
            boolean seenData = false;
            boolean seenId = false;
            boolean seenType = false;
            boolean seenRetry = false;
            for (final String pair : form.split("&", -1))
            {
                if (pair.isEmpty())
                {
                    continue;
                }
                final int equals = pair.indexOf('=');
                final byte[] name = percentDecode(equals < 0 ? pair : pair.substring(0, equals));
                final byte[] value = percentDecode(equals < 0 ? "" : pair.substring(equals + 1));
                if (name == MALFORMED || value == MALFORMED)
                {
                    return MercurePublishOutcome.MALFORMED_ESCAPE;
                }
                final String key = new String(name, StandardCharsets.ISO_8859_1);
                final String text = strictUtf8(value);
                switch (key)
                {
                    case "topic":
                        if (value.length == 0)
                        {
                            return MercurePublishOutcome.EMPTY_TOPIC;
                        }
                        if (value.length > 2048)
                        {
                            return MercurePublishOutcome.TOPIC_TOO_LONG;
                        }
                        for (final byte b : value)
                        {
                            if ((b >= 0 && b < 0x20) || b == 0x7F)
                            {
                                return MercurePublishOutcome.TOPIC_CONTROL_CHARACTER;
                            }
                        }
                        if (null == text)
                        {
                            return MercurePublishOutcome.TOPIC_NOT_UTF8;
                        }
                        if (topics.size() == 100)
                        {
                            return MercurePublishOutcome.TOO_MANY_TOPICS;
                        }
                        topics.add(text);
                        break;

                    case "data":
                        if (!seenData)
                        {
                            if (null == text)
                            {
                                return MercurePublishOutcome.DATA_NOT_UTF8;
                            }
                            data = text;
                        }
                        seenData = true;
                        break;

                    case "private":
                        privateUpdate = true;
                        break;

                    case "id":
                        if (!seenId && value.length > 0)
                        {
                            if (value.length > 1024)
                            {
                                return MercurePublishOutcome.ID_TOO_LONG;
                            }
                            if (!isFieldValue(text))
                            {
                                return MercurePublishOutcome.INVALID_ID;
                            }
                            if (text.startsWith("#"))
                            {
                                return MercurePublishOutcome.ID_STARTS_WITH_HASH;
                            }
                            if (text.matches("[1-9][0-9]{17}"))
                            {
                                return MercurePublishOutcome.ID_OUT_OF_RANGE;
                            }
                            id = text;
                        }
                        seenId = true;
                        break;

                    case "type":
                        if (!seenType && value.length > 0)
                        {
                            if (value.length > 1024)
                            {
                                return MercurePublishOutcome.TYPE_TOO_LONG;
                            }
                            if (!isFieldValue(text))
                            {
                                return MercurePublishOutcome.INVALID_TYPE;
                            }
                            type = text;
                        }
                        seenType = true;
                        break;

                    case "retry":
                        if (!seenRetry && value.length > 0)
                        {
                            if (null == text || !text.matches("[0-9]{1,10}") ||
                                Long.parseLong(text) > Integer.MAX_VALUE)
                            {
                                return MercurePublishOutcome.INVALID_RETRY;
                            }
                            retry = Long.parseLong(text);
                        }
                        seenRetry = true;
                        break;

                    default:
                        break;
                }
            }
            return topics.isEmpty() ? MercurePublishOutcome.MISSING_TOPIC : MercurePublishOutcome.OK;
        }

        private static boolean isFieldValue(final String text)
        {
            return null != text && text.indexOf('\r') < 0 && text.indexOf('\n') < 0 && text.indexOf(0) < 0;
        }

        private static byte[] percentDecode(final String text)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < text.length(); i++)
            {
                final char c = text.charAt(i);
                if (c == '%')
                {
                    if (i + 2 >= text.length() ||
                        Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0)
                    {
                        return MALFORMED;
                    }
                    out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                    i += 2;
                }
                else
                {
                    out.write(c == '+' ? ' ' : c);
                }
            }
            return out.toByteArray();
        }

        private static String strictUtf8(final byte[] bytes)
        {
            try
            {
                final CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
                return chars.toString();
            }
            catch (final CharacterCodingException ex)
            {
                return null;
            }
        }
    }
}
