package io.sseflow.benchmarks.server;

import com.dslplatform.json.CompiledJson;
import io.sseflow.encoder.SseOptions;
import io.sseflow.server.PublishResult;
import io.sseflow.server.ServerCounter;
import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.sequencer.EventSequencer;
import io.sseflow.server.sequencer.InMemoryEventSequencer;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.SequencedEventHandler;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Cost per event of {@link Topic#publish} on the publishing thread, through a running embedded {@link SseServer}
 * with no subscribers: encoding the publish record (text as it is, or a compiled-JSON object through dsl-json) and
 * handing it to the sequencer's ring. One invocation publishes a fixed batch of {@value #BATCH} events into a ring
 * that holds them all, so the figure is the batch's time over {@value #BATCH}, never a wait for ring space. Who
 * empties the ring ({@code drain}):
 * <ul>
 *     <li>{@code ring}: nothing while the batch is published; the benchmark thread drops the records between
 *     invocations, outside the measurement (the agent polls nothing). No other thread works during the
 *     measurement: the figure is the publisher's own path.</li>
 *     <li>{@code agent}: the server agent, as in production: it appends every event to the topic's history while the
 *     batch is published, and the invocation ends once it has appended the whole batch, so the figure is the
 *     pipeline's (publisher and agent on two cores), the slower of the two. The agent busy-spins here (the
 *     default idle strategy parks an idle agent for up to 1 ms, and every batch would start with that wait).</li>
 * </ul>
 * Baseline, {@code jdkText}: the JDK way of handing an event to another thread, the same text framed as
 * {@code data: ...\n\n} with string concatenation and {@code getBytes(UTF_8)}, offered to an
 * {@link ArrayBlockingQueue} that is emptied between invocations (it does not depend on {@code drain}). A
 * {@link PublishResult#BACK_PRESSURED} answer (not expected: the ring holds a batch) is retried after a spin wait and
 * counted in {@code backPressured}; {@code -prof gc} reports the bytes allocated per event by every thread, the
 * agent's included.
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests                                                  # build
 * java -jar benchmarks/target/benchmarks.jar PublishPathBenchmark -prof gc                        # full run
 * java -jar benchmarks/target/benchmarks.jar PublishPathBenchmark -prof gc -f 1 -wi 3 -i 5 -w 1s -r 1s  # quick
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Threads(1)
@Fork(value = 3, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g" })
@OperationsPerInvocation(PublishPathBenchmark.BATCH)
public class PublishPathBenchmark
{
    /**
     * Events published per invocation.
     */
    public static final int BATCH = 1_000;

    /**
     * About 100 characters of text, one {@code data:} line.
     */
    public static final String TEXT =
        "Order 4711 filled: 250 shares of ACME at 187.25 on XNAS, nothing left; client reference A-2026-000913.";

    private static final SseOptions QUOTE_EVENT = SseOptions.event("quote");
    private static final long AGENT_WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int AWAIT_SPINS = 64;

    private final Quote quote = new Quote("ACME", "XNAS", 9_876_543_210L, 187.25, true);
    private final ArrayBlockingQueue<byte[]> jdkQueue = new ArrayBlockingQueue<>(BATCH);

    /**
     * Who empties the publish ring: {@code agent} (the server, during the batch) or {@code ring} (the benchmark
     * thread, between batches).
     */
    @Param({ "agent", "ring" })
    public String drain;
    private SseServer server;
    private Topic topic;
    private HeldSequencer held;
    private long appendedBefore;

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
     * Start the server on an ephemeral loopback port, with a history small enough to keep evicting and a ring that
     * holds several batches.
     */
    @Setup(Level.Trial)
    public void start()
    {
        final SseServer.Builder builder = SseServer.builder().host("127.0.0.1").port(0).httpPublish(false)
            .demoPage(false).history(1024).publishRingBytes(4 * 1024 * 1024);
        if ("ring".equals(drain))
        {
            builder.eventSequencer((capacity) -> held = new HeldSequencer(capacity));
        }
        else
        {
            // the default idle strategy parks the idle agent for up to 1 ms: each batch would start with that wait
            builder.idleStrategy(BusySpinIdleStrategy::new);
        }
        server = builder.start();
        topic = server.topic("bench");
    }

    /**
     * Before each batch: note what the agent has appended so far.
     */
    @Setup(Level.Invocation)
    public void beforeBatch()
    {
        appendedBefore = server.metrics().get(ServerCounter.EVENTS_PUBLISHED);
    }

    /**
     * After each batch, outside the measurement: empty the ring ({@code ring}) and the baseline's queue.
     */
    @TearDown(Level.Invocation)
    public void afterBatch()
    {
        if (null != held)
        {
            held.dropAll();
        }
        jdkQueue.clear();
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
     * Publish about 100 characters of text, default options, {@value #BATCH} times.
     *
     * @param retries counts back-pressured answers.
     * @return the last result, so nothing is optimised away.
     */
    @Benchmark
    public PublishResult text(final Retries retries)
    {
        PublishResult result = null;
        for (int i = 0; i < BATCH; i++)
        {
            while ((result = topic.publish(TEXT)) == PublishResult.BACK_PRESSURED)
            {
                retries.backPressured++;
                Thread.onSpinWait();
            }
            check(result);
        }
        awaitAgent();
        return result;
    }

    /**
     * Publish a six-field object as JSON with an event name, {@value #BATCH} times.
     *
     * @param retries counts back-pressured answers.
     * @return the last result, so nothing is optimised away.
     */
    @Benchmark
    public PublishResult compiledJson(final Retries retries)
    {
        PublishResult result = null;
        for (int i = 0; i < BATCH; i++)
        {
            while ((result = topic.publish(quote, QUOTE_EVENT)) == PublishResult.BACK_PRESSURED)
            {
                retries.backPressured++;
                Thread.onSpinWait();
            }
            check(result);
        }
        awaitAgent();
        return result;
    }

    /**
     * Baseline: the same text framed with string concatenation and {@code getBytes(UTF_8)}, offered to an
     * {@link ArrayBlockingQueue}, {@value #BATCH} times.
     *
     * @return the queue, so nothing is optimised away.
     */
    @Benchmark
    public ArrayBlockingQueue<byte[]> jdkText()
    {
        for (int i = 0; i < BATCH; i++)
        {
            if (!jdkQueue.offer(("data: " + TEXT + "\n\n").getBytes(StandardCharsets.UTF_8)))
            {
                throw new IllegalStateException("queue full");
            }
        }
        return jdkQueue;
    }

    /**
     * With {@code drain=agent}, wait until the agent has appended the whole batch.
     */
    private void awaitAgent()
    {
        if (null == held)
        {
            final long target = appendedBefore + BATCH;
            final long deadline = System.nanoTime() + AGENT_WAIT_NS;
            while (server.metrics().get(ServerCounter.EVENTS_PUBLISHED) < target)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("the agent did not append the batch within 10 s");
                }
                // read the agent's counter every few microseconds, not in a tight loop that keeps taking its cache
                // line away from the agent
                for (int spin = 0; spin < AWAIT_SPINS; spin++)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * The in-memory sequencer, whose records the agent never sees: the benchmark thread drops them between batches.
     */
    static final class HeldSequencer implements EventSequencer
    {
        private static final SequencedEventHandler DROP = (buffer, offset, length, seq, numericId) -> {};

        private final InMemoryEventSequencer ring;

        HeldSequencer(final int capacity)
        {
            ring = new InMemoryEventSequencer(capacity);
        }

        /**
         * Drop every record in the ring; the one consumer, called on the benchmark thread between batches.
         */
        void dropAll()
        {
            while (ring.poll(DROP, Integer.MAX_VALUE) > 0)
            {
                Thread.onSpinWait();
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
