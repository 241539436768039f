package io.sseflow.server.hub.jwt;

import io.sseflow.server.SseServer;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mercure 1.0 access tokens on a hub in process ({@code --jwt-audience}, {@code --jwt-issuer}): {@code typ at+jwt},
 * grants in {@code authorization_details} (exact and URL-pattern matchers), the {@code __Secure-mercure_access_token}
 * cookie; and each refusal: a wrong {@code typ}, audience or issuer, no {@code exp}, invalid details, a token in the
 * URL under the draft, a grant that does not cover the topic. Pre-standardization tokens keep working beside them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessTokenTest
{
    private static final String AUDIENCE = "https://localhost/.well-known/mercure";
    private static final String ISSUER = "https://localhost";
    private static final String EXP = "4102444800";
    private static final String BOOK_1 = "https://example.com/books/1";
    private static final String MERCURE_DETAIL = "{\"type\":\"https://mercure.rocks/authorization-detail\",";
    private static final String PUBLISHER = accessToken(AUDIENCE, ISSUER,
        "[" + MERCURE_DETAIL + "\"actions\":[\"publish\"],\"topics\":[{\"match\":\"*\"}]}]");
    private static final String READER = accessToken(AUDIENCE, ISSUER,
        "[{\"type\":\"https://example.com/other-api\",\"anything\":1}," + MERCURE_DETAIL +
        "\"actions\":[\"subscribe\",\"future-action\"],\"topics\":[" +
        "{\"match\":\"https://example.com/books/:id\",\"match_type\":\"urlpattern\"}]}]");
    private static final String INVALID_TOKEN = "WWW-Authenticate: Bearer error=\"invalid_token\"";
    /**
     * What every challenge of a hub with {@code --jwt-audience} ends with (RFC 9728 section 5.1).
     */
    private static final String METADATA =
        ", resource_metadata=\"https://localhost/.well-known/oauth-protected-resource/.well-known/mercure\"";

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
    void shouldPublishWithAnAccessTokenAndDeliverPrivateUpdatesToTheOneItsDetailsAllow() throws Exception
    {
        hub = startHub();
        final String path = "/.well-known/mercure?match_urlpattern=" + encode("https://example.com/books/:id");
        final String legacyReader =
            TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"https://example.com/books/{id}\"]}}");
        try (RawSseClient anonymous = RawSseClient.get(hub.port(), path);
            RawSseClient reader = RawSseClient.get(hub.port(), path, "Cookie: __Secure-mercure_access_token=" + READER);
            RawSseClient byHeader = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=" + encode(BOOK_1),
                "Authorization: Bearer " + READER, "Cookie: __Secure-mercure_access_token=not-a-token");
            RawSseClient legacy = RawSseClient.get(hub.port(), path, "Cookie: mercureAuthorization=" + legacyReader))
        {
            for (final RawSseClient client : new RawSseClient[]{anonymous, reader, byHeader, legacy})
            {
                assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
            }
            Servers.awaitSubscribers(hub, 4);
            final String privately = publish(PUBLISHER, "topic=" + encode(BOOK_1) + "&id=p1&data=secret&private=on");
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(privately), privately);
            assertEquals("p1", RawHttp.body(privately));
            assertEquals("u1", RawHttp.body(publish(PUBLISHER, "topic=" + encode(BOOK_1) + "&id=u1&data=public")));
            for (final RawSseClient client : new RawSseClient[]{reader, byHeader, legacy})
            {
                assertEquals(new SseEvent("p1", "message", "secret"), client.nextEvent());
                assertEquals(new SseEvent("u1", "message", "public"), client.nextEvent());
            }
            assertEquals(new SseEvent("u1", "message", "public"), anonymous.nextEvent());
        }
    }

    @Test
    void shouldRefuseAnAccessTokenOfAnotherTypeAudienceOrIssuerOrWithoutExp() throws Exception
    {
        hub = startHub();
        final String details = "[" + MERCURE_DETAIL + "\"actions\":[\"publish\"],\"topics\":[{\"match\":\"*\"}]}]";
        final String claims = "\"authorization_details\":" + details;
        assertRefused(publish(TestTokens.hs256("secevent+jwt", "{\"aud\":\"" + AUDIENCE + "\",\"iss\":\"" + ISSUER +
            "\",\"exp\":" + EXP + "," + claims + "}"), "topic=a&data=x"), "401 Unauthorized", INVALID_TOKEN +
            ", error_description=\"token header not supported\"" + METADATA);
        final String notForUs =
            INVALID_TOKEN + ", error_description=\"access token not issued for this hub\"" + METADATA;
        assertRefused(publish(accessToken("https://other.example/.well-known/mercure", ISSUER, details),
            "topic=a&data=x"), "401 Unauthorized", notForUs);
        assertRefused(publish(accessToken(AUDIENCE, "https://evil.example", details), "topic=a&data=x"),
            "401 Unauthorized", notForUs);
        assertRefused(publish(TestTokens.hs256("at+jwt", "{\"aud\":[\"x\",\"" + AUDIENCE + "\"],\"iss\":\"" + ISSUER +
            "\"," + claims + "}"), "topic=a&data=x"), "401 Unauthorized", notForUs);
        final String aud = publish(TestTokens.hs256("at+jwt", "{\"aud\":[\"x\",\"" + AUDIENCE + "\"],\"iss\":\"" +
            ISSUER + "\",\"exp\":" + EXP + "," + claims + "}"), "topic=a&data=x");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(aud), aud);
    }

    @Test
    void shouldRefuseInvalidAuthorizationDetailsWhole() throws Exception
    {
        hub = startHub();
        final String bad = INVALID_TOKEN + ", error_description=\"authorization_details invalid\"" + METADATA;
        for (final String details : new String[]{
            "[" + MERCURE_DETAIL + "\"actions\":[\"publish\"]," +
                "\"topics\":[{\"match\":\"*\",\"match_type\":\"regex\"}]}]",
            "[" + MERCURE_DETAIL + "\"actions\":[\"publish\"],\"topics\":[\"*\"]}]",
            "[" + MERCURE_DETAIL + "\"actions\":[],\"topics\":[{\"match\":\"*\"}]}]",
            "[" + MERCURE_DETAIL + "\"actions\":[\"publish\",7],\"topics\":[{\"match\":\"*\"}]}]",
            "[" + MERCURE_DETAIL + "\"actions\":[\"publish\"],\"topics\":[{\"match\":\"*\"}]}," + MERCURE_DETAIL +
                "\"actions\":[\"publish\"],\"topics\":[{\"match\":\"/(\\\\d+)\",\"match_type\":\"urlpattern\"}]}]",
            "{\"type\":\"https://mercure.rocks/authorization-detail\"}",
        })
        {
            assertRefused(publish(accessToken(AUDIENCE, ISSUER, details), "topic=a&data=x"), "401 Unauthorized", bad);
        }
    }

    @Test
    void shouldRefuseATokenInTheUrlUnderTheDraftAndAnAccessTokenInTheUrlAnywhere() throws Exception
    {
        hub = startHub();
        final String legacy = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"*\"]}}");
        final String inUrl =
            "WWW-Authenticate: Bearer error=\"invalid_request\", error_description=\"token in the URL\"" + METADATA;
        assertRefused(RawHttp.get(hub.port(), "/.well-known/mercure?match=a&authorization=" + legacy,
            "Connection: close"), "400 Bad Request", inUrl);
        assertRefused(RawHttp.get(hub.port(), "/.well-known/mercure?match=a&access_token=" + READER,
            "Connection: close"), "400 Bad Request", inUrl);
        assertRefused(RawHttp.get(hub.port(), "/.well-known/mercure?topic=a&authorization=" + READER,
            "Connection: close"), "400 Bad Request", inUrl);
        assertRefused(RawHttp.post(hub.port(), "/.well-known/mercure?authorization=" + PUBLISHER, "topic=a&data=x",
            "Content-Type: application/x-www-form-urlencoded", "Connection: close"), "400 Bad Request", inUrl);
        try (RawSseClient today = RawSseClient.get(hub.port(), "/.well-known/mercure?topic=a&authorization=" + legacy))
        {
            assertTrue(today.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
        }
    }

    @Test
    void shouldRefuseAPublishTheDetailsDoNotCoverAndAccessTokensOnAHubWithoutAnAudience() throws Exception
    {
        hub = startHub();
        final String partly = publish(accessToken(AUDIENCE, ISSUER, "[" + MERCURE_DETAIL +
            "\"actions\":[\"publish\"],\"topics\":[{\"match\":\"" + BOOK_1 + "\"}]}]"),
            "topic=" + encode(BOOK_1) + "&topic=" + encode("https://example.com/books/2") + "&data=x");
        assertRefused(partly, "403 Forbidden", "WWW-Authenticate: Bearer error=\"insufficient_scope\"" + METADATA);
        assertRefused(publish(READER, "topic=" + encode(BOOK_1) + "&data=x"), "403 Forbidden",
            "WWW-Authenticate: Bearer error=\"insufficient_scope\"" + METADATA);
        hub.close();

        hub = Servers.hub("--jwt-key", TestTokens.SECRET);
        assertRefused(publish(PUBLISHER, "topic=a&data=x"), "401 Unauthorized",
            INVALID_TOKEN + ", error_description=\"access token not issued for this hub\"");
        final String today = publish(TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}"), "topic=a&data=x");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(today), today);
    }

    @Test
    void shouldServeProtectedResourceMetadataNamingTheResourceOnlyWhenAccessTokensAreTaken() throws Exception
    {
        hub = startHub();
        final String path = "/.well-known/oauth-protected-resource/.well-known/mercure";
        final String body = "{\"resource\":\"https://localhost/.well-known/mercure\"," +
            "\"authorization_details_types_supported\":[\"https://mercure.rocks/authorization-detail\"]," +
            "\"bearer_methods_supported\":[\"header\"],\"mercure_cookie\":\"__Secure-mercure_access_token\"," +
            "\"mercure_matcher_types_supported\":[\"exact\",\"urlpattern\"]}\n";
        final String answer = RawHttp.get(hub.port(), path, "Connection: close");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
        assertTrue(answer.contains("\r\nContent-Type: application/json\r\n"), answer);
        assertEquals(body, RawHttp.body(answer));
        final String post = RawHttp.post(hub.port(), path, "x", "Connection: close");
        assertEquals("HTTP/1.1 405 Method Not Allowed", RawHttp.status(post), post);
        hub.close();

        hub = Servers.hub("--jwt-key", TestTokens.SECRET);
        final String none = RawHttp.get(hub.port(), path, "Connection: close");
        assertEquals("HTTP/1.1 404 Not Found", RawHttp.status(none), none);
    }

    private static SseServer startHub() throws Exception
    {
        return Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous", "--jwt-audience", AUDIENCE,
            "--jwt-issuer", ISSUER);
    }

    private static String accessToken(final String audience, final String issuer, final String details)
    {
        return TestTokens.hs256("at+jwt", "{\"aud\":\"" + audience + "\",\"iss\":\"" + issuer +
            "\",\"sub\":\"urn:uuid:1\",\"client_id\":\"tests\",\"iat\":1700000000,\"jti\":\"urn:uuid:2\",\"exp\":" +
            EXP + ",\"authorization_details\":" + details + "}");
    }

    private String publish(final String token, final String form) throws Exception
    {
        return RawHttp.post(hub.port(), "/.well-known/mercure", form, "Content-Type: application/x-www-form-urlencoded",
            "Authorization: Bearer " + token, "Connection: close");
    }

    private static void assertRefused(final String answer, final String status, final String challenge)
    {
        assertEquals("HTTP/1.1 " + status, RawHttp.status(answer), answer);
        assertTrue(answer.contains("\r\n" + challenge + "\r\n"), answer);
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
