package io.sseflow.server.clients;

import io.sseflow.server.SseServer;
import io.sseflow.server.support.Closer;
import io.sseflow.server.support.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A script in headless Chromium on another origin reads a resuming Mercure subscription's {@code Last-Event-ID}
 * response header with {@code fetch}, as an {@code EventSource} polyfill would: the hub allows any origin and exposes
 * that header, while a header it does not expose ({@code X-Accel-Buffering}) stays hidden from the script, and a
 * native stream of several topics carries none.
 */
class ChromiumMercureLastEventIdTest
{
    private static final String RUN = "(async () => {" +
        "  const read = async (path) => {" +
        "    const controller = new AbortController();" +
        "    const resp = await fetch(new URL(path, '__HUB__'), {signal: controller.signal});" +
        "    const seen = {status: resp.status, lastEventId: resp.headers.get('Last-Event-ID')," +
        "      accel: resp.headers.get('X-Accel-Buffering')};" +
        "    controller.abort();" +
        "    return seen;" +
        "  };" +
        "  return JSON.stringify({" +
        "    retained: await read('/.well-known/mercure?topic=books&lastEventID=b1')," +
        "    unknown: await read('/.well-known/mercure?topic=books&lastEventID=nope')," +
        "    native: await read('/events?topic=books&topic=other&lastEventId=1')});" +
        "})()";

    private final Closer resources = new Closer();

    @AfterEach
    void stop() throws Exception
    {
        resources.close();
    }

    @Test
    @Timeout(60)
    void shouldLetAScriptOnAnotherOriginReadTheLastEventIdHeader() throws Exception
    {
        final SseServer page = resources.track(SseServer.builder().port(0).demoPage(true).start());
        final SseServer hub = resources.track(SseServer.builder().port(0).allowOrigin("*").start());
        for (int i = 1; i <= 2; i++)
        {
            final String answer = RawHttp.post(hub.port(), "/.well-known/mercure",
                "topic=books&id=b" + i + "&data=v" + i, "Content-Type: application/x-www-form-urlencoded");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
        }
        final BrowserDriver browser = resources.track(BrowserDriver.launch());
        browser.open(page.url() + "/");
        final Map<String, Object> results = Json.parseObject((String)browser.eval(RUN.replace("__HUB__", hub.url())));
        assertEquals(seen("b1"), results.get("retained"), results + browser.describe());
        assertEquals(seen("earliest"), results.get("unknown"), results + browser.describe());
        assertEquals(seen(null), results.get("native"), results + browser.describe());
    }

    /**
     * What the script sees of a 200 stream: its {@code Last-Event-ID} (null when absent or hidden) and, hidden,
     * {@code X-Accel-Buffering}.
     */
    private static Map<String, Object> seen(final String lastEventId)
    {
        final Map<String, Object> seen = new HashMap<>();
        seen.put("status", 200L);
        seen.put("lastEventId", lastEventId);
        seen.put("accel", null);
        return seen;
    }
}
