package io.sseflow.encoder;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonWriter;
import com.dslplatform.json.NumberConverter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Serializes values to JSON with dsl-json into one reused {@link JsonWriter}: compiled converters for
 * {@code @CompiledJson} classes and records (found once per class, then cached), dsl-json's built-in
 * converters for {@code Map}, {@code List}, arrays, boxed numbers and booleans, and {@code null}.
 * No reflection: a class without a converter is refused with an {@link IllegalArgumentException}.
 * <p>
 * Not thread-safe. After a warm-up per class, {@link #write(Object)} of a compiled-JSON object allocates nothing.
 */
public final class JsonBodyWriter
{
    private static final int INITIAL_CAPACITY = 512;
    private static final byte[] FRAME_END = SseFields.ascii("\n\n");

    private final DslJson<Object> dslJson;
    private final JsonWriter writer;
    private final IdentityHashMap<Class<?>, JsonWriter.WriteObject<Object>> writers = new IdentityHashMap<>();
    private final JsonWriter.WriteObject<Object> builtInFallback;
    private Class<?> lastClass;
    private JsonWriter.WriteObject<Object> lastWriter;

    /**
     * Writer over the shared default {@link DslJson} (see {@link #defaultDslJson()}).
     */
    public JsonBodyWriter()
    {
        this(defaultDslJson());
    }

    /**
     * Writer over a given {@link DslJson}, e.g. one configured with extra converters.
     *
     * @param dslJson to find converters in.
     */
    public JsonBodyWriter(final DslJson<Object> dslJson)
    {
        this.dslJson = dslJson;
        this.writer = dslJson.newWriter(INITIAL_CAPACITY);
        this.builtInFallback = this::writeWithBuiltIns;
    }

    /**
     * The shared default {@link DslJson}: compiled converters found through the service loader, dsl-json's
     * Java converters, and no run-time (reflection) analysis.
     *
     * @return the shared instance; {@link DslJson} is thread-safe.
     */
    public static DslJson<Object> defaultDslJson()
    {
        return DefaultDslJson.INSTANCE;
    }

    /**
     * Serialize a value, replacing what the previous call wrote.
     *
     * @param value to serialize; may be null.
     * @return the length of the JSON in {@link #bytes()}.
     * @throws IllegalArgumentException if no converter exists for the value's class.
     */
    public int write(final Object value)
    {
        final JsonWriter writer = this.writer;
        writer.reset();
        if (null == value)
        {
            writer.writeNull();
        }
        else
        {
            writerFor(value.getClass()).write(writer, value);
        }
        return writer.size();
    }

    /**
     * Write a whole frame whose data is this value as JSON into the reused writer: the pre-encoded fields, then
     * {@code data: JSON} and the blank line. One buffer, so the frame reaches its destination in one copy.
     *
     * @param retryField pre-encoded {@code retry} field (may be empty).
     * @param eventField pre-encoded {@code event} field (may be empty).
     * @param idField    pre-encoded {@code id} field (may be empty).
     * @param value      to serialize; may be null.
     * @return the frame's length in {@link #bytes()}.
     * @throws IllegalArgumentException if no converter exists for the value's class; nothing is written then.
     */
    int writeFrame(final byte[] retryField, final byte[] eventField, final byte[] idField, final Object value)
    {
        final JsonWriter.WriteObject<Object> converter = converterFor(value);
        final JsonWriter writer = this.writer;
        writer.reset();
        writer.writeAscii(retryField);
        writer.writeAscii(eventField);
        writer.writeAscii(idField);
        return writeDataLine(writer, converter, value);
    }

    /**
     * Write a whole frame with a numeric id whose data is this value as JSON, see
     * {@link #writeFrame(byte[], byte[], byte[], Object)}.
     *
     * @param headFields pre-encoded {@code retry} and {@code event} fields (may be empty).
     * @param id         the numeric id.
     * @param value      to serialize; may be null.
     * @return the frame's length in {@link #bytes()}.
     * @throws IllegalArgumentException if no converter exists for the value's class; nothing is written then.
     */
    int writeFrame(final byte[] headFields, final long id, final Object value)
    {
        final JsonWriter.WriteObject<Object> converter = converterFor(value);
        final JsonWriter writer = this.writer;
        writer.reset();
        writer.writeAscii(headFields);
        writer.writeAscii(SseFields.ID_PREFIX);
        NumberConverter.serialize(id, writer);
        writer.writeByte(SseFields.LF);
        return writeDataLine(writer, converter, value);
    }

    private JsonWriter.WriteObject<Object> converterFor(final Object value)
    {
        return null == value ? null : writerFor(value.getClass());
    }

    private static int writeDataLine(
        final JsonWriter writer, final JsonWriter.WriteObject<Object> converter, final Object value)
    {
        writer.writeAscii(SseFields.DATA_PREFIX);
        if (null == converter)
        {
            writer.writeNull();
        }
        else
        {
            converter.write(writer, value);
        }
        writer.writeAscii(FRAME_END);
        return writer.size();
    }

    /**
     * The JSON written by the last {@link #write(Object)}, in {@code [0, length)}. The array is replaced when the
     * writer grows, so read it again after each write.
     *
     * @return the writer's backing array.
     */
    public byte[] bytes()
    {
        return writer.getByteBuffer();
    }

    /**
     * Length of the JSON written by the last {@link #write(Object)}.
     *
     * @return bytes.
     */
    public int length()
    {
        return writer.size();
    }

    /**
     * Can a value of this class be serialized?
     *
     * @param type to look up.
     * @return true when a compiled or built-in converter exists.
     */
    public boolean canWrite(final Class<?> type)
    {
        try
        {
            writerFor(type);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private JsonWriter.WriteObject<Object> writerFor(final Class<?> type)
    {
        if (type == lastClass)
        {
            return lastWriter;
        }

        JsonWriter.WriteObject<Object> found = writers.get(type);
        if (null == found)
        {
            found = (JsonWriter.WriteObject<Object>)dslJson.tryFindWriter(type);
            if (null == found)
            {
                if (!isContainer(type) && !dslJson.canSerialize(type))
                {
                    throw new IllegalArgumentException(noConverterMessage(type));
                }
                found = builtInFallback;
            }
            writers.put(type, found);
        }

        lastClass = type;
        lastWriter = found;
        return found;
    }

    private static boolean isContainer(final Class<?> type)
    {
        return type.isArray() || Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type);
    }

    private void writeWithBuiltIns(final JsonWriter writer, final Object value)
    {
        try
        {
            dslJson.serialize(writer, value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static String noConverterMessage(final Class<?> type)
    {
        return "no JSON converter for " + type.getName() + ": annotate it with @com.dslplatform.json.CompiledJson " +
            "(records too) so dsl-json's annotation processor generates one at compile time, " +
            "or pass a CharSequence to send text as it is";
    }

    private static final class DefaultDslJson
    {
        static final DslJson<Object> INSTANCE =
            new DslJson<>(new DslJson.Settings<>().includeServiceLoader().withJavaConverters(true));
    }
}
