package io.sseflow.server.selector;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the URL-pattern parser and matcher with Jazzer. Runs the checked-in inputs (in
 * {@code src/test/resources/io/sseflow/server/selector/UrlPatternFuzzTestInputs/}) as a normal test; fuzzes with
 * {@code JAZZER_FUZZ=1}:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl nio-server test -Dtest=UrlPatternFuzzTest
 * </pre>
 * Each input is a pattern and a topic. Properties: compiling a whole pattern either succeeds or throws
 * {@link UrlPatternException}; matching never throws and its cost bound grows with the topic; and a pathname
 * component the matcher compiles answers, for a topic of at most 40 characters, exactly what the regular
 * expression the URL Pattern Standard generates for it answers (each named group {@code [^/]+?}, each {@code *}
 * {@code .*}, a {@code /} before a name or {@code *} its prefix, {@code {text}} a group, {@code ?} optional).
 */
class UrlPatternFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void fuzzUrlPatternMatching(final FuzzedDataProvider data)
    {
        final String text = data.consumeString(80);
        final String topic = data.consumeRemainingAsString();

        try
        {
            final UrlPattern pattern = UrlPattern.compile(text);
            pattern.matches(topic);
            assertTrue(pattern.matchCost(topic.length()) > topic.length());
        }
        catch (final UrlPatternException ex)
        {
            assertTrue(!ex.getMessage().isEmpty());
        }

        final UrlPatternComponent pathname;
        try
        {
            pathname = UrlPatternComponent.compile(text, '/', true, false);
        }
        catch (final UrlPatternException ex)
        {
            return;
        }
        final boolean matches = pathname.matches(topic, 0, topic.length());
        if (topic.length() <= 40)
        {
            // DOTALL: JavaScript's "." stops at line breaks, but no URL or topic holds one (URL parsers drop them,
            // topics refuse control characters), so ours does not tell them apart
            final boolean referenceMatches;
            try
            {
                referenceMatches = Pattern.compile(referenceRegex(text), Pattern.DOTALL)
                    .matcher(new BoundedChars(topic)).matches();
            }
            catch (final BoundedChars.Exhausted ex)
            {
                return;   // the reference regex backtracks exponentially on this input: no answer to compare with
            }
            assertEquals(referenceMatches, matches, text + " ~ " + topic + " as " + referenceRegex(text));
        }
    }

    /**
     * The standard's "valid name code point", per UTF-16 code unit.
     */
    private static boolean isNameCodeUnit(final char c, final boolean first)
    {
        final int type = Character.getType(c);
        final boolean start = Character.isLetter(c) || type == Character.LETTER_NUMBER;
        final boolean part = start || Character.isDigit(c) || type == Character.NON_SPACING_MARK ||
            type == Character.COMBINING_SPACING_MARK || type == Character.CONNECTOR_PUNCTUATION ||
            c == '\u200C' || c == '\u200D';
        return c == '$' || c == '_' || (first ? start : part);
    }

    /**
     * The standard's regular expression of a pathname pattern within the supported syntax.
     */
    private static String referenceRegex(final String pattern)
    {
        final StringBuilder regex = new StringBuilder();
        final StringBuilder fixed = new StringBuilder();
        int i = 0;
        while (i < pattern.length())
        {
            final char c = pattern.charAt(i);
            if (c == '\\')
            {
                fixed.append(pattern.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c != ':' && c != '*' && c != '{')
            {
                fixed.append(c);
                i++;
                continue;
            }
            int end = i + 1;
            String group = ".*";
            String prefix = "";
            if (c == ':')
            {
                while (end < pattern.length() && isNameCodeUnit(pattern.charAt(end), end == i + 1))
                {
                    end++;
                }
                group = "[^/]+?";
            }
            if (c == '{')
            {
                end = pattern.indexOf('}', i) + 1;
                group = Pattern.quote(pattern.substring(i + 1, end - 1));
            }
            else if (fixed.length() > 0 && fixed.charAt(fixed.length() - 1) == '/')
            {
                prefix = "/";
                fixed.setLength(fixed.length() - 1);
            }
            final boolean optional = end < pattern.length() && pattern.charAt(end) == '?';
            regex.append(Pattern.quote(fixed.toString()));
            fixed.setLength(0);
            regex.append("(?:").append(Pattern.quote(prefix)).append('(').append(group).append("))");
            if (optional)
            {
                regex.append('?');
                end++;
            }
            i = end;
        }
        regex.append(Pattern.quote(fixed.toString()));
        return regex.toString();
    }
}
