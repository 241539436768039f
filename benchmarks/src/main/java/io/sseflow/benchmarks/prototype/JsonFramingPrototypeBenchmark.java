package io.sseflow.benchmarks.prototype;

import io.sseflow.benchmarks.encoder.EncoderEvents;
import io.sseflow.benchmarks.encoder.Trade;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonWriter;
import io.sseflow.encoder.EventFrameEncoder;
import io.sseflow.encoder.JsonBodyWriter;
import io.sseflow.encoder.SseFields;
import io.sseflow.encoder.SseOptions;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Experiment for the encoder's owner, not a contender: where the framing cost of event (b) goes, between
 * dsl-json's body alone ({@code floor}) and {@link EventFrameEncoder#encodeWithId} ({@code encoder}):
 * <ul>
 *     <li>{@code floorPlusCopy}: the body, then one {@code putBytes} of it into the direct buffer (the copy any
 *     design with a heap {@code JsonWriter} and an off-heap destination pays);</li>
 *     <li>{@code specialised}: the same frame as the encoder, written by a small method for JSON with a numeric
 *     id only, that skips absent fields instead of {@code putBytes} of empty arrays;</li>
 * </ul>
 * All write byte-identical frames (checked in set-up). Compare the {@code min} of many short iterations when the
 * machine is busy:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JsonFramingPrototypeBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar JsonFramingPrototypeBenchmark -i 20 -r 200ms -rf json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g" })
public class JsonFramingPrototypeBenchmark
{
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final SseOptions TRADE_EVENT = SseOptions.event(EncoderEvents.EVENT_NAME);

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private final DslJson<Object> dslJson = JsonBodyWriter.defaultDslJson();
    private final JsonWriter writer = dslJson.newWriter(512);
    private final JsonWriter.WriteObject<Trade> converter = dslJson.tryFindWriter(Trade.class);
    private final byte[] retryField = new byte[0];
    private final byte[] eventField = ("event: " + EncoderEvents.EVENT_NAME + "\n").getBytes(StandardCharsets.UTF_8);

    /**
     * Check that the prototype writes what the encoder writes.
     */
    @Setup
    public void checkSameFrame()
    {
        final byte[] expected = new byte[encoder()];
        buffer.getBytes(0, expected);
        buffer.setMemory(0, expected.length, (byte)0);
        final byte[] actual = new byte[specialised()];
        buffer.getBytes(0, actual);
        if (!Arrays.equals(expected, actual))
        {
            throw new IllegalStateException("specialised frame differs from EventFrameEncoder's");
        }
    }

    /**
     * dsl-json body alone into a reused writer.
     *
     * @return JSON length.
     */
    @Benchmark
    public int floor()
    {
        writer.reset();
        converter.write(writer, EncoderEvents.TRADE);
        return writer.size();
    }

    /**
     * The body, copied into the direct buffer.
     *
     * @return JSON length.
     */
    @Benchmark
    public int floorPlusCopy()
    {
        writer.reset();
        converter.write(writer, EncoderEvents.TRADE);
        final int length = writer.size();
        buffer.putBytes(0, writer.getByteBuffer(), 0, length);
        return length;
    }

    /**
     * The encoder as it is.
     *
     * @return bytes written.
     */
    @Benchmark
    public int encoder()
    {
        return encoder.encodeWithId(buffer, 0, buffer.capacity(), TRADE_EVENT, EncoderEvents.ID, EncoderEvents.TRADE);
    }

    /**
     * The same frame from a small JSON-and-numeric-id method.
     *
     * @return bytes written.
     */
    @Benchmark
    public int specialised()
    {
        return encodeJsonWithId(buffer, 0, buffer.capacity(), EncoderEvents.ID, EncoderEvents.TRADE);
    }

    private int encodeJsonWithId(
        final UnsafeBuffer buffer, final int offset, final int maxLength, final long id, final Object data)
    {
        final byte[] retryField = this.retryField;
        final byte[] eventField = this.eventField;
        final int jsonLength = encoder.writeJson(data);
        final int frameLength = retryField.length + eventField.length + SseFields.idFieldLength(id) +
            DATA_PREFIX.length + jsonLength + 2;
        if (frameLength > maxLength || (long)offset + frameLength > buffer.capacity())
        {
            return EventFrameEncoder.INSUFFICIENT_CAPACITY;
        }

        int position = offset;
        if (retryField.length > 0)
        {
            buffer.putBytes(position, retryField);
            position += retryField.length;
        }
        if (eventField.length > 0)
        {
            buffer.putBytes(position, eventField);
            position += eventField.length;
        }
        position += SseFields.putIdField(buffer, position, id);
        buffer.putBytes(position, DATA_PREFIX);
        position += DATA_PREFIX.length;
        buffer.putBytes(position, encoder.jsonBytes(), 0, jsonLength);
        position += jsonLength;
        buffer.putByte(position++, (byte)'\n');
        buffer.putByte(position++, (byte)'\n');
        return position - offset;
    }
}
