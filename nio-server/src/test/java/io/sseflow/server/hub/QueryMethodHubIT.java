package io.sseflow.server.hub;

import io.sseflow.server.hub.jwt.TestTokens;
import io.sseflow.server.support.ChildProcess;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21's last two items against the hub jar ({@code --jwt-key}, {@code --allow-anonymous}, {@code --jwt-audience},
 * {@code --jwt-issuer}): a {@code QUERY} subscription (RFC 10008) with its matchers and {@code last_event_id} in a
 * form body streams exactly what the {@code GET} with them in the URL streams; a {@code QUERY} of another media type
 * is refused {@code 415}; a refused token's challenge names the protected resource metadata, which the hub serves at
 * that path ({@code mvn -B -o -pl nio-server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=QueryMethodHubIT}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueryMethodHubIT
{
    private static final String AUDIENCE = "https://hub.example.com/.well-known/mercure";
    private static final String METADATA_PATH = "/.well-known/oauth-protected-resource/.well-known/mercure";
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n" +
        "X-Accel-Buffering: no\r\nMercure-Last-Event-ID: earliest\r\n\r\n";
    private static final String FRAME = "event: book\nid: book-1\ndata: {\"title\":\"Dune\"}\n\n";

    @Test
    void shouldStreamAQuerySubscriptionAsTheGetAndNameTheMetadataInChallenges() throws Exception
    {
        final Path stderr = Files.createTempFile("sseflow-query", ".err");
        final Process hub = ChildProcess.startHubJar(List.of("-Xmx128m"), ProcessBuilder.Redirect.to(stderr.toFile()),
            "--port", "0", "--jwt-key", TestTokens.SECRET, "--allow-anonymous", "--jwt-audience", AUDIENCE,
            "--jwt-issuer", "https://hub.example.com");
        try
        {
            final int port = ChildProcess.port(ChildProcess.awaitListening(hub, stderr));
            final String publisher = TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}");
            final String published = RawHttp.post(port, "/.well-known/mercure", "topic=" +
                encode("https://example.com/books/1") + "&type=book&id=book-1&data=" + encode("{\"title\":\"Dune\"}"),
                FORM, "Authorization: Bearer " + publisher, "Connection: close");
            assertEquals("book-1", RawHttp.body(published), published);

            final String matchers = "match_urlpattern=" + encode("https://example.com/books/:id") +
                "&last_event_id=earliest";
            try (RawSseClient query = RawSseClient.open(port, 0);
                RawSseClient get = RawSseClient.get(port, "/.well-known/mercure?" + matchers))
            {
                query.send(RawHttp.request("QUERY", "/.well-known/mercure", new String[]{FORM}, matchers));
                assertEquals(HEAD, query.readHead());
                assertEquals(FRAME, query.readBytes(FRAME.length()));
                assertEquals(HEAD, get.readHead());
                assertEquals(FRAME, get.readBytes(FRAME.length()));
            }

            final String json = RawHttp.exchange(port, RawHttp.request("QUERY", "/.well-known/mercure",
                new String[]{"Content-Type: application/json", "Connection: close"}, "{}"));
            assertEquals("HTTP/1.1 415 Unsupported Media Type", RawHttp.status(json), json);
            assertTrue(json.contains("\r\nAccept-Query: application/x-www-form-urlencoded\r\n"), json);

            final String refused = RawHttp.get(port, "/.well-known/mercure?match=a", "Authorization: Bearer x",
                "Connection: close");
            assertEquals("HTTP/1.1 401 Unauthorized", RawHttp.status(refused), refused);
            assertTrue(refused.contains("\r\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=" +
                "\"malformed token\", resource_metadata=\"https://hub.example.com" + METADATA_PATH + "\"\r\n"), refused);
            final String metadata = RawHttp.get(port, METADATA_PATH, "Connection: close");
            assertTrue(RawHttp.body(metadata).startsWith("{\"resource\":\"" + AUDIENCE + "\","), metadata);
        }
        finally
        {
            final boolean stopped = ChildProcess.stop(hub, Duration.ofSeconds(15));
            final String errors = Files.readString(stderr);
            Files.deleteIfExists(stderr);
            assertTrue(stopped, "hub stops on SIGTERM");
            assertTrue(!errors.contains("Error") && !errors.contains("Exception"), errors);
        }
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
