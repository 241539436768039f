package io.sseflow.server.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * One component of a {@link UrlPattern} (protocol, hostname, port, pathname, search or hash), compiled from its
 * pattern string into parts matched left to right: fixed text, a named group {@code :name} (one or more characters
 * other than the component's delimiter: {@code /} in the pathname, {@code .} in the hostname, none elsewhere), the
 * full wildcard {@code *} (any characters, maybe none), and a group made optional by {@code ?} (a named group, a
 * wildcard, or a {@code {text}} group; in the pathname a {@code /} just before an optional named group or wildcard
 * is part of it, as the URL Pattern Standard's prefix rule says). Escapes ({@code \x}) are fixed text.
 * <p>
 * It cannot do regular-expression groups {@code (...)}, the {@code +} and {@code *} modifiers of groups, or groups
 * inside {@code {...}}: such a pattern is refused ({@link UrlPatternException}). What it does is matched without a
 * regular expression, over sets of topic positions (at most (parts + 1) x (length + 1) steps, never backtracking),
 * allocating nothing. Immutable.
 */
final class UrlPatternComponent
{
    private static final byte LITERAL = 0;
    private static final byte SEGMENT = 1;
    private static final byte WILDCARD = 2;

    private final byte[] kinds;
    private final String[] texts;
    private final boolean[] optional;
    private final char delimiter;
    private final boolean ignoreCase;

    private UrlPatternComponent(
        final byte[] kinds, final String[] texts, final boolean[] optional, final char delimiter,
        final boolean ignoreCase)
    {
        this.kinds = kinds;
        this.texts = texts;
        this.optional = optional;
        this.delimiter = delimiter;
        this.ignoreCase = ignoreCase;
    }

    /**
     * Compile one component's pattern string.
     *
     * @param pattern    the component's pattern, as split from the whole pattern.
     * @param delimiter  the character a named group stops at; {@code 0} for none.
     * @param slashGroup whether a {@code /} before an optional group belongs to it (the pathname).
     * @param ignoreCase whether fixed text compares ASCII case-insensitively (the hostname).
     * @return the component.
     * @throws UrlPatternException when the pattern is malformed or uses what this matcher cannot do.
     */
    static UrlPatternComponent compile(
        final String pattern, final char delimiter, final boolean slashGroup, final boolean ignoreCase)
    {
        final List<Byte> kinds = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        final List<Boolean> optional = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        final int length = pattern.length();
        int i = 0;
        while (i < length)
        {
            final char c = pattern.charAt(i);
            if (c == '\\')
            {
                if (i + 1 >= length)
                {
                    throw new UrlPatternException("ends with a lone \\");
                }
                text.append(pattern.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '(')
            {
                throw new UrlPatternException("regular-expression groups \"(...)\" are not supported");
            }
            if (c == ')' || c == '}')
            {
                throw new UrlPatternException("unbalanced \"" + c + "\"");
            }
            if (c == '+' || c == '?')
            {
                throw new UrlPatternException("\"" + c + "\" follows no group (escape it as \\" + c + ")");
            }
            byte kind;
            String groupText = "";
            int end;
            if (c == ':')
            {
                end = i + 1;
                while (end < length && isNameChar(pattern.charAt(end), end == i + 1))
                {
                    end++;
                }
                if (end == i + 1)
                {
                    throw new UrlPatternException("\":\" starts no group name");
                }
                kind = SEGMENT;
            }
            else if (c == '*')
            {
                end = i + 1;
                kind = WILDCARD;
            }
            else if (c == '{')
            {
                final int close = pattern.indexOf('}', i + 1);
                if (close < 0)
                {
                    throw new UrlPatternException("unbalanced \"{\"");
                }
                groupText = pattern.substring(i + 1, close);
                for (int j = 0; j < groupText.length(); j++)
                {
                    if ("\\:*({?+".indexOf(groupText.charAt(j)) >= 0)
                    {
                        throw new UrlPatternException("only fixed text is supported inside \"{...}\"");
                    }
                }
                end = close + 1;
                kind = LITERAL;
            }
            else
            {
                text.append(c);
                i++;
                continue;
            }
            if (end < length && pattern.charAt(end) == '(')
            {
                throw new UrlPatternException("regular-expression groups \"(...)\" are not supported");
            }
            boolean isOptional = false;
            if (end < length && (pattern.charAt(end) == '+' || pattern.charAt(end) == '*'))
            {
                throw new UrlPatternException("the \"" + pattern.charAt(end) + "\" modifier is not supported");
            }
            if (end < length && pattern.charAt(end) == '?')
            {
                isOptional = true;
                end++;
            }
            String prefix = "";
            if (isOptional && kind != LITERAL && slashGroup && text.length() > 0 &&
                text.charAt(text.length() - 1) == '/')
            {
                prefix = "/";
                text.setLength(text.length() - 1);
            }
            if (text.length() > 0)
            {
                add(kinds, texts, optional, LITERAL, text.toString(), false);
                text.setLength(0);
            }
            if (kind == LITERAL)
            {
                add(kinds, texts, optional, LITERAL, prefix + groupText, isOptional);
            }
            else
            {
                add(kinds, texts, optional, kind, prefix, isOptional);
            }
            i = end;
        }
        if (text.length() > 0)
        {
            add(kinds, texts, optional, LITERAL, text.toString(), false);
        }
        final byte[] kindArray = new byte[kinds.size()];
        final boolean[] optionalArray = new boolean[kinds.size()];
        for (int k = 0; k < kindArray.length; k++)
        {
            kindArray[k] = kinds.get(k);
            optionalArray[k] = optional.get(k);
        }
        final String[] textArray = texts.toArray(new String[0]);
        if (ignoreCase)
        {
            for (int k = 0; k < textArray.length; k++)
            {
                textArray[k] = lowerAscii(textArray[k]);
            }
        }
        return new UrlPatternComponent(kindArray, textArray, optionalArray, delimiter, ignoreCase);
    }

    private static void add(
        final List<Byte> kinds, final List<String> texts, final List<Boolean> optional,
        final byte kind, final String text, final boolean isOptional)
    {
        kinds.add(kind);
        texts.add(text);
        optional.add(isOptional);
    }

    /**
     * A code unit of a group name: the standard's identifier start ({@code $}, {@code _}, Unicode ID_Start) or,
     * after the first, part (Unicode ID_Continue, ZWNJ, ZWJ); a supplementary character ends the name.
     */
    static boolean isNameChar(final char c, final boolean first)
    {
        if (c == '$' || c == '_')
        {
            return true;
        }
        if (first)
        {
            return Character.isUnicodeIdentifierStart(c);
        }
        return c == '\u200C' || c == '\u200D' ||
            (Character.isUnicodeIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
    }

    private static String lowerAscii(final String text)
    {
        final StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            lower.append(lowerAscii(text.charAt(i)));
        }
        return lower.toString();
    }

    private static char lowerAscii(final char c)
    {
        return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
    }

    /**
     * How many parts the component has.
     *
     * @return the count.
     */
    int partCount()
    {
        return kinds.length;
    }

    /**
     * Does the component match the topic's characters from {@code start} to {@code end}?
     *
     * @param topic the whole topic.
     * @param start of the component's text.
     * @param end   of the component's text (exclusive).
     * @return true when it matches the whole text.
     */
    boolean matches(final CharSequence topic, final int start, final int end)
    {
        final int length = end - start;
        final MatchScratch scratch = MatchScratch.forLength(length);
        final int words = MatchScratch.words(length);
        long[] from = scratch.first;
        long[] to = scratch.second;
        MatchScratch.clear(from, words);
        TemplatePart.set(from, 0);
        for (int part = 0; part < kinds.length; part++)
        {
            MatchScratch.clear(to, words);
            boolean any = false;
            final String text = texts[part];
            final int textLength = text.length();
            boolean open = false;
            for (int p = 0; p <= length; p++)
            {
                final boolean reached = TemplatePart.isSet(from, p);
                if (reached && optional[part])
                {
                    TemplatePart.set(to, p);
                    any = true;
                }
                final boolean starts = reached && p + textLength <= length && regionEquals(topic, start + p, text);
                final int after = p + textLength;
                switch (kinds[part])
                {
                    case LITERAL:
                        if (starts)
                        {
                            TemplatePart.set(to, after);
                            any = true;
                        }
                        break;

                    case WILDCARD:
                        open |= starts;
                        if (open && after <= length)
                        {
                            TemplatePart.set(to, after);
                            any = true;
                        }
                        break;

                    case SEGMENT:
                    default:
                        // open: some start at or before after - 1 reaches here through non-delimiter characters
                        if (after < length)
                        {
                            final char c = topic.charAt(start + after);
                            open = (open || starts) && (0 == delimiter || c != delimiter);
                            if (open)
                            {
                                TemplatePart.set(to, after + 1);
                                any = true;
                            }
                        }
                        break;
                }
            }
            if (!any)
            {
                return false;
            }
            final long[] swap = from;
            from = to;
            to = swap;
        }
        return TemplatePart.isSet(from, length);
    }

    private boolean regionEquals(final CharSequence topic, final int at, final String text)
    {
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final char c = topic.charAt(at + i);
            if ((ignoreCase ? lowerAscii(c) : c) != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
