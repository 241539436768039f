package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The addresses whose {@code X-Forwarded-For} / {@code Forwarded} header is believed: single IPv4 or IPv6 addresses
 * and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}). IPv4 is kept as IPv4-mapped IPv6, so
 * {@code 127.0.0.1} also matches a peer seen as {@code ::ffff:127.0.0.1}. Immutable; {@link #contains(long, long)}
 * allocates nothing.
 */
public final class TrustedProxies
{
    /**
     * What the hub and the builder trust unless told otherwise: a proxy on this host.
     */
    public static final String DEFAULT = "127.0.0.1,::1";

    private static final TrustedProxies NONE = new TrustedProxies("", new long[0], new long[0], new long[0], new long[0]);

    private final String text;
    private final long[] networkHigh;
    private final long[] networkLow;
    private final long[] maskHigh;
    private final long[] maskLow;

    private TrustedProxies(
        final String text, final long[] networkHigh, final long[] networkLow, final long[] maskHigh, final long[] maskLow)
    {
        this.text = text;
        this.networkHigh = networkHigh;
        this.networkLow = networkLow;
        this.maskHigh = maskHigh;
        this.maskLow = maskLow;
    }

    /**
     * Trust no one: forwarding headers are ignored.
     *
     * @return the empty set.
     */
    public static TrustedProxies none()
    {
        return NONE;
    }

    /**
     * Parse a comma-separated list of addresses and CIDRs, such as {@code 127.0.0.1,::1,10.0.0.0/8,fd00::/8}.
     * Spaces around entries are ignored; an empty (or blank) list trusts no one. Bits below a CIDR's prefix are
     * ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). Host names are refused: nothing is resolved.
     *
     * @param list the entries.
     * @return the set.
     * @throws IllegalArgumentException naming the first entry that is not an IP address or CIDR.
     */
    public static TrustedProxies parse(final String list)
    {
        return parse(list, "trusted proxies");
    }

    /**
     * {@link #parse(String)}, with errors naming the setting as given, e.g. {@code --trusted-proxies}.
     *
     * @param list the entries.
     * @param name of the setting, for the error message.
     * @return the set.
     * @throws IllegalArgumentException {@code "NAME: 'ENTRY' is not an IP address or CIDR (...)"}.
     */
    public static TrustedProxies parse(final String list, final String name)
    {
        Objects.requireNonNull(list, "list");
        if (list.isBlank())
        {
            return NONE;
        }
        final String[] entries = list.split(",", -1);
        final long[] networkHigh = new long[entries.length];
        final long[] networkLow = new long[entries.length];
        final long[] maskHigh = new long[entries.length];
        final long[] maskLow = new long[entries.length];
        final IpLiteral literal = new IpLiteral();
        final StringBuilder normalized = new StringBuilder();
        for (int i = 0; i < entries.length; i++)
        {
            final String entry = entries[i].trim();
            final int slash = entry.indexOf('/');
            final String address = slash < 0 ? entry : entry.substring(0, slash);
            final byte[] bytes = address.getBytes(StandardCharsets.ISO_8859_1);
            if (!literal.parse(new UnsafeBuffer(bytes), 0, bytes.length))
            {
                throw invalid(name, entry);
            }
            final boolean ipv4 = address.indexOf(':') < 0;
            final int maxPrefix = ipv4 ? 32 : 128;
            int prefix = maxPrefix;
            if (slash >= 0)
            {
                prefix = parsePrefix(entry.substring(slash + 1), maxPrefix);
                if (prefix < 0)
                {
                    throw invalid(name, entry);
                }
            }
            final int bits = ipv4 ? 96 + prefix : prefix;
            maskHigh[i] = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
            maskLow[i] = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
            networkHigh[i] = literal.high() & maskHigh[i];
            networkLow[i] = literal.low() & maskLow[i];
            if (normalized.length() > 0)
            {
                normalized.append(',');
            }
            normalized.append(entry);
        }
        return new TrustedProxies(normalized.toString(), networkHigh, networkLow, maskHigh, maskLow);
    }

    /**
     * Is an address, as a 128-bit value with IPv4 IPv4-mapped ({@link IpLiteral}), in the set?
     *
     * @param high bits 0..63.
     * @param low  bits 64..127.
     * @return true when an entry covers it.
     */
    public boolean contains(final long high, final long low)
    {
        final long[] networkHigh = this.networkHigh;
        final long[] networkLow = this.networkLow;
        final long[] maskHigh = this.maskHigh;
        final long[] maskLow = this.maskLow;
        for (int i = 0, length = networkHigh.length; i < length; i++)
        {
            if ((high & maskHigh[i]) == networkHigh[i] && (low & maskLow[i]) == networkLow[i])
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Is an address in the set?
     *
     * @param address a peer's address; null is not trusted.
     * @return true when an entry covers it.
     */
    public boolean contains(final InetAddress address)
    {
        if (null == address || networkHigh.length == 0)
        {
            return false;
        }
        final byte[] bytes = address.getAddress();
        return contains(IpLiteral.high(bytes), IpLiteral.low(bytes));
    }

    /**
     * Does the set trust no one?
     *
     * @return true when it is empty.
     */
    public boolean isEmpty()
    {
        return networkHigh.length == 0;
    }

    /**
     * The entries, comma-separated as given (trimmed), {@code ""} when empty.
     *
     * @return the list.
     */
    public String toString()
    {
        return text;
    }

    /**
     * {@inheritDoc}
     */
    public boolean equals(final Object other)
    {
        if (!(other instanceof TrustedProxies))
        {
            return false;
        }
        final TrustedProxies that = (TrustedProxies)other;
        return Arrays.equals(networkHigh, that.networkHigh) && Arrays.equals(networkLow, that.networkLow) &&
            Arrays.equals(maskHigh, that.maskHigh) && Arrays.equals(maskLow, that.maskLow);
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        return 31 * Arrays.hashCode(networkHigh) + Arrays.hashCode(networkLow);
    }

    private static int parsePrefix(final String text, final int maxPrefix)
    {
        if (text.isEmpty() || text.length() > 3)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= maxPrefix ? value : -1;
    }

    private static IllegalArgumentException invalid(final String name, final String entry)
    {
        return new IllegalArgumentException(name + ": '" + entry +
            "' is not an IP address or CIDR (such as 127.0.0.1, ::1, 10.0.0.0/8 or fd00::/8)");
    }
}
