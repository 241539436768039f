package io.sseflow.server.fanout;

import io.sseflow.server.PublishResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sequencer's side of the {@link SequencedLog}: each decision written once, as one {@link SequencedEntry}, for
 * every fan-out agent to read. The sequencer asks {@link #hasRoomForOne()} before it takes a record from its ingress,
 * since a decision once taken cannot wait; a write that finds no room is a bug and throws. Sequencer thread only.
 */
public final class SequencedLogWriter
{
    private static final byte[] NO_NAME = new byte[0];

    private final SequencedLog log;
    private final UnsafeBuffer noName = new UnsafeBuffer(NO_NAME);

    /**
     * @param log written by this writer only.
     */
    public SequencedLogWriter(final SequencedLog log)
    {
        this.log = log;
    }

    /**
     * Room for the largest entry, without waiting for a reader?
     *
     * @return true when the next decision can be written.
     */
    public boolean hasRoomForOne()
    {
        return log.hasRoomFor(log.maxPayloadLength());
    }

    /**
     * Largest record with its topics' names that an entry holds.
     *
     * @return bytes.
     */
    public int maxRecordAndNamesLength()
    {
        return log.maxPayloadLength() - SequencedEntry.HEADER_LENGTH;
    }

    /**
     * An event appended.
     *
     * @param origin       whose topic indexes the record holds.
     * @param name         holding its first topic's name.
     * @param nameOffset   where the name starts.
     * @param nameLength   its length.
     * @param record       holding the publish record, its further topics' names after it.
     * @param recordOffset where it starts.
     * @param length       record and names.
     * @param seq          the event's seq.
     * @param numericId    its id, or {@link io.sseflow.server.sequencer.EventSequencer#TEXT_ID}.
     */
    public void event(
        final int origin, final DirectBuffer name, final int nameOffset, final int nameLength,
        final DirectBuffer record, final int recordOffset, final int length, final long seq, final long numericId)
    {
        write(SequencedEntry.EVENT, origin, seq, numericId, name, nameOffset, nameLength, record, recordOffset, length);
    }

    /**
     * A retry of an event still retained.
     *
     * @param origin       whose topic indexes the record holds.
     * @param record       holding the publish record.
     * @param recordOffset where it starts.
     * @param length       its length (names after it included, if any).
     * @param existingSeq  the retained event's seq.
     */
    public void duplicate(
        final int origin, final DirectBuffer record, final int recordOffset, final int length, final long existingSeq)
    {
        write(SequencedEntry.DUPLICATE, origin, existingSeq, 0, noName, 0, 0, record, recordOffset, length);
    }

    /**
     * A record never to be sequenced.
     *
     * @param origin       whose topic indexes the record holds.
     * @param record       holding the publish record.
     * @param recordOffset where it starts.
     * @param length       its length.
     * @param result       why.
     */
    public void refused(
        final int origin, final DirectBuffer record, final int recordOffset, final int length, final PublishResult result)
    {
        write(SequencedEntry.REFUSED, origin, 0, result.ordinal(), noName, 0, 0, record, recordOffset, length);
    }

    private void write(
        final int type, final int origin, final long seq, final long value, final DirectBuffer name,
        final int nameOffset, final int nameLength, final DirectBuffer record, final int recordOffset, final int length)
    {
        final SequencedLog log = this.log;
        final int index = log.tryClaim(type, SequencedEntry.HEADER_LENGTH + nameLength + length);
        if (SequencedLog.BACK_PRESSURED == index)
        {
            throw new IllegalStateException("sequenced log full: a decision was taken without room for it");
        }
        final UnsafeBuffer buffer = log.buffer();
        final int at = SequencedEntry.putHeader(buffer, index, seq, value, origin, nameLength);
        buffer.putBytes(at, name, nameOffset, nameLength);
        buffer.putBytes(at + nameLength, record, recordOffset, length);
        log.commit();
    }
}
