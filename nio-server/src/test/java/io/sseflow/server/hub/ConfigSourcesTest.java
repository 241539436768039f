package io.sseflow.server.hub;

import io.sseflow.server.BuildInfo;
import io.sseflow.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings from flags, {@code SSEFLOW_*} environment variables and a {@code --config} properties file
 * ({@link ConfigSources}): precedence flags > environment > file > defaults, refusals naming the key, its source and
 * the reason, secrets from files, {@code --print-config} and {@code --version}.
 */
class ConfigSourcesTest
{
    private static final String SECRET = "!ChangeThisMercureHubJWTSecretKey!";

    @TempDir
    Path directory;

    @Test
    void shouldTakeFlagsOverTheEnvironmentOverTheFileOverTheDefaults() throws IOException
    {
        final Path file = write("hub.properties", "# the hub\nport=8101\nhistory = 7\nmax-topics: 9\n");
        final Map<String, String> environment = Map.of("SSEFLOW_PORT", "8102", "SSEFLOW_HISTORY", "8", "PATH", "/bin");

        final ServerConfig fileOnly = config(new String[]{"--config", file.toString()}, Map.of());
        assertEquals(8101, fileOnly.port());
        assertEquals(7, fileOnly.history());
        assertEquals(9, fileOnly.maxTopics());

        final ServerConfig withEnvironment = config(new String[]{"--config", file.toString()}, environment);
        assertEquals(8102, withEnvironment.port());
        assertEquals(8, withEnvironment.history());
        assertEquals(9, withEnvironment.maxTopics());

        final ServerConfig withFlag = config(new String[]{"--config", file.toString(), "--port=8103"}, environment);
        assertEquals(8103, withFlag.port());
        assertEquals(8, withFlag.history());

        assertTrue(config(new String[0], Map.of("SSEFLOW_SUBSCRIPTIONS", "true")).subscriptions(), "presence");

        final ServerConfig fileFromEnvironment =
            config(new String[0], Map.of(ConfigSources.CONFIG_ENVIRONMENT, file.toString()));
        assertEquals(8101, fileFromEnvironment.port());
        assertEquals(ServerConfig.DEFAULT_HEARTBEAT_MS, fileFromEnvironment.heartbeatMs(), "the default");
    }

    @Test
    void shouldNameTheKeyItsSourceAndTheReasonOfARefusal() throws IOException
    {
        assertEquals("--port must be between 0 and 65535, got 70000 (environment SSEFLOW_PORT)",
            refusal(new String[0], Map.of("SSEFLOW_PORT", "70000")));
        assertEquals("unknown environment variable SSEFLOW_PROT: no flag --prot (see --help; variables are " +
            "SSEFLOW_ and a flag's name, e.g. SSEFLOW_PORT)", refusal(new String[0], Map.of("SSEFLOW_PROT", "1")));
        assertTrue(refusal(new String[0], Map.of("SSEFLOW_HELP", "1")).startsWith(
            "unknown environment variable SSEFLOW_HELP"));

        final Path file = write("bad.properties", "port=8080\n\nhistory=none\n");
        assertEquals("--history needs a whole number, got 'none' (" + file + ":3)",
            refusal(new String[]{"--config", file.toString()}, Map.of()));
        final Path unknown = write("unknown.properties", "port=8080\nhistroy=5\n");
        assertEquals("unknown key 'histroy' (" + unknown + ":2): keys are the flags' names without --, e.g. " +
            "port=8080 (see --help)", refusal(new String[]{"--config", unknown.toString()}, Map.of()));
        assertTrue(refusal(new String[]{"--config", directory.resolve("missing").toString()}, Map.of())
            .startsWith("--config: cannot read " + directory.resolve("missing")));
        assertEquals("--port needs a whole number, got 'x'", refusal(new String[]{"--port", "x"}, Map.of()),
            "a flag's refusal reads as before");
    }

