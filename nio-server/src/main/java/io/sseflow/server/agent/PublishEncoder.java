package io.sseflow.server.agent;

import io.sseflow.server.PublishResult;
import io.sseflow.encoder.EventFrameEncoder;
import io.sseflow.encoder.SseFields;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.sequencer.EventIds;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes a publish into a {@link PublishRecord publish record} on the publisher's thread, straight into the
 * space the {@link EventSequencer} claimed for it, so the agent only has to add the id and copy. Two steps:
 * {@link #prepare} works out the record's length (a JSON object is written once, by the encoder's reused dsl-json
 * writer; text of up to {@value #STAGED_TEXT_CHARS} characters is written once as {@code data:} lines into a small
 * reused buffer, longer text is only measured), then {@link #claimAndWrite} claims that many bytes, writes the
 * record in place (the JSON split into {@code data:} lines by {@link SseFields}, the staged lines in one copy, long
 * text encoded straight into the claim) and commits it. Short text is staged because encoding it byte by byte into
 * the ring, on the cache line the draining thread is polling, measured slower than one pass into a hot buffer and
 * one copy. One per publishing thread; reused, so steady-state publishing of text or compiled-JSON objects
 * allocates nothing.
 */
final class PublishEncoder
{
    /**
     * Longest text staged. Its {@code data:} lines take at most 7 bytes a character plus 7: a line break starts a
     * line ({@code "data: "} and LF), any other character takes 1 to 3 bytes (a surrogate pair 4 for two).
     */
    static final int STAGED_TEXT_CHARS = 1024;

    private static final ThreadLocal<PublishEncoder> CURRENT = ThreadLocal.withInitial(PublishEncoder::new);

    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private final UnsafeBuffer jsonView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer stagedLines = new UnsafeBuffer(new byte[7 * (STAGED_TEXT_CHARS + 1)]);
    private boolean staged;
    private final PublishClaim claim = new PublishClaim();
    private final PublishRecord record = new PublishRecord();

    private SseOptions options = SseOptions.NONE;
    private CharSequence text;
    private String id;
    private int idLength;
    private int retryLength;
    private int eventLength;
    private int dataLength;
    private int recordLength;

    static PublishEncoder current()
    {
        return CURRENT.get();
    }

    /**
     * Work out the record of one event: a {@link CharSequence} is text, anything else is written as JSON now.
     *
     * @param data    the event's data.
     * @param options its fields.
     * @return the record's length.
     * @throws IllegalArgumentException when the data has no JSON converter, or the id is a number above
     *                                  {@link EventIds#MAX_PUBLISHER_ID}.
     */
    int prepare(final Object data, final SseOptions options)
    {
        final String id = options.hasId() ? options.id() : null;
        if (null != id && !EventIds.isAllowedFromPublisher(id))
        {
            throw new IllegalArgumentException(EventIds.OUT_OF_RANGE_REASON + ": " + id);
        }
        final int idLength = null == id ? 0 : SseFields.utf8Length(id);
        final int retryLength = options.hasRetry() ? SseFields.retryFieldLength(options.retry()) : 0;
        final int eventLength = options.hasEvent() ? SseFields.eventFieldLength(options.event()) : 0;

        final CharSequence text = data instanceof CharSequence ? (CharSequence)data : null;
        final int dataLength;
        staged = null != text && text.length() <= STAGED_TEXT_CHARS;
        if (staged)
        {
            dataLength = SseFields.putDataLines(stagedLines, 0, text);
        }
        else if (null != text)
        {
            dataLength = SseFields.dataLinesLength(text);
        }
        else
        {
            final int jsonLength = encoder.writeJson(data);
            jsonView.wrap(encoder.jsonBytes(), 0, jsonLength);
            dataLength = SseFields.dataLinesLength(jsonView, 0, jsonLength);
        }

        this.options = options;
        this.text = text;
        this.id = id;
        this.idLength = idLength;
        this.retryLength = retryLength;
        this.eventLength = eventLength;
        this.dataLength = dataLength;
        this.recordLength = PublishRecord.recordLength(idLength, retryLength + eventLength, dataLength);
        return recordLength;
    }

    /**
     * Claim space for the record {@link #prepare prepared} last, write it there for a topic and commit it; the
     * claim is aborted if writing fails.
     *
     * @param sequencer  to claim from.
     * @param topicIndex the topic's index.
     * @return the sequencer's answer: {@link PublishResult#OK} when committed.
     */
    PublishResult claimAndWrite(final EventSequencer sequencer, final int topicIndex)
    {
        final PublishClaim claim = this.claim;
        try
        {
            final PublishResult result = sequencer.tryClaim(recordLength, claim);
            if (result != PublishResult.OK)
            {
                return result;
            }
            try
            {
                write(claim.buffer(), topicIndex);
            }
            catch (final Throwable ex)
            {
                sequencer.abort(claim);
                throw ex;
            }
            sequencer.commit(claim);
            return PublishResult.OK;
        }
        finally
        {
            text = null;
            id = null;
            options = SseOptions.NONE;
        }
    }

    private void write(final MutableDirectBuffer buffer, final int topicIndex)
    {
        final SseOptions options = this.options;
        final PublishRecord record = this.record.wrap(buffer, 0)
            .header(0, topicIndex, idLength, retryLength + eventLength, dataLength);

        int position = record.idOffset();
        if (idLength > 0)
        {
            position += SseFields.putUtf8(buffer, position, id);
            record.classifyId();
        }
        if (retryLength > 0)
        {
            position += SseFields.putRetryField(buffer, position, options.retry());
        }
        if (eventLength > 0)
        {
            position += SseFields.putEventField(buffer, position, options.event());
        }
        if (staged)
        {
            buffer.putBytes(position, stagedLines, 0, dataLength);
            position += dataLength;
        }
        else if (null != text)
        {
            position += SseFields.putDataLines(buffer, position, text);
        }
        else
        {
            position += SseFields.putDataLines(buffer, position, jsonView, 0, jsonView.capacity());
        }
        if (position != recordLength)
        {
            throw new IllegalStateException(
                "event data changed while it was published: " + position + " bytes written, " + recordLength + " measured");
        }
    }
}
