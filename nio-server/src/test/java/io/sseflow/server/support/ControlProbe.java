package io.sseflow.server.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attack does to everyone else, measured beside it: a control subscriber on its own topic that receives an
 * event published every 100 ms (each carrying the time it was sent, so a stall shows up as that event's latency),
 * and a {@code GET /healthz} every 100 ms on a fresh connection. Start it before the attack, {@link #close()} it
 * after, then read the {@link Figures} or {@link #assertUnaffected} them.
 * <p>
 * Both loops are bounded: they stop at {@link #close()} or after {@code maxDuration}, whichever comes first.
 */
public final class ControlProbe implements AutoCloseable
{
    /**
     * The pause between two control publishes and between two health checks.
     */
    public static final long PERIOD_MILLIS = 100;

    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final int port;
    private final String topic;
    private final String[] publishHeaders;
    private final long deadlineNanos;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final RawSseClient subscriber;
    private final Thread publisher;
    private final Thread receiver;
    private final Thread health;
    private final List<Long> deliveryNanos = new ArrayList<>();
    private final List<Long> healthNanos = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private long published;
    private long received;

    private ControlProbe(
        final int port, final String topic, final String[] subscribeHeaders, final String[] publishHeaders,
        final long maxDurationMillis) throws IOException
    {
        this.port = port;
        this.topic = topic;
        this.publishHeaders = publishHeaders;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxDurationMillis);
        subscriber = RawSseClient.get(port, "/events/" + topic, subscribeHeaders);
        subscriber.timeout(READ_TIMEOUT_MILLIS);
        final String head = subscriber.readHead();
        assertTrue(head.startsWith("HTTP/1.1 200"), "control subscription: " + head);
        receiver = new Thread(this::receive, "control-subscriber");
        publisher = new Thread(this::publish, "control-publisher");
        health = new Thread(this::checkHealth, "control-healthz");
    }

    /**
     * Start the control subscriber on {@code /events/control-probe}, its publisher and the health checks, on an
     * open hub (no token needed).
     *
     * @param port              the hub's port.
     * @param maxDurationMillis the longest the loops run if {@link #close()} is not called sooner.
     * @return the running probe.
     * @throws IOException when the control subscription cannot be opened.
     */
    public static ControlProbe start(final int port, final long maxDurationMillis) throws IOException
    {
        return start(port, maxDurationMillis, new String[0], new String[0]);
    }

    /**
     * Start the probe with extra header lines for its subscription and its publishes (tokens).
     *
     * @param port              the hub's port.
     * @param maxDurationMillis the longest the loops run if {@link #close()} is not called sooner.
     * @param subscribeHeaders  header lines of the control subscription, without CRLF.
     * @param publishHeaders    header lines of each control publish, without CRLF.
     * @return the running probe.
     * @throws IOException when the control subscription cannot be opened.
     */
    public static ControlProbe start(
        final int port, final long maxDurationMillis, final String[] subscribeHeaders, final String[] publishHeaders)
        throws IOException
    {
        final ControlProbe probe =
            new ControlProbe(port, "control-probe", subscribeHeaders, publishHeaders, maxDurationMillis);
        probe.receiver.start();
        probe.publisher.start();
        probe.health.start();
        return probe;
    }

    /**
     * Stop the loops, wait for the last control event (up to 5 s) and close the subscription.
     */
    public void close() throws InterruptedException, IOException
    {
        running.set(false);
        publisher.join(TimeUnit.SECONDS.toMillis(40));
        health.join(TimeUnit.SECONDS.toMillis(40));
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (receivedCount() < publishedCount() && System.nanoTime() < until)
        {
            Await.pause(10);
        }
        subscriber.close();
        receiver.join(TimeUnit.SECONDS.toMillis(40));
    }

    /**
     * The figures so far.
     *
     * @return latencies in milliseconds and counts.
     */
    public synchronized Figures figures()
    {
        return new Figures(
            published, received, percentileMillis(deliveryNanos, 50), percentileMillis(deliveryNanos, 99),
            maxMillis(deliveryNanos), healthNanos.size(), percentileMillis(healthNanos, 50),
            percentileMillis(healthNanos, 99), maxMillis(healthNanos), List.copyOf(problems));
    }

    /**
     * Fail unless every control event arrived, in order, every health check answered {@code 200}, and the worst
     * delivery and health-check latency were under {@code worstMillis}.
     *
     * @param worstMillis the bound on both worst cases.
     * @param what        the attack, for the messages.
     * @return the figures, to print.
     */
    public Figures assertUnaffected(final long worstMillis, final String what)
    {
        final Figures figures = figures();
        assertTrue(figures.problems().isEmpty(), what + ": " + figures.problems());
        assertTrue(figures.published() > 0 && figures.healthChecks() > 0, what + ": the probe ran: " + figures);
        assertEquals(figures.published(), figures.received(), what + ": every control event arrived: " + figures);
        assertTrue(figures.worstDeliveryMillis() < worstMillis,
            what + ": worst control delivery under " + worstMillis + " ms: " + figures);
        assertTrue(figures.worstHealthMillis() < worstMillis,
            what + ": worst /healthz under " + worstMillis + " ms: " + figures);
        return figures;
    }

    private void publish()
    {
        long sequence = 0;
        while (running.get() && System.nanoTime() < deadlineNanos)
        {
            final long sent = System.nanoTime();
            try
            {
                final String response = RawHttp.post(port, "/events/" + topic, ++sequence + " " + sent,
                    publishHeaders);
                if (!"HTTP/1.1 200 OK".equals(RawHttp.status(response)))
                {
                    problem("control publish " + sequence + ": " + RawHttp.status(response));
                    return;
                }
                synchronized (this)
                {
                    published = sequence;
                }
            }
            catch (final IOException ex)
            {
                problem("control publish " + sequence + ": " + ex);
                return;
            }
            Await.pause(Math.max(0, PERIOD_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)));
        }
    }

    private void receive()
    {
        long expected = 1;
        while (true)
        {
            final SseEvent event;
            try
            {
                event = subscriber.nextEvent();
            }
            catch (final IOException ex)
            {
                if (running.get())
                {
                    problem("control subscriber: " + ex);
                }
                return;
            }
            if (null == event)
            {
                if (running.get())
                {
                    problem("control subscriber: end of stream after " + (expected - 1) + " events");
                }
                return;
            }
            final long now = System.nanoTime();
            final String[] fields = event.data().split(" ");
            final long sequence = Long.parseLong(fields[0]);
            synchronized (this)
            {
                if (sequence != expected)
                {
                    problems.add("control event " + sequence + " arrived where " + expected + " was due");
                }
                expected = sequence + 1;
                received++;
                deliveryNanos.add(now - Long.parseLong(fields[1]));
            }
        }
    }

    private void checkHealth()
    {
        while (running.get() && System.nanoTime() < deadlineNanos)
        {
            final long start = System.nanoTime();
            try
            {
                final String response = RawHttp.get(port, "/healthz", "Connection: close");
                if (!"HTTP/1.1 200 OK".equals(RawHttp.status(response)))
                {
                    problem("/healthz: " + RawHttp.status(response));
                }
            }
            catch (final IOException ex)
            {
                problem("/healthz: " + ex);
            }
            final long took = System.nanoTime() - start;
            synchronized (this)
            {
                healthNanos.add(took);
            }
            Await.pause(Math.max(0, PERIOD_MILLIS - TimeUnit.NANOSECONDS.toMillis(took)));
        }
    }

    private synchronized long publishedCount()
    {
        return published;
    }

    private synchronized long receivedCount()
    {
        return received;
    }

    private synchronized void problem(final String problem)
    {
        problems.add(problem);
    }

    private static double percentileMillis(final List<Long> nanos, final int percentile)
    {
        if (nanos.isEmpty())
        {
            return 0;
        }
        final long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        final int index = Math.min(sorted.length - 1, (int)Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static double maxMillis(final List<Long> nanos)
    {
        return nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
    }

    /**
     * What the probe saw.
     *
     * @param published           control events published (each answered 200).
     * @param received            control events received.
     * @param medianDeliveryMillis median publish-to-receive latency.
     * @param p99DeliveryMillis   99th percentile publish-to-receive latency.
     * @param worstDeliveryMillis worst publish-to-receive latency.
     * @param healthChecks        health checks made.
     * @param medianHealthMillis  median health-check round trip.
     * @param p99HealthMillis     99th percentile health-check round trip.
     * @param worstHealthMillis   worst health-check round trip.
     * @param problems            anything that went wrong (refusals, errors, events out of order).
     */
    public record Figures(
        long published, long received, double medianDeliveryMillis, double p99DeliveryMillis,
        double worstDeliveryMillis, int healthChecks, double medianHealthMillis, double p99HealthMillis,
        double worstHealthMillis, List<String> problems)
    {
        /**
         * {@inheritDoc}
         */
        public String toString()
        {
            return String.format(
                "control %d/%d events, delivery median %.1f ms p99 %.1f ms worst %.1f ms; /healthz %d checks median " +
                "%.1f ms p99 %.1f ms worst %.1f ms%s", received, published, medianDeliveryMillis, p99DeliveryMillis,
                worstDeliveryMillis, healthChecks, medianHealthMillis, p99HealthMillis, worstHealthMillis,
                problems.isEmpty() ? "" : "; problems " + problems);
        }
    }
}
