package io.sseflow.benchmarks.server;

import com.dslplatform.json.CompiledJson;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.SequencedEventHandler;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link Topic#publish} on the publishing thread, through a running embedded {@link SseServer} with no
 * subscribers: encoding the publish record (text as it is, or a compiled-JSON object through dsl-json) and handing
 * it to the sequencer's ring. Two ways to empty the ring ({@code drain}): {@code agent}, the server agent appending
 * every event to the topic's history as in production (when it is slower than the publisher, the figure is its
 * rate); {@code ring}, a thread that only polls the ring and drops the records (the agent sees none), so the
 * figure is the publisher's own path. A {@link PublishResult#BACK_PRESSURED} answer is retried after a spin wait
 * and counted in {@code backPressured}, so one operation is one event taken; {@code -prof gc} reports the bytes
 * allocated per event by every thread, the agent's included.
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests                                              # build
 * java -jar benchmarks/target/benchmarks.jar PublishPathBenchmark -prof gc                    # full run
 * java -jar benchmarks/target/benchmarks.jar PublishPathBenchmark -prof gc -f 1 -wi 3 -i 5 -w 1s -r 1s  # quick
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g" })
public class PublishPathBenchmark
{
    /**
     * About 100 characters of text, one {@code data:} line.
     */
    public static final String TEXT =
        "Order 4711 filled: 250 shares of ACME at 187.25 on XNAS, nothing left; client reference A-2026-000913.";

    private static final SseOptions QUOTE_EVENT = SseOptions.event("quote");

    private final Quote quote = new Quote("ACME", "XNAS", 9_876_543_210L, 187.25, true);

    /**
     * Who empties the publish ring: {@code agent} (the server) or {@code ring} (a thread dropping the records).
     */
    @Param({ "agent", "ring" })
    public String drain;
    private SseServer server;
    private Topic topic;

    /**
     * A six-field object with a converter generated at compile time by dsl-json.
     */
    @CompiledJson
    public static final class Quote
    {
        /** Instrument. */
        public String symbol;
        /** Market. */
        public String venue;
        /** Sequence number of the quote. */
        public long sequence;
        /** Price per share. */
        public double price;
        /** Is the market open? */
        public boolean open;

        /**
         * For dsl-json.
         */
        public Quote()
        {
        }

        /**
         * A quote.
         *
         * @param symbol   instrument.
         * @param venue    market.
         * @param sequence number of the quote.
         * @param price    per share.
         * @param open     is the market open?
         */
        public Quote(final String symbol, final String venue, final long sequence, final double price, final boolean open)
        {
            this.symbol = symbol;
            this.venue = venue;
            this.sequence = sequence;
            this.price = price;
            this.open = open;
        }
    }

    /**
     * Publishes answered {@link PublishResult#BACK_PRESSURED} and retried, per iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Retries
    {
        /** Back-pressured answers. */
        public long backPressured;

        /**
         * Start each iteration at zero.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            backPressured = 0;
        }
    }

    /**
     * Start the server on an ephemeral loopback port, with a history small enough to keep evicting.
     */
    @Setup(Level.Trial)
    public void start()
    {
        final SseServer.Builder builder =
            SseServer.builder().host("127.0.0.1").port(0).httpPublish(false).demoPage(false).history(1024);
        if ("ring".equals(drain))
        {
            builder.eventSequencer(DroppingSequencer::new);
        }
        server = builder.start();
        topic = server.topic("bench");
    }

    /**
     * Stop the server.
     */
    @TearDown(Level.Trial)
    public void stop()
    {
        server.close();
    }

    /**
     * Publish about 100 characters of text, default options.
     *
     * @param retries counts back-pressured answers.
     * @return the result, so nothing is optimised away.
     */
    @Benchmark
    public PublishResult text(final Retries retries)
    {
        PublishResult result;
        while ((result = topic.publish(TEXT)) == PublishResult.BACK_PRESSURED)
        {
            retries.backPressured++;
            Thread.onSpinWait();
        }
        return check(result);
    }

    /**
     * Publish a six-field object as JSON with an event name.
     *
     * @param retries counts back-pressured answers.
     * @return the result, so nothing is optimised away.
     */
    @Benchmark
    public PublishResult compiledJson(final Retries retries)
    {
        PublishResult result;
        while ((result = topic.publish(quote, QUOTE_EVENT)) == PublishResult.BACK_PRESSURED)
        {
            retries.backPressured++;
            Thread.onSpinWait();
        }
        return check(result);
    }

    /**
     * The in-memory sequencer, emptied by a thread of its own that drops every record; the agent polls nothing.
     */
    static final class DroppingSequencer implements EventSequencer
    {
        private final InMemoryEventSequencer ring;
        private final Thread dropper;
        private volatile boolean running = true;

        DroppingSequencer(final int capacity)
        {
            ring = new InMemoryEventSequencer(capacity);
            dropper = new Thread(this::dropAll, "publish-ring-dropper");
            dropper.setDaemon(true);
            dropper.start();
        }

        private void dropAll()
        {
            final SequencedEventHandler drop = (buffer, offset, length, seq, numericId) -> {};
            while (running)
            {
                if (0 == ring.poll(drop, 256))
                {
                    Thread.onSpinWait();
                }
            }
        }

        public PublishResult tryClaim(final int length, final PublishClaim claim)
        {
            return ring.tryClaim(length, claim);
        }

        public void commit(final PublishClaim claim)
        {
            ring.commit(claim);
        }

        public void abort(final PublishClaim claim)
        {
            ring.abort(claim);
        }

        public int maxRecordLength()
        {
            return ring.maxRecordLength();
        }

        public int poll(final SequencedEventHandler handler, final int limit)
        {
            return 0;
        }

        public void close()
        {
            running = false;
            ring.close();
        }
    }

    private static PublishResult check(final PublishResult result)
    {
        if (result != PublishResult.OK)
        {
            throw new IllegalStateException("publish failed: " + result);
        }
        return result;
    }
}
