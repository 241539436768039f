package io.sseflow.server.hub;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.hub.jwt.JwtAlgorithm;
import io.sseflow.server.hub.jwt.JwtAuthorizer;
import io.sseflow.server.hub.jwt.JwtSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubOptionsTest
{
    @Test
    void shouldParseEveryFlagInBothForms()
    {
        final ServerConfig config = HubOptions.parse(new String[]{
            "--host", "localhost", "--port=0", "--publish-token", "t0k", "--history", "10", "--heartbeat-ms=250",
            "--max-connections", "7", "--allow-origin", "https://a.example", "--subscribe-token=sub-T",
            "--request-timeout-ms", "1500", "--max-connections-per-address=3",
            "--socket-send-buffer-bytes", "32768", "--drain-timeout-ms=2500", "--history-total-bytes=33554432", "--history-bytes", "1048576",
            "--trusted-proxies", "10.0.0.0/8, fd00::/8"}).build().config();
        assertEquals("localhost", config.host());
        assertEquals(0, config.port());
        assertEquals("t0k", config.publishToken());
        assertEquals(10, config.history());
        assertEquals(250, config.heartbeatMs());
        assertEquals(7, config.maxConnections());
        assertEquals("https://a.example", config.allowOrigin());
        assertEquals("sub-T", config.subscribeToken());
        assertNotNull(config.subscribeAuthorizer());
        assertEquals(1500, config.requestTimeoutMs());
        assertEquals(3, config.maxConnectionsPerAddress());
        assertEquals(32768, config.socketSendBufferBytes());
        assertEquals(2500, config.drainTimeoutMs());
        assertEquals(32L * 1024 * 1024, config.historyTotalBytes());
        assertEquals(1024 * 1024, config.historyBytes());
        assertEquals("10.0.0.0/8,fd00::/8", config.trustedProxies().toString());
        assertTrue(config.demoPage());
    }

    @Test
    void shouldParseTheTemplatePartLimitsAndDefaultThemAsDocumented()
    {
        final ServerConfig config = HubOptions.parse(new String[]{
            "--max-template-parts-per-address", "64", "--max-template-parts=512"}).build().config();
        assertEquals(64, config.maxTemplatePartsPerAddress());
        assertEquals(512, config.maxTemplateParts());
        final ServerConfig defaults = HubOptions.parse(new String[0]).build().config();
        assertEquals(1024, defaults.maxTemplatePartsPerAddress());
        assertEquals(4096, defaults.maxTemplateParts());
        assertEquals(0, HubOptions.parse(new String[]{"--max-template-parts", "0"}).build().config().maxTemplateParts(),
            "0: no template selector at all");
        assertTrue(message("--max-template-parts", "-1").contains("--max-template-parts"));
    }

    @Test
    void shouldTurnPresenceOnWithSubscriptionsTrueOnlyAndOffByDefault()
    {
        assertFalse(HubOptions.parse(new String[0]).build().config().subscriptions());
        assertTrue(HubOptions.parse(new String[]{"--subscriptions", "true"}).build().config().subscriptions());
        assertFalse(HubOptions.parse(new String[]{"--subscriptions=false"}).build().config().subscriptions());
        assertEquals("--subscriptions takes true or false, got 'yes'", message("--subscriptions", "yes"));
    }

    @Test
    void shouldDefaultAsTheContractSays()
    {
        final ServerConfig config = HubOptions.parse(new String[0]).build().config();
        assertEquals("127.0.0.1", config.host());
        assertEquals(8080, config.port());
        assertNull(config.publishToken());
        assertEquals(1024, config.history());
        assertEquals(15000, config.heartbeatMs());
        assertEquals(10000, config.maxConnections());
        assertNull(config.allowOrigin());
        assertNull(config.subscribeToken());
        assertNull(config.subscribeAuthorizer());
        assertEquals(ServerConfig.DEFAULT_REQUEST_TIMEOUT_MS, config.requestTimeoutMs());
        assertEquals(ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, config.maxConnectionsPerAddress());
        assertEquals(65536, config.socketSendBufferBytes(), "bounds kernel memory per stalled reader");
        assertEquals(30_000, config.drainTimeoutMs());
        assertEquals(Math.min(ServerConfig.DEFAULT_HISTORY_TOTAL_BYTES, config.directMemoryLimit() / 2),
            config.historyTotalBytes(), "256 MiB, never more than half the direct-memory limit");
        assertEquals(ServerConfig.DEFAULT_HISTORY_BYTES, config.historyBytes());
        assertEquals(ServerConfig.DEFAULT_MAX_TOPICS, config.maxTopics());
        assertEquals("127.0.0.1,::1", config.trustedProxies().toString());
    }

    @Test
    void shouldCheckTheHistoryBudgetAgainstTheJvmAndTheOtherLimits()
    {
        assertEquals("--history-total-bytes must be between 1 and 1099511627776, got 0",
            message("--history-total-bytes", "0"));
        assertEquals("--history-total-bytes needs a whole number, got '64m'", message("--history-total-bytes", "64m"));
        assertEquals("history total bytes (65536) cannot hold the largest event: with max event bytes as set, it must " +
            "be at least 262144 (256 KiB)", message("--history-total-bytes", "65536"));
        assertEquals("history total bytes (524288) cannot hold the largest event: with max event bytes as set, it " +
            "must be at least 1048576 (1 MiB)", message("--history-total-bytes", "524288", "--max-event-bytes", "262144"));
        assertEquals("history bytes (16777216) must not exceed history total bytes (8388608), the bound on all " +
            "topics' history together", message("--history-total-bytes", "8388608", "--history-bytes", "16777216"));
        final long tooMuch = 1L << 40;
        assertTrue(message("--history-total-bytes", String.valueOf(tooMuch)).startsWith(
            "history total bytes (" + tooMuch + ", 1048576 MiB) exceeds half of the JVM's direct-memory limit ("),
            message("--history-total-bytes", String.valueOf(tooMuch)));

        final ServerConfig small = HubOptions.parse(new String[]{"--history-total-bytes", "1048576",
            "--max-event-bytes", "1024"}).build().config();
        assertEquals(1024 * 1024, small.historyTotalBytes());
        assertEquals(1024 * 1024, small.historyBytes(), "the default per-topic bound is cut to the total");
        assertEquals("sseflow history budget 1 MiB (direct memory limit " +
            HubOptions.historyBudgetLine(small).replaceAll(".*direct memory limit ([^,]+),.*", "$1") +
            ", 1 MiB per topic, 10000 topics); stream logs " +
            HubOptions.historyBudgetLine(small).replaceAll(".*; stream logs ", ""), HubOptions.historyBudgetLine(small));
    }

    @Test
    void shouldFitTheStreamLogBudgetBesideTheHistoryBudget()
    {
        final ServerConfig config = HubOptions.parse(new String[]{"--stream-history-total-bytes=16777216"})
            .build().config();
        assertEquals(16L << 20, config.streamHistoryTotalBytes());
        assertEquals(2L << 20, config.streamHistoryBytesPerClient(), "an eighth per client");
        assertEquals(512 * 1024, config.streamLogBytes(), "a quarter of a client's share per stream");

        final ServerConfig defaults = HubOptions.parse(new String[0]).build().config();
        assertEquals(Math.min(ServerConfig.DEFAULT_STREAM_HISTORY_TOTAL_BYTES, defaults.directMemoryLimit() / 4),
            defaults.streamHistoryTotalBytes(), "64 MiB, never more than a quarter of the direct-memory limit");
        assertTrue(HubOptions.historyBudgetLine(defaults).contains("; stream logs "),
            HubOptions.historyBudgetLine(defaults));
        assertTrue(HubOptions.historyBudgetLine(config).endsWith(
            "; stream logs 16 MiB (2 MiB per client, 512 KiB per stream)"), HubOptions.historyBudgetLine(config));

        assertEquals("stream history total bytes (65536) cannot hold the largest event: with max event bytes as " +
            "set, it must be at least 262144 (256 KiB)", message("--stream-history-total-bytes", "65536"));
        assertEquals("--stream-history-total-bytes must be between 1 and 1099511627776, got 0",
            message("--stream-history-total-bytes", "0"));
        final long tooMuch = 1L << 40;
        assertTrue(message("--stream-history-total-bytes", String.valueOf(tooMuch)).startsWith(
            "stream history total bytes (" + tooMuch + ", 1048576 MiB) and history total bytes ("),
            message("--stream-history-total-bytes", String.valueOf(tooMuch)));
    }

    @Test
    void shouldTrustNoProxyWithAnEmptyList()
    {
        assertTrue(HubOptions.parse(new String[]{"--trusted-proxies="}).build().config().trustedProxies().isEmpty());
        assertTrue(HubOptions.parse(new String[]{"--trusted-proxies", ""}).build().config().trustedProxies().isEmpty());
    }

    @Test
    void shouldExitWithStatus2AndUsageForABadTrustedProxy() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = SseHub.run(new String[]{"--port", "0", "--trusted-proxies", "127.0.0.1,nginx.local"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        final String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("sseflow: --trusted-proxies: 'nginx.local' is not an IP address or CIDR " +
            "(such as 127.0.0.1, ::1, 10.0.0.0/8 or fd00::/8)\nusage: java -jar sseflow-server.jar [flags]"), text);
        assertTrue(text.contains("--trusted-proxies LIST"), text);
    }

    @Test
    void shouldExplainBadFlags()
    {
        assertEquals("unknown flag --prot", message("--prot", "1"));
        assertEquals("--port needs a value", message("--port"));
        assertEquals("--port needs a whole number, got 'eighty'", message("--port", "eighty"));
        assertEquals("--port must be between 0 and 65535, got 70000", message("--port", "70000"));
        assertEquals("--history must be between 1 and 2147483647, got 0", message("--history", "0"));
        assertEquals("unexpected argument 'port' (flags start with --)", message("port"));
        assertEquals("--subscribe-token needs a non-empty value", message("--subscribe-token="));
        assertEquals("--subscribe-token needs a value", message("--subscribe-token"));
        assertEquals("subscribe token must be 1..512 visible ASCII characters without spaces",
            message("--subscribe-token", "two words"));
        assertEquals("--request-timeout-ms must be between 1 and 2147483647, got 0", message("--request-timeout-ms", "0"));
        assertEquals("--request-timeout-ms needs a whole number, got '1s'", message("--request-timeout-ms", "1s"));
        assertEquals("--socket-send-buffer-bytes must be between 0 and 67108864, got -1",
            message("--socket-send-buffer-bytes", "-1"));
        assertEquals("--drain-timeout-ms must be between 1 and 2147483647, got 0", message("--drain-timeout-ms", "0"));
        assertEquals("--max-connections-per-address must be between 1 and 2147483647, got -1",
            message("--max-connections-per-address", "-1"));
        assertEquals("--max-connections-per-address needs a whole number, got ''",
            message("--max-connections-per-address="));
        assertTrue(message("--allow-origin", "https://a.example/path").startsWith("allow-origin must be * or an origin"));
        assertEquals("--trusted-proxies: '10.0.0.0/33' is not an IP address or CIDR " +
            "(such as 127.0.0.1, ::1, 10.0.0.0/8 or fd00::/8)", message("--trusted-proxies", "10.0.0.0/33"));
        assertEquals("--trusted-proxies needs a value", message("--trusted-proxies"));
    }

    @Test
    void shouldRefuseOpenPublishingOnAPublicHostWithExitStatus2() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = SseHub.run(new String[]{"--host", "0.0.0.0", "--port", "0"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
            "sseflow: refusing to start: host 0.0.0.0 is not a loopback address and no publish token is set"),
            err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintUsageForHelp() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, SseHub.run(new String[]{"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: java -jar sseflow-server.jar [flags]"));
    }

    private static final String SECRET = "!ChangeThisMercureHubJWTSecretKey!";

    @TempDir
    Path directory;

    @Test
    void shouldParseTheJwtFlags() throws Exception
    {
        assertNull(HubOptions.parseSettings(new String[]{"--port", "0"}).jwt());

        final JwtSettings hs256 = HubOptions.parseSettings(new String[]{"--jwt-key", SECRET, "--port", "0"}).jwt();
        assertEquals(JwtAlgorithm.HS256, hs256.algorithm());
        assertFalse(hs256.allowAnonymous());

        final HubSettings anonymous = HubOptions.parseSettings(
            new String[]{"--jwt-key=" + SECRET, "--allow-anonymous", "--port", "0", "--jwt-algorithm", "HS256"});
        assertTrue(anonymous.jwt().allowAnonymous());
        assertEquals(0, anonymous.server().build().config().port(), "--allow-anonymous takes no value");
        assertFalse(HubOptions.parseSettings(new String[]{"--jwt-key", SECRET, "--allow-anonymous=false"})
            .jwt().allowAnonymous());

        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        final Path pem = Files.writeString(directory.resolve("ec.pem"), "-----BEGIN PUBLIC KEY-----\n" +
            Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded()) +
            "\n-----END PUBLIC KEY-----\n");
        final JwtSettings es256 = HubOptions.parseSettings(
            new String[]{"--jwt-key-file", pem.toString(), "--jwt-algorithm=es256"}).jwt();
        assertEquals(JwtAlgorithm.ES256, es256.algorithm());
    }

    @Test
    void shouldExplainJwtFlagsThatDoNotFit()
    {
        assertEquals("--jwt-key: an HS256 secret must be at least 32 bytes (256 bits) long, this one has 6 (48 bits)",
            settingsMessage("--jwt-key", "s3cret"));
        assertEquals("--jwt-key needs a non-empty value", settingsMessage("--jwt-key="));
        assertEquals("--jwt-algorithm: unknown JWT algorithm 'PS256'; the hub verifies HS256, RS256 or ES256",
            settingsMessage("--jwt-key", SECRET, "--jwt-algorithm", "PS256"));
        assertEquals("--jwt-key and --jwt-key-file exclude each other: give a shared secret (HS256) or a public key " +
            "file (RS256, ES256)", settingsMessage("--jwt-key", SECRET, "--jwt-key-file", "k.pem"));
        assertEquals("--jwt-key is an HS256 secret; --jwt-algorithm RS256 verifies with a public key: give it with " +
            "--jwt-key-file", settingsMessage("--jwt-key", SECRET, "--jwt-algorithm", "RS256"));
        assertEquals("--jwt-key-file holds a public key: it needs --jwt-algorithm RS256 or ES256 (an HS256 secret is " +
            "given with --jwt-key)", settingsMessage("--jwt-key-file", "k.pem"));
        assertEquals("--jwt-algorithm needs --jwt-key (HS256) or --jwt-key-file (RS256, ES256)",
            settingsMessage("--jwt-algorithm", "RS256"));
        assertEquals("--allow-anonymous needs --jwt-key or --jwt-key-file: without a JWT key every subscriber is " +
            "served already", settingsMessage("--allow-anonymous"));
        assertEquals("--allow-anonymous stands alone, or takes =true or =false, got 'yes'",
            settingsMessage("--jwt-key", SECRET, "--allow-anonymous=yes"));
        final Path missing = directory.resolve("missing.pem");
        assertTrue(settingsMessage("--jwt-key-file", missing.toString(), "--jwt-algorithm", "RS256").startsWith(
            "--jwt-key-file: cannot read JWT key file " + missing + ": java.nio.file.NoSuchFileException"));
    }

    @Test
    void shouldApplyJwtFlagsAsTheServersAuthorizersAndRefuseStaticTokensBesideThem() throws Exception
    {
        final ServerConfig config = HubOptions.parse(new String[]{"--port", "0", "--jwt-key", SECRET}).build().config();
        assertInstanceOf(JwtAuthorizer.class, config.subscribeAuthorizer());
        assertSame(config.subscribeAuthorizer(), config.publishAuthorizer());
        assertNull(config.publishToken());
        assertNull(HubOptions.parse(new String[]{"--port", "0"}).build().config().publishAuthorizer());

        assertEquals("--publish-token and a JWT key (--jwt-key, --jwt-key-file) exclude each other: with a JWT key, " +
            "publishers and subscribers present JWTs whose 'mercure' claim lists their topics",
            settingsMessage("--publish-token", "tok", "--jwt-key", SECRET));
        assertEquals("--subscribe-token and a JWT key (--jwt-key, --jwt-key-file) exclude each other: with a JWT " +
            "key, publishers and subscribers present JWTs whose 'mercure' claim lists their topics",
            settingsMessage("--jwt-key", SECRET, "--subscribe-token", "tok"));

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = SseHub.run(new String[]{"--port", "0", "--jwt-key", "short"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("sseflow: --jwt-key: an HS256 secret must be at " +
            "least 32 bytes (256 bits) long, this one has 5 (40 bits)\nusage: "), err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--jwt-key-file F"));
    }

    @Test
    void shouldCountAJwtKeyAsPublishCredentialsForANonLoopbackHost() throws Exception
    {
        // 192.0.2.1 (TEST-NET-1) is not on this machine: past the open-publishing rule, binding fails (status 1)
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = SseHub.run(new String[]{"--host", "192.0.2.1", "--port", "0", "--jwt-key", SECRET},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status, err.toString(StandardCharsets.UTF_8));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("refusing to start"), err.toString(StandardCharsets.UTF_8));

        final ByteArrayOutputStream withoutKey = new ByteArrayOutputStream();
        assertEquals(2, SseHub.run(new String[]{"--host", "192.0.2.1", "--port", "0"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(withoutKey, true, StandardCharsets.UTF_8)));
        assertTrue(withoutKey.toString(StandardCharsets.UTF_8).startsWith("sseflow: refusing to start: host 192.0.2.1 " +
            "is not a loopback address and no publish token is set, so anyone who can reach it could publish. Set a " +
            "publish token (--publish-token T) or a JWT key (--jwt-key K, --jwt-key-file F), or bind to 127.0.0.1."),
            withoutKey.toString(StandardCharsets.UTF_8));
    }

    private static String settingsMessage(final String... args)
    {
        return assertThrows(IllegalArgumentException.class, () -> HubOptions.parseSettings(args)).getMessage();
    }

    private static String message(final String... args)
    {
        return assertThrows(IllegalArgumentException.class, () ->
        {
            final SseServer.Builder builder = HubOptions.parse(args);
            builder.build();
        }).getMessage();
    }
}
