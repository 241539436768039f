package io.sseflow.server.sequencer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishRecordTest
{
    private static final int AT = 24;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private final PublishRecord record = new PublishRecord();

    @Test
    void shouldWriteEveryFieldAtItsDocumentedOffsetAndReadItBack()
    {
        record.wrap(buffer, AT)
            .correlationId(0x0102030405060708L)
            .numericId(0x1112131415161718L)
            .topicIndex(0x21222324)
            .flags(PublishRecord.FLAG_HAS_ID | PublishRecord.FLAG_NUMERIC_ID)
            .idLength(5)
            .prefixLength(7)
            .dataLength(11);

        final ByteBuffer little = ByteBuffer.allocate(PublishRecord.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        little.putLong(0x0102030405060708L).putLong(0x1112131415161718L).putInt(0x21222324).putInt(3)
            .putInt(5).putInt(7).putInt(11);
        final byte[] header = new byte[PublishRecord.HEADER_LENGTH];
        buffer.getBytes(AT, header);
        assertArrayEquals(little.array(), header, "little-endian, in the diagram's order");
        assertEquals(36, PublishRecord.HEADER_LENGTH);

        assertEquals(0x0102030405060708L, record.correlationId());
        assertEquals(0x1112131415161718L, record.numericId());
        assertEquals(0x21222324, record.topicIndex());
        assertEquals(3, record.flags());
        assertTrue(record.hasId());
        assertTrue(record.isNumericId());
        assertEquals(5, record.idLength());
        assertEquals(7, record.prefixLength());
        assertEquals(11, record.dataLength());
        assertEquals(AT, record.offset());
        assertEquals(AT + 36, record.idOffset());
        assertEquals(AT + 36 + 5, record.prefixOffset());
        assertEquals(AT + 36 + 5 + 7, record.dataOffset());
        assertEquals(36 + 5 + 7 + 11, record.recordLength());
        assertEquals(PublishRecord.recordLength(5, 7, 11), record.recordLength());
        assertEquals(7 + 11, record.bodyLength());
    }

    @Test
    void shouldWriteTheHeaderAtOnceWithNoIdFlags()
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
        record.wrap(buffer, AT).header(42, 3, 0, 9, 14).classifyId();

        assertEquals(42, record.correlationId());
        assertEquals(0, record.numericId());
        assertEquals(3, record.topicIndex());
        assertEquals(0, record.flags());
        assertFalse(record.hasId());
        assertFalse(record.isNumericId());
        assertEquals(0, record.idLength());
        assertEquals(9, record.prefixLength());
        assertEquals(14, record.dataLength());
        assertEquals(record.idOffset(), record.prefixOffset());
        assertEquals((byte)0x5A, buffer.getByte(AT - 1), "nothing before the record is touched");
        assertEquals((byte)0x5A, buffer.getByte(AT + PublishRecord.HEADER_LENGTH), "nor after the header");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "7, 7",
        "42, 42",
        "123456789012345678, 123456789012345678",
        "1234567890123456789, -1",
        "007, -1",
        "00, -1",
        "-1, -1",
        "+1, -1",
        "4a, -1",
        "abc, -1",
        "' 1', -1",
    })
    void shouldClassifyTheIdTextWrittenIntoTheRecord(final String id, final long expected)
    {
        final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        record.wrap(buffer, AT).header(0, 1, idBytes.length, 0, 0);
        buffer.putBytes(record.idOffset(), idBytes);
        record.numericId(99).classifyId();

        assertTrue(record.hasId());
        assertEquals(expected >= 0, record.isNumericId());
        assertEquals(expected >= 0 ? expected : 0, record.numericId());
        assertEquals(expected, PublishRecord.parseNumericId(buffer, record.idOffset(), idBytes.length));
    }

    @Test
    void shouldNotParseAnEmptyIdAsANumber()
    {
        assertEquals(-1, PublishRecord.parseNumericId(buffer, 0, 0));
    }

    @Test
    void shouldReadAReadOnlyWrapAndRefuseToWriteThroughIt()
    {
        record.wrap(buffer, 0).header(7, 2, 0, 0, 3);
        final DirectBuffer readOnly = buffer;
        final PublishRecord reader = new PublishRecord().wrap(readOnly, 0);

        assertEquals(7, reader.correlationId());
        assertEquals(2, reader.topicIndex());
        assertEquals(3, reader.dataLength());
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> reader.topicIndex(5));
        assertEquals("publish record wrapped read-only", refused.getMessage());
        assertEquals(2, reader.topicIndex());
    }

    @Test
    void shouldCarryFurtherTopicsAfterTheDataLinesAndKeepTheOtherFlags()
    {
        record.wrap(buffer, AT).header(9, 4, 2, 0, 3);
        buffer.putStringWithoutLengthAscii(record.idOffset(), "m1");
        buffer.putStringWithoutLengthAscii(record.dataOffset(), "d\n\n");
        record.classifyId();
        record.flags(record.flags() | PublishRecord.FLAG_HUB_ID | PublishRecord.FLAG_PRIVATE);
        assertEquals(0, record.moreTopicCount());
        assertEquals(PublishRecord.recordLength(2, 0, 3), record.recordLength());

        record.moreTopics(new int[]{7, 11, 99}, 2);
        assertEquals(PublishRecord.FLAG_HAS_ID | PublishRecord.FLAG_HUB_ID | PublishRecord.FLAG_PRIVATE |
            PublishRecord.FLAG_MORE_TOPICS, record.flags());
        assertTrue(record.isHubId());
        assertTrue(record.isPrivate());
        assertEquals(2, record.moreTopicCount());
        assertEquals(7, record.moreTopic(0));
        assertEquals(11, record.moreTopic(1));
        assertEquals(2, buffer.getInt(record.dataOffset() + 3), "the count right after the data lines");
        assertEquals(PublishRecord.recordLength(2, 0, 3) + 12, record.recordLength());
        assertEquals(PublishRecord.recordLength(2, 0, 3, 2), record.recordLength());
        assertEquals(PublishRecord.recordLength(2, 0, 3), PublishRecord.recordLength(2, 0, 3, 0));
        assertEquals("m1", buffer.getStringWithoutLengthAscii(record.idOffset(), 2));
    }
}
