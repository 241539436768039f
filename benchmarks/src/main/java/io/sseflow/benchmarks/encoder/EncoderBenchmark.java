package io.sseflow.benchmarks.encoder;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseflow.encoder.EventFrameEncoder;
import io.sseflow.encoder.JsonBodyWriter;
import io.sseflow.encoder.Sse;
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
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Hints;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.ServerSentEventHttpMessageWriter;
import org.springframework.http.codec.json.Jackson2JsonEncoder;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.sseflow.benchmarks.encoder.EncoderEvents.EVENT_NAME;
import static io.sseflow.benchmarks.encoder.EncoderEvents.ID;
import static io.sseflow.benchmarks.encoder.EncoderEvents.TEXT_100;
import static io.sseflow.benchmarks.encoder.EncoderEvents.TEXT_4K;
import static io.sseflow.benchmarks.encoder.EncoderEvents.TRADE;

/**
 * Cost of encoding one SSE event, sseflow against what people use instead, on the same three events
 * ({@link EncoderEvents}): (a) {@code text100} ~100 chars of text, default options; (b) {@code object} a six-field
 * object as JSON with numeric id and event name; (c) {@code text4k} 4 KB of multi-line text. Methods are named
 * {@code <case>_<contender>}:
 * <ul>
 *     <li>{@code sseflowEncoder}: {@link EventFrameEncoder} into a reused {@link UnsafeBuffer} over a direct
 *     {@link ByteBuffer};</li>
 *     <li>{@code sseflowSse}: the {@link Sse} facade over a discarding {@code WritableByteChannel};</li>
 *     <li>{@code dslJsonBody}: dsl-json serialising the body alone into a reused {@code JsonWriter} (the floor:
 *     sseflow's framing overhead is sseflow minus this);</li>
 *     <li>{@code jdk}: the hand-rolled JDK way, {@code StringBuilder} (one {@code data:} line per line) and
 *     {@code getBytes(UTF_8)};</li>
 *     <li>{@code jackson}: {@code ObjectMapper.writeValueAsString} and a hand-built frame, as most hand-rolled
 *     servers do;</li>
 *     <li>{@code springMvc}: {@code SseEmitter.event().id(..).name(..).data(..)} written through Spring MVC's
 *     message converters as its emitter handler does ({@link SpringMvcSseWriter});</li>
 *     <li>{@code springWebFlux}: {@code ServerSentEventHttpMessageWriter(new Jackson2JsonEncoder())} writing
 *     {@code Mono.just(ServerSentEvent)} into an in-memory response ({@link WebFluxOutputMessage}), blocking until
 *     complete.</li>
 * </ul>
 * No contender does I/O: each writes into memory and returns what it produced. Set-up checks, once per fork, that
 * every contender's bytes parse (WHATWG algorithm) to the same event, and fails the run otherwise.
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests                                          # build
 * java -jar benchmarks/target/benchmarks.jar EncoderBenchmark -prof gc                    # full run
 * java -jar benchmarks/target/benchmarks.jar 'EncoderBenchmark.object_' -prof gc          # one case
 * java -jar benchmarks/target/benchmarks.jar EncoderBenchmark -prof gc -f 1 -wi 2 -i 3 -w 1s -r 1s  # quick
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.ci.EncoderComparison    # CI table + 0 B/op gate
 * </pre>
 * The forks get {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} (Agrona) from {@link Fork}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g" })
public class EncoderBenchmark
{
    private static final SseOptions TRADE_EVENT = SseOptions.event(EVENT_NAME);
    private static final SseOptions TRADE_EVENT_AND_ID = SseOptions.builder().event(EVENT_NAME).id(ID).build();
    private static final ResolvableType SSE_OF_TRADE =
        ResolvableType.forClassWithGenerics(ServerSentEvent.class, Trade.class);
    private static final ResolvableType SSE_OF_STRING =
        ResolvableType.forClassWithGenerics(ServerSentEvent.class, String.class);

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private final DiscardingChannel channel = new DiscardingChannel();
    private final Sse sse = new Sse(channel, SseOptions.NONE);

    private final DslJson<Object> dslJson = JsonBodyWriter.defaultDslJson();
    private final JsonWriter jsonWriter = dslJson.newWriter(512);
    private final JsonWriter.WriteObject<Trade> tradeConverter =
        Objects.requireNonNull(dslJson.tryFindWriter(Trade.class), "no compiled dsl-json converter for Trade");

    private final ObjectMapper objectMapper = new ObjectMapper();

    private final SpringMvcSseWriter springMvc = new SpringMvcSseWriter();
    private final ServerSentEventHttpMessageWriter webFluxWriter =
        new ServerSentEventHttpMessageWriter(new Jackson2JsonEncoder());
    private final WebFluxOutputMessage webFluxResponse = new WebFluxOutputMessage();

    /**
     * Check once per fork that every contender writes the same event for each case.
     *
     * @throws Exception if a contender fails.
     */
    @Setup
    public void checkEveryContenderWritesTheSameEvents() throws Exception
    {
        final SseStreamParser.Event text100 = new SseStreamParser.Event("message", TEXT_100, null, -1);
        final SseStreamParser.Event text4k = new SseStreamParser.Event("message", TEXT_4K, null, -1);
        encoder.writeJson(TRADE);
        final String tradeJson = new String(jsonBytesCopy(), StandardCharsets.UTF_8);
        final SseStreamParser.Event object = new SseStreamParser.Event(EVENT_NAME, tradeJson, Long.toString(ID), -1);

        final List<String> mismatches = new ArrayList<>();
        final FrameCheck check = new FrameCheck(objectMapper, mismatches);

        check.expect("text100_sseflowEncoder", text100, encoderFrame(text100_sseflowEncoder()));
        check.expect("object_sseflowEncoder", object, encoderFrame(object_sseflowEncoder()));
        check.expect("text4k_sseflowEncoder", text4k, encoderFrame(text4k_sseflowEncoder()));

        final ByteSink captured = new ByteSink();
        channel.capture(captured);
        try
        {
            text100_sseflowSse();
            check.expect("text100_sseflowSse", text100, captured.toByteArray());
            captured.reset();
            object_sseflowSse();
            check.expect("object_sseflowSse", object, captured.toByteArray());
            captured.reset();
            text4k_sseflowSse();
            check.expect("text4k_sseflowSse", text4k, captured.toByteArray());
        }
        finally
        {
            channel.capture(null);
        }

        final int jsonLength = object_dslJsonBody();
        check.expectJson("object_dslJsonBody", tradeJson,
            new String(jsonWriter.getByteBuffer(), 0, jsonLength, StandardCharsets.UTF_8));

        check.expect("text100_jdk", text100, text100_jdk());
        check.expect("text4k_jdk", text4k, text4k_jdk());
        check.expect("object_jackson", object, object_jackson());

        text100_springMvc();
        check.expect("text100_springMvc", text100, springMvc.body().toByteArray());
        object_springMvc();
        check.expect("object_springMvc", object, springMvc.body().toByteArray());
        text4k_springMvc();
        check.expect("text4k_springMvc", text4k, springMvc.body().toByteArray());

        text100_springWebFlux();
        check.expect("text100_springWebFlux", text100, webFluxResponse.body().toByteArray());
        object_springWebFlux();
        check.expect("object_springWebFlux", object, webFluxResponse.body().toByteArray());
        text4k_springWebFlux();
        check.expect("text4k_springWebFlux", text4k, webFluxResponse.body().toByteArray());

        if (!mismatches.isEmpty())
        {
            mismatches.forEach(System.err::println);
            throw new IllegalStateException(mismatches.size() + " contender(s) wrote a different event, see above");
        }
    }

    /**
     * (a) sseflow low-level encoder.
     *
     * @return bytes written.
     */
    @Benchmark
    public int text100_sseflowEncoder()
    {
        return encoder.encode(buffer, 0, buffer.capacity(), SseOptions.NONE, SseOptions.NONE, TEXT_100);
    }

    /**
     * (b) sseflow low-level encoder, numeric id and pre-built event name.
     *
     * @return bytes written.
     */
    @Benchmark
    public int object_sseflowEncoder()
    {
        return encoder.encodeWithId(buffer, 0, buffer.capacity(), TRADE_EVENT, ID, TRADE);
    }

    /**
     * (c) sseflow low-level encoder.
     *
     * @return bytes written.
     */
    @Benchmark
    public int text4k_sseflowEncoder()
    {
        return encoder.encode(buffer, 0, buffer.capacity(), SseOptions.NONE, SseOptions.NONE, TEXT_4K);
    }

    /**
     * (a) sseflow {@link Sse} facade.
     *
     * @return total bytes the channel received.
     * @throws IOException never (in-memory channel).
     */
    @Benchmark
    public long text100_sseflowSse() throws IOException
    {
        sse.write(TEXT_100);
        return channel.bytesWritten();
    }

    /**
     * (b) sseflow {@link Sse} facade with a pre-built override (event name and id).
     *
     * @return total bytes the channel received.
     * @throws IOException never (in-memory channel).
     */
    @Benchmark
    public long object_sseflowSse() throws IOException
    {
        sse.write(TRADE, TRADE_EVENT_AND_ID);
        return channel.bytesWritten();
    }

    /**
     * (c) sseflow {@link Sse} facade.
     *
     * @return total bytes the channel received.
     * @throws IOException never (in-memory channel).
     */
    @Benchmark
    public long text4k_sseflowSse() throws IOException
    {
        sse.write(TEXT_4K);
        return channel.bytesWritten();
    }

    /**
     * (b) floor: dsl-json's compiled converter writing the body only into a reused writer.
     *
     * @return JSON length.
     */
    @Benchmark
    public int object_dslJsonBody()
    {
        final JsonWriter writer = jsonWriter;
        writer.reset();
        tradeConverter.write(writer, TRADE);
        return writer.size();
    }

    /**
     * (a) JDK baseline.
     *
     * @return the frame.
     */
    @Benchmark
    public byte[] text100_jdk()
    {
        return jdkTextFrame(TEXT_100);
    }

    /**
     * (c) JDK baseline.
     *
     * @return the frame.
     */
    @Benchmark
    public byte[] text4k_jdk()
    {
        return jdkTextFrame(TEXT_4K);
    }

    /**
     * (b) Jackson and a hand-built frame.
     *
     * @return the frame.
     * @throws IOException if Jackson fails.
     */
    @Benchmark
    public byte[] object_jackson() throws IOException
    {
        final String json = objectMapper.writeValueAsString(TRADE);
        return new StringBuilder(json.length() + 64)
            .append("event: ").append(EVENT_NAME)
            .append("\nid: ").append(ID)
            .append("\ndata: ").append(json)
            .append("\n\n")
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * (a) Spring MVC {@code SseEmitter}.
     *
     * @return bytes written.
     * @throws IOException as Spring declares it.
     */
    @Benchmark
    public int text100_springMvc() throws IOException
    {
        springMvc.body().reset();
        springMvc.send(SseEmitter.event().data(TEXT_100));
        return springMvc.body().size();
    }

    /**
     * (b) Spring MVC {@code SseEmitter}.
     *
     * @return bytes written.
     * @throws IOException as Spring declares it.
     */
    @Benchmark
    public int object_springMvc() throws IOException
    {
        springMvc.body().reset();
        springMvc.send(SseEmitter.event().id(Long.toString(ID)).name(EVENT_NAME).data(TRADE));
        return springMvc.body().size();
    }

    /**
     * (c) Spring MVC {@code SseEmitter}.
     *
     * @return bytes written.
     * @throws IOException as Spring declares it.
     */
    @Benchmark
    public int text4k_springMvc() throws IOException
    {
        springMvc.body().reset();
        springMvc.send(SseEmitter.event().data(TEXT_4K));
        return springMvc.body().size();
    }

    /**
     * (a) Spring WebFlux {@code ServerSentEventHttpMessageWriter}.
     *
     * @return bytes written.
     */
    @Benchmark
    public int text100_springWebFlux()
    {
        return webFlux(ServerSentEvent.builder(TEXT_100).build(), SSE_OF_STRING);
    }

    /**
     * (b) Spring WebFlux {@code ServerSentEventHttpMessageWriter} with {@code Jackson2JsonEncoder}.
     *
     * @return bytes written.
     */
    @Benchmark
    public int object_springWebFlux()
    {
        return webFlux(
            ServerSentEvent.builder(TRADE).id(Long.toString(ID)).event(EVENT_NAME).build(), SSE_OF_TRADE);
    }

    /**
     * (c) Spring WebFlux {@code ServerSentEventHttpMessageWriter}.
     *
     * @return bytes written.
     */
    @Benchmark
    public int text4k_springWebFlux()
    {
        return webFlux(ServerSentEvent.builder(TEXT_4K).build(), SSE_OF_STRING);
    }

    private int webFlux(final ServerSentEvent<?> event, final ResolvableType type)
    {
        final WebFluxOutputMessage response = webFluxResponse;
        response.body().reset();
        webFluxWriter.write(Mono.just(event), type, null, response, Hints.none()).block();
        return response.body().size();
    }

    /**
     * The hand-rolled frame: a {@code data:} line per line of text (split at CRLF, CR and LF), then UTF-8.
     */
    private static byte[] jdkTextFrame(final String text)
    {
        final int length = text.length();
        final StringBuilder frame = new StringBuilder(length + 64 + (length >> 3));
        frame.append("data: ");
        int lineStart = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c == '\n' || c == '\r')
            {
                frame.append(text, lineStart, i).append("\ndata: ");
                if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n')
                {
                    i++;
                }
                lineStart = i + 1;
            }
        }
        frame.append(text, lineStart, length).append("\n\n");
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encoderFrame(final int length)
    {
        if (length < 0)
        {
            throw new IllegalStateException("encoder returned " + length);
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    private byte[] jsonBytesCopy()
    {
        final int length = encoder.writeJson(TRADE);
        final byte[] json = new byte[length];
        System.arraycopy(encoder.jsonBytes(), 0, json, 0, length);
        return json;
    }

    /**
     * Compares a contender's frame with the expected event; JSON data is compared as JSON (key order and number
     * formatting may legitimately differ between libraries).
     */
    private record FrameCheck(ObjectMapper mapper, List<String> mismatches)
    {
        void expect(final String contender, final SseStreamParser.Event expected, final byte[] frame)
        {
            final List<SseStreamParser.Event> events;
            try
            {
                events = SseStreamParser.parse(frame, 0, frame.length);
            }
            catch (final RuntimeException ex)
            {
                mismatches.add(contender + ": not a well-formed SSE stream (" + ex.getMessage() + "): " + show(frame));
                return;
            }
            if (events.size() != 1)
            {
                mismatches.add(contender + ": " + events.size() + " events instead of 1: " + show(frame));
                return;
            }
            final SseStreamParser.Event actual = events.get(0);
            final boolean dataMatches = expected.type().equals("message") ?
                expected.data().equals(actual.data()) : sameJson(expected.data(), actual.data());
            if (!dataMatches || !expected.type().equals(actual.type()) || !Objects.equals(expected.id(), actual.id()) ||
                expected.retry() != actual.retry())
            {
                mismatches.add(contender + ": expected " + abbreviate(expected.toString()) + " but got " +
                    abbreviate(actual.toString()) + " from " + show(frame));
            }
        }

        void expectJson(final String contender, final String expected, final String actual)
        {
            if (!sameJson(expected, actual))
            {
                mismatches.add(contender + ": expected JSON " + expected + " but got " + actual);
            }
        }

        private boolean sameJson(final String expected, final String actual)
        {
            try
            {
                return mapper.readTree(expected).equals(mapper.readTree(actual));
            }
            catch (final IOException ex)
            {
                return false;
            }
        }

        private static String show(final byte[] frame)
        {
            return abbreviate(new String(frame, StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r"));
        }

        private static String abbreviate(final String text)
        {
            return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
        }
    }
}
