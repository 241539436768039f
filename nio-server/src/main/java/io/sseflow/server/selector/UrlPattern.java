package io.sseflow.server.selector;

/**
 * A WHATWG URL Pattern (Mercure 1.0's {@code urlpattern} matcher type, {@code ?match_urlpattern=}), the subset a
 * hub needs, matched against topics: the pattern string is split as the standard's constructor string parser does
 * into protocol, hostname, port, pathname, search and hash ({@code https://example.com/books/:id}: search and hash
 * any, username and password any, the port the default); a pattern starting with {@code /} is relative to
 * {@link #BASE}, whose protocol and hostname it takes. A topic is split the same way (a relative one, starting with
 * {@code /}, against {@link #BASE}; a topic that is no absolute URL or absolute path matches no pattern), its
 * hostname compared ASCII case-insensitively and its default port ({@code 80}, {@code 443}) as none; every other
 * component compares case-sensitively ({@code ignoreCase} is never on). Each component's syntax is
 * {@link UrlPatternComponent}'s.
 * <p>
 * It cannot: parse a protocol that is itself a pattern ({@code http{s}?://}), a username or password in the pattern,
 * regular-expression groups, the {@code +} / {@code *} group modifiers, non-ASCII hostnames (no IDNA), dot segments
 * or percent-encoding normalization of the topic; such a pattern is refused ({@link UrlPatternException}), and a
 * topic is compared as written. Matching never backtracks: at most {@link #matchCost} steps, nothing allocated.
 * Immutable.
 */
public final class UrlPattern
{
    /**
     * The URL relative patterns and topics are resolved against, standing for the hub's own.
     */
    public static final String BASE = "https://localhost/.well-known/mercure";

    private static final String BASE_PROTOCOL = "https";
    private static final String BASE_HOSTNAME = "localhost";
    private static final int PARTS = 6;

    private final UrlPatternComponent[] components;
    private final int fixedLength;

    private UrlPattern(final UrlPatternComponent[] components, final int fixedLength)
    {
        this.components = components;
        this.fixedLength = fixedLength;
    }

    /**
     * Compile a pattern.
     *
     * @param pattern the pattern string.
     * @return the pattern.
     * @throws UrlPatternException naming what is wrong or unsupported.
     */
    public static UrlPattern compile(final String pattern)
    {
        final String[] parts = new String[PARTS];
        int rest;
        if (pattern.startsWith("/"))
        {
            parts[0] = BASE_PROTOCOL;
            parts[1] = BASE_HOSTNAME;
            parts[2] = "";
            rest = 0;
        }
        else
        {
            final int colon = schemeEnd(pattern);
            if (colon < 0)
            {
                throw new UrlPatternException("must be an absolute URL pattern (scheme://host/path) or start with /");
            }
            parts[0] = pattern.substring(0, colon);
            if (!pattern.startsWith("//", colon + 1))
            {
                throw new UrlPatternException("a pattern without \"//\" after its scheme is not supported");
            }
            final int authorityStart = colon + 3;
            int authorityEnd = authorityStart;
            while (authorityEnd < pattern.length() && "/?#".indexOf(pattern.charAt(authorityEnd)) < 0)
            {
                authorityEnd += pattern.charAt(authorityEnd) == '\\' ? 2 : 1;
            }
            authorityEnd = Math.min(authorityEnd, pattern.length());
            final String authority = pattern.substring(authorityStart, authorityEnd);
            if (authority.indexOf('@') >= 0)
            {
                throw new UrlPatternException("a username or password in the pattern is not supported");
            }
            final int portColon = portColon(authority);
            parts[1] = portColon < 0 ? authority : authority.substring(0, portColon);
            parts[2] = portColon < 0 ? "" : authority.substring(portColon + 1);
            if (parts[1].isEmpty())
            {
                throw new UrlPatternException("has no hostname");
            }
            rest = authorityEnd;
        }
        final int searchStart = searchStart(pattern, rest);
        final int hashStart = pattern.indexOf('#', rest);
        final int pathEnd = searchStart >= 0 ? searchStart : hashStart >= 0 ? hashStart : pattern.length();
        parts[3] = pattern.substring(rest, pathEnd);
        if (parts[3].isEmpty())
        {
            parts[3] = "/";
        }
        parts[4] = searchStart < 0 ? "*" :
            pattern.substring(searchStart + 1, hashStart >= 0 ? hashStart : pattern.length());
        parts[5] = hashStart < 0 ? "*" : pattern.substring(hashStart + 1);
        if (parts[0].indexOf('*') >= 0 || parts[0].indexOf(':') >= 0)
        {
            throw new UrlPatternException("a protocol that is a pattern is not supported");
        }
        final UrlPatternComponent[] components = {
            UrlPatternComponent.compile(parts[0], (char)0, false, true),
            UrlPatternComponent.compile(parts[1], '.', false, true),
            UrlPatternComponent.compile(parts[2], (char)0, false, false),
            UrlPatternComponent.compile(parts[3], '/', true, false),
            UrlPatternComponent.compile(parts[4], (char)0, false, false),
            UrlPatternComponent.compile(parts[5], (char)0, false, false),
        };
        int fixed = 0;
        for (final String part : parts)
        {
            fixed += part.length();
        }
        return new UrlPattern(components, fixed);
    }

