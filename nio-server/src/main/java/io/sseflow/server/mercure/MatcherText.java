package io.sseflow.server.mercure;

import io.sseflow.server.selector.TopicText;
import io.sseflow.server.selector.TopicTextProblem;

/**
 * Mercure 1.0's rule for a topic matcher's value (a {@code match} parameter, later a token's {@code topics}
 * entry): 1 to {@link TopicText#MAX_LENGTH} bytes of UTF-8 without C0 (U+0000-U+001F) or C1 (U+0080-U+009F)
 * controls, U+007F, or Unicode format characters (general category {@code Cf}, such as U+200B or U+FEFF): what
 * {@link TopicText} checks, plus C1 and {@code Cf}, which the pre-standardization protocol accepts. Stateless.
 */
public final class MatcherText
{
    private MatcherText()
    {
    }

    /**
     * Check a decoded matcher value.
     *
     * @param text the value.
     * @return {@link TopicTextProblem#NONE}, or what breaks the rule (C1 and {@code Cf} count as
     * {@link TopicTextProblem#CONTROL_CHARACTER}).
     */
    public static TopicTextProblem check(final CharSequence text)
    {
        final TopicTextProblem problem = TopicText.check(text);
        if (problem != TopicTextProblem.NONE)
        {
            return problem;
        }
        for (int i = 0, length = text.length(); i < length; )
        {
            final int codePoint = Character.codePointAt(text, i);
            if ((codePoint >= 0x80 && codePoint <= 0x9F) || Character.getType(codePoint) == Character.FORMAT)
            {
                return TopicTextProblem.CONTROL_CHARACTER;
            }
            i += Character.charCount(codePoint);
        }
        return TopicTextProblem.NONE;
    }
}
