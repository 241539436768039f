package io.sseflow.server.clients;

import io.sseflow.server.SseServer;
import io.sseflow.server.support.Closer;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs Mercure conformance cases in headless Chromium, as Mercure's own conformance suite runs them, for
 * {@link ChromiumMercureTest} (today's protocol) and {@link ChromiumMercureDraftTest} (Mercure 1.0): a page on the
 * hub's origin opens an {@code EventSource} on {@code /.well-known/mercure} with each case's selectors, publishes
 * the update with {@code fetch} (a form body with the id and two-paragraph data), and must receive it, with that
 * {@code lastEventId} and data, or not. Instead of waiting two seconds for an update that must not come, each case
 * publishes a sentinel update after it on the same stream and waits for that. The private cases publish under ids
 * of their own: Mercure's cases reuse the id of a public case on the same topic, and a retried id the topic still
 * retains is answered with that id and not appended again.
 */
final class MercureConformanceCases
{
    private final String cases;
    private final int count;
    private final String sentinelParameter;
    private final String selectorParameter;

    /**
     * @param cases             the cases, a JavaScript array of {@code {name, topics, selectors, received, private}}.
     * @param count             how many.
     * @param sentinelParameter the query parameter that subscribes to the sentinel's topic.
     * @param selectorParameter a JavaScript function of a selector naming its query parameter.
     */
    MercureConformanceCases(
        final String cases, final int count, final String sentinelParameter, final String selectorParameter)
    {
        this.cases = cases;
        this.count = count;
        this.sentinelParameter = sentinelParameter;
        this.selectorParameter = selectorParameter;
    }

    /**
     * Run every case on the hub and check what each page saw.
     *
     * @param resources       where the browser is tracked, to be closed with the test.
     * @param server          the hub.
     * @param cookie          a JavaScript expression: the subscriber token for the private cases' cookie, or
     *                        {@code ''} for none.
     * @param headers         a JavaScript object: the publishes' headers.
     * @param privateReceived whether the private cases' updates must be received.
     */
    @SuppressWarnings("unchecked")
    void assertCases(
        final Closer resources, final SseServer server, final String cookie, final String headers,
        final boolean privateReceived) throws Exception
    {
        final BrowserDriver browser = resources.track(BrowserDriver.launch());
        browser.open(server.url() + "/");
        final Map<String, Object> results = Json.parseObject((String)browser.eval(script(cookie, headers)));
        assertEquals(count, results.size(), results + browser.describe());
        for (final Map.Entry<String, Object> entry : results.entrySet())
        {
            final String name = entry.getKey();
            final Map<String, Object> result = (Map<String, Object>)entry.getValue();
            final List<Map<String, Object>> seen = (List<Map<String, Object>>)result.get("seen");
            final String id = (name.startsWith("private") ? "private-" : "") + "id-" + result.get("topics");
            assertEquals(200.0, ((Number)result.get("status")).doubleValue(), name + ": " + result);
            assertTrue(((String)result.get("contentType")).startsWith("text/plain"), name + ": " + result);
            assertEquals(id, result.get("body"), name + ": " + result);
            final Map<String, Object> sentinel = seen.get(seen.size() - 1);
            assertEquals("end", sentinel.get("data"), name + ": " + result);
            if (Boolean.TRUE.equals(result.get("received")) || (privateReceived && name.startsWith("private")))
            {
                assertEquals(2, seen.size(), name + ": " + result);
                assertEquals(Map.of("type", "message", "id", id, "data", "data for\n\n        " + name), seen.get(0),
                    name + ": " + result);
            }
            else
            {
                assertEquals(1, seen.size(), name + " must not be received: " + result);
            }
        }
    }

    private String script(final String cookie, final String headers)
    {
        return "(async () => {" +
            "const results = {}; let n = 0;" +
            "const paramName = " + selectorParameter + ";" +
            "for (const c of " + cases + ") {" +
            "  const sentinel = 'sentinel-' + (n++);" +
            "  const url = new URL('/.well-known/mercure', window.origin);" +
            "  url.searchParams.append('" + sentinelParameter + "', sentinel);" +
            "  c.selectors.forEach((s) => url.searchParams.append(paramName(s), s));" +
            "  if (" + cookie + ") document.cookie = 'mercureAuthorization=' + (c.private ? " + cookie + " : '') +" +
            "    (c.private ? '; path=/' : '; path=/; max-age=0');" +
            "  const es = new EventSource(url); const seen = [];" +
            "  const done = new Promise((resolve) => { es.onmessage = (e) => {" +
            "    seen.push({type: e.type, id: e.lastEventId, data: e.data}); if (e.lastEventId === sentinel) resolve(); }; });" +
            "  await new Promise((resolve) => { es.onopen = resolve; });" +
            "  const body = new URLSearchParams(); c.topics.forEach((t) => body.append('topic', t));" +
            "  body.set('id', (c.private ? 'private-' : '') + 'id-' + JSON.stringify(c.topics)); body.set('data', 'data for\\n\\n        ' + c.name);" +
            "  if (c.private) body.set('private', 'on');" +
            "  const resp = await fetch('/.well-known/mercure', {method: 'POST', body, headers: " + headers + "});" +
            "  const text = await resp.text();" +
            "  const end = new URLSearchParams(); end.append('topic', sentinel); end.set('id', sentinel); end.set('data', 'end');" +
            "  await fetch('/.well-known/mercure', {method: 'POST', body: end, headers: " + headers + "});" +
            "  await done; es.close();" +
            "  results[c.name] = {received: c.received, topics: JSON.stringify(c.topics), status: resp.status," +
            "    contentType: resp.headers.get('Content-Type'), body: text, seen: seen};" +
            "}" +
            "return JSON.stringify(results); })()";
    }
}
