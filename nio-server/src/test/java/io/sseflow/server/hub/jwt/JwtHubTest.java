package io.sseflow.server.hub.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import io.sseflow.server.Refusal;
import io.sseflow.server.SseServer;
import io.sseflow.server.hub.HubOptions;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub with JWT authorization ({@code --jwt-key}, {@code --jwt-key-file} + {@code --jwt-algorithm},
 * {@code --allow-anonymous}), in process through {@link HubOptions}: tokens from the header, the cookie and the
 * query; every refusal with its exact answer and its count in {@code /metrics}; RS256 and ES256 keys from PEM
 * files; the Origin rule of cookie-authorized publishes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JwtHubTest
{
    private static final String SECRET = TestTokens.SECRET;
    private static final String STREAM_HEAD =
        "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache\r\n" +
        "X-Accel-Buffering: no\r\n" +
        "\r\n";
    private static final String NEWS = "{\"mercure\":{\"publish\":[\"news\"],\"subscribe\":[\"news\"]}}";
    private static final String TEMPLATE_CLAIMS = "{\"mercure\":{\"publish\":[\"news.{id}\"],\"subscribe\":[\"news.{id}\"]}}";
    private static final String APP_CORS = "Access-Control-Allow-Origin: https://app.example\r\n" +
        "Access-Control-Allow-Credentials: true\r\nVary: Origin\r\n";
    private static final String INVALID_TOKEN = "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"";

    @TempDir
    Path directory;

    @Test
    void shouldServeTokensFromTheHeaderTheCookieAndBothQueryParameters() throws Exception
    {
        final String token = TestTokens.hs256(NEWS);
        try (SseServer hub = Servers.hub("--jwt-key", SECRET);
            RawSseClient header = RawSseClient.get(hub.port(), "/events/news", "Authorization: Bearer " + token);
            RawSseClient cookie = RawSseClient.get(hub.port(), "/events/news",
                "Cookie: theme=dark; mercureAuthorization=" + token + "; lang=en");
            RawSseClient authorization = RawSseClient.get(hub.port(), "/events/news?authorization=" + token);
            RawSseClient accessToken = RawSseClient.get(hub.port(), "/events/news?access_token=" + token))
        {
            for (final RawSseClient client : List.of(header, cookie))
            {
                assertEquals(STREAM_HEAD, client.readHead());
            }
            // a token in the URL: no shared cache may keep the response (RFC 6750 section 2.3, Mercure)
            for (final RawSseClient client : List.of(authorization, accessToken))
            {
                assertEquals(STREAM_HEAD.replace("no-cache", "private, no-cache"), client.readHead());
            }
            awaitSubscribers(hub, 4);
            final String published = RawHttp.post(hub.port(), "/events/news?id=n1", "extra", "Authorization: Bearer " + token);
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(published), published);
            assertEquals("n1\n", RawHttp.body(published));
            for (final RawSseClient client : List.of(header, cookie, authorization, accessToken))
            {
                assertEquals(new SseEvent("n1", "message", "extra"), client.nextEvent());
            }

            // templates in the claims: news.{id} allows news.42, not news
            final String templated = TestTokens.hs256(TEMPLATE_CLAIMS);
            try (RawSseClient item = RawSseClient.get(hub.port(), "/events/news.42", "Authorization: Bearer " + templated))
            {
                assertEquals(STREAM_HEAD, item.readHead());
            }
            assertEquals(answer403(), RawHttp.get(hub.port(), "/events/news", "Authorization: Bearer " + templated));
        }
    }

    @Test
    void shouldAnswerEveryRefusalExactlyAndCountItByReason() throws Exception
    {
        final long now = System.currentTimeMillis() / 1000;
        final String subscriber = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"news\"]}}");
        final Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("jwt_missing GET", new String[]{"GET", "/events/news"});
        cases.put("jwt_missing POST", new String[]{"POST", "/events/news"});
        cases.put("jwt_malformed", new String[]{"GET", "/events/news", "Authorization: Bearer not-a-jwt"});
        cases.put("jwt_malformed scheme", new String[]{"GET", "/events/news", "Authorization: Basic dXNlcjpwYXNz"});
        cases.put("jwt_algorithm_not_allowed none", new String[]{"GET", "/events/news", "Authorization: Bearer " +
            TestTokens.base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + TestTokens.base64Url(NEWS) + "."});
        cases.put("jwt_algorithm_not_allowed HS512", new String[]{"GET", "/events/news", "Authorization: Bearer " +
            TestTokens.sign(TestTokens.header(JWSAlgorithm.HS512), NEWS,
                TestTokens.macSigner((SECRET + SECRET).getBytes(StandardCharsets.UTF_8)))});
        cases.put("jwt_unsupported_header", new String[]{"GET", "/events/news", "Authorization: Bearer " +
            TestTokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("secevent+jwt")).build(),
                NEWS, TestTokens.macSigner(SECRET.getBytes(StandardCharsets.UTF_8)))});
        // a Mercure 1.0 access token, on a hub told no resource identifier and issuer (--jwt-audience, --jwt-issuer)
        cases.put("jwt_wrong_audience_or_issuer", new String[]{"GET", "/events/news", "Authorization: Bearer " +
            TestTokens.hs256("at+jwt", "{\"exp\":" + (now + 3600) + ",\"aud\":\"a\",\"iss\":\"i\"}")});
        cases.put("jwt_bad_signature", new String[]{"GET", "/events/news", "Authorization: Bearer " +
            TestTokens.sign(TestTokens.header(JWSAlgorithm.HS256), NEWS,
                TestTokens.macSigner("another secret of at least 32 bytes!".getBytes(StandardCharsets.UTF_8)))});
        cases.put("jwt_expired", new String[]{"GET", "/events/news", "Cookie: mercureAuthorization=" +
            TestTokens.hs256("{\"exp\":" + (now - 3600) + ",\"mercure\":{\"subscribe\":[\"news\"]}}")});
        cases.put("jwt_not_yet_valid", new String[]{"GET", "/events/news?authorization=" +
            TestTokens.hs256("{\"nbf\":" + (now + 3600) + ",\"mercure\":{\"subscribe\":[\"news\"]}}")});
        cases.put("jwt_bad_claims", new String[]{"GET", "/events/news", "Authorization: Bearer " +
            TestTokens.hs256("{\"mercure\":{\"subscribe\":\"news\"}}")});
        cases.put("jwt_forbidden GET", new String[]{"GET", "/events/sports", "Authorization: Bearer " + subscriber});
        cases.put("jwt_forbidden POST", new String[]{"POST", "/events/news", "Authorization: Bearer " + subscriber});
        cases.put("jwt_malformed first source wins", new String[]{"GET", "/events/news?access_token=bad",
            "Cookie: mercureAuthorization=" + subscriber});

        try (SseServer hub = Servers.hub("--jwt-key", SECRET))
        {
            final Map<String, Integer> counted = new LinkedHashMap<>();
            for (final Map.Entry<String, String[]> entry : cases.entrySet())
            {
                final String[] request = entry.getValue();
                final String label = entry.getKey().split(" ")[0];
                final List<String> headers = new ArrayList<>(List.of(request).subList(2, request.length));
                headers.add("Connection: close");
                final String response = RawHttp.exchange(hub.port(),
                    RawHttp.request(request[0], request[1], headers.toArray(new String[0]), ""));
                assertEquals(expected(Refusal.ofLabel(label)), response, entry.getKey());
                counted.merge(label, 1, Integer::sum);
            }
            final String metrics = RawHttp.metrics(hub.port());
            for (final Map.Entry<String, Integer> count : counted.entrySet())
            {
                assertTrue(metrics.contains("\nsseflow_requests_refused_total{reason=\"" + count.getKey() + "\"} " +
                    count.getValue() + "\n"), count.getKey() + " in\n" + metrics);
                assertEquals((long)count.getValue(), hub.metrics().refused(Refusal.ofLabel(count.getKey())));
            }
            assertTrue(metrics.contains("\nsseflow_requests_refused_total{reason=\"unauthorized\"} 0\n"), metrics);
            assertTrue(metrics.contains("\nsseflow_topics 0\n"), "a refused request creates no topic: " + metrics);
        }
    }

    @Test
    void shouldRefuseAPublishOnItsHeadBeforeAnyBodyByte() throws Exception
    {
        final String subscriber = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"news\"]}}");
        try (SseServer hub = Servers.hub("--jwt-key", SECRET))
        {
            // the head announces a body and asks for 100 Continue; the answer comes without it, no body sent
            assertEquals(expected(Refusal.JWT_MISSING), RawHttp.exchange(hub.port(), "POST /events/news HTTP/1.1\r\n" +
                "Host: 127.0.0.1\r\nContent-Length: 50000\r\nExpect: 100-continue\r\n\r\n"));
            assertEquals(expected(Refusal.JWT_FORBIDDEN), RawHttp.exchange(hub.port(), "POST /events/news HTTP/1.1\r\n" +
                "Host: 127.0.0.1\r\nAuthorization: Bearer " + subscriber + "\r\nContent-Length: 50000\r\n" +
                "Expect: 100-continue\r\n\r\n"));
        }
    }

    @Test
    void shouldServePublicUpdatesWithoutATokenOnlyWithAllowAnonymous() throws Exception
    {
        final String sportsOnly = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"sports\"],\"publish\":[\"*\"]}}");
        try (SseServer hub = Servers.hub("--jwt-key", SECRET, "--allow-anonymous");
            RawSseClient anonymous = RawSseClient.get(hub.port(), "/events/news");
            RawSseClient otherTopic = RawSseClient.get(hub.port(), "/events/news", "Authorization: Bearer " + sportsOnly))
        {
            assertEquals(STREAM_HEAD, anonymous.readHead());
            assertEquals(STREAM_HEAD, otherTopic.readHead(), "with anonymous subscribers a token cannot take less");
            awaitSubscribers(hub, 2);

            assertEquals(expected(Refusal.JWT_EXPIRED), RawHttp.get(hub.port(), "/events/news", "Connection: close",
                "Authorization: Bearer " + TestTokens.hs256("{\"exp\":1000}")), "a bad token is refused all the same");
            assertEquals(expected(Refusal.JWT_MISSING), RawHttp.post(hub.port(), "/events/news", "x"),
                "publishing always needs a token");

            final String published = RawHttp.post(hub.port(), "/events/news", "hello", "Authorization: Bearer " + sportsOnly);
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(published), published);
            assertEquals("hello", anonymous.nextEvent().data());
            assertEquals("hello", otherTopic.nextEvent().data());
        }
        try (SseServer hub = Servers.hub("--jwt-key", SECRET))
        {
            assertEquals(expected(Refusal.JWT_FORBIDDEN),
                RawHttp.get(hub.port(), "/events/news", "Connection: close", "Authorization: Bearer " + sportsOnly));
        }
    }

    @Test
    void shouldVerifyRs256AndEs256TokensWithThePublicKeyOfAPemFile() throws Exception
    {
        final KeyPair rsa = TestTokens.rsaKeyPair(2048);
        final KeyPair ec = TestTokens.ecKeyPair("secp256r1");
        final Path rsaPem = TestTokens.writePem(directory, "rsa.pem", rsa.getPublic());
        final Path ecPem = TestTokens.writePem(directory, "ec.pem", ec.getPublic());
        final String rsaToken = TestTokens.sign(TestTokens.header(JWSAlgorithm.RS256), NEWS, TestTokens.rsaSigner(rsa));
        final String ecToken = TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256), NEWS, TestTokens.ecSigner(ec));
        // the public key's encoding used as an HS256 secret: the algorithm-confusion attack
        final String confused = TestTokens.sign(TestTokens.header(JWSAlgorithm.HS256), NEWS,
            TestTokens.macSigner(TestTokens.pem("PUBLIC KEY", rsa.getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII)));
        final String otherRsa = TestTokens.sign(TestTokens.header(JWSAlgorithm.RS256), NEWS,
            TestTokens.rsaSigner(TestTokens.rsaKeyPair(2048)));

        try (SseServer hub = Servers.hub("--jwt-key-file", rsaPem.toString(), "--jwt-algorithm", "RS256");
            RawSseClient client = RawSseClient.get(hub.port(), "/events/news", "Authorization: Bearer " + rsaToken))
        {
            assertEquals(STREAM_HEAD, client.readHead());
            assertEquals(expected(Refusal.JWT_ALGORITHM_NOT_ALLOWED), get(hub, "/events/news", confused));
            assertEquals(expected(Refusal.JWT_ALGORITHM_NOT_ALLOWED), get(hub, "/events/news", ecToken));
            assertEquals(expected(Refusal.JWT_BAD_SIGNATURE), get(hub, "/events/news", otherRsa));
            awaitSubscribers(hub, 1);
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(
                RawHttp.post(hub.port(), "/events/news", "signed", "Authorization: Bearer " + rsaToken)));
            assertEquals("signed", client.nextEvent().data());
        }
        try (SseServer hub = Servers.hub("--jwt-key-file", ecPem.toString(), "--jwt-algorithm", "ES256");
            RawSseClient client = RawSseClient.get(hub.port(), "/events/news?access_token=" + ecToken))
        {
            assertEquals(STREAM_HEAD.replace("no-cache", "private, no-cache"), client.readHead());
            assertEquals(expected(Refusal.JWT_ALGORITHM_NOT_ALLOWED), get(hub, "/events/news", rsaToken));
            assertEquals(expected(Refusal.JWT_BAD_SIGNATURE), get(hub, "/events/news",
                TestTokens.sign(TestTokens.header(JWSAlgorithm.ES256), NEWS,
                    TestTokens.ecSigner(TestTokens.ecKeyPair("secp256r1")))));
        }
    }

    @Test
    void shouldTakeACookiePublishOnlyFromAnAllowedOrigin() throws Exception
    {
        final String token = TestTokens.hs256(NEWS);
        final String cookie = "Cookie: mercureAuthorization=" + token;
        try (SseServer hub = Servers.hub("--jwt-key", SECRET, "--allow-origin", "https://app.example"))
        {
            final String own = "http://127.0.0.1:" + hub.port();
            assertEquals(expected(Refusal.JWT_COOKIE_ORIGIN, APP_CORS),
                RawHttp.post(hub.port(), "/events/news", "x", cookie, "Origin: https://evil.example"));
            assertEquals(expected(Refusal.JWT_COOKIE_ORIGIN, APP_CORS), RawHttp.post(hub.port(), "/events/news", "x", cookie),
                "a cookie publish naming no origin at all");
            assertEquals(expected(Refusal.JWT_COOKIE_ORIGIN, APP_CORS), RawHttp.post(hub.port(), "/events/news", "x", cookie,
                "Referer: https://evil.example/page"));
            assertEquals(expected(Refusal.JWT_COOKIE_ORIGIN, APP_CORS), RawHttp.post(hub.port(), "/events/news", "x",
                "Cookie: mercureAuthorization=not-even-a-token", "Origin: https://evil.example"),
                "the origin is judged before the token");

            for (final String[] allowed : new String[][]{
                {cookie, "Origin: https://app.example"},
                {cookie, "Origin: " + own},
                {cookie, "Referer: " + own + "/?topic=news"},
                {"Authorization: Bearer " + token, "Origin: https://evil.example"}})
            {
                final String response = RawHttp.post(hub.port(), "/events/news", "x", allowed);
                assertEquals("HTTP/1.1 200 OK", RawHttp.status(response), List.of(allowed) + "\n" + response);
            }
            assertEquals(4, hub.metrics().refused(Refusal.JWT_COOKIE_ORIGIN));
            assertTrue(RawHttp.metrics(hub.port()).contains(
                "\nsseflow_requests_refused_total{reason=\"jwt_cookie_origin\"} 4\n"));

            // subscribing with the cookie needs no origin: an EventSource's GET changes nothing
            try (RawSseClient client = RawSseClient.get(hub.port(), "/events/news", cookie, "Origin: https://evil.example"))
            {
                assertEquals(STREAM_HEAD.replace("\r\n\r\n", "\r\n" + APP_CORS + "\r\n"), client.readHead());
            }
        }
    }

    private static String get(final SseServer hub, final String path, final String token) throws Exception
    {
        return RawHttp.get(hub.port(), path, "Authorization: Bearer " + token, "Connection: close");
    }

    private static void awaitSubscribers(final SseServer hub, final long count)
    {
        io.sseflow.server.support.Servers.awaitSubscribers(hub, count);
    }

    private static String answer403()
    {
        return expected(Refusal.JWT_FORBIDDEN);
    }

    /**
     * The exact answer of a refusal: its status line, the plain-text head, its header line, its reason.
     */
    private static String expected(final Refusal refusal)
    {
        return expected(refusal, "");
    }

    private static String expected(final Refusal refusal, final String cors)
    {
        final String reason = refusal.message();
        final String statusLine = refusal.status() == 401 ? "HTTP/1.1 401 Unauthorized" : "HTTP/1.1 403 Forbidden";
        final String header = null == refusal.extraHeader() ? "" : refusal.extraHeader() + "\r\n";
        if (refusal.label().startsWith("jwt_") && refusal.status() == 401 && refusal != Refusal.JWT_MISSING)
        {
            assertEquals(INVALID_TOKEN + reason + "\"\r\n", header, refusal.label());
        }
        return statusLine + "\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: " + (reason.length() + 1) + "\r\n" +
            "Connection: close\r\n" +
            cors +
            header +
            "\r\n" +
            reason + "\n";
    }
}