    @Test
    void shouldReadSecretsFromFilesSoThatTheyAreNotOnTheCommandLine() throws IOException
    {
        final Path token = write("publish-token", "s3cret-T0k\n");
        final Path jwt = write("jwt-secret", SECRET + "\r\n");
        assertEquals("s3cret-T0k",
            config(new String[]{"--publish-token-file", token.toString()}, Map.of()).publishToken());
        assertEquals("s3cret-T0k", config(new String[0],
            Map.of("SSEFLOW_PUBLISH_TOKEN_FILE", token.toString())).publishToken());
        assertEquals("s3cret-T0k", config(new String[]{"--publish-token-file", token.toString()},
            Map.of("SSEFLOW_PUBLISH_TOKEN", "from-env-1")).publishToken(), "the flag's file wins over the variable");
        assertEquals("from-env-1", config(new String[0], Map.of("SSEFLOW_PUBLISH_TOKEN", "from-env-1",
            "SSEFLOW_CONFIG", write("t.properties", "publish-token-file=" + token + "\n").toString())).publishToken(),
            "the variable wins over the file's file");
        assertTrue(HubOptions.parseSettings(ConfigSources.resolve(new String[]{"--jwt-secret-file", jwt.toString()},
            Map.of()).settings()).jwt() != null, "an HS256 secret from a file");

        assertEquals("--publish-token and --publish-token-file exclude each other (flag, flag): give the secret or " +
            "its file", refusal(new String[]{"--publish-token", "a", "--publish-token-file", token.toString()}, Map.of()));
        final Path twoLines = write("two-lines", "a\nb\n");
        assertEquals("--subscribe-token-file: " + twoLines + " (flag) holds more than one line; it must hold the " +
            "secret alone", refusal(new String[]{"--subscribe-token-file", twoLines.toString()}, Map.of()));
    }

    @Test
    void shouldPrintTheEffectiveSettingsWithSecretsMasked() throws Exception
    {
        final Path file = write("hub.properties", "history=7\n");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status = SseHub.run(
            new String[]{"--print-config", "--config", file.toString(), "--publish-token", "s3cret-T0k"},
            Map.of("SSEFLOW_PORT", "8104"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        final String text = out.toString(StandardCharsets.UTF_8);
        final List<String> lines = text.lines().toList();
        assertEquals("--history 7    # " + file + ":1", lines.get(0));
        assertEquals("--port 8104    # environment SSEFLOW_PORT", lines.get(1));
        assertEquals("--publish-token *** (10 characters)    # flag", lines.get(2));
        assertEquals("# every other flag: its default (java -jar sseflow-server.jar --help)", lines.get(3));
        assertTrue(lines.get(4).startsWith("# sseflow history budget "), text);
        assertFalse(text.contains("s3cret"), text);
    }

    @Test
    void shouldPrintTheVersion() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, SseHub.run(new String[]{"--version"}, Map.of(), new PrintStream(out, true,
            StandardCharsets.UTF_8), System.err));
        assertEquals("sseflow " + BuildInfo.version() + "\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), BuildInfo.version());
    }

    @Test
    void shouldKnowAVariableForEveryDocumentedFlag()
    {
        final List<String> flags = HubOptions.USAGE.lines().filter((line) -> line.startsWith("  --"))
            .map((line) -> line.trim().split(" ")[0]).toList();
        assertTrue(flags.contains("--jwt-key") && flags.contains("--fsync") && flags.contains("--config"), flags.toString());
        for (final String flag : flags)
        {
            if (List.of("--help", "--version", "--print-config", "--config", "--allow-anonymous").contains(flag))
            {
                continue;
            }
            final String name = ConfigSources.environmentName(flag);
            final List<ConfigSources.Setting> settings = flag.endsWith("-file") && !flag.equals("--jwt-key-file") ?
                List.of() : ConfigSources.resolve(new String[0], Map.of(name, "x")).settings();
            if (!settings.isEmpty())
            {
                assertEquals(List.of(new ConfigSources.Setting(flag, "x", "environment " + name)), settings);
            }
        }
    }

    private Path write(final String name, final String content) throws IOException
    {
        return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static ServerConfig config(final String[] args, final Map<String, String> environment)
    {
        return HubOptions.parseSettings(ConfigSources.resolve(args, environment).settings()).server().build().config();
    }

    private static String refusal(final String[] args, final Map<String, String> environment)
    {
        return assertThrows(IllegalArgumentException.class, () -> config(args, environment)).getMessage();
    }
}
