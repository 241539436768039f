package io.sseflow.server.hub;

import io.sseflow.server.SseServer;
import io.sseflow.server.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Handler;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The hub's log lines ({@link LogFormat}, {@link HubLog}, {@link HubReporter}): exact text and JSON lines, the cluster
 * member's printed lines turned into records, and the summary of refusals since the last one.
 */
class HubLogTest
{
    private static final Instant TIME = Instant.parse("2026-12-08T02:01:07.123Z");

    private final Handler[] saved = Logger.getLogger("").getHandlers();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @AfterEach
    void restoreHandlers()
    {
        final Logger root = Logger.getLogger("");
        for (final Handler handler : root.getHandlers())
        {
            root.removeHandler(handler);
        }
        for (final Handler handler : saved)
        {
            root.addHandler(handler);
        }
    }

    @Test
    void shouldFormatTextAsTheHubAlwaysPrintedAndJsonAsOneEscapedObjectPerLine()
    {
        assertEquals("sseflow history budget 1 MiB",
            LogFormat.TEXT.format(TIME, System.Logger.Level.INFO, HubLog.NAME, "sseflow history budget 1 MiB"));
        assertEquals("warning: sseflow: dropped 2 slow consumers",
            LogFormat.TEXT.format(TIME, System.Logger.Level.WARNING, HubLog.NAME, "sseflow: dropped 2 slow consumers"));
        assertEquals("{\"time\":\"2026-12-08T02:01:07.123Z\",\"level\":\"WARNING\",\"logger\":\"io.sseflow.hub\"," +
            "\"message\":\"a \\\"quoted\\\" \\\\ line\\nnext\\ttab \\u0001 ✓\"}",
            LogFormat.JSON.format(TIME, System.Logger.Level.WARNING, HubLog.NAME, "a \"quoted\" \\ line\nnext\ttab \u0001 ✓"));
        assertEquals(LogFormat.JSON, LogFormat.of("json"));
        assertEquals("--log-format takes text or json, got 'xml'",
            assertThrows(IllegalArgumentException.class, () -> LogFormat.of("xml")).getMessage());
        assertEquals("--log-format takes text or json, got 'xml' (environment SSEFLOW_LOG_FORMAT)",
            assertThrows(IllegalArgumentException.class, () -> HubOptions.parseSettings(ConfigSources.resolve(
                new String[0], java.util.Map.of("SSEFLOW_LOG_FORMAT", "xml")).settings())).getMessage());
    }

    @Test
    void shouldLogTheLinesAClusterMemberPrintsOneRecordEach()
    {
        install(LogFormat.JSON);
        final PrintStream lines = new HubLog().lines();
        lines.println("sseflow: cluster node 0: removed mark files");
        lines.print("second\r\n");
        assertEquals(
            "{\"time\":\"2026-12-08T02:01:07.123Z\",\"level\":\"INFO\",\"logger\":\"io.sseflow.hub\"," +
            "\"message\":\"sseflow: cluster node 0: removed mark files\"}\n" +
            "{\"time\":\"2026-12-08T02:01:07.123Z\",\"level\":\"INFO\",\"logger\":\"io.sseflow.hub\"," +
            "\"message\":\"second\"}\n", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSummarizeWhatWasRefusedSinceTheLastSummaryAndNothingWhenNothingWas() throws Exception
    {
        install(LogFormat.TEXT);
        try (SseServer server = SseServer.builder().port(0).maxConnectionsPerAddress(1).build().start())
        {
            final String[] role = {"follower"};
            final HubReporter reporter = new HubReporter(server.metrics(), () -> role[0], new HubLog(), 10_000);
            reporter.summarize();
            reporter.checkRole();
            assertEquals("sseflow: cluster role follower\n", captured.toString(StandardCharsets.UTF_8));
            captured.reset();

            RawHttp.exchange(server.port(), "BREW /events/x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.exchange(server.port(), "BREW /events/x HTTP/1.1\r\nHost: x\r\n\r\n");
            io.sseflow.server.support.Await.until(() -> server.metrics().refused("not_implemented"),
                (count) -> count == 2, io.sseflow.server.support.Await.DEFAULT_TIMEOUT, 10);
            reporter.summarize();
            role[0] = "leader";
            reporter.checkRole();
            reporter.checkRole();
            reporter.summarize();
            assertEquals("warning: sseflow: refused 2 in the last 10 s: 2 not_implemented\n" +
                "sseflow: cluster role changed from follower to leader\n", captured.toString(StandardCharsets.UTF_8));
        }
    }

    private void install(final LogFormat format)
    {
        HubLog.install(format, new PrintStream(captured, true, StandardCharsets.UTF_8),
            Clock.fixed(TIME, ZoneOffset.UTC));
    }
}
