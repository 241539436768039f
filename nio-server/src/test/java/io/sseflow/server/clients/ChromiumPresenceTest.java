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
 * Presence in headless Chromium ({@code --subscriptions}, JWTs): a page's {@code EventSource} on the subscription
 * topics ({@code /.well-known/mercure/subscriptions{/topic}{/subscriber}}, its token in the
 * {@code mercureAuthorization} cookie) sees another page (an iframe, its token in {@code ?authorization=} with a
 * {@code mercure.payload}) subscribe to {@code https://example.com/chat}, then, once the iframe is removed (its
 * document unloaded, its stream closed), that subscription end.
 */
class ChromiumPresenceTest
{
    private static final String CHAT = "https://example.com/chat";
    private static final String SUBSCRIPTIONS = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";

    private final Closer resources = new Closer();

    @AfterEach
    void stop() throws Exception
    {
        resources.close();
    }

    @Test
    @Timeout(60)
    @SuppressWarnings("unchecked")
    void shouldShowAnotherPagesSubscriptionComeAndGo() throws Exception
    {
        final SseServer server = resources.track(
            Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous", "--subscriptions", "true"));
        final String observer = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"" + SUBSCRIPTIONS + "\"]}}");
        final String member = TestTokens.hs256(
            "{\"mercure\":{\"subscribe\":[\"" + CHAT + "\"],\"payload\":{\"name\":\"ada\"}}}");
        final String run = "(async () => {" +
            "document.cookie = 'mercureAuthorization=" + observer + "; path=/';" +
            "const url = new URL('/.well-known/mercure', window.origin);" +
            "url.searchParams.append('topic', '" + SUBSCRIPTIONS + "');" +
            "const es = new EventSource(url); const seen = []; let check = () => {};" +
            "es.onmessage = (e) => { const d = JSON.parse(e.data); if (d.topic === '" + CHAT + "') { seen.push(d); } check(); };" +
            "await new Promise((resolve) => { es.onopen = resolve; });" +
            "document.cookie = 'mercureAuthorization=; path=/; max-age=0';" +
            "const seenAtLeast = (n) => new Promise((resolve) => { check = () => { if (seen.length >= n) resolve(); }; check(); });" +
            "const frame = document.createElement('iframe'); frame.src = '/';" +
            "const loaded = new Promise((resolve) => { frame.onload = resolve; });" +
            "document.body.appendChild(frame); await loaded;" +
            "const sub = new URL('/.well-known/mercure', window.origin);" +
            "sub.searchParams.append('topic', '" + CHAT + "'); sub.searchParams.append('authorization', '" + member + "');" +
            "const other = new frame.contentWindow.EventSource(sub);" +
            "await new Promise((resolve) => { other.onopen = resolve; });" +
            "await seenAtLeast(1);" +
            "frame.remove();" +
            "await seenAtLeast(2); es.close();" +
            "return JSON.stringify({seen: seen}); })()";

        final BrowserDriver browser = resources.track(BrowserDriver.launch());
        browser.open(server.url() + "/");
        final List<Object> seen = (List<Object>)Json.parseObject((String)browser.eval(run)).get("seen");
        assertEquals(2, seen.size(), seen + browser.describe());
        final Map<String, Object> started = (Map<String, Object>)seen.get(0);
        final Map<String, Object> ended = (Map<String, Object>)seen.get(1);
        assertEquals("Subscription", started.get("type"), seen.toString());
        assertEquals(CHAT, started.get("topic"), seen.toString());
        assertEquals(Boolean.TRUE, started.get("active"), seen.toString());
        assertEquals(Map.of("name", "ada"), started.get("payload"), seen.toString());
        assertTrue(((String)started.get("subscriber")).startsWith("urn:uuid:"), seen.toString());
        assertEquals("/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2Fchat/" +
            ((String)started.get("subscriber")).replace(":", "%3A"), started.get("id"), seen.toString());
        assertEquals(started.get("subscriber"), ended.get("subscriber"), seen.toString());
        assertEquals(Boolean.FALSE, ended.get("active"), seen.toString());
    }
}