    private static int schemeEnd(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == ':')
            {
                return i > 0 ? i : -1;
            }
            final boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
            {
                return -1;
            }
        }
        return -1;
    }

    private static int portColon(final String authority)
    {
        final int colon = authority.lastIndexOf(':');
        if (colon < 0 || colon == authority.length() - 1)
        {
            return colon;
        }
        for (int i = colon + 1; i < authority.length(); i++)
        {
            final char c = authority.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
        }
        return colon;
    }

    /**
     * The {@code ?} that starts the search: one that is not a modifier (after a name, {@code *} or {@code }}).
     */
    private static int searchStart(final String pattern, final int from)
    {
        for (int i = from; i < pattern.length(); i++)
        {
            final char c = pattern.charAt(i);
            if (c == '\\')
            {
                i++;
            }
            else if (c == '#')
            {
                return -1;
            }
            else if (c == '?' && !followsGroup(pattern, from, i))
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean followsGroup(final String pattern, final int from, final int index)
    {
        if (index == from)
        {
            return false;
        }
        final char previous = pattern.charAt(index - 1);
        if (previous == '*' || previous == '}')
        {
            return true;
        }
        int start = index - 1;
        while (start >= from && UrlPatternComponent.isNameChar(pattern.charAt(start), false))
        {
            start--;
        }
        return start >= from && start < index - 1 && pattern.charAt(start) == ':' &&
            UrlPatternComponent.isNameChar(pattern.charAt(start + 1), true);
    }

    /**
     * Does the topic, as a URL, match every component?
     *
     * @param topic any text.
     * @return true when it matches; false for a topic that is not an absolute URL or path.
     */
    public boolean matches(final CharSequence topic)
    {
        final int length = topic.length();
        if (length > 0 && topic.charAt(0) == '/')
        {
            return components[0].matches(BASE_PROTOCOL, 0, BASE_PROTOCOL.length()) &&
                components[1].matches(BASE_HOSTNAME, 0, BASE_HOSTNAME.length()) &&
                components[2].matches("", 0, 0) &&
                matchesFrom(topic, 0, length);
        }
        int colon = -1;
        for (int i = 0; i < length; i++)
        {
            final char c = topic.charAt(i);
            if (c == ':')
            {
                colon = i;
                break;
            }
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
            {
                return false;
            }
        }
        if (colon <= 0 || colon + 2 >= length || topic.charAt(colon + 1) != '/' || topic.charAt(colon + 2) != '/')
        {
            return false;
        }
        if (!components[0].matches(topic, 0, colon))
        {
            return false;
        }
        final int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < length && "/?#".indexOf(topic.charAt(authorityEnd)) < 0)
        {
            authorityEnd++;
        }
        int hostStart = authorityStart;
        for (int i = authorityStart; i < authorityEnd; i++)
        {
            if (topic.charAt(i) == '@')
            {
                hostStart = i + 1;
            }
        }
        int hostEnd = authorityEnd;
        int portStart = authorityEnd;
        for (int i = authorityEnd - 1; i >= hostStart; i--)
        {
            final char c = topic.charAt(i);
            if (c == ':')
            {
                hostEnd = i;
                portStart = i + 1;
                break;
            }
            if (c < '0' || c > '9')
            {
                break;
            }
        }
        if (hostEnd == hostStart || !components[1].matches(topic, hostStart, hostEnd))
        {
            return false;
        }
        final boolean defaultPort = isDefaultPort(topic, 0, colon, portStart, authorityEnd);
        if (!(defaultPort ? components[2].matches("", 0, 0) : components[2].matches(topic, portStart, authorityEnd)))
        {
            return false;
        }
        if (authorityEnd == length || topic.charAt(authorityEnd) != '/')
        {
            return components[3].matches("/", 0, 1) && matchesSearchAndHash(topic, authorityEnd, length);
        }
        return matchesFrom(topic, authorityEnd, length);
    }

    private boolean matchesFrom(final CharSequence topic, final int pathStart, final int length)
    {
        int pathEnd = pathStart;
        while (pathEnd < length && topic.charAt(pathEnd) != '?' && topic.charAt(pathEnd) != '#')
        {
            pathEnd++;
        }
        return components[3].matches(topic, pathStart, pathEnd) && matchesSearchAndHash(topic, pathEnd, length);
    }

    private boolean matchesSearchAndHash(final CharSequence topic, final int from, final int length)
    {
        int hash = from;
        while (hash < length && topic.charAt(hash) != '#')
        {
            hash++;
        }
        final boolean hasSearch = from < length && topic.charAt(from) == '?';
        final boolean searchMatches = hasSearch ? components[4].matches(topic, from + 1, hash) :
            components[4].matches("", 0, 0);
        return searchMatches && (hash < length ? components[5].matches(topic, hash + 1, length) :
            components[5].matches("", 0, 0));
    }

    private static boolean isDefaultPort(
        final CharSequence topic, final int schemeStart, final int schemeEnd, final int portStart, final int portEnd)
    {
        if (portStart == portEnd)
        {
            return true;
        }
        return (equalsIgnoreCase(topic, schemeStart, schemeEnd, "https") &&
            equalsIgnoreCase(topic, portStart, portEnd, "443")) ||
            (equalsIgnoreCase(topic, schemeStart, schemeEnd, "http") &&
            equalsIgnoreCase(topic, portStart, portEnd, "80"));
    }

    private static boolean equalsIgnoreCase(
        final CharSequence text, final int start, final int end, final String lowerExpected)
    {
        if (end - start != lowerExpected.length())
        {
            return false;
        }
        for (int i = start; i < end; i++)
        {
            final char c = text.charAt(i);
            if ((c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c) != lowerExpected.charAt(i - start))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * How many parts the compiled pattern has, what its matching cost grows with.
     *
     * @return the count, at least 1.
     */
    public int partCount()
    {
        int parts = 0;
        for (final UrlPatternComponent component : components)
        {
            parts += component.partCount();
        }
        return Math.max(1, parts);
    }

    /**
     * Most steps {@link #matches} may take for a topic of this length: (parts + fixed text + 1) x (length + 1).
     *
     * @param topicLength of the topic.
     * @return the steps.
     */
    public long matchCost(final int topicLength)
    {
        return (long)(partCount() + fixedLength + 1) * (topicLength + 1);
    }
}
