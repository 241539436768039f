package io.sseflow.server.clients;

import io.sseflow.server.SseServer;
import io.sseflow.server.hub.jwt.TestTokens;
import io.sseflow.server.support.Closer;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance cases of Mercure 1.0 (the draft), ported from the reference hub's suite
 * ({@code conformance-tests/mercure.spec.ts} of {@code dunglas/mercure} at {@code 192faaa}, last changed in
 * {@code f774f38}), in headless Chromium: a page on the hub's origin opens an {@code EventSource} on
 * {@code /.well-known/mercure} with each case's matchers, {@code match_urlpattern} for a selector holding a
 * {@code /:name} group and {@code match} otherwise, publishes the update with {@code fetch} (a form body with the id
 * and two-paragraph data) and must receive it, with that {@code lastEventId} and data, or not. As in
 * {@link ChromiumMercureTest}, a sentinel update published after each case on the same stream replaces the suite's
 * two-second wait, and the private cases publish under ids of their own. The JWT run publishes, as the suite does,
 * with an access token ({@code typ: at+jwt}, {@code aud} {@code https://localhost/.well-known/mercure}, {@code iss}
 * {@code https://localhost}, {@code publish} on {@code *}) and subscribes to the private cases with one granting
 * {@code subscribe} (in the {@code mercureAuthorization} cookie: a page on {@code http://} cannot set the draft's
 * {@code __Secure-} cookie; the hub reads that one in {@code AccessTokenTest}).
 */
class ChromiumMercureDraftTest
{
    private static final String CASES = "[" +
        "{name:'raw string', topics:['3c1f0a'], selectors:['3c1f0a'], received:true}," +
        "{name:'multiple topic selectors', topics:['77be10'], selectors:['foo','77be10'], received:true}," +
        "{name:'URI', topics:['https://example.net/foo/c0ffee'], selectors:['https://example.net/foo/c0ffee'], received:true}," +
        "{name:'URL pattern', topics:['https://example.net/foo/5eed42'], selectors:['https://example.net/foo/:random'], received:true}," +
        "{name:'nonmatching raw string', topics:['will-not-match'], selectors:['another-name'], received:false}," +
        "{name:'nonmatching URI', topics:['https://example.net/foo/will-not-match'], selectors:['https://example.net/foo/another-name'], received:false}," +
        "{name:'nonmatching URL pattern', topics:['https://example.net/foo/will-not-match'], selectors:['https://example.net/bar/:var'], received:false}," +
        "{name:'private raw string', topics:['3c1f0a'], selectors:['3c1f0a'], received:false, private:true}," +
        "{name:'private URI', topics:['https://example.net/foo/c0ffee'], selectors:['https://example.net/foo/c0ffee'], received:false, private:true}," +
        "{name:'private URL pattern', topics:['https://example.net/foo/5eed42'], selectors:['https://example.net/foo/:random'], received:false, private:true}]";

    private static final String RUN = "(async () => {" +
        "const results = {}; let n = 0;" +
        "const paramName = (s) => /\\/:[A-Za-z_]/.test(s) ? 'match_urlpattern' : 'match';" +
        "for (const c of " + CASES + ") {" +
        "  const sentinel = 'sentinel-' + (n++);" +
        "  const url = new URL('/.well-known/mercure', window.origin);" +
        "  url.searchParams.append('match', sentinel);" +
        "  c.selectors.forEach((s) => url.searchParams.append(paramName(s), s));" +
        "  if (__COOKIE__) document.cookie = 'mercureAuthorization=' + (c.private ? __COOKIE__ : '') +" +
        "    (c.private ? '; path=/' : '; path=/; max-age=0');" +
        "  const es = new EventSource(url); const seen = [];" +
        "  const done = new Promise((resolve) => { es.onmessage = (e) => {" +
        "    seen.push({type: e.type, id: e.lastEventId, data: e.data}); if (e.lastEventId === sentinel) resolve(); }; });" +
        "  await new Promise((resolve) => { es.onopen = resolve; });" +
        "  const body = new URLSearchParams(); c.topics.forEach((t) => body.append('topic', t));" +
        "  body.set('id', (c.private ? 'private-' : '') + 'id-' + JSON.stringify(c.topics)); body.set('data', 'data for\\n\\n        ' + c.name);" +
        "  if (c.private) body.set('private', 'on');" +
        "  const resp = await fetch('/.well-known/mercure', {method: 'POST', body, headers: __HEADERS__});" +
        "  const text = await resp.text();" +
        "  const end = new URLSearchParams(); end.append('topic', sentinel); end.set('id', sentinel); end.set('data', 'end');" +
        "  await fetch('/.well-known/mercure', {method: 'POST', body: end, headers: __HEADERS__});" +
        "  await done; es.close();" +
        "  results[c.name] = {received: c.received, topics: JSON.stringify(c.topics), status: resp.status," +
        "    contentType: resp.headers.get('Content-Type'), body: text, seen: seen};" +
        "}" +
        "return JSON.stringify(results); })()";

    private final Closer resources = new Closer();

    @AfterEach
    void stop() throws Exception
    {
        resources.close();
    }

    @Test
    @Timeout(60)
    void shouldPassTheDraftsConformanceCasesInChromiumsEventSource() throws Exception
    {
        final SseServer server = resources.track(SseServer.builder().port(0).demoPage(true).start());
        assertCases(server, RUN.replace("__COOKIE__", "''").replace("__HEADERS__", "{}"), false);
    }

    /**
     * The same cases on a hub started as the suite's CI starts the reference hub ({@code --jwt-key},
     * {@code --allow-anonymous}) and told its resource identifier and issuer: private updates are received by the
     * subscriber whose access token allows their topic.
     */
    @Test
    @Timeout(60)
    void shouldPassTheDraftsCasesWithAccessTokensAndReceivePrivateUpdatesThroughTheCookie() throws Exception
    {
        final SseServer server = resources.track(Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous",
            "--jwt-audience", "https://localhost/.well-known/mercure", "--jwt-issuer", "https://localhost"));
        final String publisher =
            accessToken("[" + DETAIL + "\"actions\":[\"publish\"],\"topics\":[{\"match\":\"*\"}]}]");
        final String subscriber = accessToken("[" + DETAIL + "\"actions\":[\"subscribe\"],\"topics\":[" +
            "{\"match\":\"https://example.net/foo/:id\",\"match_type\":\"urlpattern\"},{\"match\":\"3c1f0a\"}]}]");
        assertCases(server, RUN.replace("__COOKIE__", "'" + subscriber + "'")
            .replace("__HEADERS__", "{Authorization: 'Bearer " + publisher + "'}"), true);
    }

    private static final String DETAIL = "{\"type\":\"https://mercure.rocks/authorization-detail\",";

    private static String accessToken(final String details)
    {
        return TestTokens.hs256("at+jwt", "{\"aud\":\"https://localhost/.well-known/mercure\"," +
            "\"iss\":\"https://localhost\",\"exp\":4102444800,\"authorization_details\":" + details + "}");
    }

    @SuppressWarnings("unchecked")
    private void assertCases(final SseServer server, final String run, final boolean privateReceived) throws Exception
    {
        final BrowserDriver browser = resources.track(BrowserDriver.launch());
        browser.open(server.url() + "/");
        final Map<String, Object> results = Json.parseObject((String)browser.eval(run));
        assertEquals(10, results.size(), results + browser.describe());
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
}
