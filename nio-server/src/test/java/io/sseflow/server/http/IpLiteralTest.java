package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpLiteralTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "127.0.0.1", "127.0.1.110", "10.1.2.3", "192.0.2.60", "255.255.255.255",
        "::", "::1", "1::", "2001:db8::1", "2001:db8:cafe::17", "fd00::", "fe80::1:2:3:4",
        "1:2:3:4:5:6:7:8", "1::8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3::6:7:8", "FFFF:abcd::Ef01",
        "::ffff:192.0.2.1", "::ffff:7f00:1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4"})
    void shouldReadTheSameAddressAsTheJdk(final String text) throws Exception
    {
        final IpLiteral literal = new IpLiteral();
        assertTrue(literal.parse(buffer("  " + text + " "), 2, text.length()), text);
        final InetAddress expected = InetAddress.getByName(text);
        final byte[] bytes = expected.getAddress();
        assertEquals(IpLiteral.high(bytes), literal.high(), text);
        assertEquals(IpLiteral.low(bytes), literal.low(), text);
        assertEquals(expected, IpLiteral.toInetAddress(literal.high(), literal.low()), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.04", "01.2.3.4", "1..2.3", "1.2.3.", ".1.2.3",
        "1.2.3.4 ", "a.b.c.d", "1.2.3.-4", "localhost", "unknown", "_hidden", ":", ":::", "1:::2", "::1::",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "1::2::3", ":1::", "1:", "g::", "[::1]", "::1%eth0",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "::1.2.3.4:5", "1.2.3.4:80"})
    void shouldRefuseWhatIsNotOneAddress(final String text)
    {
        assertFalse(new IpLiteral().parse(buffer(text), 0, text.length()), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::ffff:127.0.0.1"})
    void shouldMapIpv4SoBothFormsAreOneInet4Address(final String text) throws Exception
    {
        final IpLiteral literal = new IpLiteral();
        assertTrue(literal.parse(buffer(text), 0, text.length()));
        assertTrue(IpLiteral.isIpv4Mapped(literal.high(), literal.low()));
        assertEquals(0L, literal.high());
        assertEquals(0x0000_ffff_7f00_0001L, literal.low());
        assertEquals(InetAddress.getByName("127.0.0.1"), IpLiteral.toInetAddress(literal.high(), literal.low()));
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
