package io.sseflow.server.clients;

import io.sseflow.server.SseServer;
import io.sseflow.server.hub.jwt.TestTokens;
import io.sseflow.server.support.Closer;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mercure's conformance cases of the pre-standardization protocol (the revision of {@code dunglas/mercure}'s suite at
 * {@code bbf271c}) in headless Chromium, run by {@link MercureConformanceCases}: selectors as {@code topic}
 * parameters, templates among them.
 */
class ChromiumMercureTest
{
    private static final String CASES = "[" +
        "{name:'raw string', topics:['3c1f0a'], selectors:['3c1f0a'], received:true}," +
        "{name:'multiple topics', topics:['9d2e77','41aa0b'], selectors:['41aa0b'], received:true}," +
        "{name:'multiple topic selectors', topics:['77be10'], selectors:['foo','77be10'], received:true}," +
        "{name:'URI', topics:['https://example.net/foo/c0ffee'], selectors:['https://example.net/foo/c0ffee'], received:true}," +
        "{name:'URI template', topics:['https://example.net/foo/5eed42'], selectors:['https://example.net/foo/{random}'], received:true}," +
        "{name:'nonmatching raw string', topics:['will-not-match}'], selectors:['another-name'], received:false}," +
        "{name:'nonmatching URI', topics:['https://example.net/foo/will-not-match}'], selectors:['https://example.net/foo/another-name'], received:false}," +
        "{name:'nonmatching URI template', topics:['https://example.net/foo/will-not-match}'], selectors:['https://example.net/bar/{var}'], received:false}," +
        "{name:'private raw string', topics:['3c1f0a'], selectors:['3c1f0a'], received:false, private:true}," +
        "{name:'private URI', topics:['https://example.net/foo/c0ffee'], selectors:['https://example.net/foo/c0ffee'], received:false, private:true}," +
        "{name:'private URI template', topics:['https://example.net/foo/5eed42'], selectors:['https://example.net/foo/{random}'], received:false, private:true}]";

    private static final MercureConformanceCases RUN =
        new MercureConformanceCases(CASES, 11, "topic", "(s) => 'topic'");

    private final Closer resources = new Closer();

    @AfterEach
    void stop() throws Exception
    {
        resources.close();
    }

    @Test
    @Timeout(60)
    void shouldPassMercuresConformanceCasesInChromiumsEventSource() throws Exception
    {
        final SseServer server = resources.track(SseServer.builder().port(0).demoPage(true).start());
        RUN.assertCases(resources, server, "''", "{}", false);
    }

    /**
     * The same cases on a hub with JWTs ({@code --jwt-key}, {@code --allow-anonymous}): the page publishes with a
     * publisher's token in the {@code Authorization} header, and subscribes to the private cases with a
     * subscriber's token in the {@code mercureAuthorization} cookie (the others anonymously), so private updates
     * are received by the subscriber whose token allows their topic.
     */
    @Test
    @Timeout(60)
    void shouldPassTheConformanceCasesWithJwtsAndReceivePrivateUpdatesThroughTheCookie() throws Exception
    {
        final SseServer server = resources.track(Servers.hub("--jwt-key", TestTokens.SECRET, "--allow-anonymous"));
        final String publisher = TestTokens.hs256("{\"mercure\":{\"publish\":[\"*\"]}}");
        final String subscriber = TestTokens.hs256("{\"mercure\":{\"subscribe\":[\"https://example.net/foo/{id}\",\"3c1f0a\"]}}");
        RUN.assertCases(resources, server, "'" + subscriber + "'",
            "{Authorization: 'Bearer " + publisher + "'}", true);
    }
}
