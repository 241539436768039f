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
    INVALID_LAST_EVENT_ID("last event id must be UTF-8 without CR, LF or NUL"),

    /**
     * Both {@code topic} (the pre-standardization protocol) and a Mercure 1.0 matcher parameter.
     */
    MIXED_PROTOCOLS("\"topic\" and \"match\" parameters cannot be mixed: use one protocol"),

    /**
     * A Mercure 1.0 request with a name of the reserved {@code match} namespace that is no supported matcher type.
     */
    UNKNOWN_MATCHER("unknown topic matcher parameter: use \"match\", \"match_exact\" or \"match_urlpattern\""),

    /**
     * More Mercure 1.0 matcher parameters than {@link SelectorSet#MAX_SELECTORS}.
     */
    TOO_MANY_MATCHERS("more than " + SelectorSet.MAX_SELECTORS + " topic matcher parameters"),

    /**
     * An empty Mercure 1.0 matcher.
     */
    EMPTY_MATCHER("empty topic matcher"),

    /**
     * A Mercure 1.0 matcher longer than {@link TopicText#MAX_LENGTH} bytes.
     */
    MATCHER_TOO_LONG("topic matcher longer than " + TopicText.MAX_LENGTH + " bytes"),

    /**
     * A Mercure 1.0 matcher that is not UTF-8.
     */
    MATCHER_NOT_UTF8("topic matcher is not valid UTF-8"),

    /**
     * A Mercure 1.0 matcher holding a C0 or C1 control, U+007F or a Unicode format character.
     */
    MATCHER_CONTROL_CHARACTER("topic matcher contains a control or format character"),

    /**
     * A {@code match_urlpattern} value that is not a URL pattern, or one this hub cannot match (see
     * {@link io.sseflow.server.selector.UrlPattern}); the reason names which.
     */
    INVALID_URL_PATTERN("invalid URL pattern");

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
