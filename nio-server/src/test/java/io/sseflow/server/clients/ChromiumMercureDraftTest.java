package io.sseflow.server.clients;

import io.sseflow.server.SseServer;
import io.sseflow.server.hub.jwt.TestTokens;
import io.sseflow.server.support.Closer;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    private static final MercureConformanceCases RUN =
        new MercureConformanceCases(CASES, 10, "match",
            "(s) => /\\/:[A-Za-z_]/.test(s) ? 'match_urlpattern' : 'match'");

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
        RUN.assertCases(resources, server, "''", "{}", false);
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
        RUN.assertCases(resources, server, "'" + subscriber + "'",
            "{Authorization: 'Bearer " + publisher + "'}", true);
    }

    private static final String DETAIL = "{\"type\":\"https://mercure.rocks/authorization-detail\",";

    private static String accessToken(final String details)
    {
        return TestTokens.hs256("at+jwt", "{\"aud\":\"https://localhost/.well-known/mercure\"," +
            "\"iss\":\"https://localhost\",\"exp\":4102444800,\"authorization_details\":" + details + "}");
    }
}
