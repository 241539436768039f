package io.sseflow.server.http;

import org.agrona.DirectBuffer;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Textual IP addresses read from bytes without allocation, as a 128-bit value in two longs: IPv6 as written,
 * IPv4 as its IPv4-mapped IPv6 form {@code ::ffff:a.b.c.d} (RFC 4291 section 2.5.5.2), so one comparison covers
 * both families. IPv4 is the dotted-decimal form of RFC 3986's {@code IPv4address} (four decimal octets, no
 * leading zeros, which some resolvers would read as octal); IPv6 is RFC 4291 section 2.2's text form, with
 * {@code ::} and a trailing dotted IPv4, without a zone ({@code %eth0}) or brackets.
 * <p>
 * A parse leaves its result in {@link #high()} and {@link #low()}; an instance is reused by one thread.
 */
public final class IpLiteral
{
    /**
     * High 64 bits of every IPv4-mapped address: zero.
     */
    public static final long IPV4_MAPPED_HIGH = 0L;

    /**
     * The low 64 bits of an IPv4-mapped address are this prefix ({@code ffff} in bits 80..95 of the address) ORed
     * with the IPv4 address in its lowest 32 bits.
     */
    public static final long IPV4_MAPPED_LOW_PREFIX = 0x0000_ffff_0000_0000L;

    private final int[] groups = new int[8];
    private long high;
    private long low;

    /**
     * Parse an address; on success {@link #high()} and {@link #low()} hold it.
     *
     * @param buffer holding the text.
     * @param offset of the first character.
     * @param length of the text, without surrounding whitespace.
     * @return true when the text is one IPv4 or IPv6 address and nothing else.
     */
    public boolean parse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || length > 45)
        {
            return false;
        }
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (buffer.getByte(i) == ':')
            {
                return parseIpv6(buffer, offset, end);
            }
        }
        final long ipv4 = parseIpv4(buffer, offset, offset + length);
        if (ipv4 < 0)
        {
            return false;
        }
        high = IPV4_MAPPED_HIGH;
        low = IPV4_MAPPED_LOW_PREFIX | ipv4;
        return true;
    }

    /**
     * High 64 bits of the last address parsed.
     *
     * @return bits 0..63 of the address (network order: the first byte is the most significant).
     */
    public long high()
    {
        return high;
    }

    /**
     * Low 64 bits of the last address parsed.
     *
     * @return bits 64..127 of the address.
     */
    public long low()
    {
        return low;
    }

    /**
     * Is this 128-bit value an IPv4-mapped address?
     *
     * @param high bits 0..63.
     * @param low  bits 64..127.
     * @return true for {@code ::ffff:a.b.c.d}.
     */
    public static boolean isIpv4Mapped(final long high, final long low)
    {
        return high == IPV4_MAPPED_HIGH && (low & 0xffff_ffff_0000_0000L) == IPV4_MAPPED_LOW_PREFIX;
    }

    /**
     * The address as an {@link InetAddress}: an {@code Inet4Address} for an IPv4-mapped value, so that it equals
     * the address of a socket connected over IPv4. Allocates.
     *
     * @param high bits 0..63.
     * @param low  bits 64..127.
     * @return the address.
     */
    public static InetAddress toInetAddress(final long high, final long low)
    {
        final byte[] bytes;
        if (isIpv4Mapped(high, low))
        {
            bytes = new byte[4];
            putInt(bytes, 0, (int)low);
        }
        else
        {
            bytes = new byte[16];
            putInt(bytes, 0, (int)(high >>> 32));
            putInt(bytes, 4, (int)high);
            putInt(bytes, 8, (int)(low >>> 32));
            putInt(bytes, 12, (int)low);
        }
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * High 64 bits of an address, IPv4 as IPv4-mapped.
     *
     * @param address 4 or 16 bytes, as {@link InetAddress#getAddress()} returns.
     * @return bits 0..63.
     */
    public static long high(final byte[] address)
    {
        return address.length == 4 ? IPV4_MAPPED_HIGH : getLong(address, 0);
    }

    /**
     * Low 64 bits of an address, IPv4 as IPv4-mapped.
     *
     * @param address 4 or 16 bytes, as {@link InetAddress#getAddress()} returns.
     * @return bits 64..127.
     */
    public static long low(final byte[] address)
    {
        return address.length == 4 ? IPV4_MAPPED_LOW_PREFIX | (getLong(address, 0) >>> 32) : getLong(address, 8);
    }

    private static long parseIpv4(final DirectBuffer buffer, final int offset, final int end)
    {
        long value = 0;
        int octets = 0;
        int i = offset;
        while (true)
        {
            final int start = i;
            int octet = 0;
            while (i < end && i - start < 3)
            {
                final byte b = buffer.getByte(i);
                if (b < '0' || b > '9')
                {
                    break;
                }
                octet = octet * 10 + (b - '0');
                i++;
            }
            final int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && buffer.getByte(start) == '0'))
            {
                return -1;
            }
            value = (value << 8) | octet;
            if (++octets == 4)
            {
                return i == end ? value : -1;
            }
            if (i >= end || buffer.getByte(i) != '.')
            {
                return -1;
            }
            i++;
        }
    }

    private boolean parseIpv6(final DirectBuffer buffer, final int offset, final int end)
    {
        // up to 8 groups of 16 bits; "::" once stands for one or more zero groups (RFC 4291 section 2.2)
        final int[] groups = this.groups;
        int count = 0;
        int gap = -1;
        int i = offset;
        if (buffer.getByte(i) == ':')
        {
            if (i + 1 >= end || buffer.getByte(i + 1) != ':')
            {
                return false;
            }
            gap = 0;
            i += 2;
        }
        while (i < end)
        {
            final int start = i;
            int group = 0;
            while (i < end && i - start < 4)
            {
                final int digit = AsciiBytes.hexValue(buffer.getByte(i));
                if (digit < 0)
                {
                    break;
                }
                group = (group << 4) | digit;
                i++;
            }
            if (i < end && buffer.getByte(i) == '.')
            {
                // a trailing dotted IPv4 is the last two groups
                final long ipv4 = parseIpv4(buffer, start, end);
                if (ipv4 < 0 || count > 6)
                {
                    return false;
                }
                groups[count++] = (int)(ipv4 >>> 16);
                groups[count++] = (int)(ipv4 & 0xFFFF);
                break;
            }
            if (i == start || count == 8)
            {
                return false;
            }
            groups[count++] = group;
            if (i == end)
            {
                break;
            }
            if (buffer.getByte(i) != ':')
            {
                return false;
            }
            i++;
            if (i < end && buffer.getByte(i) == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }
                gap = count;
                i++;
            }
            else if (i == end)
            {
                return false;
            }
        }
        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        final int missing = 8 - count;
        long high = 0;
        long low = 0;
        for (int g = 0, source = 0; g < 8; g++)
        {
            final long value = gap >= 0 && g >= gap && g < gap + missing ? 0 : groups[source++];
            if (g < 4)
            {
                high = (high << 16) | value;
            }
            else
            {
                low = (low << 16) | value;
            }
        }
        this.high = high;
        this.low = low;
        return true;
    }

    private static long getLong(final byte[] bytes, final int offset)
    {
        long value = 0;
        final int end = Math.min(bytes.length, offset + 8);
        for (int i = offset; i < end; i++)
        {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value << (8 * (offset + 8 - end));
    }

    private static void putInt(final byte[] bytes, final int offset, final int value)
    {
        bytes[offset] = (byte)(value >>> 24);
        bytes[offset + 1] = (byte)(value >>> 16);
        bytes[offset + 2] = (byte)(value >>> 8);
        bytes[offset + 3] = (byte)value;
    }
}
