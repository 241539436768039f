package io.sseflow.server.selector;

/**
 * Why a text cannot be a topic or a topic selector, as {@link TopicText} decides.
 */
public enum TopicTextProblem
{
    /**
     * The text is acceptable.
     */
    NONE("is acceptable"),

    /**
     * The text is empty.
     */
    EMPTY("is empty"),

    /**
     * The text has more than {@link TopicText#MAX_LENGTH} bytes in UTF-8.
     */
    TOO_LONG("is longer than " + TopicText.MAX_LENGTH + " bytes"),

    /**
     * The bytes are not UTF-8, or the characters hold a lone surrogate.
     */
    NOT_UTF8("is not valid UTF-8"),

    /**
     * The text holds a C0 control character (U+0000 to U+001F) or DEL (U+007F).
     */
    CONTROL_CHARACTER("contains a control character");

    private final String reason;

    TopicTextProblem(final String reason)
    {
        this.reason = reason;
    }

    /**
     * The problem as the end of a sentence whose subject is the text, e.g. {@code "topic " + reason()}.
     *
     * @return a short lower-case phrase.
     */
    public String reason()
    {
        return reason;
    }
}
