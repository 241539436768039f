package io.sseflow.server.http;

import org.agrona.DirectBuffer;

/**
 * Which client a request from a trusted proxy is for, read from the head's {@code X-Forwarded-For} or, when it
 * has none, its {@code Forwarded} (RFC 7239) header, without allocation.
 * <p>
 * Both headers list the hops a request came through, each proxy appending the address it received the request
 * from (nginx's {@code $proxy_add_x_forwarded_for}). Only the entries appended by trusted proxies can be believed,
 * so the client is the right-most entry that is not itself a trusted proxy; when every entry is a trusted proxy,
 * the left-most. {@code X-Forwarded-For} is preferred because it is what nginx, HAProxy, Envoy and cloud load
 * balancers set, and a proxy that sets it passes a client's own {@code Forwarded} through untouched; a proxy
 * that sends {@code Forwarded} should remove {@code X-Forwarded-For}.
 * <p>
 * Entries are IPv4 ({@code 192.0.2.60}, {@code 192.0.2.60:4711}) or IPv6 ({@code 2001:db8::1},
 * {@code [2001:db8::1]:4711}); in {@code Forwarded}, the {@code for=} parameter of each element, a token or a
 * quoted string. When the entry that would decide is not an address ({@code unknown}, an obfuscated
 * {@code _hidden} identifier, an element without {@code for=}, garbage) or the header is malformed, the answer is
 * {@link Source#PEER}: the request is counted against the proxy itself, never refused as malformed.
 * <p>
 * Not thread-safe: one instance per server agent.
 */
public final class ForwardedFor
{
    /**
     * Where the client's address comes from.
     */
    public enum Source
    {
        /**
         * The connection's peer: no usable forwarding header. {@link #high()} and {@link #low()} are not set.
         */
        PEER,

        /**
         * The forwarding header: the address is in {@link #high()} and {@link #low()}.
         */
        FORWARDED
    }

    /**
     * Hops remembered per request, the right-most ones; a header naming more than this many, all of them trusted
     * proxies, is answered {@link Source#PEER}.
     */
    public static final int MAX_HOPS = 32;

    private static final int X_FORWARDED_FOR = 1;
    private static final int FORWARDED = 2;

    private final TrustedProxies trusted;
    private final IpLiteral literal = new IpLiteral();
    private final long[] hopHigh = new long[MAX_HOPS];
    private final long[] hopLow = new long[MAX_HOPS];
    private final boolean[] hopValid = new boolean[MAX_HOPS];
    private final HeaderVisitor lineVisitor = this::onHeaderLine;
    private int hopCount;
    private boolean malformed;
    private int visitedHeader;
    private long high;
    private long low;

    /**
     * A resolver believing these proxies.
     *
     * @param trusted the proxies whose entries are believed.
     */
    public ForwardedFor(final TrustedProxies trusted)
    {
        this.trusted = trusted;
    }

    /**
     * The client of a complete request head received from a trusted proxy.
     *
     * @param buffer the buffer the head was parsed from.
     * @param parser the parser, in the {@link HttpRequestParser.State#COMPLETE} state.
     * @return where the address is.
     */
    public Source resolve(final DirectBuffer buffer, final HttpRequestParser parser)
    {
        reset();
        if (parser.xForwardedForCount() > 0)
        {
            if (parser.xForwardedForCount() == 1)
            {
                addXForwardedFor(buffer, parser.xForwardedForOffset(), parser.xForwardedForLength());
            }
            else
            {
                visitedHeader = X_FORWARDED_FOR;
                parser.forEachHeader(buffer, lineVisitor);
            }
        }
        else if (parser.forwardedCount() > 0)
        {
            if (parser.forwardedCount() == 1)
            {
                addForwarded(buffer, parser.forwardedOffset(), parser.forwardedLength());
            }
            else
            {
                visitedHeader = FORWARDED;
                parser.forEachHeader(buffer, lineVisitor);
            }
        }
        return decide();
    }

