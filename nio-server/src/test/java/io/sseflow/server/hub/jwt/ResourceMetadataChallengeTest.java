package io.sseflow.server.hub.jwt;

import io.sseflow.server.SseServer;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code resource_metadata} in the hub's {@code WWW-Authenticate} challenges (RFC 9728 section 5.1; the draft's
 * "Error Responses"): a hub with {@code --jwt-audience} serves its protected resource metadata, and every 401 names
 * it, at the audience's origin, whatever {@code Host} the request carries; the URL named is the one the hub answers.
 * A hub without an audience challenges as before. Exact bytes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResourceMetadataChallengeTest
{
    private static final String AUDIENCE = "https://hub.example.com:8443/.well-known/mercure";
    private static final String METADATA_PATH = "/.well-known/oauth-protected-resource/.well-known/mercure";
    private static final String METADATA = "https://hub.example.com:8443" + METADATA_PATH;

    private SseServer hub;

    @AfterEach
    void tearDown()
    {
        if (null != hub)
        {
            hub.close();
        }
    }

    @Test
    void shouldNameTheMetadataAtTheAudiencesOriginInEveryChallenge() throws Exception
    {
        hub = Servers.hub("--jwt-key", TestTokens.SECRET, "--jwt-audience", AUDIENCE, "--jwt-issuer",
            "https://hub.example.com");
        assertEquals(unauthorized("token required", "Bearer resource_metadata=\"" + METADATA + "\""),
            RawHttp.exchange(hub.port(), "GET /.well-known/mercure?match=a HTTP/1.1\r\nHost: evil.example\r\n" +
                "Connection: close\r\n\r\n"));
        assertEquals(unauthorized("token required", "Bearer resource_metadata=\"" + METADATA + "\""),
            RawHttp.post(hub.port(), "/.well-known/mercure", "topic=a&data=x",
                "Content-Type: application/x-www-form-urlencoded", "Connection: close"));
        assertEquals(unauthorized("malformed token", "Bearer error=\"invalid_token\", " +
            "error_description=\"malformed token\", resource_metadata=\"" + METADATA + "\""),
            RawHttp.get(hub.port(), "/.well-known/mercure?match=a", "Authorization: Bearer x", "Connection: close"));
        final String metadata = RawHttp.get(hub.port(), METADATA_PATH, "Connection: close");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(metadata), metadata);
        assertEquals("{\"resource\":\"" + AUDIENCE + "\"", RawHttp.body(metadata).substring(0, 14 + AUDIENCE.length()));
    }

    @Test
    void shouldChallengeWithoutMetadataOnAHubWithoutAnAudience() throws Exception
    {
        hub = Servers.hub("--jwt-key", TestTokens.SECRET);
        assertEquals(unauthorized("token required", "Bearer"),
            RawHttp.get(hub.port(), "/.well-known/mercure?topic=a", "Connection: close"));
    }

    private static String unauthorized(final String reason, final String challenge)
    {
        return "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
            (reason.length() + 1) + "\r\nConnection: close\r\nWWW-Authenticate: " + challenge + "\r\n\r\n" + reason +
            "\n";
    }
}
