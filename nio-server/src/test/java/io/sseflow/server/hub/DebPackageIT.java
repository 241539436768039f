package io.sseflow.server.hub;

import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Debian package the build makes ({@code packaging/deb}, {@code target/sseflow_<version>_all.deb}) installed with
 * {@code dpkg -i}: the service user, data dir, launcher, configuration and systemd unit are in place and the unit
 * passes {@code systemd-analyze verify}; the launcher, run as the service runs it (user {@code sseflow}, the
 * environment of {@code /etc/default/sseflow}, {@code --config /etc/sseflow/sseflow.properties}; the port moved to a
 * free one with {@code SSEFLOW_PORT=0}), serves a publish and a subscription and exits 143 on SIGTERM, which the
 * unit counts as success; {@code dpkg --purge} removes it all. Needs root and dpkg (CI runs as root), and changes
 * this machine while it runs: it purges the package in any case.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DebPackageIT
{
    @Test
    void shouldInstallRunAsTheServiceWouldAndPurge() throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root");
        assumeTrue(new File("/usr/bin/dpkg").canExecute(), "needs dpkg");
        final Path deb = builtPackage();
        assumeTrue(null != deb, "no target/sseflow_*_all.deb: the build makes it where dpkg-deb exists");
        assumeTrue(0 != run("dpkg", "-s", "sseflow"), "sseflow is installed on this machine already: not touching it");

        Process hub = null;
        try
        {
            assertEquals(0, run("dpkg", "-i", deb.toString()), "dpkg -i");
            assertEquals(0, run("getent", "passwd", "sseflow"), "the service user");
            assertTrue(Files.isDirectory(Path.of("/var/lib/sseflow")), "the data dir");
            assertTrue(Files.isExecutable(Path.of("/usr/bin/sseflow-hub")));
            assertTrue(Files.readString(Path.of("/lib/systemd/system/sseflow.service"))
                .contains("ExecStart=/usr/bin/sseflow-hub --config /etc/sseflow/sseflow.properties\n"));
            if (new File("/usr/bin/systemd-analyze").canExecute())
            {
                assertEquals(0, run("systemd-analyze", "verify", "/lib/systemd/system/sseflow.service"),
                    "systemd-analyze verify");
            }

            final List<String> command = new ArrayList<>(List.of("runuser", "-u", "sseflow", "--", "env"));
            for (final String line : Files.readAllLines(Path.of("/etc/default/sseflow")))
            {
                if (!line.isBlank() && !line.startsWith("#"))
                {
                    command.add(line.replace("\"", ""));
                }
            }
            command.addAll(List.of("SSEFLOW_PORT=0", "PATH=" + new File(ChildProcess.javaBinary()).getParent() +
                ":/usr/bin:/bin", "/usr/bin/sseflow-hub", "--config", "/etc/sseflow/sseflow.properties"));
            final File stderr = File.createTempFile("sseflow-deb", ".err");
            hub = new ProcessBuilder(command).redirectError(stderr).start();
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr.toPath()));
            assertTrue(Files.readString(stderr.toPath()).contains("direct memory limit 1024 MiB"),
                "JAVA_OPTS from /etc/default/sseflow: " + Files.readString(stderr.toPath()));

            try (RawSseClient subscriber = RawSseClient.get(port, "/events/news"))
            {
                assertTrue(subscriber.readHead().startsWith("HTTP/1.1 200"));
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(RawHttp.post(port, "/events/news", "installed")));
                assertEquals("installed", subscriber.nextEvent().data());
            }
            assertTrue(ChildProcess.stop(hub, Duration.ofSeconds(20)), "stops on SIGTERM");
            assertEquals(143, hub.exitValue(), "the unit's SuccessExitStatus");
            Files.deleteIfExists(stderr.toPath());
        }
        finally
        {
            if (null != hub)
            {
                ChildProcess.kill(hub);
            }
            assertEquals(0, run("dpkg", "--purge", "sseflow"), "dpkg --purge");
        }
        assertFalse(Files.exists(Path.of("/usr/bin/sseflow-hub")));
        assertFalse(Files.exists(Path.of("/etc/sseflow")));
        assertFalse(Files.exists(Path.of("/var/lib/sseflow")));
        assertEquals(2, run("getent", "passwd", "sseflow"), "the service user is gone");
    }

    private static Path builtPackage() throws IOException
    {
        final Path target = ChildProcess.hubJar().toPath().toAbsolutePath().getParent();
        try (Stream<Path> files = Files.list(target))
        {
            return files.filter((file) -> file.getFileName().toString().matches("sseflow_.*_all\\.deb"))
                .findFirst().orElse(null);
        }
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        if (process.exitValue() != 0)
        {
            System.out.println("DebPackageIT: " + String.join(" ", command) + " -> " + process.exitValue() + ": " +
                output.trim());
        }
        return process.exitValue();
    }
}
