package io.sseflow.server.mercure;

import io.sseflow.server.selector.TopicText;

/**
 * What {@link MercurePublishDecoder} made of a publish body: {@link #OK}, or why it is refused; every refusal
 * is answered {@code 400} with {@link #reason()}.
 */
public enum MercurePublishOutcome
{
    /**
     * The body is a valid update.
     */
    OK("ok"),

    /**
     * No {@code topic} field.
     */
    MISSING_TOPIC("missing \"topic\" parameter"),

    /**
     * More {@code topic} fields than {@link MercurePublish#MAX_TOPICS}.
     */
    TOO_MANY_TOPICS("more than " + MercurePublish.MAX_TOPICS + " \"topic\" parameters"),

    /**
     * An empty {@code topic}.
     */
    EMPTY_TOPIC("empty \"topic\""),

    /**
     * A {@code topic} longer than {@link TopicText#MAX_LENGTH} bytes.
     */
    TOPIC_TOO_LONG("\"topic\" longer than " + TopicText.MAX_LENGTH + " bytes"),

    /**
     * A {@code topic} that is not UTF-8.
     */
    TOPIC_NOT_UTF8("\"topic\" is not valid UTF-8"),

    /**
     * A {@code topic} holding a control character.
     */
    TOPIC_CONTROL_CHARACTER("\"topic\" contains a control character"),

    /**
     * A {@code %} not followed by two hex digits, in any name or value.
     */
    MALFORMED_ESCAPE("malformed percent-escape in the form body"),

    /**
     * {@code data} that is not UTF-8.
     */
    DATA_NOT_UTF8("\"data\" is not valid UTF-8"),

    /**
     * An {@code id} holding CR, LF or NUL, or not UTF-8.
     */
    INVALID_ID("\"id\" must be UTF-8 without CR, LF or NUL"),

    /**
     * An {@code id} starting with {@code #}, which the protocol reserves for ids a hub generates.
     */
    ID_STARTS_WITH_HASH("\"id\" must not start with '#'"),

    /**
     * A numeric {@code id} above {@link io.sseflow.server.sequencer.EventIds#MAX_PUBLISHER_ID}.
     */
    ID_OUT_OF_RANGE(io.sseflow.server.sequencer.EventIds.OUT_OF_RANGE_REASON),

    /**
     * An {@code id} longer than {@link MercurePublish#MAX_ID_LENGTH} bytes.
     */
    ID_TOO_LONG("\"id\" longer than " + MercurePublish.MAX_ID_LENGTH + " bytes"),

    /**
     * A {@code type} holding CR, LF or NUL, or not UTF-8.
     */
    INVALID_TYPE("\"type\" must be UTF-8 without CR, LF or NUL"),

    /**
     * A {@code type} longer than {@link MercurePublish#MAX_TYPE_LENGTH} bytes.
     */
    TYPE_TOO_LONG("\"type\" longer than " + MercurePublish.MAX_TYPE_LENGTH + " bytes"),

    /**
     * A {@code retry} that is not 1 to 10 ASCII digits of at most {@link Integer#MAX_VALUE} milliseconds.
     */
    INVALID_RETRY("invalid \"retry\" parameter: milliseconds as 1 to 10 digits, at most 2147483647");

    private final String reason;

    MercurePublishOutcome(final String reason)
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
