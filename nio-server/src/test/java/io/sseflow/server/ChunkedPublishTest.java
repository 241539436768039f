package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Publishing with chunked request bodies (finding 9 of issue 8), as real clients send them: the JDK's
 * {@code HttpClient} with {@code BodyPublishers.ofInputStream} (no length known, so it sends
 * {@code Transfer-Encoding: chunked}), {@code curl -X POST -T -} reading standard input, and raw bytes cut at awkward
 * places.
 * The subscriber must receive exactly the frame of the body sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChunkedPublishTest
{
    private static final String TEXT = "chunked line one\nline two: ünïcödé ✓\nline three";
    private static final String FRAME_DATA = "data: chunked line one\ndata: line two: ünïcödé ✓\ndata: line three\n\n";

    private SseServer server;
    private RawSseClient subscriber;

    @BeforeEach
    void start() throws IOException
    {
        server = SseServer.builder().port(0).start();
        subscriber = RawSseClient.get(server.port(), "/events/chunked");
        subscriber.readHead();
        Servers.awaitSubscribers(server, 1);
    }

    @AfterEach
    void stop() throws IOException
    {
        subscriber.close();
        server.close();
    }

    @Test
    void shouldPublishAChunkedBodyFromTheJdkHttpClient() throws Exception
    {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        final byte[] body = TEXT.getBytes(StandardCharsets.UTF_8);
        final HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/events/chunked?event=jdk&id=j-1"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowInputStream(body, 7)))
            .build();
        final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("j-1\n", response.body());
        assertEquals("event: jdk\nid: j-1\n" + FRAME_DATA, readFrame());
    }

    @Test
    void shouldPublishAChunkedBodyFromCurlReadingStandardInput() throws Exception
    {
        final Path curl = Paths.get("/usr/bin/curl");
        assumeTrue(Files.isExecutable(curl), "curl is not installed at /usr/bin/curl: skipping the curl -T - test");
        final Process process = new ProcessBuilder(curl.toString(), "-sS", "--max-time", "20", "-X", "POST", "-T", "-",
            "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: text/plain",
            "-w", "\n%{http_code}", server.url() + "/events/chunked?event=curl").redirectErrorStream(true).start();
        try
        {
            process.getOutputStream().write(TEXT.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            assertEquals("1\n\n200", output);
        }
        finally
        {
            process.destroyForcibly();
        }
        assertEquals("event: curl\nid: 1\n" + FRAME_DATA, readFrame());
    }

    @Test
    void shouldPublishChunkedBytesCutAnywhereWithExtensionsAndTrailers() throws Exception
    {
        final byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        final StringBuilder chunks = new StringBuilder();
        final byte[] raw = chunkedRaw(text, new int[]{1, 5, 13, 0x1f}, "; note=\"x;y\"", "Digest: none\r\nX-Done: yes\r\n");
        final String head = "POST /events/chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (final int piece : new int[]{1, 2, 3, 11})
        {
            try (RawSseClient client = RawSseClient.open(server.port(), 0))
            {
                client.send(head);
                for (int offset = 0; offset < raw.length; offset += piece)
                {
                    client.send(java.util.Arrays.copyOfRange(raw, offset, Math.min(raw.length, offset + piece)));
                }
                final String response = client.readHead();
                assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
                chunks.append(client.readBytes(2));
            }
        }
        assertEquals("1\n2\n3\n4\n", chunks.toString());
        for (int id = 1; id <= 4; id++)
        {
            assertEquals("id: " + id + "\n" + FRAME_DATA, readFrame());
        }
    }

    @Test
    void shouldPublishALargeChunkedBodyThatOutgrowsTheHeadBufferAndAnswer413PastTheLimit() throws Exception
    {
        try (SseServer small = SseServer.builder().port(0).maxRequestHeadBytes(512).maxEventBytes(8192).start();
            RawSseClient reader = RawSseClient.get(small.port(), "/events/big"))
        {
            reader.readHead();
            Servers.awaitSubscribers(small, 1);
            final byte[] text = "x".repeat(8000).getBytes(StandardCharsets.US_ASCII);
            final byte[] raw = chunkedRaw(text, new int[]{100, 3000, 0x7ff}, "", "");
            try (RawSseClient client = RawSseClient.open(small.port(), 0))
            {
                client.send("POST /events/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" +
                    "Expect: 100-continue\r\n\r\n");
                assertEquals("HTTP/1.1 100 Continue\r\n\r\n", client.readHead());
                client.send(raw);
                assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                assertEquals("1\n", client.readBytes(2));
            }
            HeadFirstDecisionTest.assertEvent(reader.nextEvent(), "1", "x".repeat(8000));

            final String tooLarge = RawHttp.exchange(small.port(),
                "POST /events/big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "1000\r\n" + "y".repeat(4096) + "\r\n1001\r\n");
            assertEquals("HTTP/1.1 413 Content Too Large", RawHttp.status(tooLarge));
            assertEquals("request body too large\n", RawHttp.body(tooLarge));

            final String notABodyEndpoint = RawHttp.exchange(small.port(),
                "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "800\r\n" + "z".repeat(2048) + "\r\n0\r\n\r\n");
            assertEquals("HTTP/1.1 413 Content Too Large", RawHttp.status(notABodyEndpoint));
            assertEquals("request body too large for this endpoint\n", RawHttp.body(notABodyEndpoint));
        }
    }

    /**
     * The exact bytes of the next frame on the stream, as UTF-8 text.
     */
    private String readFrame() throws IOException
    {
        final int before = subscriber.rawText().length();
        assertTrue(null != subscriber.nextEvent(), "the stream ended");
        return subscriber.rawText().substring(before);
    }

    private static byte[] chunkedRaw(final byte[] data, final int[] sizes, final String extension, final String trailers)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int offset = 0;
        int i = 0;
        while (offset < data.length)
        {
            final int size = Math.min(sizes[i++ % sizes.length], data.length - offset);
            out.writeBytes((Integer.toHexString(size) + extension + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, offset, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            offset += size;
        }
        out.writeBytes(("0" + extension + "\r\n" + trailers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Hands out its bytes a few at a time, so that the client sends several chunks.
     */
    private static final class SlowInputStream extends InputStream
    {
        private final ByteArrayInputStream in;
        private final int step;

        SlowInputStream(final byte[] bytes, final int step)
        {
            this.in = new ByteArrayInputStream(bytes);
            this.step = step;
        }

        public int read()
        {
            return in.read();
        }

        public int read(final byte[] buffer, final int offset, final int length)
        {
            return in.read(buffer, offset, Math.min(step, length));
        }
    }
}
