package io.sseflow.server.hub;

import io.sseflow.server.sequencer.EventIds;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 items 6 to 8 as a publisher would try them on the hub jar (the small container's memory flags, open
 * publishing on loopback), the {@link ControlProbe} beside: an 18-digit id that would push a topic's assigned ids out
 * of what a {@code Last-Event-ID} finds, a private update whose id would show in the topic's public ids, and updates of
 * two topics whose id only one retains, each repeated in a bounded loop; then the topic's ids still resume exactly and
 * nothing refused reached a subscriber ({@code mvn -B -pl nio-server -am verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=IdAttackIT}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdAttackIT
{
    private static final int ROUNDS = 1_000;
    private static final long MAX_ATTACK_MILLIS = 60_000;
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";

    @Test
    void shouldRefusePoisonedAndConflictingIdsAndKeepPrivateIdsOutOfPublicOnesUnderRepetition() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-ids", ".err");
        final Process hub = ChildProcess.startHubJar(
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0");
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            assertEquals("1\n", RawHttp.body(RawHttp.post(port, "/events/orders", "first")));
            assertEquals("x", RawHttp.body(mercure(port, "topic=orders&id=x&data=on-orders")));
            try (RawSseClient audit = RawSseClient.get(port, "/events/audit");
                RawSseClient orders = RawSseClient.get(port, "/events/orders"))
            {
                audit.readHead();
                orders.readHead();
                final ControlProbe probe = ControlProbe.start(port, MAX_ATTACK_MILLIS + 10_000);
                final long started = System.nanoTime();
                final long deadline = started + TimeUnit.MILLISECONDS.toNanos(MAX_ATTACK_MILLIS);
                int rounds = 0;
                for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++)
                {
                    final String poison = RawHttp.post(port, "/events/orders?id=999999999999999999", "poison");
                    assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(poison), poison);
                    assertEquals(EventIds.OUT_OF_RANGE_REASON + "\n", RawHttp.body(poison));
                    final String secret = mercure(port, "topic=orders&id=" + (7000 + rounds) + "&data=secret&private=on");
                    assertEquals(String.valueOf(7000 + rounds), RawHttp.body(secret), secret);
                    final String conflict = mercure(port, "topic=orders&topic=audit&id=x&data=lost+for+audit");
                    assertEquals("HTTP/1.1 409 Conflict", RawHttp.status(conflict), conflict);
                    final String reordered = mercure(port, "topic=audit&topic=orders&id=x&data=twice+on+orders");
                    assertEquals("HTTP/1.1 409 Conflict", RawHttp.status(reordered), reordered);
                    assertEquals((2 + rounds) + "\n", RawHttp.body(RawHttp.post(port, "/events/orders", "public")),
                        "the next public id of orders, whatever the private updates");
                }
                final long attackMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                probe.close();
                final ControlProbe.Figures figures = probe.assertUnaffected(1_000, "id attack");
                System.out.println("IdAttackIT: " + rounds + " rounds (" + 5 * rounds + " publishes) in " +
                    attackMillis + " ms; " + figures);
                assertEquals(ROUNDS, rounds, "every round within " + MAX_ATTACK_MILLIS + " ms");

                assertEquals("sentinel", RawHttp.body(mercure(port, "topic=audit&id=sentinel&data=end")));
                final String auditFrames = "id: sentinel\ndata: end\n\n";
                assertEquals(auditFrames, audit.readBytes(auditFrames.length()), "nothing refused reached audit");
                final StringBuilder publicIds = new StringBuilder();
                for (int i = 0; i < ROUNDS; i++)
                {
                    publicIds.append("id: ").append(2 + i).append("\ndata: public\n\n");
                }
                assertEquals(publicIds.toString(), orders.readBytes(publicIds.length()), "orders: its public events only");
            }
            final String last = String.valueOf(ROUNDS + 1);
            assertEquals((ROUNDS + 2) + "\n", RawHttp.body(RawHttp.post(port, "/events/orders", "after")));
            try (RawSseClient resumed = RawSseClient.get(port, "/events/orders", "Last-Event-ID: " + last))
            {
                resumed.readHead();
                final String frames = "id: " + (ROUNDS + 2) + "\ndata: after\n\n";
                assertEquals(frames, resumed.readBytes(frames.length()), "an exact resume");
            }
            final String metrics = RawHttp.metrics(port);
            assertTrue(metrics.contains("sseflow_requests_refused_total{reason=\"id_out_of_range\"} " + ROUNDS + "\n"),
                metrics);
            assertTrue(metrics.contains("sseflow_requests_refused_total{reason=\"id_conflict\"} " + 2 * ROUNDS + "\n"),
                metrics);
            assertTrue(hub.isAlive(), "the hub is up");
        }
        finally
        {
            ChildProcess.stop(hub, Duration.ofSeconds(10));
            Files.deleteIfExists(stderr);
        }
    }

    private static String mercure(final int port, final String form) throws Exception
    {
        return RawHttp.post(port, "/.well-known/mercure", form, FORM);
    }
}
