package io.sseflow.server.clients;

import io.sseflow.server.SseServer;
import io.sseflow.server.Topic;
import io.sseflow.server.clients.SampleEvents.Sample;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.Closer;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo page {@code GET /} in headless Chromium (it reads the stream with {@code fetch} and parses it itself, so
 * that it shows every event whatever its name): subscribing through the page's form, events published from Java
 * and through the page's publish form show up in the page in order with their ids, names and data, without any
 * name typed in; when the connection drops, the page reconnects with {@code Last-Event-ID} after the stream's retry
 * delay and shows exactly the events it missed; on a hub that needs a subscribe token it shows the refusal, and
 * takes the token from its field or {@code ?authorization=}; it opens on the README's topic {@code news} and shows
 * the live topic and subscriber counts. Screenshots of the page go to {@code target/}.
 * <p>
 * The browser is driven by {@code src/test/node/browser-driver.mjs} (npm {@code playwright-core}, which uses the
 * system's {@code /usr/bin/chromium} and downloads nothing). Drops are made by a {@link DroppingRelay} in front of
 * the server, as the embedded API has no call to close a subscriber.
 */
class ChromiumDemoPageTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long RECONNECT_MS = 300;
    private static final long NO_RETRY = -1;
    private static final String ROWS =
        "Array.from(document.querySelectorAll('#events tr.event')).map((row) => ({" +
        "n: row.cells[0].textContent, id: row.getAttribute('data-id'), type: row.getAttribute('data-event'), " +
        "data: row.querySelector('td.data').textContent}))";

    private SseServer server;
    private final Closer resources = new Closer();

    @BeforeEach
    void startServer()
    {
        server = resources.track(SseServer.builder().port(0).demoPage(true).start());
    }

    @AfterEach
    void stop() throws Exception
    {
        resources.close();
    }

    @Test
    @Timeout(45)
    void shouldShowEventsPublishedFromJavaInOrderAfterSubscribingThroughThePage() throws IOException
    {
        final BrowserDriver browser = track(BrowserDriver.launch());
        final Topic topic = server.topic("browser-order");
        browser.open(server.url() + "/");
        assertEquals("news", browser.eval("document.getElementById('topic').value"), "the README's topic");
        subscribeThroughPage(browser, topic.name());

        final List<Sample> samples = SampleEvents.batch("chromium");
        samples.forEach((sample) -> NodeEventSourceClientTest.publish(topic, sample, NO_RETRY));

        final List<Map<String, Object>> rows = awaitRows(browser, samples.size());
        assertRows(samples, rows, 0, "chromium", browser);
        assertStrictlyIncreasingIds(rows, -1, browser);
        assertEquals(rows.size(), ((List<?>)browser.eval("window.sseflowEvents")).size(),
            "the page shows every event it parsed" + browser.describe());
        final List<String> names = new ArrayList<>(new java.util.LinkedHashSet<>(samples.stream()
            .map((sample) -> (String)rows.get(samples.indexOf(sample)).get("type")).toList()));
        assertEquals(String.join(", ", names), browser.eval("document.getElementById('names-seen').textContent"),
            "every event name listed as it arrived" + browser.describe());
        browser.waitFor("the live counts", "document.getElementById('stat-subscribers').textContent === '1'", WAIT);
        assertEquals(rows.get(rows.size() - 1).get("id"), browser.eval("document.getElementById('last-id').textContent"));
        browser.screenshot(screenshotPath("chromium-demo-page.png"));
    }

    @Test
    @Timeout(45)
    void shouldPublishThroughThePageFormAndShowTheEventTheServerReceived() throws Exception
    {
        final BrowserDriver browser = track(BrowserDriver.launch());
        final String topic = "browser-form";
        browser.open(server.url() + "/");
        subscribeThroughPage(browser, topic);
        final RawSseClient raw = track(RawSseClient.get(server.port(), "/events/" + topic, "Accept: text/event-stream"));
        final String head = raw.readHead();
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), "status of /events/" + topic + ": " + head);
        assertTrue(head.contains("\r\nContent-Type: text/event-stream\r\n"), "content type: " + head);
        final long publishedBefore = server.metrics().eventsPublished();

        final String text = "typed in the form\nzweite Zeile — ✓ 😀 \"quoted\"";
        browser.fill("#data", text);
        browser.fill("#event", "form-note");
        browser.click("#publish");
        browser.waitFor("the publish answer", "document.getElementById('publish-result').getAttribute('data-status') !== null", WAIT);
        final String result = (String)browser.eval("document.getElementById('publish-result').textContent");
        assertTrue(result.startsWith("200 "), "publish answer shown by the page: " + result + browser.describe());
        final String id = result.substring(4).trim();

        assertEquals(publishedBefore + 1, server.metrics().eventsPublished(), "the server counted one published event");
        assertEquals(List.of("event: form-note", "id: " + id, "data: typed in the form", "data: zweite Zeile — ✓ 😀 \"quoted\""),
            raw.nextFrameLines(), "the frame the server streams for the form's event");

        final List<Map<String, Object>> rows = awaitRows(browser, 1);
        assertEquals(id, rows.get(0).get("id"), "id shown" + browser.describe());
        assertEquals("form-note", rows.get(0).get("type"), "event name shown" + browser.describe());
        assertEquals(text, rows.get(0).get("data"), "data shown" + browser.describe());
        browser.screenshot(screenshotPath("chromium-demo-page-form.png"));
    }

    @Test
    @Timeout(45)
    void shouldReconnectWithLastEventIdAndShowExactlyTheMissedEvents() throws IOException
    {
        final BrowserDriver browser = track(BrowserDriver.launch());
        final DroppingRelay relay = track(new DroppingRelay(server.port()));
        final Topic topic = server.topic("browser-reconnect");
        browser.open("http://127.0.0.1:" + relay.port() + "/?topic=" + topic.name());
        browser.waitFor("the page to connect", "document.getElementById('status').textContent === 'open'", WAIT);
        final Map<String, Object> firstRequest = browser.awaitRequest("the stream request", "fetch", "/events/", WAIT);
        assertEquals(null, firstRequest.get("lastEventId"), "first request must not carry Last-Event-ID");

        final List<Sample> before = SampleEvents.batch("before-drop");
        NodeEventSourceClientTest.publish(topic, before.get(0), RECONNECT_MS);
        before.subList(1, before.size()).forEach((sample) -> NodeEventSourceClientTest.publish(topic, sample, NO_RETRY));
        final List<Map<String, Object>> beforeRows = awaitRows(browser, before.size());
        final String lastIdBeforeDrop = (String)beforeRows.get(beforeRows.size() - 1).get("id");

        assertTrue(relay.dropAll() >= 1, "a connection to drop");
        final List<Sample> missed = SampleEvents.batch("missed");
        missed.forEach((sample) -> NodeEventSourceClientTest.publish(topic, sample, NO_RETRY));

        final Map<String, Object> reconnect = browser.awaitRequest("the page to reconnect", "fetch", "/events/", WAIT);
        assertEquals(lastIdBeforeDrop, reconnect.get("lastEventId"), "reconnect must send the last id shown" + browser.describe());
        browser.waitFor("the page to reopen", "document.getElementById('status').textContent === 'open'", WAIT);
        final List<Sample> after = SampleEvents.batch("after-reconnect");
        after.forEach((sample) -> NodeEventSourceClientTest.publish(topic, sample, NO_RETRY));

        final List<Sample> expected = new ArrayList<>(before);
        expected.addAll(missed);
        expected.addAll(after);
        final List<Map<String, Object>> rows = awaitRows(browser, expected.size());
        assertRows(expected, rows, 0, "before + missed + after", browser);
        assertStrictlyIncreasingIds(rows, -1, browser);
        Await.pause(200);
        assertEquals(expected.size(), rowCount(browser), "no extra rows" + browser.describe());
        assertEquals(2, browser.requests("fetch", "/events/").size(), "exactly one reconnect" + browser.describe());
        browser.screenshot(screenshotPath("chromium-demo-page-reconnected.png"));
    }

    @Test
    @Timeout(45)
    void shouldShowTheRefusalAndTakeTheSubscribeTokenFromItsFieldOrTheQuery() throws IOException
    {
        final SseServer guarded = resources.track(
            SseServer.builder().port(0).demoPage(true).subscribeToken("s3cret-T0k").start());
        final Topic topic = guarded.topic("browser-token");
        final BrowserDriver browser = track(BrowserDriver.launch());
        browser.open(guarded.url() + "/?topic=" + topic.name());
        browser.waitFor("the refusal", "document.getElementById('subscribe-error').textContent.startsWith('401 ')", WAIT);
        assertEquals("closed", browser.eval("document.getElementById('status').textContent"));

        browser.fill("#subscribe-token", "s3cret-T0k");
        subscribeThroughPage(browser, topic.name());
        assertEquals("", browser.eval("document.getElementById('subscribe-error').textContent"));
        final List<Sample> samples = SampleEvents.batch("token");
        samples.forEach((sample) -> NodeEventSourceClientTest.publish(topic, sample, NO_RETRY));
        assertRows(samples, awaitRows(browser, samples.size()), 0, "with the token from the field", browser);
        browser.screenshot(screenshotPath("chromium-demo-page-token.png"));

        final BrowserDriver fromQuery = track(BrowserDriver.launch());
        fromQuery.open(guarded.url() + "/?topic=" + topic.name() + "&authorization=s3cret-T0k");
        fromQuery.waitFor("the page to connect", "document.getElementById('status').textContent === 'open'", WAIT);
        assertEquals(false, fromQuery.eval("window.location.search.includes('authorization')"),
            "the token leaves the address bar");
    }

    private static void subscribeThroughPage(final BrowserDriver browser, final String topic)
    {
        browser.fill("#topic", topic);
        browser.click("#connect");
        browser.waitFor("the page to connect to " + topic,
            "document.getElementById('status').textContent === 'open' && window.sseflowSubscription && " +
            "window.sseflowSubscription.url.endsWith('/events/" + topic + "')", WAIT);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> awaitRows(final BrowserDriver browser, final int count)
    {
        browser.waitFor(count + " rows", "document.querySelectorAll('#events tr.event').length >= " + count, WAIT);
        return (List<Map<String, Object>>)browser.eval(ROWS);
    }

    private static long rowCount(final BrowserDriver browser)
    {
        return (Long)browser.eval("document.querySelectorAll('#events tr.event').length");
    }

    private static void assertRows(
        final List<Sample> expected, final List<Map<String, Object>> rows, final int from, final String what,
        final BrowserDriver browser)
    {
        assertEquals(expected.size(), rows.size() - from, what + " rows" + browser.describe());
        for (int i = 0; i < expected.size(); i++)
        {
            final Map<String, Object> row = rows.get(from + i);
            assertEquals(String.valueOf(from + i + 1), row.get("n"), "row number");
            expected.get(i).assertReceived((String)row.get("type"), (String)row.get("data"), what + " row " + i + " " + row);
        }
    }

    private static void assertStrictlyIncreasingIds(final List<Map<String, Object>> rows, final long after, final BrowserDriver browser)
    {
        long previous = after;
        for (final Map<String, Object> row : rows)
        {
            final long id = Long.parseLong((String)row.get("id"));
            assertTrue(id > previous, "ids must increase: " + id + " after " + previous + " in " + rows + browser.describe());
            previous = id;
        }
    }

    private static Path screenshotPath(final String name) throws IOException
    {
        final Path target = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")), "target");
        Files.createDirectories(target);
        return target.resolve(name);
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }
}
