package io.sseflow.encoder;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonWriter;

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
