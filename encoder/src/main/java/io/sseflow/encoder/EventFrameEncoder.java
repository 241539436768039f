package io.sseflow.encoder;

import com.dslplatform.json.DslJson;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Encodes one whole {@code text/event-stream} frame into a caller's buffer at an offset and returns the number of
 * bytes written, or {@link #INSUFFICIENT_CAPACITY} having written nothing.
 * <pre>
 *   retry: 300\n        from the options (override, else default), when set
 *   event: name\n       from the options, when set
 *   id: 10\n            from the explicit id, else the options, when set
 *   data: line 1\n      one per line of text (split at CRLF, CR, LF), or one line of JSON
 *   data: line 2\n
 *   \n                  ends the frame and makes the client dispatch it
 * </pre>
 * A {@link CharSequence} is sent as text; anything else (including {@code null}) as JSON through
 * {@link JsonBodyWriter}. The frame's length is computed before any byte is written, so a frame that does not fit,
 * or a value that cannot be serialized, leaves the destination untouched.
 * <p>
 * Growable destinations ({@link MutableDirectBuffer#isExpandable()}, e.g. Agrona's
 * {@code ExpandableDirectByteBuffer}) grow to fit, bounded only by {@code maxLength}.
 * <p>
 * Not thread-safe: one encoder per thread. After warm-up nothing here allocates for text data, compiled-JSON
 * objects, pre-built options and numeric or text ids.
 */
public final class EventFrameEncoder
{
    /** Returned when the frame does not fit in {@code maxLength} (or the buffer); nothing was written. */
    public static final int INSUFFICIENT_CAPACITY = -1;

    private static final byte[] END_OF_LINE_AND_FRAME = {SseFields.LF, SseFields.LF};
    private static final int JSON_LINE_OVERHEAD = SseFields.DATA_LINE_OVERHEAD;
    private static final int STAGED_TEXT = 0;
    private static final int LARGE_TEXT = 1;
    private static final int JSON = 2;
    /** Longer text is measured, then written in place, rather than staged (staging reserves 7 bytes a char). */
    private static final int MAX_STAGED_CHARS = 64 * 1024;

    private final JsonBodyWriter json;
    private final UnsafeBuffer byteBufferView;
    private final DataLinesStaging staging = new DataLinesStaging();
    private int dataKind;

    /**
     * Encoder over the shared default {@link DslJson}.
     */
    public EventFrameEncoder()
    {
        this(new JsonBodyWriter());
    }

    /**
     * Encoder over a given {@link DslJson}, e.g. one with extra converters registered.
     *
     * @param dslJson to serialize JSON with.
     */
    public EventFrameEncoder(final DslJson<Object> dslJson)
    {
        this(new JsonBodyWriter(dslJson));
    }

    private EventFrameEncoder(final JsonBodyWriter json)
    {
        AgronaAccess.check();
        this.json = json;
        this.byteBufferView = new UnsafeBuffer(0, 0);
    }

    /**
     * Encode a frame with options overridden field by field.
     *
     * @param buffer    destination.
     * @param offset    in the destination at which the frame starts.
     * @param maxLength most bytes the frame may take.
     * @param defaults  options for every event.
     * @param overrides options for this event; each field set here replaces the default's.
     * @param data      text as it is, or any other value as JSON.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY}.
     * @throws IllegalArgumentException if the value has no JSON converter (nothing written).
     */
    public int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength,
        final SseOptions defaults,
        final SseOptions overrides,
        final Object data)
    {
        final byte[] retryField = SseOptions.retryField(defaults, overrides);
        final byte[] eventField = SseOptions.eventField(defaults, overrides);
        final byte[] idField = SseOptions.idField(defaults, overrides);
        if (data instanceof CharSequence)
        {
            return encodeFrame(buffer, offset, maxLength, retryField, eventField, idField, data);
        }
        return copyJsonFrame(buffer, offset, maxLength, json.writeFrame(retryField, eventField, idField, data));
    }

    /**
     * Encode a frame with one set of options.
     *
     * @param buffer    destination.
     * @param offset    in the destination at which the frame starts.
     * @param maxLength most bytes the frame may take.
     * @param options   retry, event and id of this event.
     * @param data      text as it is, or any other value as JSON.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY}.
     * @throws IllegalArgumentException if the value has no JSON converter (nothing written).
     */
    public int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength,
        final SseOptions options,
        final Object data)
    {
        return encode(buffer, offset, maxLength, options, SseOptions.NONE, data);
    }

    /**
     * Encode a frame with a numeric id that replaces the options' id, without allocating.
     *
     * @param buffer    destination.
     * @param offset    in the destination at which the frame starts.
     * @param maxLength most bytes the frame may take.
     * @param options   retry and event of this event.
     * @param id        the event id.
     * @param data      text as it is, or any other value as JSON.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY}.
     * @throws IllegalArgumentException if the value has no JSON converter (nothing written).
     */
    public int encodeWithId(
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength,
        final SseOptions options,
        final long id,
        final Object data)
    {
        if (data instanceof CharSequence)
        {
            return encodeFrameWithId(buffer, offset, maxLength, options.headFieldsWithoutId(), id, null, data);
        }

        return copyJsonFrame(buffer, offset, maxLength, json.writeFrame(options.headFieldsWithoutId(), id, data));
    }

    /**
     * Encode a frame with a text id that replaces the options' id.
     *
     * @param buffer    destination.
     * @param offset    in the destination at which the frame starts.
     * @param maxLength most bytes the frame may take.
     * @param options   retry and event of this event.
     * @param id        the event id, free of CR, LF and NUL.
     * @param data      text as it is, or any other value as JSON.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY}.
     * @throws IllegalArgumentException if the id is invalid or the value has no JSON converter (nothing written).
     */
    public int encodeWithId(
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength,
        final SseOptions options,
        final CharSequence id,
        final Object data)
    {
        SseFields.checkId(id);
        return encodeFrameWithId(buffer, offset, maxLength, options.headFieldsWithoutId(), 0, id, data);
    }

    /**
     * Encode a comment ({@code ": text\n"} per line), e.g. a keep-alive.
     *
     * @param buffer    destination.
     * @param offset    in the destination at which the comment starts.
     * @param maxLength most bytes the comment may take.
     * @param comment   the text.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY}.
     */
    public int encodeComment(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final CharSequence comment)
    {
        final int length = SseFields.commentLength(comment);
        if (!ensureFits(buffer, offset, maxLength, length))
        {
            return INSUFFICIENT_CAPACITY;
        }
        return SseFields.putComment(buffer, offset, comment);
    }

    /**
     * Encode a frame at the {@link ByteBuffer}'s position, within its limit, and advance the position.
     *
     * @param destination to write to.
     * @param defaults    options for every event.
     * @param overrides   options for this event.
     * @param data        text as it is, or any other value as JSON.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY} (position unchanged).
     */
    public int encode(
        final ByteBuffer destination, final SseOptions defaults, final SseOptions overrides, final Object data)
    {
        final UnsafeBuffer view = wrap(destination);
        final int position = destination.position();
        return advance(destination, encode(view, position, destination.remaining(), defaults, overrides, data));
    }

    /**
     * Encode a frame with a numeric id at the {@link ByteBuffer}'s position, within its limit, and advance the
     * position.
     *
     * @param destination to write to.
     * @param options     retry and event of this event.
     * @param id          the event id.
     * @param data        text as it is, or any other value as JSON.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY} (position unchanged).
     */
    public int encodeWithId(final ByteBuffer destination, final SseOptions options, final long id, final Object data)
    {
        final UnsafeBuffer view = wrap(destination);
        final int position = destination.position();
        return advance(destination, encodeWithId(view, position, destination.remaining(), options, id, data));
    }

    /**
     * Encode a comment at the {@link ByteBuffer}'s position, within its limit, and advance the position.
     *
     * @param destination to write to.
     * @param comment     the text.
     * @return bytes written, or {@link #INSUFFICIENT_CAPACITY} (position unchanged).
     */
    public int encodeComment(final ByteBuffer destination, final CharSequence comment)
    {
        final UnsafeBuffer view = wrap(destination);
        final int position = destination.position();
        return advance(destination, encodeComment(view, position, destination.remaining(), comment));
    }

    /**
     * Serialize a value to JSON only (no framing) into the reused writer.
     *
     * @param value to serialize; may be null.
     * @return the length of the JSON in {@link #jsonBytes()}.
     * @throws IllegalArgumentException if the value has no JSON converter.
     */
    public int writeJson(final Object value)
    {
        return json.write(value);
    }

    /**
     * JSON written by the last {@link #writeJson(Object)}; valid until the next call.
     *
     * @return the reused writer's backing array.
     */
    public byte[] jsonBytes()
    {
        return json.bytes();
    }

    private int copyJsonFrame(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final int frameLength)
    {
        if (!ensureFits(buffer, offset, maxLength, frameLength))
        {
            return INSUFFICIENT_CAPACITY;
        }
        buffer.putBytes(offset, json.bytes(), 0, frameLength);
        return frameLength;
    }

    private int encodeFrame(
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength,
        final byte[] retryField,
        final byte[] eventField,
        final byte[] idField,
        final Object data)
    {
        final int dataLength = measureData(data);
        final int frameLength = retryField.length + eventField.length + idField.length + dataLength + 1;
        if (!ensureFits(buffer, offset, maxLength, frameLength))
        {
            return INSUFFICIENT_CAPACITY;
        }

        int position = putField(buffer, offset, retryField);
        position = putField(buffer, position, eventField);
        position = putField(buffer, position, idField);
        position = putDataAndEnd(buffer, position, dataLength, data);

        return position - offset;
    }

    /**
     * A frame whose id is given: numeric when {@code textId} is null, else text (already checked).
     */
    private int encodeFrameWithId(
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength,
        final byte[] headFields,
        final long numericId,
        final CharSequence textId,
        final Object data)
    {
        final int dataLength = measureData(data);
        final int idLength = null == textId ? SseFields.idFieldLength(numericId) : SseFields.idFieldLength(textId);
        final int frameLength = headFields.length + idLength + dataLength + 1;
        if (!ensureFits(buffer, offset, maxLength, frameLength))
        {
            return INSUFFICIENT_CAPACITY;
        }

        int position = putField(buffer, offset, headFields);
        position += null == textId ?
            SseFields.putIdField(buffer, position, numericId) : SseFields.putIdField(buffer, position, textId);
        position = putDataAndEnd(buffer, position, dataLength, data);

        return position - offset;
    }

    /**
     * Stage text lines or serialize JSON, remembering which in {@link #dataKind}.
     *
     * @return bytes of the {@code data:} lines, without the blank line that ends the frame.
     */
    private int measureData(final Object data)
    {
        if (data instanceof CharSequence)
        {
            final CharSequence text = (CharSequence)data;
            if (text.length() <= MAX_STAGED_CHARS)
            {
                dataKind = STAGED_TEXT;
                return staging.stage(text);
            }
            dataKind = LARGE_TEXT;
            return SseFields.dataLinesLength(text);
        }
        dataKind = JSON;
        return JSON_LINE_OVERHEAD + json.write(data);
    }

    private int putDataAndEnd(
        final MutableDirectBuffer buffer, final int index, final int dataLength, final Object data)
    {
        int position = index;
        switch (dataKind)
        {
            case STAGED_TEXT:
                buffer.putBytes(position, staging.bytes(), 0, dataLength);
                position += dataLength;
                buffer.putByte(position++, SseFields.LF);
                break;

            case LARGE_TEXT:
                position += SseFields.putDataLines(buffer, position, (CharSequence)data);
                buffer.putByte(position++, SseFields.LF);
                break;

            default:
                final int jsonLength = dataLength - JSON_LINE_OVERHEAD;
                buffer.putBytes(position, SseFields.DATA_PREFIX);
                position += SseFields.DATA_PREFIX.length;
                buffer.putBytes(position, json.bytes(), 0, jsonLength);
                position += jsonLength;
                buffer.putBytes(position, END_OF_LINE_AND_FRAME);
                position += END_OF_LINE_AND_FRAME.length;
        }
        return position;
    }

    private static int putField(final MutableDirectBuffer buffer, final int index, final byte[] field)
    {
        final int length = field.length;
        if (length != 0)
        {
            buffer.putBytes(index, field);
        }
        return index + length;
    }

    private static boolean ensureFits(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final int length)
    {
        if (length > maxLength)
        {
            return false;
        }
        if (buffer.isExpandable())
        {
            if ((long)offset + length > Integer.MAX_VALUE - 8)
            {
                return false;
            }
            buffer.checkLimit(offset + length);
            return true;
        }
        return (long)offset + length <= buffer.capacity();
    }

    private UnsafeBuffer wrap(final ByteBuffer destination)
    {
        final UnsafeBuffer view = byteBufferView;
        view.wrap(destination);
        return view;
    }

    private static int advance(final ByteBuffer destination, final int written)
    {
        if (written > 0)
        {
            destination.position(destination.position() + written);
        }
        return written;
    }
}
