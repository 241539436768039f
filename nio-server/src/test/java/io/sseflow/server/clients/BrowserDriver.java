package io.sseflow.server.clients;

import io.sseflow.server.support.Await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Headless Chromium, driven through {@code src/test/node/browser-driver.mjs} (npm {@code playwright-core} on the
 * system's Chromium): one command per call, answered before the next. Network requests the page makes are
 * reported on the same stream and can be awaited with {@link #awaitRequest}.
 */
final class BrowserDriver implements AutoCloseable
{
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final JsonLineProcess process;
    private final String browserVersion;
    private long nextId = 1;
    private int requestsSeen;

    private BrowserDriver(final JsonLineProcess process)
    {
        this.process = process;
        final Map<String, Object> ready = process.await(
            "Chromium to start", (line) -> "ready".equals(line.get("kind")), LAUNCH_TIMEOUT);
        this.browserVersion = (String)ready.get("browserVersion");
    }

    /**
     * Launch Chromium; skips the test when Node or Chromium is missing.
     *
     * @return a driver with one open page.
     * @throws IOException if Node cannot be started.
     */
    static BrowserDriver launch() throws IOException
    {
        final Path node = NodeToolchain.requireNodeWithModules();
        final Path chromium = NodeToolchain.requireChromium();
        return new BrowserDriver(JsonLineProcess.start("chromium", NodeToolchain.scriptsDirectory(), List.of(
            node.toString(), "browser-driver.mjs", "--executable", chromium.toString(), "--timeout-ms", "90000")));
    }

    /**
     * The browser's version, for messages.
     *
     * @return e.g. {@code 140.0.7339.80}.
     */
    String browserVersion()
    {
        return browserVersion;
    }

    /**
     * Load a page and assert it answered 200.
     *
     * @param url to load.
     */
    void open(final String url)
    {
        final Object status = command("goto", "url", url);
        assertEquals(200L, status, "status of " + url + describe());
    }

    /**
     * Type into a form field, replacing its value.
     *
     * @param selector CSS selector.
     * @param value    text.
     */
    void fill(final String selector, final String value)
    {
        command("fill", "selector", selector, "value", value);
    }

    /**
     * Click an element.
     *
     * @param selector CSS selector.
     */
    void click(final String selector)
    {
        command("click", "selector", selector);
    }

    /**
     * Evaluate a JavaScript expression in the page.
     *
     * @param expression JS; its value must be JSON-serialisable.
     * @return the value: String, Long, Double, Boolean, List, Map or null.
     */
    Object eval(final String expression)
    {
        return command("eval", "expr", expression);
    }

    /**
     * Wait until a JavaScript expression is truthy in the page, failing the test otherwise.
     *
     * @param what       the expectation, for the message.
     * @param expression JS.
     * @param timeout    how long.
     */
    void waitFor(final String what, final String expression, final Duration timeout)
    {
        final Map<String, Object> reply = send("waitFor", timeout.plus(COMMAND_TIMEOUT),
            "expr", expression, "timeoutMs", timeout.toMillis());
        if (!Boolean.TRUE.equals(reply.get("ok")))
        {
            fail("waiting for " + what + ": " + reply.get("error") + "\npage state: " +
                eval("JSON.stringify({status: document.getElementById('status') && " +
                    "document.getElementById('status').textContent, rows: document.querySelectorAll('#events tr').length, " +
                    "recorded: window.__sseflow && window.__sseflow.events.length})") + describe());
        }
    }

    /**
     * Save a PNG of the whole page.
     *
     * @param path file to write.
     */
    void screenshot(final Path path)
    {
        command("screenshot", "path", path.toAbsolutePath().toString(), "fullPage", Boolean.TRUE);
    }

    /**
     * Take reported lines until the page makes a matching request.
     *
     * @param what         the expectation, for the message.
     * @param resourceType e.g. {@code eventsource}.
     * @param timeout      how long.
     * @return the request notice: url, method, resourceType, lastEventId.
     */
    Map<String, Object> awaitRequest(final String what, final String resourceType, final Duration timeout)
    {
        return awaitRequest(what, resourceType, "", timeout);
    }

    /**
     * Take reported lines until the page makes a matching request to a URL containing {@code urlPart}.
     *
     * @param what         the expectation, for the message.
     * @param resourceType e.g. {@code fetch}.
     * @param urlPart      a part of the URL, e.g. {@code /events/}.
     * @param timeout      how long.
     * @return the request notice: url, method, resourceType, lastEventId.
     */
    Map<String, Object> awaitRequest(
        final String what, final String resourceType, final String urlPart, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final List<Map<String, Object>> lines = process.history();
            for (int i = requestsSeen; i < lines.size(); i++)
            {
                final Map<String, Object> line = lines.get(i);
                if ("request".equals(line.get("kind")) && resourceType.equals(line.get("resourceType")) &&
                    String.valueOf(line.get("url")).contains(urlPart))
                {
                    requestsSeen = i + 1;
                    return line;
                }
            }
            if (System.nanoTime() > deadline)
            {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + describe());
            }
            Await.pause(20);
        }
    }

    /**
     * Requests of a type the page has made so far.
     *
     * @param resourceType e.g. {@code eventsource}.
     * @return the request notices, in order.
     */
    List<Map<String, Object>> requests(final String resourceType)
    {
        return requests(resourceType, "");
    }

    /**
     * Requests of a type to a URL containing {@code urlPart} the page has made so far.
     *
     * @param resourceType e.g. {@code fetch}.
     * @param urlPart      a part of the URL, e.g. {@code /events/}.
     * @return the request notices, in order.
     */
    List<Map<String, Object>> requests(final String resourceType, final String urlPart)
    {
        final List<Map<String, Object>> found = new ArrayList<>();
        for (final Map<String, Object> line : process.history())
        {
            if ("request".equals(line.get("kind")) && resourceType.equals(line.get("resourceType")) &&
                String.valueOf(line.get("url")).contains(urlPart))
            {
                found.add(line);
            }
        }
        return found;
    }

    /**
     * Everything the driver reported so far.
     *
     * @return the transcript.
     */
    String describe()
    {
        return process.describe();
    }

    /**
     * Close the browser.
     */
    public void close()
    {
        process.close();
    }


    private Object command(final String cmd, final Object... members)
    {
        final Map<String, Object> reply = send(cmd, COMMAND_TIMEOUT, members);
        if (!Boolean.TRUE.equals(reply.get("ok")))
        {
            fail("browser command " + cmd + " failed: " + reply.get("error") + describe());
        }
        return reply.get("value");
    }

    private Map<String, Object> send(final String cmd, final Duration timeout, final Object... members)
    {
        final long id = nextId++;
        final Object[] all = new Object[members.length + 4];
        all[0] = "id";
        all[1] = id;
        all[2] = "cmd";
        all[3] = cmd;
        System.arraycopy(members, 0, all, 4, members.length);
        process.send(Json.object(all));
        return process.await("the reply to " + cmd, (line) -> "reply".equals(line.get("kind")) && Long.valueOf(id).equals(line.get("id")), timeout);
    }
}
