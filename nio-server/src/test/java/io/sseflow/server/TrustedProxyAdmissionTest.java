package io.sseflow.server;

import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-address limits behind a trusted proxy ({@code --trusted-proxies}, default {@code 127.0.0.1,::1}): the
 * tests' sockets come from 127.0.0.1, so they play the proxy, naming clients in {@code X-Forwarded-For} /
 * {@code Forwarded}. (The same behind a real nginx: {@code clients.NginxProxyTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrustedProxyAdmissionTest
{
    private static final String TOO_MANY = "HTTP/1.1 429 Too Many Requests";

    @ParameterizedTest(name = "agents {0}")
    @ValueSource(ints = {1, 2})
    void shouldCountAProxysStreamsAgainstTheClientsTheirHeadsName(final int agents) throws Exception
    {
        final List<RawSseClient> streams = new ArrayList<>();
        try (SseServer server = SseServer.builder().port(0).agents(agents).maxConnectionsPerAddress(2).start())
        {
            for (final String client : new String[]{"192.0.2.1", "192.0.2.1", "192.0.2.2", "2001:db8::7", "2001:db8::7"})
            {
                final RawSseClient stream = RawSseClient.get(server.port(), "/events/t", "X-Forwarded-For: " + client);
                streams.add(stream);
                assertTrue(stream.readHead().startsWith("HTTP/1.1 200 OK\r\n"), client);
            }
            Servers.awaitSubscribers(server, 5);

            final String refused = RawHttp.exchange(server.port(), RawHttp.request(
                "GET", "/events/t", new String[]{"X-Forwarded-For: 203.0.113.50, 192.0.2.1"}, ""));
            assertEquals(TOO_MANY, RawHttp.status(refused), refused);
            assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
            assertEquals("too many connections from this address\n", RawHttp.body(refused));
            final String refusedV6 = RawHttp.exchange(server.port(), RawHttp.request(
                "GET", "/events/t", new String[]{"Forwarded: for=\"[2001:db8::7]:51000\";proto=https"}, ""));
            assertEquals(TOO_MANY, RawHttp.status(refusedV6), refusedV6);
            assertEquals(2, server.metrics().refused(Refusal.ADDRESS_LIMIT));

            // the proxy's own requests (a local publisher, no forwarding header) are counted against 127.0.0.1
            final String published = RawHttp.exchange(server.port(), RawHttp.request(
                "POST", "/events/t", new String[]{"Connection: close"}, "hello"));
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(published), published);
            for (final RawSseClient stream : streams)
            {
                assertEquals("hello", stream.nextEvent().data());
            }

            // a closed stream frees its client's slot
            streams.remove(0).close();
            Servers.awaitSubscribers(server, 4);
            final RawSseClient again = RawSseClient.get(server.port(), "/events/t", "X-Forwarded-For: 192.0.2.1");
            streams.add(again);
            assertTrue(again.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
        }
        finally
        {
            for (final RawSseClient stream : streams)
            {
                stream.close();
            }
        }
    }

    @ParameterizedTest(name = "agents {0}")
    @ValueSource(ints = {1, 2})
    void shouldMoveAKeepAliveConnectionToTheClientOfItsCurrentRequest(final int agents) throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).agents(agents).maxConnectionsPerAddress(1).start();
            RawSseClient pooled = RawSseClient.open(server.port(), 0))
        {
            assertEquals("HTTP/1.1 200 OK", metrics(pooled, "X-Forwarded-For: 198.51.100.1"));
            assertEquals(TOO_MANY, metricsOnce(server, "X-Forwarded-For: 198.51.100.1"));

            // the same upstream connection now carries another client's request: 198.51.100.1 is free again
            assertEquals("HTTP/1.1 200 OK", metrics(pooled, "X-Forwarded-For: 198.51.100.2"));
            assertEquals("HTTP/1.1 200 OK", metricsOnce(server, "X-Forwarded-For: 198.51.100.1"));
            assertEquals(TOO_MANY, metricsOnce(server, "X-Forwarded-For: 198.51.100.2"));
            assertEquals("HTTP/1.1 200 OK", metrics(pooled, "X-Forwarded-For: 198.51.100.2"));

            // no forwarding header: the proxy's own request, counted against 127.0.0.1
            assertEquals("HTTP/1.1 200 OK", metrics(pooled));
            assertEquals("HTTP/1.1 200 OK", metricsOnce(server, "X-Forwarded-For: 198.51.100.2"));
            assertEquals(TOO_MANY, metricsOnce(server));

            pooled.close();
            Await.value(() -> server.metrics().connections(), 0, "connections");
            assertEquals("HTTP/1.1 200 OK", metricsOnce(server));
            assertEquals(3, server.metrics().refused(Refusal.ADDRESS_LIMIT));
        }
    }

    @Test
    void shouldCountAnUnusableForwardingHeaderAgainstTheProxyAndNeverFailTheRequest() throws Exception
    {
        try (SseServer server = SseServer.builder().port(0).maxConnectionsPerAddress(1).start();
            RawSseClient pooled = RawSseClient.open(server.port(), 0))
        {
            for (final String header : new String[]{
                "X-Forwarded-For: garbage", "X-Forwarded-For: 192.0.2.1, unknown", "Forwarded: for=unknown",
                "Forwarded: for=\"_hidden\"", "Forwarded: for=\"[2001:db8::1\"", "Forwarded: ;;=", "X-Forwarded-For: ,",
                "X-Forwarded-For: 1.2.3.4.5", "Forwarded: by=192.0.2.1"})
            {
                assertEquals("HTTP/1.1 200 OK", metrics(pooled, header), header);
                assertEquals(TOO_MANY, metricsOnce(server, header), header);
                assertEquals(TOO_MANY, metricsOnce(server), header);
            }
            assertEquals(0, server.metrics().refused(Refusal.BAD_REQUEST));
            assertEquals(0, server.metrics().refused(Refusal.SERVER_ERROR));
        }
    }

    @Test
    void shouldIgnoreForwardingHeadersFromAPeerThatIsNotTrusted() throws Exception
    {
        for (final String trusted : new String[]{"", "10.0.0.0/8,fd00::/8"})
        {
            try (SseServer server = SseServer.builder().port(0).maxConnectionsPerAddress(1).trustedProxies(trusted).start();
                RawSseClient first = RawSseClient.get(server.port(), "/events/t", "X-Forwarded-For: 192.0.2.1"))
            {
                assertTrue(first.readHead().startsWith("HTTP/1.1 200 OK\r\n"));
                final String refused = RawHttp.exchange(server.port(), RawHttp.request(
                    "GET", "/events/t", new String[]{"X-Forwarded-For: 192.0.2.2"}, ""));
                assertEquals(TOO_MANY, RawHttp.status(refused), "trusted '" + trusted + "': " + refused);
                assertEquals(1, server.metrics().refused(Refusal.ADDRESS_LIMIT));
                assertEquals(1, server.metrics().get(ServerCounter.CONNECTIONS_REJECTED), "refused at accept");
            }
        }
    }

    @Test
    void shouldGiveTheAuthorizerTheClientTheProxyNames() throws Exception
    {
        final List<InetAddress> seen = new CopyOnWriteArrayList<>();
        try (SseServer server = SseServer.builder().port(0)
            .subscribeAuthorizer((request) ->
            {
                seen.add(request.remoteAddress());
                return SubscribeAuthorizer.Decision.FORBIDDEN;
            })
            .start())
        {
            for (final String header : new String[]{
                "X-Forwarded-For: 203.0.113.9, 192.0.2.77", "Forwarded: for=\"[2001:db8::5]:80\"", "Accept: */*",
                "X-Forwarded-For: 198.51.100.3, 127.0.0.1"})
            {
                final String response = RawHttp.exchange(server.port(), RawHttp.request(
                    "GET", "/events/t", new String[]{header}, ""));
                assertEquals("HTTP/1.1 403 Forbidden", RawHttp.status(response), response);
            }
        }
        assertEquals(List.of(InetAddress.getByName("192.0.2.77"), InetAddress.getByName("2001:db8::5"),
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("198.51.100.3")), seen);
    }

    private static String metrics(final RawSseClient connection, final String... headers) throws IOException
    {
        connection.send(RawHttp.request("GET", "/metrics", headers, ""));
        final String head = connection.readHead();
        final int at = head.indexOf("Content-Length: ");
        if (at >= 0)
        {
            connection.readBytes(Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at))));
        }
        return RawHttp.status(head);
    }

    private static String metricsOnce(final SseServer server, final String... headers) throws IOException
    {
        return RawHttp.status(RawHttp.get(server.port(), "/metrics", RawHttp.closing(headers)));
    }
}
