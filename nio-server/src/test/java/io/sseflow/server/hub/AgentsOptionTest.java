package io.sseflow.server.hub;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --agents N}: parsed, bounded, one by default, and refused above 1 with a durable or clustered sequencer, which
 * this version runs on one agent only.
 */
class AgentsOptionTest
{
    @TempDir
    Path dataDir;

    @Test
    void shouldParseAgentsWithOneByDefault()
    {
        assertEquals(3, HubOptions.parse(new String[]{"--agents", "3"}).build().config().agents());
        assertEquals(ServerConfig.DEFAULT_AGENTS, HubOptions.parse(new String[0]).build().config().agents());
        assertEquals(1, ServerConfig.DEFAULT_AGENTS);
        assertTrue(HubOptions.USAGE.contains("--agents N"), HubOptions.USAGE);
    }

    @Test
    void shouldRefuseAgentsOutOfRange()
    {
        assertEquals("--agents must be between 1 and 64, got 0", assertThrows(IllegalArgumentException.class,
            () -> HubOptions.parse(new String[]{"--agents", "0"})).getMessage());
        assertEquals("agents must be 1..64: 65", assertThrows(IllegalArgumentException.class,
            () -> SseServer.builder().agents(65).build()).getMessage());
    }

    @Test
    void shouldRefuseSeveralAgentsWithADurableSequencer()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> HubOptions.parse(new String[]{"--agents", "2", "--data-dir", dataDir.toString()}).build());
        assertEquals("agents above 1 need the in-memory sequencer: a durable or clustered hub (--data-dir, " +
            "--cluster-members) or another event sequencer runs one agent in this version", refused.getMessage());
        assertEquals(1, HubOptions.parse(new String[]{"--agents", "1", "--data-dir", dataDir.toString()}).build()
            .config().agents());
    }

    @Test
    void shouldRefuseSeveralAgentsWithSubscriptionAnnouncements()
    {
        assertEquals("agents above 1 do not announce Mercure subscriptions (--subscriptions) in this version: each " +
            "agent would list only its own", assertThrows(IllegalArgumentException.class,
            () -> HubOptions.parse(new String[]{"--agents", "2", "--subscriptions", "true"}).build()).getMessage());
    }
}
