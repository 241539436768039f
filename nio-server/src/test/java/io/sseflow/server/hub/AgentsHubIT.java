package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub jar with {@code --agents 2} ({@code mvn -B -pl nio-server -am verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AgentsHubIT}): subscribers on both agents get the same bytes of
 * events published over HTTP, a burst of short-lived subscribers on both agents leaves the {@link ControlProbe}'s
 * stream on time, {@code /metrics} counts the hub's subscribers and events once, and SIGTERM ends it gracefully.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentsHubIT
{
    @Test
    void shouldServeSubscribersOnBothAgentsFromOneSequence() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-agents", ".err");
        final Process hub = ChildProcess.startHubJar(
            List.of("-Xmx256m"), ProcessBuilder.Redirect.to(stderr.toFile()), "--port", "0", "--agents", "2");
        final List<RawSseClient> clients = new ArrayList<>();
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            for (int i = 0; i < 4; i++)
            {
                final RawSseClient client = RawSseClient.get(port, "/events/news");
                client.timeout(10_000);
                client.readHead();
                clients.add(client);
            }
            Await.value(() -> metric(port, "sseflow_subscribers"), 4, "subscribers of both agents");
            final ControlProbe probe = ControlProbe.start(port, 20_000);

            final StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= 20; i++)
            {
                final String answer = RawHttp.post(port, "/events/news", "e" + i);
                assertEquals(i + "\n", RawHttp.body(answer), answer);
                expected.append("id: ").append(i).append("\ndata: e").append(i).append("\n\n");
            }
            for (final RawSseClient client : clients)
            {
                assertEquals(expected.toString(), client.readBytes(expected.length()));
            }

            for (int i = 0; i < 200; i++)
            {
                try (RawSseClient shortLived = RawSseClient.get(port, "/events/burst-" + (i % 10), "Last-Event-ID: 0"))
                {
                    shortLived.timeout(10_000);
                    shortLived.readHead();
                }
            }
            probe.close();
            final ControlProbe.Figures figures = probe.assertUnaffected(1_000, "two agents, a burst of subscribers");
            System.out.println("AgentsHubIT: " + figures);
            Await.value(() -> metric(port, "sseflow_events_published_total"), 20 + figures.published(),
                "events (ours and the probe's), counted once though both agents append each");
        }
        finally
        {
            for (final RawSseClient client : clients)
            {
                client.close();
            }
            assertTrue(ChildProcess.stop(hub, Duration.ofSeconds(20)), "stopped by SIGTERM");
            assertEquals(143, hub.exitValue(), "SIGTERM: " + Files.readString(stderr));
            Files.deleteIfExists(stderr);
        }
    }

    private static long metric(final int port, final String name)
    {
        try
        {
            final Matcher value = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(RawHttp.metrics(port));
            return value.find() ? Long.parseLong(value.group(1)) : -1;
        }
        catch (final java.io.IOException ex)
        {
            return -2;
        }
    }
}
