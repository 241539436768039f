package io.sseflow.server.agent;

import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.HttpResponses;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which web origins may publish to a hub whose publishing is open (no publish token): the hub's own loopback
 * origins, {@code http://127.0.0.1:PORT}, {@code http://localhost:PORT}, {@code http://[::1]:PORT} and that of the
 * configured host, so that its demo page works, and the {@code --allow-origin} one ({@code *}: any). A request
 * without {@code Origin} (curl, servers) is not a web page and is not judged here. Without this a page on any site
 * the user visits could publish to their hub, cross-site or by DNS rebinding (the browser sends the page's
 * {@code Origin} either way). Origins are compared ignoring ASCII case, as their scheme and host are.
 * <p>
 * Not thread-safe: owned by the server agent; {@link #allows} does not allocate.
 */
final class PublishOrigins
{
    private final boolean anyOrigin;
    private final byte[][] origins;

    /**
     * The origins for a hub.
     *
     * @param allowOrigin the configured CORS origin: {@code *}, an exact origin, or null.
     * @param host        the bind address.
     * @param port        the bound port.
     */
    PublishOrigins(final String allowOrigin, final String host, final int port)
    {
        anyOrigin = "*".equals(allowOrigin);
        final List<String> allowed = new ArrayList<>();
        final String hostForm = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        for (final String loopback : new String[]{"127.0.0.1", "localhost", "[::1]", hostForm})
        {
            allowed.add("http://" + loopback + ":" + port);
            if (port == 80)
            {
                allowed.add("http://" + loopback);
            }
        }
        if (null != allowOrigin && !anyOrigin)
        {
            allowed.add(allowOrigin);
        }
        origins = new byte[allowed.size()][];
        for (int i = 0; i < origins.length; i++)
        {
            origins[i] = HttpResponses.ascii(allowed.get(i).toLowerCase(Locale.ROOT));
        }
    }

    /**
     * May a request with this {@code Origin} publish?
     *
     * @param buffer holding the value.
     * @param offset of the value, -1 when the request has no {@code Origin}.
     * @param length of the value.
     * @return true without an {@code Origin}, for an allowed one, or for any with {@code --allow-origin *}.
     */
    boolean allows(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || anyOrigin)
        {
            return true;
        }
        for (final byte[] origin : origins)
        {
            if (equalsIgnoreCase(buffer, offset, length, origin))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Is this origin one that may publish? Unlike {@link #allows}, an absent origin is not.
     *
     * @param origin such as {@code https://app.example}, or null.
     * @return true for an allowed one, or for any with {@code --allow-origin *}.
     */
    boolean allowsOrigin(final String origin)
    {
        if (null == origin || origin.isEmpty())
        {
            return false;
        }
        if (anyOrigin)
        {
            return true;
        }
        final String lower = origin.toLowerCase(Locale.ROOT);
        for (final byte[] allowed : origins)
        {
            if (lower.length() == allowed.length && lower.equals(new String(allowed, StandardCharsets.US_ASCII)))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreCase(
        final DirectBuffer buffer, final int offset, final int length, final byte[] lowerExpected)
    {
        if (length != lowerExpected.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (AsciiBytes.toLower(buffer.getByte(offset + i)) != lowerExpected[i])
            {
                return false;
            }
        }
        return true;
    }
}
