package io.sseflow.server.selector;

/**
 * A test reference: the regular expression of one template part (a literal, or one expression of a simple
 * form: operator, names, each with {@code *} or {@code :n}), built the way hubs speaking this protocol build
 * theirs: the expression optional, its first character, one value, then up to (variables - 1) more values (any
 * number with an exploded variable) after the separator; a value is {@code (?:[class]|%XX)*}.
 */
final class ReferenceTemplateRegex
{
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private static final String RESERVED = "!#$&'()*+,/:;=?@[]";

    private ReferenceTemplateRegex()
    {
    }

    static String fragment(final String part)
    {
        if (!part.startsWith("{"))
        {
            return java.util.regex.Pattern.quote(part);
        }
        String body = part.substring(1, part.length() - 1);
        final char op = "+#./;?&".indexOf(body.charAt(0)) >= 0 ? body.charAt(0) : 0;
        if (op != 0)
        {
            body = body.substring(1);
        }
        final String[] names = body.split(",");
        boolean anyExplode = false;
        for (final String name : names)
        {
            anyExplode |= name.endsWith("*");
        }
        final boolean firstExplode = names[0].endsWith("*");
        final boolean named = op == ';' || op == '?' || op == '&';
        final boolean reserved = op == '+' || op == '#';
        final String first = op == 0 || op == '+' ? "" : String.valueOf(op);
        final String separator = op == 0 || op == '+' || op == '#' ? "," : op == '?' ? "&" : String.valueOf(op);

        final StringBuilder regex = new StringBuilder();
        if (!first.isEmpty())
        {
            regex.append("(?:").append(escape(first));
        }
        regex.append('(').append(value(reserved, named || firstExplode));
        if (names.length > 1 || firstExplode)
        {
            final int max = anyExplode ? -1 : names.length - 1;
            regex.append("(?:").append(escape(separator)).append(value(reserved, named || max < 0)).append(')');
            regex.append(max > 0 ? "{0," + max + "}" : "*");
        }
        regex.append(')');
        if (!first.isEmpty())
        {
            regex.append(')');
        }
        return regex.append('?').toString();
    }

    private static String value(final boolean reserved, final boolean equalsSign)
    {
        final String characters = UNRESERVED + (reserved ? RESERVED : "," + (equalsSign ? "=" : ""));
        return "(?:(?:[" + escape(characters) + "]|%[0-9A-Fa-f]{2})*)";
    }

    private static String escape(final String characters)
    {
        final StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < characters.length(); i++)
        {
            escaped.append(String.format("\\x%02x", (int)characters.charAt(i)));
        }
        return escaped.toString();
    }
}
