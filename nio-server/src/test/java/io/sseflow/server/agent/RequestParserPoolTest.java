package io.sseflow.server.agent;

import io.sseflow.server.http.HttpRequestParser;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class RequestParserPoolTest
{
    @Test
    void shouldLendResetParsersAndKeepAtMostTheLimit()
    {
        final RequestParserPool pool = new RequestParserPool(1024, 4096, 2);
        final HttpRequestParser first = pool.acquire();
        final UnsafeBuffer request = new UnsafeBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(HttpRequestParser.COMPLETE, first.parse(request, request.capacity()));

        pool.release(first);
        pool.release(new HttpRequestParser(1024, 4096));
        pool.release(new HttpRequestParser(1024, 4096));

        assertEquals(2, pool.freeCount());
        pool.acquire();
        final HttpRequestParser reused = pool.acquire();
        assertSame(first, reused);
        assertEquals(HttpRequestParser.State.METHOD, reused.state());
        assertEquals(0, pool.freeCount());
        assertNotSame(first, pool.acquire());
    }
}