    /**
     * The client named by one {@code X-Forwarded-For} value.
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return where the address is.
     */
    public Source resolveXForwardedFor(final DirectBuffer buffer, final int offset, final int length)
    {
        reset();
        addXForwardedFor(buffer, offset, length);
        return decide();
    }

    /**
     * The client named by one {@code Forwarded} value.
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return where the address is.
     */
    public Source resolveForwarded(final DirectBuffer buffer, final int offset, final int length)
    {
        reset();
        addForwarded(buffer, offset, length);
        return decide();
    }

    /**
     * High 64 bits of the client's address after {@link Source#FORWARDED}, IPv4 as IPv4-mapped ({@link IpLiteral}).
     *
     * @return bits 0..63.
     */
    public long high()
    {
        return high;
    }

    /**
     * Low 64 bits of the client's address after {@link Source#FORWARDED}.
     *
     * @return bits 64..127.
     */
    public long low()
    {
        return low;
    }

    private void reset()
    {
        hopCount = 0;
        malformed = false;
        visitedHeader = 0;
    }

    private boolean onHeaderLine(
        final DirectBuffer buffer, final int nameOffset, final int nameLength, final int valueOffset, final int valueLength)
    {
        if (visitedHeader == X_FORWARDED_FOR)
        {
            if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "x-forwarded-for"))
            {
                addXForwardedFor(buffer, valueOffset, valueLength);
            }
        }
        else if (AsciiBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, "forwarded"))
        {
            addForwarded(buffer, valueOffset, valueLength);
        }
        return true;
    }

    private Source decide()
    {
        if (malformed || hopCount == 0)
        {
            return Source.PEER;
        }
        final int examined = Math.min(hopCount, MAX_HOPS);
        for (int n = 0; n < examined; n++)
        {
            final int slot = (hopCount - 1 - n) % MAX_HOPS;
            if (!hopValid[slot])
            {
                return Source.PEER;
            }
            high = hopHigh[slot];
            low = hopLow[slot];
            if (!trusted.contains(high, low))
            {
                return Source.FORWARDED;
            }
        }
        // every entry is a trusted proxy: the left-most is the client, unless some were not remembered
        return hopCount > MAX_HOPS ? Source.PEER : Source.FORWARDED;
    }

    private void addXForwardedFor(final DirectBuffer buffer, final int offset, final int length)
    {
        // 1#element, empty elements allowed (RFC 9110 section 5.6.1)
        final int end = offset + length;
        int start = offset;
        while (start <= end)
        {
            int comma = start;
            while (comma < end && buffer.getByte(comma) != ',')
            {
                comma++;
            }
            int first = start;
            int last = comma;
            while (first < last && isWhitespace(buffer.getByte(first)))
            {
                first++;
            }
            while (last > first && isWhitespace(buffer.getByte(last - 1)))
            {
                last--;
            }
            if (last > first)
            {
                addHop(parseNode(buffer, first, last));
            }
            start = comma + 1;
        }
    }

    private void addForwarded(final DirectBuffer buffer, final int offset, final int length)
    {
        // Forwarded = 1#forwarded-element; forwarded-element = [ pair ] *( ";" [ pair ] ); pair = token "=" value
        final int end = offset + length;
        int i = offset;
        boolean forSeen = false;
        boolean forValid = false;
        boolean elementEmpty = true;
        while (true)
        {
            i = skipWhitespace(buffer, i, end);
            if (i >= end || buffer.getByte(i) == ',')
            {
                if (!elementEmpty)
                {
                    addHop(forSeen && forValid);
                }
                if (i >= end)
                {
                    return;
                }
                forSeen = false;
                forValid = false;
                elementEmpty = true;
                i++;
                continue;
            }
            if (buffer.getByte(i) == ';')
            {
                i++;
                continue;
            }

            final int nameStart = i;
            while (i < end && isTchar(buffer.getByte(i)))
            {
                i++;
            }
            final int nameEnd = i;
            if (nameEnd == nameStart || i >= end || buffer.getByte(i) != '=')
            {
                malformed = true;
                return;
            }
            i++;
            final int valueStart;
            final int valueEnd;
            boolean escaped = false;
            if (i < end && buffer.getByte(i) == '"')
            {
                valueStart = ++i;
                while (i < end && buffer.getByte(i) != '"')
                {
                    if (buffer.getByte(i) == '\\')
                    {
                        escaped = true;
                        i++;
                    }
                    i++;
                }
                if (i >= end)
                {
                    malformed = true;
                    return;
                }
                valueEnd = i++;
            }
            else
            {
                valueStart = i;
                while (i < end && !isDelimiter(buffer.getByte(i)))
                {
                    i++;
                }
                valueEnd = i;
                if (valueEnd == valueStart)
                {
                    malformed = true;
                    return;
                }
            }
            elementEmpty = false;
            if (AsciiBytes.equalsIgnoreCase(buffer, nameStart, nameEnd - nameStart, "for"))
            {
                if (forSeen)
                {
                    malformed = true;
                    return;
                }
                forSeen = true;
                forValid = !escaped && parseNode(buffer, valueStart, valueEnd);
            }
            i = skipWhitespace(buffer, i, end);
            if (i < end && buffer.getByte(i) != ';' && buffer.getByte(i) != ',')
            {
                malformed = true;
                return;
            }
        }
    }

    private void addHop(final boolean valid)
    {
        final int slot = hopCount % MAX_HOPS;
        hopValid[slot] = valid;
        if (valid)
        {
            hopHigh[slot] = literal.high();
            hopLow[slot] = literal.low();
        }
        hopCount++;
    }

    /**
     * {@code node = nodename [ ":" port ]}: an IPv4 address, a bracketed IPv6 address, or a bare IPv6 address;
     * on success the address is in {@link #literal}.
     */
    private boolean parseNode(final DirectBuffer buffer, final int start, final int end)
    {
        if (buffer.getByte(start) == '[')
        {
            int close = start + 1;
            while (close < end && buffer.getByte(close) != ']')
            {
                close++;
            }
            if (close >= end || !isPortSuffix(buffer, close + 1, end))
            {
                return false;
            }
            return containsColon(buffer, start + 1, close) && literal.parse(buffer, start + 1, close - start - 1);
        }
        int colons = 0;
        int colon = -1;
        for (int i = start; i < end; i++)
        {
            if (buffer.getByte(i) == ':')
            {
                colons++;
                colon = i;
            }
        }
        if (colons == 1)
        {
            return isPortSuffix(buffer, colon, end) && !containsColon(buffer, start, colon) &&
                literal.parse(buffer, start, colon - start);
        }
        return literal.parse(buffer, start, end - start);
    }

    private static boolean isPortSuffix(final DirectBuffer buffer, final int start, final int end)
    {
        if (start == end)
        {
            return true;
        }
        if (buffer.getByte(start) != ':' || end - start < 2 || end - start > 6)
        {
            return false;
        }
        for (int i = start + 1; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b < '0' || b > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static boolean containsColon(final DirectBuffer buffer, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            if (buffer.getByte(i) == ':')
            {
                return true;
            }
        }
        return false;
    }

    private static int skipWhitespace(final DirectBuffer buffer, final int start, final int end)
    {
        int i = start;
        while (i < end && isWhitespace(buffer.getByte(i)))
        {
            i++;
        }
        return i;
    }

    private static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\t';
    }

    private static boolean isDelimiter(final byte b)
    {
        return b == ';' || b == ',' || b == ' ' || b == '\t' || b == '"';
    }

    private static boolean isTchar(final byte b)
    {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
            b == '!' || b == '#' || b == '$' || b == '%' || b == '&' || b == '\'' || b == '*' || b == '+' ||
            b == '-' || b == '.' || b == '^' || b == '_' || b == '`' || b == '|' || b == '~';
    }
}
