package io.sseflow.benchmarks.fanout;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Cost per event of the fan-out load client's {@link SseResponseDecoder}, the work its thread does for every byte
 * it reads: one response as the sseflow hub sends it (identity body; each event {@code id: N}, a 64-byte
 * {@link EventPayload} data line, a blank line) of {@value #EVENTS} events, decoded in reads of
 * {@value #READ_BYTES} bytes from a direct buffer, as the client reads. The baseline, {@code lineScan}, reads the
 * same bytes one by one with {@link ByteBuffer#get(int)} and counts the line feeds: the least a byte-at-a-time
 * reader does. Each invocation decodes a fresh response (head included), so ids keep increasing.
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests                                                     # build
 * java -jar benchmarks/target/benchmarks.jar SseResponseDecoderBenchmark                             # full run
 * java -jar benchmarks/target/benchmarks.jar SseResponseDecoderBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s # quick
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@OperationsPerInvocation(SseResponseDecoderBenchmark.EVENTS)
public class SseResponseDecoderBenchmark
{
    /** Events in the response. */
    static final int EVENTS = 10_000;
    /** Bytes handed to the decoder per call. */
    static final int READ_BYTES = 4096;
    private static final int PAYLOAD_BYTES = 64;
    private static final String HEAD = "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache\r\n" +
        "X-Accel-Buffering: no\r\n" +
        "\r\n";

    private final Sum sum = new Sum();
    private ByteBuffer response;
    private int length;

    /** Adds up what the decoder found, so that nothing is optimised away. */
    static final class Sum implements SseResponseDecoder.Listener
    {
        long total;

        public void onEvent(final long sequence, final long publishedNs)
        {
            total += sequence + publishedNs;
        }

        public void onWarmUp()
        {
            total++;
        }
    }

    /**
     * Build the response.
     */
    @Setup
    public void buildResponse()
    {
        final byte[] bytes = response(EVENTS);
        response = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        length = bytes.length;
    }

    /**
     * The load client's decoder.
     *
     * @return the sum of the events' sequences and times.
     */
    @Benchmark
    public long decoder()
    {
        final SseResponseDecoder decoder = new SseResponseDecoder(sum);
        for (int offset = 0; offset < length; offset += READ_BYTES)
        {
            if (!decoder.decode(response, offset, Math.min(READ_BYTES, length - offset)))
            {
                throw new IllegalStateException(decoder.failure());
            }
        }
        return sum.total;
    }

    /**
     * Baseline: every byte read once, line feeds counted.
     *
     * @return line feeds.
     */
    @Benchmark
    public long lineScan()
    {
        final ByteBuffer response = this.response;
        long lines = 0;
        for (int offset = 0; offset < length; offset += READ_BYTES)
        {
            final int end = Math.min(offset + READ_BYTES, length);
            for (int i = offset; i < end; i++)
            {
                if (response.get(i) == '\n')
                {
                    lines++;
                }
            }
        }
        return lines;
    }

    /**
     * A response as the hub sends it: the head, then {@code events} events with ids 1, 2, 3... and sequences 0, 1,
     * 2...
     *
     * @param events how many.
     * @return its bytes.
     */
    static byte[] response(final int events)
    {
        final StringBuilder text = new StringBuilder(HEAD);
        for (int i = 0; i < events; i++)
        {
            final String fields = String.format(Locale.ROOT, "%010d %019d ", i, 1_000_000_000L + i * 1_000L);
            text.append("id: ").append(i + 1).append("\ndata: ").append(fields)
                .append("x".repeat(PAYLOAD_BYTES - fields.length())).append("\n\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
