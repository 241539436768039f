package io.sseflow.server.mercure;

import io.sseflow.server.http.AsciiBytes;
import org.agrona.DirectBuffer;

/**
 * What a decoded query parameter name is to Mercure 1.0 (the draft): a topic matcher parameter of a matcher type
 * the hub supports, a name in the reserved {@code match} namespace that is not one ({@code match} or any name
 * starting with it under an ASCII case-insensitive comparison: a misspelt or unsupported matcher type, refused
 * {@code 400}), or no matcher at all. Matcher parameter names are case-sensitive: {@code Match} is reserved and
 * unknown.
 */
public enum MatcherParameter
{
    /**
     * Not in the {@code match} namespace.
     */
    NONE,

    /**
     * {@code match} or {@code match_exact}: the {@code exact} matcher type.
     */
    EXACT,

    /**
     * {@code match_urlpattern}: the {@code urlpattern} matcher type (WHATWG URL Pattern).
     */
    URL_PATTERN,

    /**
     * Another name in the reserved {@code match} namespace.
     */
    UNKNOWN;

    private static final String PREFIX = "match";

    /**
     * Classify a decoded parameter name.
     *
     * @param name   holding the name's bytes.
     * @param offset of the name.
     * @param length of the name.
     * @return what the name is.
     */
    public static MatcherParameter of(final DirectBuffer name, final int offset, final int length)
    {
        if (length < PREFIX.length() || !AsciiBytes.equalsIgnoreCase(name, offset, PREFIX.length(), PREFIX))
        {
            return NONE;
        }
        if (AsciiBytes.equals(name, offset, length, "match") || AsciiBytes.equals(name, offset, length, "match_exact"))
        {
            return EXACT;
        }
        return AsciiBytes.equals(name, offset, length, "match_urlpattern") ? URL_PATTERN : UNKNOWN;
    }
}
