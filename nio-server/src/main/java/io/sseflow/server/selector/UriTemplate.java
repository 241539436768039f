package io.sseflow.server.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * A URI template (RFC 6570, levels 1 to 4) parsed into {@link TemplateLiteral}s and {@link TemplateExpression}s,
 * and the matcher that tells whether a topic is one of its expansions. Parsing follows the RFC's grammar
 * strictly, so that anything else is left to exact comparison: literals are the RFC's literal characters
 * (ASCII ones, {@code ucschar} and {@code iprivate}) and percent-encoded triplets; an expression is an optional
 * operator ({@code + # . / ; ? &}; the reserved {@code = , ! @ |} are refused) and a comma-separated list of
 * variable names ({@code ALPHA / DIGIT / _} and triplets, dots between), each with a prefix {@code :1} to
 * {@code :9999} or an explode {@code *}.
 * <p>
 * Matching runs the parts in order over bit sets of topic positions (the positions where the parts so far can
 * end), so it costs at most (parts + 1) x (topic length) steps plus the literals' lengths, whatever the input:
 * no backtracking. Before that, a topic shorter than the literals together, or not starting with the leading literal
 * or not ending with the trailing one, is refused by direct comparison. Expressions are shared flyweights
 * ({@link TemplateExpression#of}), so a compiled template costs little more than its literals.
 */
final class UriTemplate
{
    private final TemplatePart[] parts;
    private final int expressions;
    private final String leading;
    private final String trailing;
    private final int minLength;

    private UriTemplate(final TemplatePart[] parts, final int expressions)
    {
        this.parts = parts;
        this.expressions = expressions;
        leading = parts[0] instanceof TemplateLiteral ? ((TemplateLiteral)parts[0]).text() : null;
        final TemplatePart last = parts[parts.length - 1];
        trailing = parts.length > 1 && last instanceof TemplateLiteral ? ((TemplateLiteral)last).text() : null;
        int minLength = 0;
        for (final TemplatePart part : parts)
        {
            if (part instanceof TemplateLiteral)
            {
                minLength += ((TemplateLiteral)part).text().length();
            }
        }
        this.minLength = minLength;
    }

    /**
     * Parse a template.
     *
     * @param text the template.
     * @return the template, or null when the text is not a valid URI template.
     */
    static UriTemplate parse(final String text)
    {
        final List<TemplatePart> parts = new ArrayList<>();
        final int length = text.length();
        int expressions = 0;
        int literalStart = 0;
        int i = 0;
        while (i < length)
        {
            final char c = text.charAt(i);
            if (c == '{')
            {
                if (i > literalStart)
                {
                    parts.add(new TemplateLiteral(text.substring(literalStart, i)));
                }
                i = parseExpression(text, i + 1, parts);
                if (i < 0)
                {
                    return null;
                }
                expressions++;
                literalStart = i;
            }
            else if (c == '%')
            {
                if (!isTriplet(text, i))
                {
                    return null;
                }
                i += 3;
            }
            else
            {
                final int codePoint = Character.codePointAt(text, i);
                if (!isLiteral(codePoint))
                {
                    return null;
                }
                i += Character.charCount(codePoint);
            }
        }
        if (length > literalStart)
        {
            parts.add(new TemplateLiteral(text.substring(literalStart)));
        }
        return new UriTemplate(parts.toArray(new TemplatePart[0]), expressions);
    }

    /**
     * How many expressions the template has.
     *
     * @return the count.
     */
    int expressions()
    {
        return expressions;
    }

    int partCount()
    {
        return parts.length;
    }

    TemplatePart part(final int index)
    {
        return parts[index];
    }

    /**
     * Could the template expand to this topic?
     *
     * @param topic to test.
     * @return true when it matches.
     */
    boolean matches(final CharSequence topic)
    {
        final int length = topic.length();
        if (length < minLength || (null != leading && !regionEquals(topic, 0, leading)) ||
            (null != trailing && !regionEquals(topic, length - trailing.length(), trailing)))
        {
            return false;
        }
        final MatchScratch scratch = MatchScratch.forLength(length);
        final int words = MatchScratch.words(length);
        long[] from = scratch.first;
        long[] to = scratch.second;
        MatchScratch.clear(from, words);
        TemplatePart.set(from, 0);
        for (final TemplatePart part : parts)
        {
            MatchScratch.clear(to, words);
            if (!part.advance(topic, length, from, to))
            {
                return false;
            }
            final long[] swap = from;
            from = to;
            to = swap;
        }
        return TemplatePart.isSet(from, length);
    }

    /**
     * Most steps {@link #matches} may take for a topic: (parts + 1) x (length + 1), the bound the matcher keeps
     * whatever the input (its cheap exact checks of the leading and trailing literals often end it sooner).
     *
     * @param topicLength of the topic.
     * @return the steps.
     */
    long matchCost(final int topicLength)
    {
        return (long)(parts.length + 1) * (topicLength + 1);
    }

    private static boolean regionEquals(final CharSequence topic, final int start, final String literal)
    {
        for (int i = 0, length = literal.length(); i < length; i++)
        {
            if (topic.charAt(start + i) != literal.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Parse one expression, from just after its left brace.
     *
     * @return the index just after its right brace, or -1 when it is not a valid expression.
     */
    private static int parseExpression(final String text, final int start, final List<TemplatePart> parts)
    {
        final int length = text.length();
        int i = start;
        if (i >= length)
        {
            return -1;
        }
        char operator = 0;
        switch (text.charAt(i))
        {
            case '+':
            case '#':
            case '.':
            case '/':
            case ';':
            case '?':
            case '&':
                operator = text.charAt(i++);
                break;

            case '=':
            case ',':
            case '!':
            case '@':
            case '|':
                return -1;

            default:
                break;
        }

        int variables = 0;
        boolean firstExplode = false;
        boolean anyExplode = false;
        while (true)
        {
            final int nameStart = i;
            while (i < length)
            {
                final char c = text.charAt(i);
                if (c == ':' || c == '*' || c == ',' || c == '}')
                {
                    break;
                }
                if (c == '%')
                {
                    if (!isTriplet(text, i))
                    {
                        return -1;
                    }
                    i += 3;
                }
                else if (c == '.')
                {
                    if (i == nameStart || text.charAt(i - 1) == '.')
                    {
                        return -1;
                    }
                    i++;
                }
                else if (isVarchar(c))
                {
                    i++;
                }
                else
                {
                    return -1;
                }
            }
            if (i >= length || i == nameStart || text.charAt(i - 1) == '.')
            {
                return -1;
            }

            boolean explode = false;
            if (text.charAt(i) == '*')
            {
                explode = true;
                i++;
            }
            else if (text.charAt(i) == ':')
            {
                i++;
                int maxLength = 0;
                while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9')
                {
                    maxLength = maxLength * 10 + (text.charAt(i) - '0');
                    if (maxLength == 0 || maxLength > 9999)
                    {
                        return -1;
                    }
                    i++;
                }
                if (maxLength == 0)
                {
                    return -1;
                }
            }
            if (variables++ == 0)
            {
                firstExplode = explode;
            }
            anyExplode |= explode;

            if (i >= length)
            {
                return -1;
            }
            final char next = text.charAt(i++);
            if (next == '}')
            {
                parts.add(TemplateExpression.of(operator, variables, firstExplode, anyExplode));
                return i;
            }
            if (next != ',')
            {
                return -1;
            }
        }
    }

    private static boolean isTriplet(final String text, final int percent)
    {
        return percent + 2 < text.length() && isHex(text.charAt(percent + 1)) && isHex(text.charAt(percent + 2));
    }

    private static boolean isHex(final char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isVarchar(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * RFC 6570 section 2.1 {@code literals}, minus {@code %} (triplets are checked apart).
     */
    private static boolean isLiteral(final int c)
    {
        if (c < 0x80)
        {
            return c == 0x21 || c == 0x23 || c == 0x24 || (c >= 0x26 && c <= 0x3B) || c == 0x3D ||
                (c >= 0x3F && c <= 0x5B) || c == 0x5D || c == 0x5F || (c >= 0x61 && c <= 0x7A) || c == 0x7E;
        }
        if (c < 0x10000)
        {
            return (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFEF);
        }
        return (c & 0xFFFF) <= 0xFFFD && (c < 0xE0000 || c >= 0xE1000);
    }
}
