package io.sseflow.server.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1,::1          | 127.0.0.1         | true",
        "127.0.0.1,::1          | ::1               | true",
        "127.0.0.1,::1          | ::ffff:127.0.0.1  | true",
        "127.0.0.1,::1          | 127.0.0.2         | false",
        "127.0.0.1,::1          | 127.0.1.1         | false",
        "127.0.0.1,::1          | ::2               | false",
        "10.0.0.0/8             | 10.255.1.2        | true",
        "10.0.0.0/8             | 11.0.0.0          | false",
        "10.0.0.0/8             | 9.255.255.255     | false",
        "10.1.2.3/8             | 10.9.9.9          | true",
        "192.168.1.0/24         | 192.168.1.255     | true",
        "192.168.1.0/24         | 192.168.2.0       | false",
        "172.16.0.0/12          | 172.31.255.255    | true",
        "172.16.0.0/12          | 172.32.0.0        | false",
        "0.0.0.0/0              | 203.0.113.9       | true",
        "0.0.0.0/0              | 2001:db8::1       | false",
        "fd00::/8               | fd12:3456::1      | true",
        "fd00::/8               | fe00::1           | false",
        "2001:db8::/32          | 2001:db8:ffff::1  | true",
        "2001:db8::/32          | 2001:db9::1       | false",
        "2001:db8:0:0:1::/80    | 2001:db8::1:0:0:7 | true",
        "2001:db8:0:0:1::/80    | 2001:db8::2:0:0:7 | false",
        "2001:db8::1/128        | 2001:db8::1       | true",
        "2001:db8::1/128        | 2001:db8::2       | false",
        "::/0                   | 10.0.0.1          | true",
        "' 10.0.0.1 , fd00::/8 '| fd00::5           | true",
        "''                     | 127.0.0.1         | false"})
    void shouldMatchAddressesAndRanges(final String list, final String address, final boolean expected) throws Exception
    {
        final TrustedProxies proxies = TrustedProxies.parse(list);
        final InetAddress inet = InetAddress.getByName(address);
        assertEquals(expected, proxies.contains(inet), list + " contains " + address);
        final byte[] bytes = inet.getAddress();
        assertEquals(expected, proxies.contains(IpLiteral.high(bytes), IpLiteral.low(bytes)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "localhost", "127.0.0.1,", ",::1", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
        "10.0.0.0/a", "[::1]", "127.0.0.1:80", "1.2.3", "*"})
    void shouldNameTheEntryThatIsNotAnAddressOrCidr(final String list)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(list));
        assertTrue(ex.getMessage().startsWith("trusted proxies: '"), ex.getMessage());
        assertTrue(ex.getMessage().endsWith(
            "' is not an IP address or CIDR (such as 127.0.0.1, ::1, 10.0.0.0/8 or fd00::/8)"), ex.getMessage());
    }

    @Test
    void shouldQuoteTheBadEntryWithTheSettingsName()
    {
        assertEquals("--trusted-proxies: 'proxy.example' is not an IP address or CIDR " +
            "(such as 127.0.0.1, ::1, 10.0.0.0/8 or fd00::/8)",
            assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse("10.0.0.1, proxy.example", "--trusted-proxies")).getMessage());
    }

    @Test
    void shouldTrustNoOneWhenEmpty() throws Exception
    {
        assertTrue(TrustedProxies.parse("").isEmpty());
        assertTrue(TrustedProxies.parse("  ").isEmpty());
        assertTrue(TrustedProxies.none().isEmpty());
        assertFalse(TrustedProxies.none().contains(InetAddress.getByName("127.0.0.1")));
        assertFalse(TrustedProxies.parse(TrustedProxies.DEFAULT).isEmpty());
        assertEquals("127.0.0.1,::1", TrustedProxies.parse(" 127.0.0.1 , ::1").toString());
        assertEquals(TrustedProxies.parse("10.0.0.0/8"), TrustedProxies.parse("10.9.0.0/8"));
    }
}
