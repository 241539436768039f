package io.sseflow.server.hub;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestBodyBuffersOptionTest
{
    @Test
    void shouldParseRequestBodyBuffersAndSizeEachForTheLargestHeadAndBody()
    {
        final ServerConfig config = HubOptions.parse(new String[]{"--request-body-buffers", "4", "--max-event-bytes=1024"})
            .build().config();
        assertEquals(4, config.requestBodyBuffers());
        assertEquals(ServerConfig.DEFAULT_MAX_REQUEST_HEAD_BYTES + 1024 + 1024, config.requestBodyBufferBytes());
        assertEquals(ServerConfig.DEFAULT_REQUEST_BODY_BUFFERS, HubOptions.parse(new String[0]).build().config().requestBodyBuffers());
        assertTrue(HubOptions.USAGE.contains("--request-body-buffers N"), HubOptions.USAGE);
        assertTrue(HubOptions.USAGE.contains("GET /healthz, GET /readyz"), HubOptions.USAGE);
    }

    @Test
    void shouldRefuseRequestBodyBuffersOutOfRange()
    {
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
            () -> HubOptions.parse(new String[]{"--request-body-buffers", "0"}));
        assertEquals("--request-body-buffers must be between 1 and 65536, got 0", zero.getMessage());
        final IllegalArgumentException embedded = assertThrows(IllegalArgumentException.class,
            () -> SseServer.builder().requestBodyBuffers(70_000).build());
        assertEquals("request body buffers must be 1..65536: 70000", embedded.getMessage());
    }
}
