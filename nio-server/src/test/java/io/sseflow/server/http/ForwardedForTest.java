package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForwardedForTest
{
    private static final String PEER = "PEER";
    private final ForwardedFor forwardedFor = new ForwardedFor(TrustedProxies.parse("127.0.0.1,::1,10.0.0.0/8"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.1.5                          | 127.0.1.5",
        "203.0.113.7, 127.0.1.5             | 127.0.1.5",
        "203.0.113.7,127.0.1.5,10.0.0.2     | 127.0.1.5",
        "203.0.113.7 , 10.0.0.2 , 127.0.0.1 | 203.0.113.7",
        "garbage, 192.0.2.1                 | 192.0.2.1",
        "192.0.2.1:4711                     | 192.0.2.1",
        "2001:db8::1                        | 2001:db8::1",
        "[2001:db8::1]:4711                 | 2001:db8::1",
        "[2001:db8::1]                      | 2001:db8::1",
        "::ffff:192.0.2.1                   | 192.0.2.1",
        "'192.0.2.1,,  ,'                   | 192.0.2.1",
        "127.0.0.1                          | 127.0.0.1",
        "10.0.0.9, 10.0.0.2                 | 10.0.0.9",
        "192.0.2.1, unknown                 | PEER",
        "192.0.2.1, garbage                 | PEER",
        "192.0.2.1, 10.0.0.2, _hidden       | PEER",
        "192.0.2.1, 1.2.3.4:http            | PEER",
        "192.0.2.1, [2001:db8::1            | PEER",
        "192.0.2.1, 192.0.2.1:1:2           | PEER",
        "192.0.2.1, 256.0.0.1               | PEER",
        "'  '                               | PEER",
        "','                                | PEER"})
    void shouldTakeTheRightMostUntrustedXForwardedForEntry(final String value, final String expected) throws Exception
    {
        final ForwardedFor.Source source = forwardedFor.resolveXForwardedFor(buffer(value), 0, value.length());
        assertEquals(expected(expected), describe(source), value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "for=192.0.2.60;proto=http;by=203.0.113.43                   | 192.0.2.60",
        "for=\"[2001:db8:cafe::17]:4711\"                             | 2001:db8:cafe::17",
        "For=\"_gazonk\", for=192.0.2.43                               | 192.0.2.43",
        "for=192.0.2.43, for=198.51.100.17;by=10.0.0.2               | 198.51.100.17",
        "for=192.0.2.43,for=\"[::1]\"                                   | 192.0.2.43",
        "for=192.0.2.43 ; proto=https , for=127.0.0.1                | 192.0.2.43",
        "for=\"192.0.2.43:80\"                                        | 192.0.2.43",
        "proto=https;for=192.0.2.43;host=\"a;b,c\"                     | 192.0.2.43",
        "for=192.0.2.43, ,for=10.0.0.1                               | 192.0.2.43",
        "for=192.0.2.43, for=unknown                                 | PEER",
        "for=192.0.2.43, for=_hidden                                 | PEER",
        "for=192.0.2.43, proto=https                                 | PEER",
        "for=192.0.2.43;for=192.0.2.44                               | PEER",
        "for=\"192.0.2.43                                             | PEER",
        "for=\"19\\2.0.2.43\"                                          | PEER",
        "for                                                         | PEER",
        "for=                                                        | PEER",
        "=192.0.2.43                                                 | PEER",
        "for=192.0.2.43 x                                            | PEER",
        "for=2001:db8::1                                             | 2001:db8::1"})
    void shouldTakeTheRightMostUntrustedForwardedFor(final String value, final String expected) throws Exception
    {
        final ForwardedFor.Source source = forwardedFor.resolveForwarded(buffer(value), 0, value.length());
        assertEquals(expected(expected), describe(source), value);
    }

    @Test
    void shouldReadTheHeadersOfAParsedHeadPreferringXForwardedFor() throws Exception
    {
        assertEquals(expected("198.51.100.1"), resolveHead("X-Forwarded-For: 198.51.100.1\r\nForwarded: for=192.0.2.9\r\n"));
        assertEquals(expected("192.0.2.9"), resolveHead("Forwarded: for=192.0.2.9\r\n"));
        assertEquals(expected("192.0.2.9"), resolveHead("forwarded: for=203.0.113.1\r\nX-Other: 1\r\nFORWARDED: for=192.0.2.9\r\n"));
        assertEquals(expected("203.0.113.1"), resolveHead("Forwarded: for=203.0.113.1\r\nForwarded: for=10.0.0.1\r\n"));
        // several lines are one list, in order: the right-most untrusted entry may be on an earlier line
        assertEquals(expected("198.51.100.1"), resolveHead(
            "X-Forwarded-For: 203.0.113.5, 198.51.100.1\r\nAccept: */*\r\nx-forwarded-for: 10.0.0.3, 127.0.0.1\r\n"));
        assertEquals(expected("198.51.100.2"), resolveHead(
            "X-Forwarded-For: 203.0.113.5\r\nX-Forwarded-For: 198.51.100.2\r\n"));
        assertEquals(PEER, resolveHead("Accept: */*\r\n"));
        assertEquals(PEER, resolveHead("X-Forwarded-For: \r\n"));
        assertEquals(PEER, resolveHead("X-Forwarded-For: nonsense\r\nForwarded: for=192.0.2.9\r\n"));
    }

    @Test
    void shouldAnswerPeerWhenMoreTrustedHopsThanItRemembers() throws Exception
    {
        final StringBuilder value = new StringBuilder("192.0.2.1");
        for (int i = 0; i < ForwardedFor.MAX_HOPS; i++)
        {
            value.append(", 10.0.0.").append(i + 1);
        }
        assertEquals(PEER, describe(forwardedFor.resolveXForwardedFor(buffer(value.toString()), 0, value.length())));

        final StringBuilder fewer = new StringBuilder("192.0.2.1");
        for (int i = 0; i < ForwardedFor.MAX_HOPS - 1; i++)
        {
            fewer.append(", 10.0.0.").append(i + 1);
        }
        assertEquals(expected("192.0.2.1"), describe(forwardedFor.resolveXForwardedFor(buffer(fewer.toString()), 0, fewer.length())));

        final StringBuilder untrustedLast = new StringBuilder();
        for (int i = 0; i < 3 * ForwardedFor.MAX_HOPS; i++)
        {
            untrustedLast.append("10.0.0.1, ");
        }
        untrustedLast.append("192.0.2.77");
        assertEquals("192.0.2.77",
            describe(forwardedFor.resolveXForwardedFor(buffer(untrustedLast.toString()), 0, untrustedLast.length())));
    }

    @Test
    void shouldResolveWithoutAllocating() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final String head = "GET /events/t HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.5, 2001:db8::9\r\n" +
            "Accept: */*\r\nX-Forwarded-For: 10.0.0.3\r\nForwarded: for=\"[2001:db8::1]:80\"\r\n\r\n";
        final UnsafeBuffer buffer = buffer(head);
        final HttpRequestParser parser = new HttpRequestParser(8192, 0);
        final String single = "for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\";proto=https";
        final UnsafeBuffer forwarded = buffer(single);
        long minimum = Long.MAX_VALUE;
        long sum = 0;
        for (int round = 0; round < 5; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++)
            {
                parser.reset();
                parser.parse(buffer, head.length());
                sum += forwardedFor.resolve(buffer, parser).ordinal() + forwardedFor.low();
                sum += forwardedFor.resolveForwarded(forwarded, 0, single.length()).ordinal() + forwardedFor.high();
            }
            minimum = Math.min(minimum, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, minimum, "bytes allocated by 10,000 resolves (checksum " + sum + ")");
        assertEquals(expected("2001:db8::9"), resolveHead(
            "X-Forwarded-For: 203.0.113.5, 2001:db8::9\r\nX-Forwarded-For: 10.0.0.3\r\n"));
    }

    private String resolveHead(final String headers) throws Exception
    {
        final String head = "GET /events/t HTTP/1.1\r\nHost: h\r\n" + headers + "\r\n";
        final UnsafeBuffer buffer = buffer(head);
        final HttpRequestParser parser = new HttpRequestParser(8192, 0);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, head.length()), head);
        return describe(forwardedFor.resolve(buffer, parser));
    }

    private String describe(final ForwardedFor.Source source)
    {
        if (source == ForwardedFor.Source.PEER)
        {
            return PEER;
        }
        return IpLiteral.toInetAddress(forwardedFor.high(), forwardedFor.low()).getHostAddress();
    }

    private static String expected(final String text) throws Exception
    {
        return PEER.equals(text) ? PEER : InetAddress.getByName(text).getHostAddress();
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
