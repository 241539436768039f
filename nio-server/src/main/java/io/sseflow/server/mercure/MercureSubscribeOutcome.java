package io.sseflow.server.mercure;

import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;
import io.sseflow.server.selector.TopicText;

/**
 * What {@link MercureSubscribeQuery#parse} made of a subscribe request: {@link #OK}, or why it is refused;
 * every refusal is answered {@code 400} with {@link MercureSubscribeQuery#reason()}.
 */
public enum MercureSubscribeOutcome
{
    /**
     * The query names 1 to {@link SelectorSet#MAX_SELECTORS} valid selectors.
     */
    OK("ok"),

    /**
     * No {@code topic} parameter.
     */
    MISSING_TOPIC("missing \"topic\" parameter"),

    /**
     * More {@code topic} parameters than {@link SelectorSet#MAX_SELECTORS}.
     */
    TOO_MANY_SELECTORS("more than " + SelectorSet.MAX_SELECTORS + " \"topic\" parameters"),

    /**
     * An empty {@code topic} selector.
     */
    EMPTY_SELECTOR("empty \"topic\" selector"),

    /**
     * A selector longer than {@link TopicText#MAX_LENGTH} bytes.
     */
    SELECTOR_TOO_LONG("\"topic\" selector longer than " + TopicText.MAX_LENGTH + " bytes"),

    /**
     * A selector that is not UTF-8.
     */
    SELECTOR_NOT_UTF8("\"topic\" selector is not valid UTF-8"),

    /**
     * A selector holding a control character.
     */
    SELECTOR_CONTROL_CHARACTER("\"topic\" selector contains a control character"),

    /**
     * A template selector of more than {@link TopicSelector#MAX_EXPRESSIONS} expressions.
     */
    SELECTOR_TOO_MANY_EXPRESSIONS("\"topic\" selector has more than " + TopicSelector.MAX_EXPRESSIONS +
        " URI-template expressions"),

    /**
     * A {@code %} not followed by two hex digits, in any name or value of the query.
     */
    MALFORMED_ESCAPE("malformed percent-escape in the query"),

    /**
     * A last event id longer than {@link MercurePublish#MAX_ID_LENGTH} bytes.
     */
    LAST_EVENT_ID_TOO_LONG("last event id longer than " + MercurePublish.MAX_ID_LENGTH + " bytes"),

    /**
     * A last event id that is not UTF-8 or holds CR, LF or NUL.
     */
    INVALID_LAST_EVENT_ID("last event id must be UTF-8 without CR, LF or NUL");

    private final String reason;

    MercureSubscribeOutcome(final String reason)
    {
        this.reason = reason;
    }

    /**
     * The reason a refusal's {@code 400} carries.
     *
     * @return short text.
     */
    public String reason()
    {
        return reason;
    }
}
