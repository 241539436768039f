package io.sseflow.server.hub;

import io.sseflow.server.hub.jwt.TestTokens;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.ControlProbe;
import io.sseflow.server.support.RawHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 9 against the hub jar with {@code --jwt-key} in the small container's memory: a Mercure stream whose
 * token was accepted 57 s past its {@code exp} (inside the verifier's 60 s clock skew) used to stay open for good; now
 * it ends after its whole frames at once. Then 1,000 streams (Mercure with the token in the query, and
 * {@code /events/news} with it in the header, from 127.0.2.1 and 127.0.2.2) whose tokens expire in the same second
 * all end after their whole frames, exact bytes, while the {@link ControlProbe} (its own token, without {@code exp})
 * measures everyone else ({@code mvn -B -o -pl nio-server -am verify -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=TokenExpiryHubIT}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TokenExpiryHubIT
{
    private static final int STREAMS = 1_000;
    private static final String PUBLISHER = TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}");
    private static final String CONTROL =
        TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"control-probe\"],\"publish\":[\"control-probe\"]}}");
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n";
    private static final String TAIL = "X-Accel-Buffering: no\r\n\r\n";
    private static final String NO_CACHE_HEAD = HEAD + "Cache-Control: no-cache\r\n" + TAIL;
    private static final String PRIVATE_HEAD = HEAD + "Cache-Control: private, no-cache\r\n" + TAIL;
    private static final String FRAME = "id: before-expiry\ndata: last words\n\n";
    private static final Pattern EXPIRED = Pattern.compile("\nsseflow_streams_credentials_expired_total (\\d+)\n");

    @Test
    void shouldEndEveryStreamAfterWholeFramesWhenItsTokenExpiresWithoutDisturbingOthers() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-token-expiry", ".err");
        final Process hub = ChildProcess.startHubJar(
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0", "--jwt-key", TestTokens.SECRET);
        final List<Socket> sockets = new ArrayList<>(STREAMS);
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            final ControlProbe opening = probe(port);

            // the finding: a token 57 s past its exp, accepted inside the skew
            final String stale = subscriber(System.currentTimeMillis() / 1000 - 57);
            final long staleStart = System.nanoTime();
            try (Socket socket = open(port, "127.0.0.1", "/.well-known/mercure?topic=news", "Authorization: Bearer " + stale))
            {
                assertEquals(NO_CACHE_HEAD, readHead(socket.getInputStream()));
                assertEquals("", readToEof(socket.getInputStream()), "nothing but the head, then the end");
            }
            final double staleMillis = (System.nanoTime() - staleStart) / 1e6;

            // 1,000 streams whose tokens expire in the same second
            final long exp = System.currentTimeMillis() / 1000 + 6;
            final String expiring = subscriber(exp);
            final long openStart = System.nanoTime();
            for (int i = 0; i < STREAMS; i++)
            {
                final String source = "127.0.2." + (1 + i % 2);
                sockets.add(i % 2 == 0 ?
                    open(port, source, "/.well-known/mercure?topic=news&authorization=" + expiring) :
                    open(port, source, "/events/news", "Authorization: Bearer " + expiring));
            }
            for (int i = 0; i < STREAMS; i++)
            {
                assertEquals(i % 2 == 0 ? PRIVATE_HEAD : NO_CACHE_HEAD, readHead(sockets.get(i).getInputStream()), "stream " + i);
            }
            final double openMillis = (System.nanoTime() - openStart) / 1e6;
            assertTrue(System.currentTimeMillis() < exp * 1000, "the streams opened before their tokens expired");
            opening.close();
            final ControlProbe.Figures openingFigures = opening.assertUnaffected(1_000, "opening 1,000 JWT streams");

            final ControlProbe ending = probe(port);
            final String published = RawHttp.post(port, "/.well-known/mercure",
                "topic=news&id=before-expiry&data=" + URLEncoder.encode("last words", StandardCharsets.UTF_8),
                "Content-Type: application/x-www-form-urlencoded", "Authorization: Bearer " + PUBLISHER,
                "Connection: close");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(published), published);

            Await.until(() -> expiredCount(port), (count) -> count >= STREAMS + 1, Duration.ofSeconds(30), 10);
            final long allEndedMillis = System.currentTimeMillis() - exp * 1000;
            for (int i = 0; i < STREAMS; i++)
            {
                assertEquals(FRAME, readToEof(sockets.get(i).getInputStream()), "stream " + i + ": whole frames, then the end");
            }
            assertEquals(STREAMS + 1, expiredCount(port), "the stale stream and the 1,000");

            Await.pause(1_000);
            ending.close();
            final ControlProbe.Figures endingFigures = ending.assertUnaffected(1_000, "1,000 streams ending at expiry");
            System.out.printf("TokenExpiryHubIT: stale token (57 s past exp) stream ended %.0f ms after it opened; " +
                "%d streams opened in %.0f ms (%s); all ended %d ms after their exp (timer scan: 100 ms) (%s)%n",
                staleMillis, STREAMS, openMillis, openingFigures, allEndedMillis, endingFigures);
            assertTrue(allEndedMillis < 1_000, "ended within a second of exp: " + allEndedMillis + " ms");
        }
        finally
        {
            for (final Socket socket : sockets)
            {
                socket.close();
            }
            final boolean stopped = ChildProcess.stop(hub, Duration.ofSeconds(15));
            final String errors = Files.readString(stderr);
            Files.deleteIfExists(stderr);
            assertTrue(stopped, "hub stops on SIGTERM");
            assertTrue(!errors.contains("Error") && !errors.contains("Exception"), errors);
        }
    }

    private static ControlProbe probe(final int port) throws IOException
    {
        return ControlProbe.start(port, 60_000,
            new String[]{"Authorization: Bearer " + CONTROL}, new String[]{"Authorization: Bearer " + PUBLISHER});
    }

    private static String subscriber(final long exp)
    {
        return TestTokens.hs256("{\"exp\":" + exp + ",\"mercure\":{\"subscribe\":[\"news\"]}}");
    }

    private static long expiredCount(final int port) throws IOException
    {
        final Matcher matcher = EXPIRED.matcher(RawHttp.metrics(port));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static Socket open(final int port, final String source, final String path, final String... headers)
        throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(RawHttp.request("GET", path, headers, "").getBytes(StandardCharsets.UTF_8));
        return socket;
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                break;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.UTF_8);
    }

    private static String readToEof(final InputStream in) throws IOException
    {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
