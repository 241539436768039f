package io.sseflow.server.selector;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the topic-selector parser and matcher with Jazzer. Runs the checked-in inputs (in
 * {@code src/test/resources/io/sseflow/server/selector/TopicSelectorFuzzTestInputs/}) as a normal test; fuzzes
 * with {@code JAZZER_FUZZ=1}:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl nio-server test -Dtest=TopicSelectorFuzzTest
 * </pre>
 * Each input is a selector text and a topic. Properties: parsing either succeeds or throws
 * {@link IllegalArgumentException} exactly when {@link TopicText} refuses the text or a template has too many
 * expressions; matching never throws; a selector matches its own text; and for a template of at most 4
 * expressions and a topic of at most 40 characters, the answer is exactly that of a regular expression built as
 * hubs speaking this protocol build theirs ({@link ReferenceTemplateRegex}).
 */
class TopicSelectorFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void fuzzSelectorMatching(final FuzzedDataProvider data)
    {
        final String text = data.consumeString(80);
        final String topic = data.consumeRemainingAsString();

        final TopicSelector selector;
        try
        {
            selector = TopicSelector.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            final TopicTextProblem problem = TopicText.check(text);
            if (problem == TopicTextProblem.NONE)
            {
                assertTrue(ex.getMessage().contains("URI-template expressions"), ex.getMessage());
            }
            else
            {
                assertEquals("topic selector " + problem.reason(), ex.getMessage());
            }
            return;
        }
        assertEquals(TopicTextProblem.NONE, TopicText.check(text));
        assertTrue(selector.matches(text), "a selector matches itself");
        final boolean matches = selector.matches(topic);
        if (selector.kind() == SelectorKind.EXACT)
        {
            assertEquals(text.equals(topic), matches);
        }
        else if (selector.kind() == SelectorKind.TEMPLATE && topic.length() <= 40 &&
            selector.template().expressions() <= 4)
        {
            final Pattern reference = Pattern.compile(referenceRegex(text));
            final boolean referenceMatches;
            try
            {
                referenceMatches = reference.matcher(new BoundedChars(topic)).matches();
            }
            catch (final BoundedChars.Exhausted ex)
            {
                return;   // the reference regex backtracks exponentially on this input: no answer to compare with
            }
            assertEquals(text.equals(topic) || referenceMatches, matches, text + " ~ " + topic);
        }
    }

    /**
     * The reference expression of a valid template: its literals and expressions in turn (literals hold no braces).
     */
    private static String referenceRegex(final String template)
    {
        final StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length())
        {
            final int open = template.indexOf('{', i);
            if (open < 0)
            {
                regex.append(ReferenceTemplateRegex.fragment(template.substring(i)));
                break;
            }
            if (open > i)
            {
                regex.append(ReferenceTemplateRegex.fragment(template.substring(i, open)));
            }
            final int close = template.indexOf('}', open);
            regex.append(ReferenceTemplateRegex.fragment(template.substring(open, close + 1)));
            i = close + 1;
        }
        return regex.toString();
    }
}
