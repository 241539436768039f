package io.sseflow.server;

import io.sseflow.server.sequencer.InMemoryEventSequencer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one settings object: what {@code build()} concludes from the builder's settings, and that they are fixed from
 * then on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerConfigTest
{
    @Test
    void shouldDeriveWhatThePartsReadWhenBuilt()
    {
        final ServerConfig config = SseServer.builder()
            .maxEventBytes(1024)
            .maxRequestHeadBytes(4096)
            .historyBytes(1000)
            .heartbeatMs(40)
            .requestTimeoutMs(250)
            .shutdownTimeoutMs(1_500)
            .drainTimeoutMs(2_500)
            .build()
            .config();

        assertTrue(config.isConcluded());
        assertEquals(4096, config.historyBytes(), "rounded up to twice the buffer of the largest event");
        assertEquals(4096 + 1024 + 1024, config.requestBodyBufferBytes());
        assertEquals(40_000_000L, config.heartbeatNs());
        assertEquals(250_000_000L, config.requestTimeoutNs());
        assertEquals(1_500_000_000L, config.shutdownTimeoutNs());
        assertEquals(2_500_000_000L, config.drainTimeoutNs());
        assertEquals(Math.min(ServerConfig.DEFAULT_HISTORY_TOTAL_BYTES, config.directMemoryLimit() / 2),
            config.historyTotalBytes());
        assertTrue(config.isLoopbackHost());
    }

    @Test
    void shouldResolveWhetherTheHostIsLoopbackWhenBuilt()
    {
        assertTrue(SseServer.builder().host("localhost").build().config().isLoopbackHost());
        assertTrue(SseServer.builder().host("::1").build().config().isLoopbackHost());
        assertFalse(SseServer.builder().host("0.0.0.0").build().config().isLoopbackHost());
    }

    @Test
    void shouldRefuseNegativeTemplatePartLimits()
    {
        assertEquals("max template parts per address must be at least 0: -1", assertThrows(
            IllegalArgumentException.class, () -> SseServer.builder().maxTemplatePartsPerAddress(-1).build()).getMessage());
        assertEquals("max template parts must be at least 0: -1", assertThrows(
            IllegalArgumentException.class, () -> SseServer.builder().maxTemplateParts(-1).build()).getMessage());
    }

    @Test
    void shouldFixTheSettingsOnceAServerIsBuilt()
    {
        final SseServer.Builder builder = SseServer.builder().port(0).history(7);
        final SseServer first = builder.build();

        final IllegalStateException late = assertThrows(IllegalStateException.class, () -> builder.history(8));
        assertEquals("settings are fixed once a server is built; use a new builder", late.getMessage());
        final SseServer second = builder.build();
        assertSame(first.config(), second.config());
        assertEquals(7, second.config().history());
    }

    @Test
    void shouldLeaveTheBuilderUsableAfterAFailedBuild()
    {
        final SseServer.Builder builder = SseServer.builder().history(0).maxEventBytes(1024).historyBytes(100);

        final IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("history must be at least 1 event: 0", invalid.getMessage());
        final ServerConfig config = builder.history(5).build().config();
        assertEquals(5, config.history());
        assertEquals(4096, config.historyBytes());
    }

    @Test
    void shouldBoundKernelMemoryPerStalledReaderByDefault()
    {
        final ServerConfig config = SseServer.builder().build().config();

        assertEquals(65536, config.socketSendBufferBytes());
        assertEquals(30_000, config.drainTimeoutMs());
        assertEquals(30_000_000_000L, config.drainTimeoutNs());
        assertEquals("drain timeout must be at least 1 ms: 0",
            assertThrows(IllegalArgumentException.class, () -> SseServer.builder().drainTimeoutMs(0).build())
                .getMessage());
        assertEquals("socket send buffer bytes must be >= 0: -1",
            assertThrows(IllegalArgumentException.class, () -> SseServer.builder().socketSendBufferBytes(-1).build())
                .getMessage());
    }

    @Test
    void shouldBuildTheEventSequencerOnceWhenTheServerStarts()
    {
        final List<Integer> capacities = new ArrayList<>();
        final SseServer server = SseServer.builder()
            .port(0)
            .publishRingBytes(1 << 20)
            .eventSequencer((capacity) ->
            {
                capacities.add(capacity);
                return new InMemoryEventSequencer(capacity);
            })
            .build();
        assertEquals(List.of(), capacities, "not before start");
        try
        {
            server.start();
            assertEquals(PublishResult.OK, server.topic("once").publish("x"));
            assertEquals(List.of(1 << 20), capacities);
        }
        finally
        {
            server.close();
        }
        assertEquals(List.of(1 << 20), capacities);
    }
}
