package io.sseflow.server.selector;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code {...}} expression of a URI template, matched as the set of texts it could expand to, with the
 * looseness hubs speaking this protocol have always had: the expression may expand to nothing; otherwise it is
 * the operator's first character (none for simple and {@code +} expressions), one value, then up to one more
 * value per further variable (any number when a variable is exploded), each after the operator's separator.
 * A value is any run of allowed characters and percent-encoded triplets: unreserved characters and {@code ,}
 * (and {@code =} for the named operators {@code ; ? &} and exploded variables), or unreserved and reserved
 * characters for {@code +} and {@code #}. Variable names are not checked in named expansions, and prefix
 * lengths ({@code :3}) do not limit a value.
 * <p>
 * The matcher is a small automaton run over the topic in one pass; it tracks, per state, the fewest separators
 * seen (fewer always allows at least as much), so it never backtracks.
 */
final class TemplateExpression extends TemplatePart
{
    static final int UNBOUNDED = Integer.MAX_VALUE - 1;
    private static final int NONE = Integer.MAX_VALUE;

    private static final long[] UNRESERVED = mask("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");
    private static final long[] RESERVED = mask("!#$&'()*+,/:;=?@[]");

    private static final int SHARED_VARIABLES = 32;
    private static final ConcurrentHashMap<Integer, TemplateExpression> SHARED = new ConcurrentHashMap<>();

    private final char operator;
    private final char first;
    private final char separator;
    private final int maxSeparators;
    private final long firstValueLow;
    private final long firstValueHigh;
    private final long valueLow;
    private final long valueHigh;

    /**
     * @param operator     the operator character, or 0 for a simple expression.
     * @param variables    how many variables the expression lists.
     * @param firstExplode whether the first variable is exploded ({@code *}).
     * @param anyExplode   whether any variable is exploded.
     */
    TemplateExpression(final char operator, final int variables, final boolean firstExplode, final boolean anyExplode)
    {
        this.operator = operator;
        final boolean reserved = operator == '+' || operator == '#';
        final boolean named = operator == ';' || operator == '?' || operator == '&';
        first = operator == '+' ? 0 : operator;
        separator = operator == 0 || operator == '+' || operator == '#' ? ',' : operator == '?' ? '&' : operator;
        maxSeparators = variables > 1 || firstExplode ? (anyExplode ? UNBOUNDED : variables - 1) : 0;
        final long[] firstValue = valueClass(reserved, named || firstExplode);
        final long[] value = valueClass(reserved, named || anyExplode);
        firstValueLow = firstValue[0];
        firstValueHigh = firstValue[1];
        valueLow = value[0];
        valueHigh = value[1];
    }

    /**
     * The expression for these properties: one shared instance per distinct combination (of up to
     * {@value #SHARED_VARIABLES} variables), expressions being immutable and matched by their properties only.
     */
    static TemplateExpression of(
        final char operator, final int variables, final boolean firstExplode, final boolean anyExplode)
    {
        if (variables > SHARED_VARIABLES)
        {
            return new TemplateExpression(operator, variables, firstExplode, anyExplode);
        }
        final int key = (operator << 16) | (variables << 2) | (firstExplode ? 2 : 0) | (anyExplode ? 1 : 0);
        final TemplateExpression shared = SHARED.get(key);
        return null != shared ? shared : SHARED.computeIfAbsent(
            key, ignore -> new TemplateExpression(operator, variables, firstExplode, anyExplode));
    }

    char operator()
    {
        return operator;
    }

    int maxSeparators()
    {
        return maxSeparators;
    }

    @Override
    boolean advance(final CharSequence topic, final int length, final long[] from, final long[] to)
    {
        final char first = this.first;
        final char separator = this.separator;
        final int maxSeparators = this.maxSeparators;
        boolean any = false;
        boolean beforeFirst = false;
        boolean firstValue = false;
        boolean firstValuePercent = false;
        boolean firstValuePercentHex = false;
        int value = NONE;
        int valuePercent = NONE;
        int valuePercentHex = NONE;
        for (int i = 0; ; i++)
        {
            final boolean start = isSet(from, i);
            if (start)
            {
                if (0 == first)
                {
                    firstValue = true;
                }
                else
                {
                    beforeFirst = true;
                }
            }
            if (start || firstValue || value != NONE)
            {
                set(to, i);
                any = true;
            }
            if (i == length)
            {
                return any;
            }
            if (!beforeFirst && !firstValue && !firstValuePercent && !firstValuePercentHex &&
                value == NONE && valuePercent == NONE && valuePercentHex == NONE)
            {
                final int next = nextSetBit(from, i + 1, length);
                if (next < 0)
                {
                    return any;
                }
                i = next - 1;
                continue;
            }

            final char c = topic.charAt(i);
            final boolean hex = isHex(c);
            final boolean percent = c == '%';

            int nextValue = value != NONE && inClass(valueLow, valueHigh, c) ? value : NONE;
            if (valuePercentHex != NONE && hex)
            {
                nextValue = Math.min(nextValue, valuePercentHex);
            }
            if (c == separator && maxSeparators > 0)
            {
                if (firstValue)
                {
                    nextValue = Math.min(nextValue, 1);
                }
                if (value < maxSeparators)
                {
                    nextValue = Math.min(nextValue, value + 1);
                }
            }
            valuePercentHex = valuePercent != NONE && hex ? valuePercent : NONE;
            valuePercent = percent ? value : NONE;
            value = nextValue;

            final boolean nextFirstValue = (firstValue && inClass(firstValueLow, firstValueHigh, c)) ||
                (firstValuePercentHex && hex) || (beforeFirst && c == first);
            firstValuePercentHex = firstValuePercent && hex;
            firstValuePercent = firstValue && percent;
            firstValue = nextFirstValue;
            beforeFirst = false;
        }
    }

    private static boolean inClass(final long low, final long high, final char c)
    {
        return c < 64 ? (low & (1L << c)) != 0 : c < 128 && (high & (1L << (c - 64))) != 0;
    }

    private static boolean isHex(final char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static long[] valueClass(final boolean reserved, final boolean equalsSign)
    {
        final long[] mask = {UNRESERVED[0], UNRESERVED[1]};
        if (reserved)
        {
            mask[0] |= RESERVED[0];
            mask[1] |= RESERVED[1];
        }
        else
        {
            mask[0] |= 1L << ',';
            if (equalsSign)
            {
                mask[0] |= 1L << '=';
            }
        }
        return mask;
    }

    private static long[] mask(final String characters)
    {
        final long[] mask = new long[2];
        for (int i = 0; i < characters.length(); i++)
        {
            final char c = characters.charAt(i);
            mask[c >> 6] |= 1L << c;
        }
        return mask;
    }
}
