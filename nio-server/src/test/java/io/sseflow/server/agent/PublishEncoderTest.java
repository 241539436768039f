package io.sseflow.server.agent;

import io.sseflow.server.PublishResult;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishEncoderTest
{
    private final InMemoryEventSequencer sequencer = new InMemoryEventSequencer(1 << 12);
    private final PublishEncoder encoder = new PublishEncoder();
    private final PublishRecord reader = new PublishRecord();
    private final List<String> records = new ArrayList<>();

    @Test
    void shouldEncodeTextWithEveryFieldInPlaceInTheClaimedRecord()
    {
        final SseOptions options = SseOptions.builder().retry(300).event("tick").id("42").build();
        final int length = encoder.prepare("a\nb", options);
        assertEquals(PublishResult.OK, encoder.claimAndWrite(sequencer, 7));

        assertEquals(1, sequencer.poll(this::onEvent, 10));
        assertEquals(List.of("length=" + length + " topic=7 flags=3 numericId=42 correlation=0 id=42 " +
            "prefix=retry: 300\nevent: tick\n data=data: a\ndata: b\n"), records);
    }

    @Test
    void shouldEncodeJsonWithATextIdAndNoOtherField()
    {
        encoder.prepare(Map.of("name", "John"), SseOptions.builder().id("user-7").build());
        assertEquals(PublishResult.OK, encoder.claimAndWrite(sequencer, 0));
        encoder.prepare("plain", SseOptions.NONE);
        assertEquals(PublishResult.OK, encoder.claimAndWrite(sequencer, 1));

        assertEquals(2, sequencer.poll(this::onEvent, 10));
        assertEquals(List.of(
            "length=64 topic=0 flags=1 numericId=0 correlation=0 id=user-7 prefix= data=data: {\"name\":\"John\"}\n",
            "length=48 topic=1 flags=0 numericId=0 correlation=0 id= prefix= data=data: plain\n"), records);
    }

    @Test
    void shouldWriteTheSameLinesForShortTextStagedAndLongTextEncodedInPlace()
    {
        final InMemoryEventSequencer big = new InMemoryEventSequencer(1 << 17);
        final String[] texts = {
            "\n".repeat(PublishEncoder.STAGED_TEXT_CHARS),
            "\u20ac".repeat(PublishEncoder.STAGED_TEXT_CHARS),
            "\ud83d\ude00 a\r\nb\rc\n".repeat(PublishEncoder.STAGED_TEXT_CHARS / 10),
            "\n".repeat(PublishEncoder.STAGED_TEXT_CHARS + 1),
            "x\r\n".repeat(PublishEncoder.STAGED_TEXT_CHARS)
        };
        for (int topic = 0; topic < texts.length; topic++)
        {
            final String text = texts[topic];
            final int length = encoder.prepare(text, SseOptions.NONE);
            assertEquals(PublishResult.OK, encoder.claimAndWrite(big, topic));
            assertEquals(1, big.poll(this::onEvent, 10));
            final StringBuilder expected = new StringBuilder();
            for (final String line : text.split("\r\n|\r|\n", -1))
            {
                expected.append("data: ").append(line).append('\n');
            }
            final String record = records.remove(0);
            assertEquals(expected.toString(), record.substring(record.indexOf(" data=") + 6));
            assertEquals(PublishRecord.HEADER_LENGTH + expected.toString().getBytes(StandardCharsets.UTF_8).length,
                length);
        }
    }

    @Test
    void shouldAbortTheClaimWhenLongTextChangesBetweenMeasuringAndWriting()
    {
        final InMemoryEventSequencer big = new InMemoryEventSequencer(1 << 16);
        final StringBuilder text = new StringBuilder("x".repeat(PublishEncoder.STAGED_TEXT_CHARS + 1));
        encoder.prepare(text, SseOptions.NONE);
        text.append(" and now longer than measured");
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.claimAndWrite(big, 0));

        encoder.prepare(text, SseOptions.NONE);
        text.setLength(PublishEncoder.STAGED_TEXT_CHARS + 1);
        final IllegalStateException shrunk =
            assertThrows(IllegalStateException.class, () -> encoder.claimAndWrite(big, 0));
        assertTrue(shrunk.getMessage().startsWith("event data changed while it was published"), shrunk.getMessage());

        final StringBuilder shortText = new StringBuilder("short");
        encoder.prepare(shortText, SseOptions.NONE);
        shortText.append(" text is staged when prepared, so a later change is not published");
        encoder.claimAndWrite(big, 0);
        encoder.prepare("after", SseOptions.NONE);
        assertEquals(PublishResult.OK, encoder.claimAndWrite(big, 0));
        assertEquals(2, big.poll(this::onEvent, 10), "the aborted claims hold nothing up and deliver nothing");
        assertEquals("data=data: short\n", records.get(0).substring(records.get(0).indexOf("data=")));
        records.remove(0);
        assertEquals("data=data: after\n", records.get(0).substring(records.get(0).indexOf("data=")));
    }

    @Test
    void shouldPassTheSequencersAnswerThroughUnchanged()
    {
        encoder.prepare("x".repeat(600), SseOptions.NONE);
        assertEquals(PublishResult.TOO_LARGE, encoder.claimAndWrite(sequencer, 0), "above the ring's 512 bytes");
        sequencer.close();
        encoder.prepare("x", SseOptions.NONE);
        assertEquals(PublishResult.CLOSED, encoder.claimAndWrite(sequencer, 0));
        assertEquals(0, sequencer.poll(this::onEvent, 10));
    }

    private void onEvent(
        final DirectBuffer buffer, final int offset, final int length, final long seq, final long numericId)
    {
        final PublishRecord record = reader.wrap(buffer, offset);
        assertEquals(record.recordLength(), length);
        records.add("length=" + length + " topic=" + record.topicIndex() + " flags=" + record.flags() +
            " numericId=" + record.numericId() + " correlation=" + record.correlationId() +
            " id=" + text(buffer, record.idOffset(), record.idLength()) +
            " prefix=" + text(buffer, record.prefixOffset(), record.prefixLength()) +
            " data=" + text(buffer, record.dataOffset(), record.dataLength()));
        if (record.hasId())
        {
            assertEquals(record.isNumericId() ? record.numericId() : EventSequencer.TEXT_ID, numericId);
        }
        else
        {
            assertTrue(numericId > 0, "an id assigned");
        }
    }

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
