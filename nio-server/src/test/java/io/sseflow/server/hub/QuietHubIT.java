package io.sseflow.server.hub;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quiet figure every attack test compares with: the {@link ControlProbe} beside no attack, on the hub jar with
 * the small container's memory flags ({@code mvn -B -pl nio-server -am verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=QuietHubIT}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuietHubIT
{
    @Test
    void shouldDeliverEveryControlEventPromptlyWhenNothingElseHappens() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-quiet", ".err");
        final Process hub = ChildProcess.startHubJar(
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0");
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            final ControlProbe probe = ControlProbe.start(port, 10_000);
            Await.pause(3_000);
            probe.close();
            final ControlProbe.Figures figures = probe.assertUnaffected(1_000, "quiet hub");
            System.out.println("QuietHubIT: " + figures);
            assertTrue(figures.received() >= 20, "about 30 control events in 3 s: " + figures);
        }
        finally
        {
            ChildProcess.stop(hub, Duration.ofSeconds(10));
            Files.deleteIfExists(stderr);
        }
    }
}
