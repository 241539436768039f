package io.sseflow.server.clients;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the client tests exchange with their Node processes: one object per line out of the
 * scripts, commands into them. Strings, numbers, booleans, null, nested objects and arrays; numbers come back
 * as {@link Double} or {@link Long}.
 */
final class Json
{
    private final String text;
    private int index;

    private Json(final String text)
    {
        this.text = text;
    }

    /**
     * Parse one JSON object.
     *
     * @param text a JSON object, as one line.
     * @return its members, in order.
     * @throws IllegalArgumentException if the text is not a JSON object.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(final String text)
    {
        final Json json = new Json(text);
        final Object value = json.readValue();
        json.skipWhitespace();
        if (!(value instanceof Map) || json.index != text.length())
        {
            throw new IllegalArgumentException("not one JSON object: " + text);
        }
        return (Map<String, Object>)value;
    }

    /**
     * Quote a string as a JSON string literal.
     *
     * @param value to quote.
     * @return the literal, with its quotes.
     */
    static String quote(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Write a flat object of string, number, boolean or null members.
     *
     * @param members name, value, name, value...
     * @return the JSON object.
     */
    static String object(final Object... members)
    {
        final StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < members.length; i += 2)
        {
            if (i > 0)
            {
                out.append(',');
            }
            out.append(quote((String)members[i])).append(':');
            final Object value = members[i + 1];
            if (value == null || value instanceof Number || value instanceof Boolean)
            {
                out.append(value);
            }
            else
            {
                out.append(quote(value.toString()));
            }
        }
        return out.append('}').toString();
    }

    private Object readValue()
    {
        skipWhitespace();
        if (index >= text.length())
        {
            throw fail("value expected");
        }
        final char c = text.charAt(index);
        switch (c)
        {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                return readLiteral("true", Boolean.TRUE);
            case 'f':
                return readLiteral("false", Boolean.FALSE);
            case 'n':
                return readLiteral("null", null);
            default:
                return readNumber();
        }
    }

    private Map<String, Object> readObject()
    {
        final Map<String, Object> members = new LinkedHashMap<>();
        index++;
        skipWhitespace();
        if (peek() == '}')
        {
            index++;
            return members;
        }
        while (true)
        {
            skipWhitespace();
            final String name = readString();
            skipWhitespace();
            expect(':');
            members.put(name, readValue());
            skipWhitespace();
            if (peek() == ',')
            {
                index++;
                continue;
            }
            expect('}');
            return members;
        }
    }

    private List<Object> readArray()
    {
        final List<Object> elements = new ArrayList<>();
        index++;
        skipWhitespace();
        if (peek() == ']')
        {
            index++;
            return elements;
        }
        while (true)
        {
            elements.add(readValue());
            skipWhitespace();
            if (peek() == ',')
            {
                index++;
                continue;
            }
            expect(']');
            return elements;
        }
    }

    private String readString()
    {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            if (index >= text.length())
            {
                throw fail("unterminated string");
            }
            final char c = text.charAt(index++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            final char escaped = text.charAt(index++);
            switch (escaped)
            {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' ->
                {
                    out.append((char)Integer.parseInt(text.substring(index, index + 4), 16));
                    index += 4;
                }
                default -> out.append(escaped);
            }
        }
    }

    private Object readLiteral(final String literal, final Object value)
    {
        if (!text.startsWith(literal, index))
        {
            throw fail(literal + " expected");
        }
        index += literal.length();
        return value;
    }

    private Object readNumber()
    {
        final int start = index;
        while (index < text.length() && "+-0123456789.eE".indexOf(text.charAt(index)) >= 0)
        {
            index++;
        }
        final String number = text.substring(start, index);
        if (number.isEmpty())
        {
            throw fail("value expected");
        }
        if (number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0)
        {
            return Long.parseLong(number);
        }
        return Double.parseDouble(number);
    }

    private char peek()
    {
        return index < text.length() ? text.charAt(index) : '\0';
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw fail("'" + c + "' expected");
        }
        index++;
    }

    private void skipWhitespace()
    {
        while (index < text.length() && Character.isWhitespace(text.charAt(index)))
        {
            index++;
        }
    }

    private IllegalArgumentException fail(final String reason)
    {
        return new IllegalArgumentException(reason + " at " + index + " in " + text);
    }
}
